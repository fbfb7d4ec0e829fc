//! Model-based test: a reference model in plain Rust collections and the
//! real service layer receive the same random sequences of operations
//! (invite, accept, revoke, role change, delete, seats bought with fresh and
//! stale quotes, seats removed, inboxes, numbers, inbox membership, routing,
//! conversations, owner transfer, plan changes (period, prices, renewal
//! date), renewals by moving the clock forwards and back), each as a random
//! acting member, on accounts begun on any day of the year, monthly or
//! annual. The model keeps its own calendar and proration arithmetic. After every step the outcome (or the refusal code),
//! the whole state and `check` must agree with the model.
//!
//! `SEATDESK_MODEL_SEQUENCES` (default 10 000) and `SEATDESK_MODEL_SEED`
//! choose the run; a failure prints the seed and the steps to replay it.
//! The long run in the README uses 200 000 sequences.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use seatdesk_core::domain::billing::LedgerKind;
use seatdesk_core::domain::routing::{Fallthrough, IvrTarget, RingStrategy};
use seatdesk_core::domain::{BillingPeriod, Role, Status};
use seatdesk_core::service::{
    AssignmentChange, DistributionInput, GroupInput, InviteEdit, InviteRequest, MemberQuery, NewAccount, NewInbox, PlanChange, SeatChoice, SupportTicket,
};
use seatdesk_core::{Clock, ErrorCode, Scope, Seatdesk};

const OWNER: &str = "olivia@acme.example.com";
const POOL: &[&str] = &["ana@example.com", "ben@example.com", "cy@example.com", "dee@example.com", "eve@example.com", "zoë.müller@exämple.com"];
const INBOX_NAMES: &[&str] = &["Sales", "Support", "sales", "ana@example.com", "Billing"];
const NUMBERS: &[&str] = &["+15550100001", "+15550100002", "+15550100003"];
const CONTACT: &str = "+15557770001";
const CONTACT_PHONES: &[&str] = &["+15557770001", "+15557770002", "+15557770003", "+15557770004"];


// The model in four files, one module: the reference state and its rules
// (state.rs), the operations, drawn at random (draw.rs) and applied to
// both (ops.rs, inboxes.rs), the comparison after each step (check.rs), and the runner
// with its coverage counters (here).
include!("state.rs");
include!("draw.rs");
include!("ops.rs");
include!("inboxes.rs");
include!("check.rs");

/// A new account in `d` for one sequence, with a contact and the inboxes
/// Sales and Support.
fn fresh(d: &mut Seatdesk, account: &str, rng: &mut fastrand::Rng) -> Model {
    // Begun on any day of 13 months, monthly or annual, renewing one
    // period on (on the day it began) or on a date of the owner's choice.
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + chrono::Duration::days(rng.i64(0..396));
    let period = if rng.u8(..4) == 0 { BillingPeriod::Annual } else { BillingPeriod::Monthly };
    let span = (today.checked_add_months(Months::new(months(period))).unwrap() - today).num_days();
    let renews = (rng.u8(..3) == 0).then(|| today + chrono::Duration::days(rng.i64(1..=span)));
    d.set_clock(Clock::fixed(today));
    d.create_account(&NewAccount {
        name: account.into(),
        owner_email: OWNER.into(),
        owner_name: "Olivia".into(),
        plan: Some(period.as_str().into()),
        renews_on: renews.map(|r| r.to_string()),
        ..Default::default()
    })
    .unwrap();
    let s = Scope::account(account);
    d.add_contact(&s, "Carla Contact", CONTACT, OWNER).unwrap();
    let mut m = Model::new(account, today, period, renews);
    for name in ["Sales", "Support"] {
        d.create_inbox(&s, &NewInbox { name: name.into(), number: None, quote_id: None }).unwrap();
        m.inboxes.insert(
            Model::inbox_key(name),
            MInbox::new(name, None, OWNER, None),
        );
    }
    m
}

#[derive(Default)]
struct Tally {
    sequences: u64,
    steps: u64,
    refusals: BTreeMap<String, u64>,
    /// Per operation: (done, refused).
    ops: BTreeMap<String, (u64, u64)>,
    /// States the sequences reached (see [`reached`]).
    states: BTreeMap<&'static str, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.sequences += other.sequences;
        self.steps += other.steps;
        for (k, v) in other.refusals {
            *self.refusals.entry(k).or_default() += v;
        }
        for (k, (a, b)) in other.ops {
            let e = self.ops.entry(k).or_default();
            e.0 += a;
            e.1 += b;
        }
        for (k, v) in other.states {
            *self.states.entry(k).or_default() += v;
        }
    }
}

/// The operation's name (its variant).
fn op_name(op: &Op) -> String {
    let debug = format!("{op:?}");
    debug.split([' ', '{', '(']).next().unwrap_or_default().to_string()
}

/// The states worth reaching that the model is in after a step.
fn reached(m: &Model, step: &Step, outcome: &Outcome) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = m.note.into_iter().collect();
    if m.inboxes.iter().any(|(k, i)| i.created_for.is_some() && m.in_inbox(k) > 0) {
        out.push("a conversation in a New Inbox invite's inbox");
    }
    for (owner, n) in &m.contacts {
        if *n > 0 {
            match m.members.get(owner).map(|o| o.role) {
                Some(Role::Admin) => out.push("a contact owned by an Admin"),
                Some(Role::Manager) => out.push("a contact owned by a Manager"),
                Some(Role::Member) => out.push("a contact owned by a Member"),
                _ => {}
            }
        }
    }
    if m.ledger.iter().any(|l| l.kind == LedgerKind::NumberRenewal) {
        out.push("a billed number renewed");
    }
    if m.members.keys().any(|e| !e.is_ascii()) {
        out.push("a member with a non-ASCII address");
    }
    if m.owner != OWNER {
        out.push("ownership transferred");
    }
    if m.scheduled.is_some() {
        out.push("a plan change waiting for the renewal");
    }
    if m.inboxes.values().any(|i| i.default_assignee.is_some()) {
        out.push("a default assignee set");
    }
    if m.began_on.day() >= 29 {
        out.push("an account begun on the 29th to 31st");
    }
    if outcome.is_ok() {
        match &step.op {
            Op::Conversation { assignee: None, .. } => out.push("a conversation routed by the assignment"),
            Op::BackupRestore => out.push("a backup restored"),
            Op::Delete { remove_seat: true, .. } if m.ledger.last().is_some_and(|l| l.kind == LedgerKind::SeatRemoval && l.date == m.today) => {
                out.push("a deletion removing the seat")
            }
            Op::Invite { buy: true, .. } if m.ledger.last().is_some_and(|l| l.kind == LedgerKind::SeatPurchase && l.date == m.today) => {
                out.push("an invite buying its shortfall")
            }
            _ => {}
        }
    }
    if m.convs.keys().any(|(_, a)| a.is_none()) {
        out.push("an unassigned conversation");
    }
    out
}

/// Sequences share a database in batches (each in its own account, which
/// the service keeps apart) so that the statement cache stays warm; every
/// [`SEQUENCES_PER_DATABASE`] a new one starts.
const SEQUENCES_PER_DATABASE: u64 = 30;

fn run_sequence(seed: u64, desk: &mut Seatdesk, tally: &mut Tally) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut model = fresh(desk, &format!("Acme {seed}"), &mut rng);
    let desk = desk;
    // Half the sequences begin with a team at work: Ana and Ben, Active
    // Members of Sales, so that routing settings have people to name.
    let mut prelude: Vec<Step> = Vec::new();
    if rng.bool() {
        let team = vec![POOL[0].to_string(), POOL[1].to_string()];
        prelude.push(Step { actor: None, op: Op::BuySeats { n: 2, stale: false } });
        prelude.push(Step { actor: None, op: Op::Invite { emails: team.clone(), role: Role::Member, inbox: Some("Sales".into()), buy: false } });
        prelude.extend(team.iter().map(|email| Step { actor: None, op: Op::Accept { email: email.clone() } }));
        // And half of those with Call Distribution and an IVR that ring them.
        if rng.bool() {
            let (ana, ben) = (team[0].clone(), team[1].clone());
            let groups = vec![vec![ana.clone()], vec![ben.clone()], vec![ana, ben.clone()]];
            prelude.push(Step { actor: None, op: Op::Distribution { inbox: "Sales".into(), groups, ring_seconds: 20 } });
            for (digit, target) in [(1, MIvr::Group(1)), (2, MIvr::Group(2)), (3, MIvr::Group(3)), (4, MIvr::Member(ben))] {
                prelude.push(Step { actor: None, op: Op::IvrOption { inbox: "Sales".into(), digit, target: Some(target) } });
            }
        }
    }
    prelude.reverse();
    let len = prelude.len() + 1 + rng.usize(..24);
    let mut steps = Vec::with_capacity(len);
    for _ in 0..len {
        let step = prelude.pop().unwrap_or_else(|| random_step(&mut rng, &model));
        steps.push(step.clone());
        model.note = None;
        let before = model.clone();
        let audited_before = audit_entries(&model, desk);
        let data_before = before.data();
        let (expected, actual) = apply(&mut model, desk, &step);
        let counts = tally.ops.entry(op_name(&step.op)).or_default();
        if expected.is_ok() {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        for state in reached(&model, &step, &expected) {
            *tally.states.entry(state).or_default() += 1;
        }
        let replay = || steps.iter().enumerate().map(|(i, s)| format!("  {i}: {s:?}")).collect::<Vec<_>>().join("\n");
        if expected != actual {
            panic!("seed {seed}, step {}: expected {expected:?}, the service said {actual:?}\nsteps:\n{}", steps.len() - 1, replay());
        }
        if expected.is_err() {
            // A refusal leaves everything as it was (bar a stale quote's
            // intervening purchase): the model goes back to its state
            // before the step, and the comparison below proves the
            // database did too.
            if !matches!(step.op, Op::BuySeats { stale: true, .. }) {
                let note = model.note;
                model = before.clone();
                model.note = note;
            }
            *tally.refusals.entry(format!("{:?}", expected.unwrap_err())).or_default() += 1;
        }
        // Every change is audited, and a refusal leaves no entry.
        let audited = audit_entries(&model, desk) - audited_before;
        if expected.is_err() && !matches!(step.op, Op::BuySeats { stale: true, .. }) && audited != 0 {
            panic!("seed {seed}, step {}: refused, yet {audited} audit entries were written\nsteps:\n{}", steps.len() - 1, replay());
        }
        if expected.is_ok() && model.data() != data_before && audited == 0 {
            panic!("seed {seed}, step {}: the state changed and no audit entry says so\nsteps:\n{}", steps.len() - 1, replay());
        }
        if expected.is_ok() && audited > 0 {
            if let Err(wrong) = audit_written(&before, &model, desk, &step, audited) {
                panic!("seed {seed}, step {}: {wrong}\nsteps:\n{}", steps.len() - 1, replay());
            }
        }
        if let Err(diff) = compare(&model, desk) {
            panic!("seed {seed}, after step {}: {diff}\nsteps:\n{}", steps.len() - 1, replay());
        }
        tally.steps += 1;
    }
    tally.sequences += 1;
}

/// Runs `sequences` sequences from seed `base` on `threads` threads.
fn run_all(base: u64, sequences: u64, threads: u64) -> Tally {
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut i = t;
                    let mut desk = None;
                    while i < sequences {
                        if tally.sequences % SEQUENCES_PER_DATABASE == 0 {
                            desk = Some(Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap());
                        }
                        run_sequence(base.wrapping_add(i), desk.as_mut().unwrap(), &mut tally);
                        i += threads;
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a sequence failed (see above)")).collect()
    });
    let mut total = Tally::default();
    for t in tallies {
        total.merge(t);
    }
    total
}

/// The fixed seed the suite always replays (half the sequences), beside a
/// new seed per run (the other half), printed so that a failure replays
/// with `SEATDESK_MODEL_SEED`.
const FIXED_SEED: u64 = 0x5EA7_DE5C;

#[test]
fn the_service_agrees_with_the_reference_model() {
    let sequences: u64 = std::env::var("SEATDESK_MODEL_SEQUENCES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let threads = std::env::var("SEATDESK_MODEL_THREADS").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(2).min(4));
    let started = std::time::Instant::now();
    let runs: Vec<(u64, u64)> = match std::env::var("SEATDESK_MODEL_SEED").ok().and_then(|v| v.parse().ok()) {
        Some(seed) => vec![(seed, sequences)],
        None => {
            let fresh = fastrand::u64(..u64::MAX / 2);
            vec![(FIXED_SEED, sequences / 2), (fresh, sequences - sequences / 2)]
        }
    };
    let mut total = Tally::default();
    for (seed, n) in runs {
        println!("model: {n} sequences from seed {seed} (SEATDESK_MODEL_SEED={seed} replays them)");
        total.merge(run_all(seed, n, threads));
    }
    println!(
        "model: {} sequences, {} steps, {} refusals {:?}, in {:.1} s",
        total.sequences,
        total.steps,
        total.refusals.values().sum::<u64>(),
        total.refusals,
        started.elapsed().as_secs_f64()
    );
    println!("model: operations (done, refused): {:?}", total.ops);
    println!("model: states reached: {:?}", total.states);
    assert_eq!(total.sequences, sequences);
    if sequences < 10_000 {
        return;
    }
    // Coverage: at 10 000 sequences every operation is done and refused,
    // every refusal code below is met and every state below is reached.
    let shared = std::env::var("SEATDESK_TEST_STORE").as_deref() == Ok("postgres");
    for (op, (done, refused)) in &total.ops {
        assert!(*done > 0 || (shared && op == "BackupRestore"), "{op} never went through");
        assert!(*refused > 0 || op == "AdvanceDays", "{op} was never refused");
    }
    let ops = ["Invite", "Accept", "Revoke", "ChangeRole", "Delete", "BuySeats", "RemoveSeats", "CreateInbox", "BuyNumber", "AddToInbox",
        "RemoveFromInbox", "Routing", "Assignment", "Conversation", "Transfer", "BackupRestore", "AddContact", "AdvanceDays", "SetPlan",
        "Distribution", "DistributionMember", "IvrOption", "RetypeMyEmail", "RetypeInvite"];
    for op in ops {
        assert!(total.ops.contains_key(op), "{op} never ran");
    }
    for code in ["NotPermitted", "NotFound", "NoFreeSeats", "QuoteStale", "DuplicateEmail", "DuplicateInbox", "DuplicateNumber", "NotPending",
        "MemberStillAssigned", "OwnerProtected", "InvalidQuantity", "NotEnoughUnassignedSeats", "InvalidTransferTarget", "SupportModeRequired",
        "NotInboxMember", "InvalidContactOwner", "InboxHasNumber", "QuoteRequired", "InvalidEmail", "CannotChangeSelf", "EditInviteInstead", "NotAMember", "ObserverHoldsNoWork", "InvalidDate", "InvalidPrice", "InvalidAssignment",
        "InvalidDistribution", "InvalidRingTime", "TooManyGroups", "InvalidIvrOption"]
    {
        assert!(total.refusals.contains_key(code), "no {code} refusal in {sequences} sequences");
    }
    for state in ["a conversation in a New Inbox invite's inbox", "a contact owned by an Admin", "a contact owned by a Manager",
        "a contact owned by a Member", "a billed number renewed", "ownership transferred", "a conversation routed by the assignment",
        "a backup restored", "a deletion removing the seat", "an invite buying its shortfall", "an unassigned conversation",
        "a pending invite deleted with its seat", "the clock moved back", "a member with a non-ASCII address",
        "a plan change waiting for the renewal", "a short period booked to a moved renewal date", "a renewal at changed terms",
        "an annual period renewed", "an account begun on the 29th to 31st", "a booking refused: the clock is before the books",
        // ("the member with round robin's turn left the rotation" is counted
        // but not required: since the cursor is a place, the case needs a
        // leaver whose place is exactly the cursor's, a handful per 10 000
        // sequences; tests/cli.rs pins it for each way of leaving.)
        "conversations routed away from a member leaving the inbox",
        "a default assignee set", "conversations routed away on a deletion",
        "a distribution group went with its last member", "an IVR digit followed its group up", "an address with a Unicode domain retyped"]
    {
        // A shared server refuses backups (its administrator keeps them).
        if state == "a backup restored" && shared {
            continue;
        }
        assert!(total.states.contains_key(state), "never reached: {state}");
    }
}
