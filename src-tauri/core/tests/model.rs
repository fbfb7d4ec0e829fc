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

#[derive(Debug, Clone)]
enum Op {
    Invite { emails: Vec<String>, role: Role, inbox: Option<String>, buy: bool },
    Accept { email: String },
    Revoke { email: String },
    ChangeRole { email: String, role: Role, remove_seat: bool },
    Delete { email: String, remove_seat: bool },
    BuySeats { n: i64, stale: bool },
    RemoveSeats { n: i64 },
    CreateInbox { name: String, number: Option<String> },
    BuyNumber { inbox: String, number: String },
    AddToInbox { inbox: String, email: String },
    RemoveFromInbox { inbox: String, email: String, everywhere: bool },
    Routing { inbox: String, ring_group: bool, email: String, present: bool },
    /// Round robin on or off, and the default assignee (`""` clears it).
    Assignment { inbox: String, round_robin: Option<bool>, default: Option<String> },
    /// `assignee: None` follows the inbox's Conversation Assignment.
    Conversation { inbox: String, assignee: Option<String> },
    Transfer { to: String, support: bool },
    /// A backup taken and restored at once: the data stays as it was; only
    /// the acting member's right to restore is in question.
    BackupRestore,
    /// A contact owned by someone (a holding that deletion hands over).
    AddContact { owner: String, phone: usize },
    /// The clock moved, forwards (renewals fall due) or back (back-dated
    /// bookkeeping).
    AdvanceDays { days: i64 },
    /// Call Distribution saved whole: groups of members, each ringing
    /// simultaneously for `ring_seconds`.
    Distribution { inbox: String, groups: Vec<Vec<String>>, ring_seconds: i64 },
    /// One member into or out of one distribution group.
    DistributionMember { inbox: String, position: i64, email: String, present: bool },
    /// One IVR digit set (or with `None` cleared).
    IvrOption { inbox: String, digit: i32, target: Option<MIvr> },
    /// The acting member retypes their own address in capitals: the same
    /// address (its key), shown as typed.
    RetypeMyEmail,
    /// A pending invite's address retyped in capitals.
    RetypeInvite { email: String },
    /// `account set-plan`: a price of `Some(None)` is typed empty; the
    /// renewal date is given as days from the current renewal date.
    SetPlan { period: Option<BillingPeriod>, seat: Option<Option<i64>>, number: Option<Option<i64>>, renews: Option<i64> },
}

/// Where an IVR digit rings.
#[derive(Debug, Clone, PartialEq)]
enum MIvr {
    Member(String),
    Group(i32),
    Voicemail,
    /// A member or group that went (flagged in the window).
    Nowhere,
}

/// The terms a period is billed on.
#[derive(Debug, Clone, PartialEq)]
struct MTerms {
    period: BillingPeriod,
    seat: i64,
    number: i64,
}

fn months(period: BillingPeriod) -> u32 {
    if period == BillingPeriod::Annual { 12 } else { 1 }
}

/// `date` on day `day` of its month, or the month's last day.
fn on_day(date: NaiveDate, day: u32) -> NaiveDate {
    (1..=day).rev().find_map(|d| date.with_day(d)).unwrap()
}

fn forward(date: NaiveDate, period: BillingPeriod, day: u32) -> NaiveDate {
    on_day(date.checked_add_months(Months::new(months(period))).unwrap(), day)
}

fn back(date: NaiveDate, period: BillingPeriod, day: u32) -> NaiveDate {
    on_day(date.checked_sub_months(Months::new(months(period))).unwrap(), day)
}

/// `round_half_up(quantity × unit × (end − from) / (end − whole))`, exact.
fn share(quantity: i64, unit: i64, from: NaiveDate, end: NaiveDate, whole: NaiveDate) -> i64 {
    let period = (end - whole).num_days() as i128;
    let left = (end - from).num_days().clamp(0, period as i64) as i128;
    let numerator = quantity as i128 * unit as i128 * left;
    ((2 * numerator + period) / (2 * period)) as i64
}

fn cents_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[derive(Debug, Clone)]
struct Step {
    actor: Option<String>,
    op: Op,
}

#[derive(Debug, Clone, PartialEq)]
struct MMember {
    role: Role,
    status: Status,
    inboxes: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct MInbox {
    name: String,
    number: Option<String>,
    owner: String,
    members: BTreeSet<String>,
    assignment: BTreeSet<String>,
    ring_group: BTreeSet<String>,
    created_for: Option<String>,
    round_robin: bool,
    default_assignee: Option<String>,
    /// Round robin's cursor: the place (sort key) of whoever had the last turn.
    rr_after: Option<(String, String)>,
    /// Call Distribution's groups in order (never empty).
    groups: Vec<BTreeSet<String>>,
    ivr: BTreeMap<i32, MIvr>,
}

impl MInbox {
    fn new(name: &str, number: Option<String>, owner: &str, created_for: Option<String>) -> MInbox {
        MInbox {
            name: name.into(),
            number,
            owner: owner.into(),
            members: BTreeSet::new(),
            assignment: BTreeSet::new(),
            ring_group: BTreeSet::new(),
            created_for,
            round_robin: true,
            default_assignee: None,
            rr_after: None,
            groups: Vec::new(),
            ivr: BTreeMap::new(),
        }
    }
}

/// The reference model of one account.
#[derive(Debug, Clone)]
struct Model {
    account: String,
    today: NaiveDate,
    began_on: NaiveDate,
    period_start: NaiveDate,
    renews_on: NaiveDate,
    renewal_day: u32,
    terms: MTerms,
    /// A plan change for the next renewal: the terms, and the moved date.
    scheduled: Option<(MTerms, Option<NaiveDate>)>,
    owner: String,
    purchased: i64,
    members: BTreeMap<String, MMember>,
    inboxes: BTreeMap<String, MInbox>,
    ledger: Vec<MLine>,
    /// Conversations per (inbox, assignee).
    convs: BTreeMap<(String, Option<String>), i64>,
    /// Contacts per owner, and the phones taken.
    contacts: BTreeMap<String, i64>,
    phones: BTreeSet<String>,
    /// A state the last step reached that the model's data alone does not show.
    note: Option<&'static str>,
}

/// A ledger line as the model books it: every field the service shows.
#[derive(Debug, Clone, PartialEq)]
struct MLine {
    date: NaiveDate,
    kind: LedgerKind,
    quantity: i64,
    unit_cents: i64,
    amount_cents: i64,
    actor: String,
}

type Outcome = Result<(), ErrorCode>;

impl Model {
    /// An account begun `today` on `period`, renewing on `renews` (one
    /// period on, on today's day, by default).
    fn new(account: &str, today: NaiveDate, period: BillingPeriod, renews: Option<NaiveDate>) -> Model {
        let mut members = BTreeMap::new();
        members.insert(OWNER.to_string(), MMember { role: Role::Owner, status: Status::Active, inboxes: BTreeSet::new() });
        let renews_on = renews.unwrap_or_else(|| forward(today, period, today.day()));
        let (seat, number) = if period == BillingPeriod::Annual { (10_000, 5_000) } else { (1_000, 500) };
        Model {
            account: account.to_string(),
            today,
            began_on: today,
            period_start: today,
            renews_on,
            renewal_day: renews.map_or(today.day(), |d| d.day()),
            terms: MTerms { period, seat, number },
            scheduled: None,
            owner: OWNER.into(),
            purchased: 0,
            members,
            inboxes: BTreeMap::new(),
            ledger: Vec::new(),
            convs: BTreeMap::new(),
            contacts: BTreeMap::from([(OWNER.to_string(), 1)]),
            phones: BTreeSet::from([CONTACT.to_string()]),
            note: None,
        }
    }

    /// The books are closed on a date before the account began, its
    /// current period or its last ledger line: nothing is booked then.
    fn books_closed(&self) -> bool {
        let last = self.ledger.last().map_or(self.began_on, |l| l.date);
        self.today < self.began_on.max(self.period_start).max(last)
    }

    /// Refuses with `invalid_date` when the books are closed today.
    fn open(&mut self) -> Result<(), ErrorCode> {
        if self.books_closed() {
            self.note = Some("a booking refused: the clock is before the books");
            return Err(ErrorCode::InvalidDate);
        }
        Ok(())
    }

    /// Books a line dated today (refused when the books are closed).
    fn book(&mut self, kind: LedgerKind, quantity: i64, unit_cents: i64, amount_cents: i64, actor: &str) -> Result<(), ErrorCode> {
        self.open()?;
        self.ledger.push(MLine { date: self.today, kind, quantity, unit_cents, amount_cents, actor: actor.to_string() });
        Ok(())
    }

    /// The proration rule, computed here with exact integer fractions: N
    /// units bought on day D of the period that ends on R cost
    /// round_half_up(N × unit × (R − D) / (R − S)), S one whole period
    /// before R and D no earlier than the period's start (the account may
    /// have begun within it), in calendar days.
    fn prorate(&self, quantity: i64, unit_cents: i64) -> i64 {
        let whole = back(self.renews_on, self.terms.period, self.renewal_day);
        share(quantity, unit_cents, self.today.max(self.period_start), self.renews_on, whole)
    }

    /// The renewal on `renews_on`: the terms from it, the end of the
    /// period it pays and the anchor day from then on.
    fn next_period(&self) -> (MTerms, NaiveDate, u32) {
        match &self.scheduled {
            Some((terms, Some(moved))) => (terms.clone(), *moved, moved.day()),
            Some((terms, None)) => (terms.clone(), forward(self.renews_on, terms.period, self.renewal_day), self.renewal_day),
            None => (self.terms.clone(), forward(self.renews_on, self.terms.period, self.renewal_day), self.renewal_day),
        }
    }

    fn acting(&self, actor: &Option<String>) -> String {
        actor.clone().unwrap_or_else(|| self.owner.clone())
    }

    fn assigned(&self) -> i64 {
        self.members.values().filter(|m| m.role.takes_paid_seat()).count() as i64
    }

    fn unassigned(&self) -> i64 {
        self.purchased - self.assigned()
    }

    fn numbers(&self) -> i64 {
        self.inboxes.values().filter(|i| i.number.is_some()).count() as i64
    }

    fn inbox_key(name: &str) -> String {
        name.trim().to_lowercase()
    }

    /// The acting member, with `can` deciding the permission (rules §2).
    fn actor(&self, actor: &Option<String>, can: fn(Role) -> bool) -> Result<String, ErrorCode> {
        let email = actor.clone().unwrap_or_else(|| self.owner.clone());
        let m = self.members.get(&email).ok_or(ErrorCode::NotAMember)?;
        if m.status != Status::Active {
            return Err(ErrorCode::NotAMember);
        }
        if !can(m.role) {
            return Err(ErrorCode::NotPermitted);
        }
        Ok(email)
    }

    fn inbox(&self, name: &str) -> Result<String, ErrorCode> {
        let key = Model::inbox_key(name);
        self.inboxes.contains_key(&key).then_some(key).ok_or(ErrorCode::NotFound)
    }

    /// Joins an inbox's Conversation Assignment and Ring Group (Observers
    /// hold no work: they join neither).
    fn join_routing(&mut self, inbox: &str, email: &str) {
        if self.members.get(email).is_some_and(|m| m.role == Role::Observer) {
            return;
        }
        let i = self.inboxes.get_mut(inbox).unwrap();
        i.assignment.insert(email.into());
        i.ring_group.insert(email.into());
    }

    /// Conversations `email` holds, in every inbox.
    fn held(&self, email: &str) -> i64 {
        self.convs.iter().filter(|((_, a), _)| a.as_deref() == Some(email)).map(|(_, n)| n).sum()
    }

    /// Conversations in the inbox, assigned or not.
    fn in_inbox(&self, key: &str) -> i64 {
        self.convs.iter().filter(|((i, _), _)| i == key).map(|(_, n)| n).sum()
    }

    /// Moves `from`'s conversations in an inbox to `to`.
    fn move_convs(&mut self, key: &str, from: &str, to: Option<String>) {
        if let Some(n) = self.convs.remove(&(key.to_string(), Some(from.to_string()))) {
            *self.convs.entry((key.to_string(), to)).or_default() += n;
        }
    }

    /// The members table's order: the name without accents or case, then
    /// the address (names are the address's local part; the Owner's
    /// "Olivia"). The pool's accented letters, folded by hand.
    fn sort_key(&self, email: &str) -> (String, String) {
        let name = if email == OWNER { "Olivia".to_string() } else { email.split('@').next().unwrap().to_string() };
        let folded: String = name.to_lowercase().chars().map(|c| match c {
            'ë' | 'é' => 'e',
            'ü' => 'u',
            'ä' => 'a',
            c => c,
        }).collect();
        (folded, email.to_lowercase())
    }

    fn rotation(&self, key: &str) -> Vec<String> {
        let mut order: Vec<String> = self.inboxes[key].assignment.iter().cloned().collect();
        order.sort_by_key(|e| self.sort_key(e));
        order
    }

    /// What the account holds (not the clock, not the step's note): when it
    /// changes, an audit entry must say so.
    fn data(&self) -> String {
        format!(
            "{:?}",
            (
                &self.members,
                &self.inboxes,
                &self.ledger,
                &self.convs,
                &self.contacts,
                self.purchased,
                &self.owner,
                (self.period_start, self.renews_on, self.renewal_day, &self.terms, &self.scheduled),
            )
        )
    }

    /// The next `n` conversations' assignees, without moving the turn.
    fn preview(&self, key: &str, n: usize) -> Vec<String> {
        let mut copy = self.clone();
        (0..n).map_while(|_| copy.assignment_next(key)).collect()
    }

    /// Who Conversation Assignment sends the inbox's next conversation to
    /// (round robin's turn then moves on).
    fn assignment_next(&mut self, key: &str) -> Option<String> {
        let i = &self.inboxes[key];
        if let Some(d) = &i.default_assignee {
            return Some(d.clone());
        }
        let order = self.rotation(key);
        if !i.round_robin || order.is_empty() {
            return None;
        }
        // The first after the cursor's place, whoever left or joined since.
        let start = i.rr_after.as_ref().and_then(|a| order.iter().position(|e| self.sort_key(e) > *a)).unwrap_or(0);
        let chosen = order[start].clone();
        let place = self.sort_key(&chosen);
        self.inboxes.get_mut(key).unwrap().rr_after = Some(place);
        Some(chosen)
    }

    /// Takes `email` out of the inbox's routing (round robin's cursor keeps
    /// its place); an inbox whose default assignee they were goes back to
    /// round robin.
    fn leave_routing(&mut self, key: &str, email: &str) {
        let place = self.sort_key(email);
        if self.inboxes[key].rr_after.as_ref() == Some(&place) && self.inboxes[key].assignment.contains(email) {
            self.note = Some("the member with round robin's turn left the rotation");
        }
        let i = self.inboxes.get_mut(key).unwrap();
        if i.default_assignee.as_deref() == Some(email) {
            i.default_assignee = None;
            i.round_robin = true;
        }
        i.assignment.remove(email);
        i.ring_group.remove(email);
        for option in i.ivr.values_mut() {
            if *option == MIvr::Member(email.to_string()) {
                *option = MIvr::Nowhere;
            }
        }
        for g in &mut i.groups {
            g.remove(email);
        }
        // A group left with nobody goes; digits follow their group.
        while let Some(gone) = i.groups.iter().position(BTreeSet::is_empty) {
            let gone = gone as i32 + 1;
            i.groups.remove(gone as usize - 1);
            for option in i.ivr.values_mut() {
                match option {
                    MIvr::Group(p) if *p == gone => *option = MIvr::Nowhere,
                    MIvr::Group(p) if *p > gone => {
                        *p -= 1;
                        self.note = Some("an IVR digit followed its group up");
                    }
                    _ => {}
                }
            }
            if self.note.is_none() {
                self.note = Some("a distribution group went with its last member");
            }
        }
    }

    /// Whether a routing setting of the inbox names `email` (the removal guard).
    fn in_settings(&self, key: &str, email: &str) -> bool {
        let i = &self.inboxes[key];
        i.assignment.contains(email)
            || i.ring_group.contains(email)
            || i.default_assignee.as_deref() == Some(email)
            || i.groups.iter().any(|g| g.contains(email))
            || i.ivr.values().any(|o| *o == MIvr::Member(email.to_string()))
    }

    /// An Active member of the inbox who holds work, as a setting needs.
    fn routing_member(&self, key: &str, email: &str) -> Result<(), ErrorCode> {
        let t = self.members.get(email).ok_or(ErrorCode::NotFound)?;
        if t.status != Status::Active || !t.inboxes.contains(key) {
            return Err(ErrorCode::NotInboxMember);
        }
        if t.role == Role::Observer {
            return Err(ErrorCode::ObserverHoldsNoWork);
        }
        Ok(())
    }

    /// What a deletion or a move to Observer hands over to `heir`: contacts
    /// and inbox ownership; conversations in the heir's inboxes to the heir,
    /// elsewhere where Conversation Assignment sends them.
    fn hand_over(&mut self, leaving: &str, heir: &str) {
        let keys: Vec<String> = self.inboxes.keys().cloned().collect();
        for key in &keys {
            self.leave_routing(key, leaving);
        }
        for key in &keys {
            if self.convs.contains_key(&(key.clone(), Some(leaving.to_string()))) {
                let to = if self.inboxes[key].members.contains(heir) {
                    Some(heir.to_string())
                } else {
                    self.note = Some("conversations routed away on a deletion");
                    self.assignment_next(key)
                };
                self.move_convs(key, leaving, to);
            }
        }
        if let Some(n) = self.contacts.remove(leaving) {
            *self.contacts.entry(heir.into()).or_default() += n;
        }
        for i in self.inboxes.values_mut() {
            if i.owner == leaving {
                i.owner = heir.into();
                i.created_for = None;
            }
        }
    }

    fn heir(&self, actor: &str, leaving: &str) -> Result<String, ErrorCode> {
        let m = &self.members[actor];
        if actor == leaving || m.status != Status::Active || !(m.role == Role::Owner || m.role.takes_paid_seat()) {
            return Err(ErrorCode::InvalidReassignTarget);
        }
        Ok(actor.into())
    }

    fn remove_member(&mut self, email: &str) {
        let m = self.members.remove(email).unwrap();
        for i in m.inboxes {
            let inbox = self.inboxes.get_mut(&i).unwrap();
            inbox.members.remove(email);
        }
    }

    /// Revoking an invite drops the inbox a "New Inbox" invite made for it
    /// while that inbox is still empty and has no number.
    fn revoke(&mut self, email: &str, actor: &str) {
        let created = self.inboxes.iter().find(|(_, i)| i.created_for.as_deref() == Some(email)).map(|(k, _)| k.clone());
        if let Some(key) = created {
            let inbox = &self.inboxes[&key];
            let others = inbox.members.iter().filter(|m| *m != email).count();
            let held = self.in_inbox(&key);
            if inbox.number.is_none() && others == 0 && held == 0 {
                self.inboxes.remove(&key);
                self.members.get_mut(email).unwrap().inboxes.remove(&key);
            } else {
                let inbox = self.inboxes.get_mut(&key).unwrap();
                inbox.owner = actor.into();
                inbox.created_for = None;
            }
        }
        self.remove_member(email);
    }

    /// Books each renewal due, at the terms from it, for the period it
    /// pays (a moved renewal date makes it shorter and pro rata).
    fn renew(&mut self) {
        while self.renews_on <= self.today {
            let (terms, end, day) = self.next_period();
            let whole = back(end, terms.period, day);
            let start = self.renews_on;
            let line = |kind, quantity: i64, unit: i64| MLine {
                date: start,
                kind,
                quantity,
                unit_cents: unit,
                amount_cents: share(quantity, unit, start, end, whole),
                actor: "system".into(),
            };
            self.ledger.push(line(LedgerKind::SeatRenewal, self.purchased, terms.seat));
            let billable = (self.numbers() - 1).max(0);
            if billable > 0 {
                self.ledger.push(line(LedgerKind::NumberRenewal, billable, terms.number));
            }
            if whole != start {
                self.note = Some("a short period booked to a moved renewal date");
            } else if terms != self.terms {
                self.note = Some("a renewal at changed terms");
            } else if terms.period == BillingPeriod::Annual {
                self.note = Some("an annual period renewed");
            }
            self.period_start = start;
            self.renews_on = end;
            self.renewal_day = day;
            self.terms = terms;
            self.scheduled = None;
        }
    }
}

fn manage(r: Role) -> bool {
    matches!(r, Role::Owner | Role::Admin)
}
fn inboxes_perm(r: Role) -> bool {
    matches!(r, Role::Owner | Role::Admin | Role::Manager)
}

/// One random step.
fn random_step(rng: &mut fastrand::Rng, model: &Model) -> Step {
    let existing: Vec<&String> = model.members.keys().collect();
    let person = |rng: &mut fastrand::Rng| -> String {
        match rng.u8(..20) {
            0 => OWNER.into(),
            1..=13 => existing[rng.usize(..existing.len())].clone(),
            _ => POOL[rng.usize(..POOL.len())].into(),
        }
    };
    let pending: Vec<&String> = model.members.iter().filter(|(_, m)| m.status == Status::Pending).map(|(e, _)| e).collect();
    let invitee = |rng: &mut fastrand::Rng| -> String {
        if pending.is_empty() || rng.u8(..5) == 0 { person(rng) } else { pending[rng.usize(..pending.len())].clone() }
    };
    let newcomer = |rng: &mut fastrand::Rng| -> String {
        let fresh: Vec<&&str> = POOL.iter().filter(|e| !model.members.contains_key(**e)).collect();
        if fresh.is_empty() || rng.u8(..5) == 0 { POOL[rng.usize(..POOL.len())].to_string() } else { fresh[rng.usize(..fresh.len())].to_string() }
    };
    let inboxes: Vec<&String> = model.inboxes.values().map(|i| &i.name).collect();
    let inbox = |rng: &mut fastrand::Rng| -> String {
        if rng.u8(..4) == 0 { INBOX_NAMES[rng.usize(..INBOX_NAMES.len())].into() } else { inboxes[rng.usize(..inboxes.len())].clone() }
    };
    // Mostly someone a routing setting may name: an Active member of the
    // inbox who holds work.
    let insider = |rng: &mut fastrand::Rng, name: &str| -> String {
        let workers: Vec<&String> = model.inboxes.get(&Model::inbox_key(name)).map_or_else(Vec::new, |i| {
            i.members.iter().filter(|e| model.members.get(*e).is_some_and(|m| m.status == Status::Active && m.role != Role::Observer)).collect()
        });
        if workers.is_empty() || rng.u8(..8) == 0 { person(rng) } else { workers[rng.usize(..workers.len())].clone() }
    };
    // Mostly an inbox with such people in it.
    let staffed: Vec<&String> = model
        .inboxes
        .values()
        .filter(|i| i.members.iter().any(|e| model.members.get(e).is_some_and(|m| m.status == Status::Active && m.role != Role::Observer)))
        .map(|i| &i.name)
        .collect();
    let busy_inbox = |rng: &mut fastrand::Rng| -> String {
        if staffed.is_empty() || rng.u8(..4) == 0 { inbox(rng) } else { staffed[rng.usize(..staffed.len())].clone() }
    };
    let groups_of = |name: &str| model.inboxes.get(&Model::inbox_key(name)).map_or(0, |i| i.groups.len() as i64);
    let role = |rng: &mut fastrand::Rng| [Role::Admin, Role::Manager, Role::Member, Role::Member, Role::Observer][rng.usize(..5)];
    let actor = match rng.u8(..30) {
        0..=20 => None,
        21 => Some(POOL[rng.usize(..POOL.len())].to_string()),
        _ => Some(existing[rng.usize(..existing.len())].clone()),
    };
    let op = match rng.u8(..114) {
        0..=17 => {
            let n = 1 + rng.usize(..3);
            let mut emails: Vec<String> = (0..n).map(|_| newcomer(rng)).collect();
            if rng.u8(..20) == 0 {
                emails.push("not-an-email".into());
            }
            if rng.u8(..20) == 0 {
                emails.push(OWNER.to_uppercase());
            }
            let inbox = if rng.u8(..4) == 0 { None } else { Some(inbox(rng)) };
            Op::Invite { emails, role: role(rng), inbox, buy: rng.bool() }
        }
        18..=29 => Op::Accept { email: invitee(rng) },
        30..=34 => Op::Revoke { email: invitee(rng) },
        35..=41 => Op::ChangeRole { email: person(rng), role: if rng.u8(..15) == 0 { Role::Owner } else { role(rng) }, remove_seat: rng.bool() },
        42..=47 => Op::Delete { email: person(rng), remove_seat: rng.bool() },
        48..=55 => Op::BuySeats { n: [0, 1, 1, 2, 3, 5, 100_001][rng.usize(..7)], stale: rng.u8(..5) == 0 },
        56..=60 => Op::RemoveSeats { n: [0, 1, 1, 2, 4][rng.usize(..5)] },
        61..=65 => Op::CreateInbox { name: inbox(rng), number: rng.bool().then(|| NUMBERS[rng.usize(..NUMBERS.len())].to_string()) },
        66..=68 => Op::BuyNumber { inbox: inbox(rng), number: NUMBERS[rng.usize(..NUMBERS.len())].into() },
        69..=76 => Op::AddToInbox { inbox: inbox(rng), email: person(rng) },
        77..=81 => Op::RemoveFromInbox { inbox: inbox(rng), email: person(rng), everywhere: rng.bool() },
        82..=86 => Op::Routing { inbox: inbox(rng), ring_group: rng.bool(), email: person(rng), present: rng.bool() },
        87 | 88 => Op::Assignment {
            inbox: inbox(rng),
            round_robin: match rng.u8(..3) {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            },
            default: match rng.u8(..3) {
                0 => Some(String::new()),
                1 => Some(person(rng)),
                _ => None,
            },
        },
        89..=93 => Op::Conversation { inbox: inbox(rng), assignee: (rng.u8(..3) != 0).then(|| person(rng)) },
        94..=96 => Op::Transfer { to: person(rng), support: rng.u8(..4) != 0 },
        97 if rng.u8(..4) == 0 => Op::BackupRestore,
        97 | 98 => Op::AddContact { owner: person(rng), phone: rng.usize(..CONTACT_PHONES.len()) },
        99..=101 => Op::AdvanceDays { days: [-40, -12, -3, 1, 10, 20, 40, 120, 400][rng.usize(..9)] },
        102 | 103 => {
            let inbox = busy_inbox(rng);
            let sizes = [0, 1, 1, 1, 1, 2, 2, 2, 3];
            let groups = (0..[0, 1, 1, 2, 2, 3, 3, 6][rng.usize(..8)]).map(|_| (0..sizes[rng.usize(..sizes.len())]).map(|_| insider(rng, &inbox)).collect()).collect();
            Op::Distribution { inbox, groups, ring_seconds: [20, 20, 20, 20, 20, 15, 15, 15, 0, 61][rng.usize(..10)] }
        }
        104..=106 => {
            let inbox = busy_inbox(rng);
            Op::DistributionMember { email: insider(rng, &inbox), position: rng.i64(0..groups_of(&inbox) + 2), inbox, present: rng.u8(..3) != 0 }
        }
        112 => Op::RetypeMyEmail,
        113 => Op::RetypeInvite { email: invitee(rng) },
        107 | 108 => {
            let inbox = busy_inbox(rng);
            let target = match rng.u8(..6) {
                0 => None,
                1 | 2 => Some(MIvr::Member(insider(rng, &inbox))),
                3 | 4 => Some(MIvr::Group(rng.i32(1..4))),
                _ => Some(MIvr::Voicemail),
            };
            Op::IvrOption { inbox, digit: [0, 1, 2, 3, 9, 10][rng.usize(..6)], target }
        }
        _ => {
            let price = |rng: &mut fastrand::Rng, prices: &[i64]| match rng.u8(..12) {
                0 => Some(None),
                1..=5 => Some(Some(prices[rng.usize(..prices.len())])),
                _ => None,
            };
            Op::SetPlan {
                period: (rng.u8(..3) == 0).then(|| if rng.bool() { BillingPeriod::Monthly } else { BillingPeriod::Annual }),
                seat: price(rng, &[800, 1_000, 1_500, 10_000, 12_000]),
                number: price(rng, &[0, 500, 700, 5_000]),
                renews: (rng.u8(..3) == 0).then(|| [-1, 0, 1, 5, 14, 27, 30, 31, 40, 200, 365, 366, 400][rng.usize(..13)]),
            }
        }
    };
    Step { actor, op }
}

fn code<T>(r: seatdesk_core::Result<T>) -> Outcome {
    r.map(|_| ()).map_err(|e| e.code)
}

/// Applies one step to both; returns (expected, actual).
fn apply(m: &mut Model, d: &mut Seatdesk, step: &Step) -> (Outcome, Outcome) {
    let scope = Scope { account: Some(m.account.clone()), acting_as: step.actor.clone(), ..Scope::default() };
    let owner_scope = Scope::account(&m.account);
    match &step.op {
        Op::Invite { emails, role, inbox, buy } => {
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let existing = match inbox {
                    Some(name) => Some(m.inbox(name)?),
                    None => None,
                };
                // Observers hold no work, so no New Inbox of their own.
                if existing.is_none() && *role == Role::Observer {
                    return Err(ErrorCode::ObserverHoldsNoWork);
                }
                let mut seen = BTreeSet::new();
                let (mut invalid, mut dup, mut taken) = (false, false, false);
                for e in emails {
                    let key = e.to_lowercase();
                    if !e.contains('@') {
                        invalid = true;
                    } else if !seen.insert(key.clone()) || m.members.contains_key(&key) {
                        dup = true;
                    } else if existing.is_none() && m.inboxes.contains_key(&Model::inbox_key(e)) {
                        taken = true;
                    }
                }
                if invalid {
                    return Err(ErrorCode::InvalidEmail);
                }
                if dup {
                    return Err(ErrorCode::DuplicateEmail);
                }
                if taken {
                    return Err(ErrorCode::DuplicateInbox);
                }
                let needed = if role.takes_paid_seat() { emails.len() as i64 } else { 0 };
                Ok((actor, existing, needed))
            })();
            // The shortfall's quote is taken as the Owner right before the call.
            let shortfall = match &expected {
                Ok((_, _, needed)) => needed - m.unassigned(),
                Err(_) => 0,
            };
            let quote = (*buy && shortfall > 0).then(|| d.quote_seats(&owner_scope, shortfall).ok()).flatten();
            let req = InviteRequest {
                emails: emails.clone(),
                role: *role,
                inbox: inbox.clone(),
                new_inbox: inbox.is_none(),
                buy_shortfall_quote: quote.as_ref().map(|q| q.quote_id.clone()),
            };
            let actual = code(d.invite(&scope, &req));
            let expected = expected.and_then(|(_actor, existing, _)| {
                if shortfall > 0 {
                    // No quote on a date the books have passed.
                    m.open()?;
                    let q = quote.as_ref().ok_or(ErrorCode::NoFreeSeats)?;
                    let unit = m.terms.seat;
                    let due = m.prorate(shortfall, unit);
                    assert_eq!(q.due_now_cents, due, "the shortfall's quote is the prorated price");
                    m.purchased += shortfall;
                    let actor = m.acting(&step.actor);
                    m.book(LedgerKind::SeatPurchase, shortfall, unit, due, &actor)?;
                }
                for e in emails {
                    let inbox = match &existing {
                        Some(key) => key.clone(),
                        None => {
                            let key = Model::inbox_key(e);
                            m.inboxes.insert(
                                key.clone(),
                                MInbox::new(e, None, e, Some(e.clone())),
                            );
                            key
                        }
                    };
                    m.inboxes.get_mut(&inbox).unwrap().members.insert(e.clone());
                    m.members.insert(e.clone(), MMember { role: *role, status: Status::Pending, inboxes: BTreeSet::from([inbox]) });
                }
                Ok(())
            });
            (expected, actual)
        }
        Op::Accept { email } => {
            let actual = code(d.accept_invite(&scope, email, None));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if target.status != Status::Pending {
                    return Err(ErrorCode::NotPending);
                }
                let inboxes = target.inboxes.clone();
                m.members.get_mut(email).unwrap().status = Status::Active;
                for i in inboxes {
                    m.join_routing(&i, email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Revoke { email } => {
            let actual = code(d.revoke_invite(&scope, email));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if target.status != Status::Pending {
                    return Err(ErrorCode::NotPending);
                }
                m.revoke(email, &actor);
                Ok(())
            })();
            (expected, actual)
        }
        Op::ChangeRole { email, role, remove_seat } => {
            let seat = if *remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            let actual = code(d.change_role(&scope, email, *role, seat));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?.clone();
                if target.role == Role::Owner || *role == Role::Owner {
                    return Err(ErrorCode::OwnerProtected);
                }
                if *role == target.role {
                    return Ok(());
                }
                if actor == *email {
                    return Err(ErrorCode::CannotChangeSelf);
                }
                if role.takes_paid_seat() && !target.role.takes_paid_seat() && m.unassigned() < 1 {
                    // The refusal carries a quote, which the books must allow.
                    m.open()?;
                    return Err(ErrorCode::NoFreeSeats);
                }
                let freed = target.role.takes_paid_seat() && !role.takes_paid_seat();
                if freed && target.status == Status::Active {
                    let heir = m.heir(&actor, email)?;
                    m.hand_over(email, &heir);
                }
                m.members.get_mut(email).unwrap().role = *role;
                if freed && *remove_seat {
                    m.purchased -= 1;
                    let unit = m.terms.seat;
                    m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Delete { email, remove_seat } => {
            let seat = if *remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            let actual = code(d.delete_member(&scope, email, None, seat));
            let expected = (|| {
                let actor = m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?.clone();
                if target.status == Status::Pending {
                    m.revoke(email, &actor);
                    // The reserved seat goes too when asked.
                    if target.role.takes_paid_seat() && *remove_seat {
                        m.purchased -= 1;
                        let unit = m.terms.seat;
                        m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                        m.note = Some("a pending invite deleted with its seat");
                    }
                    return Ok(());
                }
                if target.role == Role::Owner {
                    return Err(ErrorCode::OwnerProtected);
                }
                if actor == *email {
                    return Err(ErrorCode::CannotChangeSelf);
                }
                let heir = m.heir(&actor, email)?;
                m.hand_over(email, &heir);
                m.remove_member(email);
                if target.role.takes_paid_seat() && *remove_seat {
                    m.purchased -= 1;
                    let unit = m.terms.seat;
                    m.book(LedgerKind::SeatRemoval, 1, unit, 0, &actor)?;
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::BuySeats { n, stale } => {
            let quote = d.quote_seats(&scope, *n);
            let expected_quote = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                if !(1..=100_000).contains(n) {
                    return Err(ErrorCode::InvalidQuantity);
                }
                Ok(())
            })();
            let Ok(q) = quote else {
                return (expected_quote, code(quote));
            };
            if *stale {
                // Something changes the bill between the quote and the purchase.
                let other = d.quote_seats(&owner_scope, 1).unwrap();
                d.buy_seats(&owner_scope, 1, Some(&other.quote_id)).unwrap();
                let due = m.prorate(1, m.terms.seat);
                assert_eq!(other.due_now_cents, due, "a seat's quote is the prorated price");
                m.purchased += 1;
                let owner = m.owner.clone();
                let unit = m.terms.seat;
                m.book(LedgerKind::SeatPurchase, 1, unit, due, &owner).unwrap();
            }
            let actual = code(d.buy_seats(&scope, *n, Some(&q.quote_id)));
            let expected = expected_quote.and_then(|_| {
                if *stale {
                    return Err(ErrorCode::QuoteStale);
                }
                let unit = m.terms.seat;
                let due = m.prorate(*n, unit);
                assert_eq!(q.due_now_cents, due, "{n} seats' quote is the prorated price");
                m.purchased += n;
                let actor = m.acting(&step.actor);
                m.book(LedgerKind::SeatPurchase, *n, unit, due, &actor)
            });
            (expected, actual)
        }
        Op::RemoveSeats { n } => {
            let actual = code(d.remove_seats(&scope, *n));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                if !(1..=100_000).contains(n) {
                    return Err(ErrorCode::InvalidQuantity);
                }
                if *n > m.unassigned() {
                    return Err(ErrorCode::NotEnoughUnassignedSeats);
                }
                m.purchased -= n;
                let actor = m.acting(&step.actor);
                let unit = m.terms.seat;
                m.book(LedgerKind::SeatRemoval, *n, unit, 0, &actor)
            })();
            (expected, actual)
        }
        Op::CreateInbox { name, number } => {
            let actual = code(d.create_inbox(&scope, &NewInbox { name: name.clone(), number: number.clone() }));
            let expected = (|| {
                let actor = m.actor(&step.actor, inboxes_perm)?;
                let key = Model::inbox_key(name);
                if m.inboxes.contains_key(&key) {
                    return Err(ErrorCode::DuplicateInbox);
                }
                if let Some(n) = number {
                    if m.inboxes.values().any(|i| i.number.as_deref() == Some(n)) {
                        return Err(ErrorCode::DuplicateNumber);
                    }
                    m.open()?;
                    if m.numbers() > 0 {
                        return Err(ErrorCode::QuoteRequired);
                    }
                    m.book(LedgerKind::NumberPurchase, 1, 0, 0, &actor)?;
                }
                m.inboxes.insert(
                    key,
                    MInbox::new(name, number.clone(), &actor, None),
                );
                Ok(())
            })();
            (expected, actual)
        }
        Op::BuyNumber { inbox, number } => {
            let expected_quote = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                let key = m.inbox(inbox)?;
                if m.inboxes.values().any(|i| i.number.as_deref() == Some(number.as_str())) {
                    return Err(ErrorCode::DuplicateNumber);
                }
                if m.inboxes[&key].number.is_some() {
                    return Err(ErrorCode::InboxHasNumber);
                }
                Ok(key)
            })();
            let quote = d.quote_number(&scope, inbox, number);
            let Ok(q) = quote else {
                return (expected_quote.map(|_| ()), code(quote));
            };
            let actual = code(d.buy_number(&scope, inbox, number, Some(&q.quote_id)));
            let expected = expected_quote.map(|key| {
                let included = m.numbers() == 0;
                assert_eq!(q.included, included, "the first number is the included one");
                m.inboxes.get_mut(&key).unwrap().number = Some(number.clone());
                let unit = if included { 0 } else { m.terms.number };
                let due = m.prorate(1, unit);
                assert_eq!(q.due_now_cents, due, "a number's quote is the prorated price");
                let actor = m.acting(&step.actor);
                m.book(LedgerKind::NumberPurchase, 1, unit, due, &actor).unwrap();
            });
            (expected, actual)
        }
        Op::AddToInbox { inbox, email } => {
            let actual = code(d.add_inbox_member(&scope, inbox, email));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if target.status != Status::Active {
                    return Err(ErrorCode::NotPermitted);
                }
                if m.members[email].inboxes.contains(&key) {
                    return Ok(());
                }
                m.members.get_mut(email).unwrap().inboxes.insert(key.clone());
                m.inboxes.get_mut(&key).unwrap().members.insert(email.clone());
                m.join_routing(&key, email);
                Ok(())
            })();
            (expected, actual)
        }
        Op::RemoveFromInbox { inbox, email, everywhere } => {
            let actual = code(d.remove_inbox_member(&scope, inbox, email, *everywhere));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if !target.inboxes.contains(&key) {
                    return Ok(());
                }
                // A pending invite's inbox is changed by editing the invite.
                if target.status == Status::Pending {
                    return Err(ErrorCode::EditInviteInstead);
                }
                if m.in_settings(&key, email) && !everywhere {
                    return Err(ErrorCode::MemberStillAssigned);
                }
                m.leave_routing(&key, email);
                m.inboxes.get_mut(&key).unwrap().members.remove(email);
                m.members.get_mut(email).unwrap().inboxes.remove(&key);
                // Their conversations here go where the assignment sends them.
                if m.convs.contains_key(&(key.clone(), Some(email.clone()))) {
                    let to = m.assignment_next(&key);
                    m.note = Some("conversations routed away from a member leaving the inbox");
                    m.move_convs(&key, email, to);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Routing { inbox, ring_group, email, present } => {
            let actual = code(d.set_routing_member(&scope, inbox, *ring_group, email, *present));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                if *present && (target.status != Status::Active || !target.inboxes.contains(&key)) {
                    return Err(ErrorCode::NotInboxMember);
                }
                if *present && target.role == Role::Observer {
                    return Err(ErrorCode::ObserverHoldsNoWork);
                }
                if !*present && !*ring_group && m.inboxes[&key].rr_after == Some(m.sort_key(email)) && m.inboxes[&key].assignment.contains(email) {
                    m.note = Some("the member with round robin's turn left the rotation");
                }
                let i = m.inboxes.get_mut(&key).unwrap();
                let list = if *ring_group { &mut i.ring_group } else { &mut i.assignment };
                if *present {
                    list.insert(email.clone());
                } else {
                    list.remove(email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::Assignment { inbox, round_robin, default } => {
            let change = AssignmentChange { round_robin: *round_robin, default_assignee: default.clone() };
            let actual = code(d.set_assignment(&scope, inbox, &change));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let i = &m.inboxes[&key];
                let (mut rr, mut def) = (i.round_robin, i.default_assignee.clone());
                if let Some(on) = round_robin {
                    rr = *on;
                    if *on {
                        def = None;
                    }
                }
                match default.as_deref() {
                    Some("") => def = None,
                    Some(e) => {
                        let t = m.members.get(e).ok_or(ErrorCode::NotFound)?;
                        if t.status != Status::Active || !t.inboxes.contains(&key) {
                            return Err(ErrorCode::NotInboxMember);
                        }
                        if t.role == Role::Observer {
                            return Err(ErrorCode::ObserverHoldsNoWork);
                        }
                        def = Some(e.to_string());
                        rr = false;
                    }
                    None => {}
                }
                if !rr && def.is_none() {
                    return Err(ErrorCode::InvalidAssignment);
                }
                let i = m.inboxes.get_mut(&key).unwrap();
                i.round_robin = rr;
                i.default_assignee = def;
                Ok(())
            })();
            (expected, actual)
        }
        Op::Conversation { inbox, assignee } => {
            let result = d.add_conversation(&scope, inbox, CONTACT, assignee.as_deref());
            let chosen = result.as_ref().ok().cloned().flatten().map(|e| e.to_lowercase());
            let actual = code(result);
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let who = match assignee {
                    Some(a) => match m.members.get(a) {
                        Some(t) if t.status == Status::Active && t.inboxes.contains(&key) => {
                            if t.role == Role::Observer {
                                return Err(ErrorCode::ObserverHoldsNoWork);
                            }
                            Some(a.clone())
                        }
                        _ => return Err(ErrorCode::NotInboxMember),
                    },
                    // The default assignee, or the next in round robin
                    // (alphabetical, after whoever had the last turn).
                    None => {
                        let next = m.assignment_next(&key);
                        assert_eq!(chosen, next, "Conversation Assignment picked {chosen:?}, the model says {next:?}");
                        next
                    }
                };
                *m.convs.entry((key, who)).or_default() += 1;
                Ok(())
            })();
            (expected, actual)
        }
        Op::Transfer { to, support } => {
            let ticket = if *support { SupportTicket { agent: "Sam Support".into(), ticket: "T-1".into() } } else { SupportTicket::default() };
            let actual = code(d.transfer_owner(&scope, to, &ticket));
            let expected = (|| {
                if !support {
                    return Err(ErrorCode::SupportModeRequired);
                }
                // The account asks: its Owner or an Admin must be acting.
                m.actor(&step.actor, |r| matches!(r, Role::Owner | Role::Admin))?;
                let new = m.members.get(to).ok_or(ErrorCode::InvalidTransferTarget)?;
                if new.status != Status::Active || new.role == Role::Owner {
                    return Err(ErrorCode::InvalidTransferTarget);
                }
                if !new.role.takes_paid_seat() && m.unassigned() < 1 {
                    return Err(ErrorCode::NoFreeSeats);
                }
                let old = m.owner.clone();
                m.members.get_mut(&old).unwrap().role = Role::Admin;
                m.members.get_mut(to).unwrap().role = Role::Owner;
                m.owner = to.clone();
                Ok(())
            })();
            (expected, actual)
        }
        Op::BackupRestore => {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("backup.db");
            // The database holds the other sequences' accounts, whose Owners
            // differ once transferred: the restore goes through support mode.
            let support = SupportTicket { agent: "Sam Support".into(), ticket: "T-2".into() };
            let actual = d.backup(&file).and_then(|_| d.restore(&scope, &file, Some(&support))).map(drop).map_err(|e| e.code);
            // Only the Owner restores.
            let expected = m.actor(&step.actor, |r| r == Role::Owner).map(drop);
            (expected, actual)
        }
        Op::AddContact { owner, phone } => {
            let number = CONTACT_PHONES[*phone];
            let actual = code(d.add_contact(&scope, "Kim Contact", number, owner));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let o = m.members.get(owner).ok_or(ErrorCode::NotFound)?;
                if o.status != Status::Active || !(o.role == Role::Owner || o.role.takes_paid_seat()) {
                    return Err(ErrorCode::InvalidContactOwner);
                }
                if !m.phones.insert(number.to_string()) {
                    return Err(ErrorCode::DuplicateNumber);
                }
                *m.contacts.entry(owner.clone()).or_default() += 1;
                Ok(())
            })();
            (expected, actual)
        }
        Op::SetPlan { period, seat, number, renews } => {
            let text = |p: &Option<Option<i64>>| p.map(|c| c.map_or_else(String::new, cents_text));
            let renews_date = renews.map(|o| m.renews_on + chrono::Duration::days(o));
            let change = PlanChange {
                plan: period.map(|p| p.as_str().to_string()),
                seat_price: text(seat),
                number_price: text(number),
                currency: None,
                renews_on: renews_date.map(|d| d.to_string()),
                version: None,
            };
            let actual = code(d.update_plan(&scope, &change));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                m.open()?;
                let base = m.scheduled.as_ref().map_or_else(|| m.terms.clone(), |s| s.0.clone());
                if matches!(seat, Some(None)) || matches!(number, Some(None)) {
                    return Err(ErrorCode::InvalidPrice);
                }
                let p = period.unwrap_or(base.period);
                if p != base.period && (seat.is_none() || number.is_none()) {
                    return Err(ErrorCode::InvalidPrice);
                }
                let terms = MTerms { period: p, seat: seat.flatten().unwrap_or(base.seat), number: number.flatten().unwrap_or(base.number) };
                let date = renews_date.or(m.scheduled.as_ref().and_then(|s| s.1));
                if let Some(dt) = date {
                    let latest = forward(m.renews_on, p, m.renewal_day);
                    if dt < m.renews_on || dt > latest {
                        return Err(ErrorCode::InvalidDate);
                    }
                }
                let natural = forward(m.renews_on, p, m.renewal_day);
                let date = date.filter(|dt| *dt != m.renews_on && *dt != natural);
                m.scheduled = (terms != m.terms || date.is_some()).then_some((terms, date));
                Ok(())
            })();
            (expected, actual)
        }
        Op::Distribution { inbox, groups, ring_seconds } => {
            let input = DistributionInput {
                groups: groups.iter().map(|g| GroupInput { members: g.clone(), strategy: RingStrategy::Simultaneous, ring_seconds: *ring_seconds }).collect(),
                fallthrough: Fallthrough::Voicemail,
                version: None,
            };
            let actual = code(d.set_distribution(&scope, inbox, &input));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                if groups.len() > 5 {
                    return Err(ErrorCode::TooManyGroups);
                }
                let mut saved = Vec::new();
                for g in groups {
                    if !(1..=60).contains(ring_seconds) {
                        return Err(ErrorCode::InvalidRingTime);
                    }
                    for e in g {
                        m.routing_member(&key, e)?;
                    }
                    if g.is_empty() {
                        return Err(ErrorCode::InvalidDistribution);
                    }
                    saved.push(g.iter().cloned().collect::<BTreeSet<_>>());
                }
                // Digits that rang a group no longer there point nowhere.
                let n = saved.len() as i32;
                let i = m.inboxes.get_mut(&key).unwrap();
                i.groups = saved;
                for o in i.ivr.values_mut() {
                    if matches!(o, MIvr::Group(p) if *p > n) {
                        *o = MIvr::Nowhere;
                    }
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::DistributionMember { inbox, position, email, present } => {
            let actual = code(d.set_distribution_member(&scope, inbox, *position, email, *present));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                let count = m.inboxes[&key].groups.len() as i64;
                if !(1..=count).contains(position) {
                    return Err(ErrorCode::NotFound);
                }
                if *present {
                    m.routing_member(&key, email)?;
                } else {
                    m.members.get(email).ok_or(ErrorCode::NotFound)?;
                }
                let group = &mut m.inboxes.get_mut(&key).unwrap().groups[*position as usize - 1];
                if !*present && group.len() == 1 && group.contains(email) {
                    return Err(ErrorCode::InvalidDistribution);
                }
                if *present {
                    group.insert(email.clone());
                } else {
                    group.remove(email);
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::IvrOption { inbox, digit, target } => {
            let wanted = target.as_ref().map(|t| match t {
                MIvr::Member(e) => IvrTarget::Member { email: e.clone() },
                MIvr::Group(p) => IvrTarget::DistributionGroup { position: *p },
                MIvr::Voicemail => IvrTarget::Voicemail,
                MIvr::Nowhere => IvrTarget::None,
            });
            let actual = code(d.set_ivr_option(&scope, inbox, *digit, wanted.as_ref()));
            let expected = (|| {
                m.actor(&step.actor, inboxes_perm)?;
                let key = m.inbox(inbox)?;
                if !(0..=9).contains(digit) {
                    return Err(ErrorCode::InvalidIvrOption);
                }
                match target {
                    Some(MIvr::Member(e)) => m.routing_member(&key, e)?,
                    Some(MIvr::Group(p)) if *p < 1 || *p as usize > m.inboxes[&key].groups.len() => return Err(ErrorCode::NotFound),
                    _ => {}
                }
                let ivr = &mut m.inboxes.get_mut(&key).unwrap().ivr;
                match target {
                    Some(t) => ivr.insert(*digit, t.clone()),
                    None => ivr.remove(digit),
                };
                Ok(())
            })();
            (expected, actual)
        }
        Op::RetypeMyEmail => {
            let me = m.acting(&step.actor);
            let actual = code(d.set_my_email(&scope, &me.to_uppercase()));
            let expected = m.actor(&step.actor, |_| true).map(drop);
            if expected.is_ok() && !me.is_ascii() {
                m.note = Some("an address with a Unicode domain retyped");
            }
            (expected, actual)
        }
        Op::RetypeInvite { email } => {
            let actual = code(d.edit_invite(&scope, email, &InviteEdit { email: Some(email.to_uppercase()), ..Default::default() }));
            let expected = (|| {
                m.actor(&step.actor, manage)?;
                let target = m.members.get(email).ok_or(ErrorCode::NotFound)?;
                // Only a member changes their own address (rules §6).
                if target.status == Status::Active {
                    return Err(ErrorCode::NotPermitted);
                }
                if !email.is_ascii() {
                    m.note = Some("an address with a Unicode domain retyped");
                }
                Ok(())
            })();
            (expected, actual)
        }
        Op::AdvanceDays { days } => {
            m.today = m.today + chrono::Duration::days(*days);
            if *days < 0 {
                m.note = Some("the clock moved back");
            }
            d.set_clock(Clock::fixed(m.today));
            let actual = code(d.run_renewals());
            m.renew();
            (Ok(()), actual)
        }
    }
}

/// An IVR target as the model writes it.
fn ivr_of(t: &IvrTarget) -> MIvr {
    match t {
        IvrTarget::Member { email } => MIvr::Member(email.to_lowercase()),
        IvrTarget::DistributionGroup { position } => MIvr::Group(*position),
        IvrTarget::Voicemail => MIvr::Voicemail,
        IvrTarget::None => MIvr::Nowhere,
        IvrTarget::RingGroup => panic!("the model never sets an IVR digit to the Ring Group"),
    }
}

/// The audit actions an operation may write (besides `plan.renew`, which
/// the system writes when a renewal falls due on the step's date).
fn audit_actions(op: &Op) -> &'static [&'static str] {
    match op {
        Op::Invite { .. } => &["member.invite", "seats.buy", "inbox.create"],
        Op::Accept { .. } => &["member.accept"],
        Op::Revoke { .. } => &["member.revoke", "inbox.hand_over", "inbox.remove"],
        Op::ChangeRole { .. } => &["member.role", "seats.remove"],
        Op::Delete { .. } => &["member.delete", "member.revoke", "inbox.hand_over", "inbox.remove", "seats.remove"],
        Op::BuySeats { .. } => &["seats.buy"],
        Op::RemoveSeats { .. } => &["seats.remove"],
        Op::CreateInbox { .. } => &["inbox.create", "inbox.buy_number"],
        Op::BuyNumber { .. } => &["inbox.buy_number"],
        Op::AddToInbox { .. } => &["inbox.add_member"],
        Op::RemoveFromInbox { .. } => &["inbox.remove_member"],
        Op::Routing { present: true, .. } => &["routing.add"],
        Op::Routing { present: false, .. } => &["routing.remove"],
        Op::Assignment { .. } => &["routing.assignment"],
        Op::Conversation { .. } => &["conversation.add"],
        Op::Transfer { .. } => &["owner.transfer"],
        Op::BackupRestore => &["db.restore"],
        Op::AddContact { .. } => &["contact.add"],
        Op::AdvanceDays { .. } => &[],
        Op::SetPlan { .. } => &["plan.update"],
        Op::Distribution { .. } => &["routing.distribution"],
        Op::DistributionMember { present: true, .. } => &["routing.distribution_add"],
        Op::DistributionMember { present: false, .. } => &["routing.distribution_remove"],
        Op::IvrOption { .. } => &["routing.ivr_option"],
        Op::RetypeMyEmail => &["member.set_email"],
        Op::RetypeInvite { .. } => &["member.edit_invite"],
    }
}

/// Entry by entry, the `n` audit entries a step wrote: each is one of the
/// operation's own actions, attributed to the acting member (a renewal to
/// the system), about a member, an inbox or the account the step touched.
fn audit_written(before: &Model, after: &Model, d: &mut Seatdesk, step: &Step, n: i64) -> Result<(), String> {
    let page = d.audit_log(&Scope::account(&after.account), 0, n).map_err(|e| e.message)?;
    // An owner transfer is support's work: the agent acts.
    let actor = match step.op {
        Op::Transfer { .. } => "support:sam support".to_string(),
        _ => before.acting(&step.actor),
    };
    let member = |t: &str| [before, after].iter().any(|m| m.members.contains_key(&t.to_lowercase()));
    let inbox = |t: &str| [before, after].iter().any(|m| m.inboxes.values().any(|i| i.name == t));
    for e in &page.rows {
        let who = e.actor_email.to_lowercase();
        let t = e.target.as_str();
        let about = match e.action.split('.').next().unwrap_or_default() {
            "member" => member(t),
            "inbox" | "routing" | "conversation" => inbox(t),
            "seats" => t.strip_suffix(" seats").is_some_and(|n| n.parse::<i64>().is_ok_and(|n| n > 0)),
            "contact" => CONTACT_PHONES.contains(&t),
            "plan" => t == after.account,
            "owner" => t == after.account || member(t),
            "db" => t.ends_with("backup.db"),
            _ => false,
        };
        let ok = about
            && if e.action == "plan.renew" { who != actor } else { audit_actions(&step.op).contains(&e.action.as_str()) && who == actor };
        if !ok {
            return Err(format!("the audit entry {:?} by {who} about {:?} is not one this step writes (acting: {actor})", e.action, e.target));
        }
    }
    Ok(())
}

/// How many audit entries the account holds (read as its Owner).
fn audit_entries(m: &Model, d: &mut Seatdesk) -> i64 {
    d.audit_log(&Scope::account(&m.account), 0, 1).expect("the Owner reads the audit log").total
}

/// The whole observable state, read through the service as the window reads it.
fn compare(m: &Model, d: &mut Seatdesk) -> Result<(), String> {
    let s = Scope::account(&m.account);
    let members: BTreeMap<String, MMember> = d
        .all_members(&s, &MemberQuery::default())
        .map_err(|e| e.message)?
        .into_iter()
        .map(|v| {
            let inboxes = v.inboxes.iter().map(|i| Model::inbox_key(i)).collect();
            (v.email.to_lowercase(), MMember { role: v.role, status: v.status, inboxes })
        })
        .collect();
    if members != m.members {
        return Err(format!("members differ:\n service {members:?}\n model   {:?}", m.members));
    }
    // Names: the Owner's as created; an invitee's is the part of the
    // address before @ as invited (nobody here accepts with another name; a
    // retyped address keeps its name).
    for v in d.all_members(&s, &MemberQuery::default()).map_err(|e| e.message)? {
        let email = v.email.to_lowercase();
        let want = if email == OWNER { "Olivia".to_string() } else { email.split('@').next().unwrap_or_default().to_string() };
        if v.name != want {
            return Err(format!("{email} is named {:?}, the model says {want:?}", v.name));
        }
    }
    let seats = d.seats(&s).map_err(|e| e.message)?;
    if (seats.purchased, seats.assigned, seats.unassigned) != (m.purchased, m.assigned(), m.unassigned()) {
        return Err(format!("seats differ: service {seats:?}, model purchased {} assigned {}", m.purchased, m.assigned()));
    }
    let inboxes = d.inboxes(&s).map_err(|e| e.message)?;
    let names: BTreeSet<String> = inboxes.iter().map(|i| Model::inbox_key(&i.name)).collect();
    if names != m.inboxes.keys().cloned().collect() {
        return Err(format!("inboxes differ: service {names:?}, model {:?}", m.inboxes.keys()));
    }
    for view in &inboxes {
        let want = &m.inboxes[&Model::inbox_key(&view.name)];
        let detail = d.inbox_detail(&s, &view.name).map_err(|e| e.message)?;
        let got = (
            view.name.clone(),
            view.number.clone(),
            view.owner.to_lowercase(),
            detail.members.iter().map(|e| e.to_lowercase()).collect::<BTreeSet<_>>(),
            detail.conversation_assignment.members.iter().map(|e| e.to_lowercase()).collect::<Vec<_>>(),
            detail.conversation_assignment.round_robin,
            detail.conversation_assignment.default_assignee.as_ref().map(|e| e.to_lowercase()),
            detail.conversation_assignment.next.iter().map(|e| e.to_lowercase()).collect::<Vec<_>>(),
            detail.ring_group.members.iter().map(|e| e.to_lowercase()).collect::<BTreeSet<_>>(),
            detail.distribution.groups.iter().enumerate().map(|(n, g)| (g.position - n as i64, g.members.iter().map(|e| e.to_lowercase()).collect())).collect::<Vec<(i64, BTreeSet<String>)>>(),
            detail.ivr.options.iter().map(|o| (o.digit, (ivr_of(&o.target), o.points_nowhere))).collect::<BTreeMap<_, _>>(),
        );
        let expected = (
            want.name.clone(),
            want.number.clone(),
            want.owner.clone(),
            want.members.clone(),
            m.rotation(&Model::inbox_key(&view.name)),
            want.round_robin,
            want.default_assignee.clone(),
            m.preview(&Model::inbox_key(&view.name), 5),
            want.ring_group.clone(),
            want.groups.iter().map(|g| (1, g.clone())).collect::<Vec<_>>(),
            want.ivr.iter().map(|(d, o)| (*d, (o.clone(), *o == MIvr::Nowhere))).collect::<BTreeMap<_, _>>(),
        );
        if got != expected {
            return Err(format!("inbox {} differs:\n service {got:?}\n model   {expected:?}", view.name));
        }
    }
    let ledger: Vec<MLine> = d
        .ledger_all(&s, None)
        .map_err(|e| e.message)?
        .into_iter()
        .map(|e| MLine {
            date: e.date.parse().unwrap(),
            kind: e.kind,
            quantity: e.quantity,
            unit_cents: e.unit_cents,
            amount_cents: e.amount_cents,
            actor: e.actor_email.to_lowercase(),
        })
        .collect();
    if ledger != m.ledger {
        return Err(format!("ledger differs:\n service {ledger:?}\n model   {:?}", m.ledger));
    }
    let renews_on = d.seats(&s).map_err(|e| e.message)?.renews_on;
    if renews_on != m.renews_on.to_string() {
        return Err(format!("renews on {renews_on}, the model says {}", m.renews_on));
    }
    let view = d.show_account(&s).map_err(|e| e.message)?;
    let (next_terms, then, _) = m.next_period();
    let got = (
        view.plan,
        view.began_on.clone(),
        view.period_start.clone(),
        view.then_renews_on.clone(),
        view.seat_price_cents,
        view.number_price_cents,
        view.scheduled.as_ref().map(|x| (x.plan, x.seat_price_cents, x.number_price_cents, x.renews_on.clone())),
    );
    let want = (
        m.terms.period,
        m.began_on.to_string(),
        m.period_start.to_string(),
        then.to_string(),
        m.terms.seat,
        m.terms.number,
        m.scheduled.as_ref().map(|(t, dt)| (t.period, t.seat, t.number, dt.map(|x| x.to_string()))),
    );
    if got != want {
        return Err(format!("the plan differs:\n service {got:?}\n model   {want:?}"));
    }
    let whole = back(then, next_terms.period, m.next_period().2);
    let billable = (m.numbers() - 1).max(0);
    let total = share(m.purchased, next_terms.seat, m.renews_on, then, whole) + share(billable, next_terms.number, m.renews_on, then, whole);
    let seats = d.seats(&s).map_err(|e| e.message)?;
    if seats.renewal_total_cents != total {
        return Err(format!("the renewal total is {}, the model says {total}", seats.renewal_total_cents));
    }
    for email in m.members.keys() {
        let h = d.holdings(&s, email).map_err(|e| e.message)?;
        let want = (m.held(email), m.contacts.get(email).copied().unwrap_or(0));
        if (h.conversations, h.contacts) != want {
            return Err(format!("{email} holds {} conversations and {} contacts, the model says {want:?}", h.conversations, h.contacts));
        }
    }
    let violations = d.check(Some(&m.account)).map_err(|e| e.message)?;
    if !violations.is_empty() {
        return Err(format!("check: {violations:?}"));
    }
    Ok(())
}

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
        d.create_inbox(&s, &NewInbox { name: name.into(), number: None }).unwrap();
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
                            desk = Some(Seatdesk::open_in_memory(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap());
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
    for (op, (done, refused)) in &total.ops {
        assert!(*done > 0, "{op} never went through");
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
        assert!(total.states.contains_key(state), "never reached: {state}");
    }
}
