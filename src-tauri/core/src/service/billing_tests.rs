//! Seats, numbers, quotes, the ledger and renewals through the service layer.

use super::*;
use crate::domain::billing::LedgerKind;
use crate::domain::{Role, Status};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An account on a monthly plan renewing on July 1st, opened on June 16th
/// (the rules §5 example: half of a 30-day period left).
fn desk_on(day: &str) -> Seatdesk {
    let mut desk = Seatdesk::open_scratch(Clock::fixed(d("2026-06-16"))).unwrap();
    desk.create_account(&NewAccount {
        name: "Acme".into(),
        owner_email: "olivia@acme.example.com".into(),
        owner_name: "Olivia".into(),
        renews_on: Some("2026-07-01".into()),
        ..Default::default()
    })
    .unwrap();
    desk.set_clock(Clock::fixed(d(day)));
    desk
}

fn s() -> Scope {
    Scope::default()
}

fn ledger(desk: &mut Seatdesk) -> Vec<LedgerEntryView> {
    desk.ledger_all(&s(), None).unwrap()
}

#[test]
fn buying_seats_books_exactly_the_quoted_amount() {
    let mut desk = desk_on("2026-06-16");
    let quote = desk.quote_seats(&s(), 3).unwrap();
    assert_eq!((quote.quantity, quote.unit_cents, quote.due_now_cents, quote.renewal_total_cents), (3, 1000, 1500, 3000));
    assert_eq!((quote.days_remaining, quote.period_days), (15, 30));
    let bought = desk.buy_seats(&s(), 3, Some(&quote.quote_id)).unwrap();
    assert_eq!(bought.charged_cents, 1500);
    assert_eq!((bought.seats.purchased, bought.seats.assigned, bought.seats.unassigned), (3, 0, 3));
    assert_eq!(bought.seats.renewal_total_cents, 3000);
    let entries = ledger(&mut desk);
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.date.as_str(), e.kind, e.quantity, e.unit_cents, e.amount_cents),
        ("2026-06-16", LedgerKind::SeatPurchase, 3, 1000, 1500)
    );
    assert_eq!(e.actor_email, "olivia@acme.example.com");
}

#[test]
fn a_quote_goes_stale_when_anything_it_depends_on_changes() {
    // Another purchase in between.
    let mut desk = desk_on("2026-06-16");
    let q = desk.quote_seats(&s(), 2).unwrap();
    desk.buy_seats(&s(), 1, None).unwrap();
    assert_eq!(desk.buy_seats(&s(), 2, Some(&q.quote_id)).unwrap_err().code, ErrorCode::QuoteStale);
    assert_eq!(desk.seats(&s()).unwrap().purchased, 1, "nothing was charged");

    // The date moved.
    let mut desk = desk_on("2026-06-16");
    let q = desk.quote_seats(&s(), 2).unwrap();
    desk.set_clock(Clock::fixed(d("2026-06-17")));
    let err = desk.buy_seats(&s(), 2, Some(&q.quote_id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::QuoteStale);
    assert!(err.details.unwrap()["current"]["due_now_cents"].as_i64().unwrap() < q.due_now_cents);

    // The price changed.
    let mut desk = desk_on("2026-06-16");
    let q = desk.quote_seats(&s(), 2).unwrap();
    desk.update_plan(&s(), &PlanChange { seat_price: Some("12.00".into()), ..Default::default() }).unwrap();
    assert_eq!(desk.buy_seats(&s(), 2, Some(&q.quote_id)).unwrap_err().code, ErrorCode::QuoteStale);

    // A different quantity than quoted.
    let mut desk = desk_on("2026-06-16");
    let q = desk.quote_seats(&s(), 2).unwrap();
    assert_eq!(desk.buy_seats(&s(), 3, Some(&q.quote_id)).unwrap_err().code, ErrorCode::QuoteStale);
    assert!(desk.buy_seats(&s(), 2, Some(&q.quote_id)).is_ok());
    assert!(ledger(&mut desk).len() == 1);
}

#[test]
fn removing_seats_is_limited_to_unassigned_ones_and_refunds_nothing() {
    let mut desk = desk_on("2026-06-16");
    desk.buy_seats(&s(), 4, None).unwrap();
    let err = desk.remove_seats(&s(), 5).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotEnoughUnassignedSeats);
    assert_eq!(err.details.unwrap()["unassigned"], 4);
    let after = desk.remove_seats(&s(), 3).unwrap();
    assert_eq!((after.purchased, after.unassigned, after.renewal_total_cents), (1, 1, 1000));
    let removal = ledger(&mut desk).pop().unwrap();
    assert_eq!((removal.kind, removal.quantity, removal.amount_cents), (LedgerKind::SeatRemoval, 3, 0));
}

#[test]
fn seats_taken_by_members_cannot_be_removed() {
    let mut desk = Seatdesk::open_scratch(Clock::fixed(d("2026-06-16"))).unwrap();
    desk.demo(&DemoOptions { members: Some(30), ..Default::default() }, |_, _| {}).unwrap();
    let seats = desk.seats(&s()).unwrap();
    assert_eq!(seats.unassigned, 3);
    assert_eq!(desk.remove_seats(&s(), 4).unwrap_err().code, ErrorCode::NotEnoughUnassignedSeats);
    assert_eq!(desk.remove_seats(&s(), 3).unwrap().unassigned, 0);
    assert_eq!(desk.remove_seats(&s(), 1).unwrap_err().code, ErrorCode::NotEnoughUnassignedSeats);
}

#[test]
fn quantities_outside_one_to_a_hundred_thousand_are_refused() {
    let mut desk = desk_on("2026-06-16");
    for q in [0, -1, 100_001] {
        assert_eq!(desk.quote_seats(&s(), q).unwrap_err().code, ErrorCode::InvalidQuantity);
        assert_eq!(desk.buy_seats(&s(), q, None).unwrap_err().code, ErrorCode::InvalidQuantity);
        assert_eq!(desk.remove_seats(&s(), q).unwrap_err().code, ErrorCode::InvalidQuantity);
    }
    assert!(ledger(&mut desk).is_empty());
}

#[test]
fn only_owners_and_admins_handle_money() {
    let mut desk = Seatdesk::open_scratch(Clock::fixed(d("2026-06-16"))).unwrap();
    desk.demo(&DemoOptions { members: Some(40), seed: Some(2), ..Default::default() }, |_, _| {}).unwrap();
    let all = desk.all_members(&s(), &MemberQuery::default()).unwrap();
    let who = |role: Role| all.iter().find(|m| m.role == role && m.status == Status::Active).unwrap().email.clone();
    assert!(desk.buy_seats(&s().acting_as(&who(Role::Admin)), 1, None).is_ok());
    for role in [Role::Manager, Role::Member, Role::Observer] {
        let as_ = s().acting_as(&who(role));
        assert_eq!(desk.quote_seats(&as_, 1).unwrap_err().code, ErrorCode::NotPermitted);
        assert_eq!(desk.buy_seats(&as_, 1, None).unwrap_err().code, ErrorCode::NotPermitted);
        assert_eq!(desk.remove_seats(&as_, 1).unwrap_err().code, ErrorCode::NotPermitted);
        assert!(desk.ledger(&as_, &LedgerQuery::default()).is_ok(), "everyone reads");
    }
}

#[test]
fn numbers_one_included_then_billed_like_seats() {
    let mut desk = desk_on("2026-06-16");
    for name in ["Sales", "Support", "Night"] {
        desk.create_inbox(&s(), &NewInbox { name: name.into(), number: None, quote_id: None }).unwrap();
    }
    let first = desk.quote_number(&s(), "Sales", "+1 555 123 4567").unwrap();
    assert!(first.included);
    assert_eq!(first.due_now_cents, 0);
    desk.buy_number(&s(), "Sales", "+15551234567", Some(&first.quote_id)).unwrap();
    let second = desk.quote_number(&s(), "Support", "+15557654321").unwrap();
    assert_eq!((second.included, second.due_now_cents, second.renewal_total_cents), (false, 250, 500));
    let bought = desk.buy_number(&s(), "Support", "+15557654321", Some(&second.quote_id)).unwrap();
    assert_eq!(bought.seats.renewal_total_cents, 500);
    let code = |desk: &mut Seatdesk, inbox: &str, n: &str| desk.buy_number(&s(), inbox, n, None).unwrap_err().code;
    assert_eq!(code(&mut desk, "Night", "+15551234567"), ErrorCode::DuplicateNumber);
    assert_eq!(code(&mut desk, "Night", "555-1234"), ErrorCode::InvalidPhoneNumber);
    assert_eq!(code(&mut desk, "Sales", "+15550000000"), ErrorCode::InboxHasNumber);
    assert_eq!(code(&mut desk, "Nowhere", "+15550000000"), ErrorCode::NotFound);
    let inboxes = desk.inboxes(&s()).unwrap();
    assert!(inboxes.iter().find(|i| i.name == "Night").unwrap().awaiting_number);
    let kinds: Vec<(LedgerKind, i64)> = ledger(&mut desk).iter().map(|e| (e.kind, e.amount_cents)).collect();
    assert_eq!(kinds, [(LedgerKind::NumberPurchase, 0), (LedgerKind::NumberPurchase, 250)]);
}

#[test]
fn missed_renewals_are_booked_once_each_and_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut desk = Seatdesk::open(dir.path(), Clock::fixed(d("2026-06-16"))).unwrap();
        desk.create_account(&NewAccount {
            name: "Acme".into(),
            owner_email: "olivia@acme.example.com".into(),
            owner_name: "Olivia".into(),
            renews_on: Some("2026-07-01".into()),
            ..Default::default()
        })
        .unwrap();
        desk.buy_seats(&s(), 2, None).unwrap();
        desk.create_inbox(&s(), &NewInbox { name: "Sales".into(), number: Some("+15551234567".into()), quote_id: None }).unwrap();
        desk.create_inbox(&s(), &NewInbox { name: "Support".into(), number: None, quote_id: None }).unwrap();
        desk.buy_number(&s(), "Support", "+15557654321", None).unwrap();
    }
    // Opened again on September 10th: July, August and September renewals are due.
    for _ in 0..2 {
        let mut desk = Seatdesk::open(dir.path(), Clock::fixed(d("2026-09-10"))).unwrap();
        let renewals: Vec<(String, LedgerKind, i64, i64)> = ledger(&mut desk)
            .into_iter()
            .filter(|e| matches!(e.kind, LedgerKind::SeatRenewal | LedgerKind::NumberRenewal))
            .map(|e| (e.date, e.kind, e.quantity, e.amount_cents))
            .collect();
        assert_eq!(
            renewals,
            [
                ("2026-07-01".into(), LedgerKind::SeatRenewal, 2, 2000),
                ("2026-07-01".into(), LedgerKind::NumberRenewal, 1, 500),
                ("2026-08-01".into(), LedgerKind::SeatRenewal, 2, 2000),
                ("2026-08-01".into(), LedgerKind::NumberRenewal, 1, 500),
                ("2026-09-01".into(), LedgerKind::SeatRenewal, 2, 2000),
                ("2026-09-01".into(), LedgerKind::NumberRenewal, 1, 500),
            ]
        );
        assert_eq!(desk.seats(&s()).unwrap().renews_on, "2026-10-01");
        assert_eq!(desk.run_renewals().unwrap(), 0, "nothing more to book");
    }
}

#[test]
fn new_prices_apply_from_the_next_renewal_and_never_rewrite_the_past() {
    let mut desk = desk_on("2026-06-16");
    desk.buy_seats(&s(), 2, None).unwrap();
    let view = desk.update_plan(&s(), &PlanChange { seat_price: Some("15.00".into()), ..Default::default() }).unwrap();
    assert_eq!(view.seat_price_cents, 1000, "the current period keeps its price");
    assert_eq!(view.scheduled.as_ref().map(|s| s.seat_price_cents), Some(1500));
    assert_eq!(desk.seats(&s()).unwrap().renewal_total_cents, 3000, "the next renewal is at the new price");
    let quote = desk.quote_seats(&s(), 1).unwrap();
    assert_eq!((quote.unit_cents, quote.due_now_cents), (1000, 500), "purchases this period at the price in force");
    desk.set_clock(Clock::fixed(d("2026-07-02")));
    desk.run_renewals().unwrap();
    let entries = ledger(&mut desk);
    assert_eq!((entries[0].unit_cents, entries[0].amount_cents), (1000, 1000), "the purchase keeps its price");
    let renewal = entries.iter().find(|e| e.kind == LedgerKind::SeatRenewal).unwrap();
    assert_eq!((renewal.unit_cents, renewal.amount_cents), (1500, 3000));
    // Bad changes are refused and change nothing.
    for bad in [
        PlanChange { seat_price: Some("-1".into()), ..Default::default() },
        PlanChange { plan: Some("weekly".into()), ..Default::default() },
        PlanChange { renews_on: Some("2026-07-01".into()), ..Default::default() },
        PlanChange { currency: Some("$$".into()), ..Default::default() },
    ] {
        assert!(desk.update_plan(&s(), &bad).is_err());
    }
    assert_eq!(desk.show_account(&s()).unwrap().seat_price_cents, 1500);
}

#[test]
fn the_seat_history_follows_the_ledger() {
    let mut desk = desk_on("2026-06-16");
    desk.buy_seats(&s(), 2, None).unwrap();
    desk.buy_seats(&s(), 1, None).unwrap();
    desk.set_clock(Clock::fixed(d("2026-06-20")));
    desk.remove_seats(&s(), 1).unwrap();
    desk.set_clock(Clock::fixed(d("2026-06-25")));
    let points = desk.seat_history(&s()).unwrap();
    let summary: Vec<(&str, i64)> = points.iter().map(|p| (p.date.as_str(), p.purchased)).collect();
    assert_eq!(summary, [("2026-06-16", 3), ("2026-06-20", 2), ("2026-06-25", 2)]);
}

#[derive(Debug, Clone)]
enum Op {
    Buy(i64),
    Remove(i64),
    Advance(i64),
    AddNumber,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![(1i64..6).prop_map(Op::Buy), (1i64..6).prop_map(Op::Remove), (1i64..70).prop_map(Op::Advance), Just(Op::AddNumber),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// After every step: unassigned ≥ 0, the ledger's net seats equal the
    /// purchased count, and the renewal total matches the plan's arithmetic.
    #[test]
    fn random_buy_remove_renew_sequences_keep_the_books_straight(ops in prop::collection::vec(op(), 1..25)) {
        let mut desk = desk_on("2026-06-16");
        let mut today = d("2026-06-16");
        let mut model_purchased = 0i64;
        let mut inboxes = 0;
        for op in ops {
            match op {
                Op::Buy(n) => {
                    desk.buy_seats(&s(), n, None).unwrap();
                    model_purchased += n;
                }
                Op::Remove(n) => match desk.remove_seats(&s(), n) {
                    Ok(_) => model_purchased -= n,
                    Err(e) => {
                        prop_assert_eq!(e.code, ErrorCode::NotEnoughUnassignedSeats);
                        prop_assert!(n > model_purchased);
                    }
                },
                Op::Advance(days) => {
                    today += chrono::Duration::days(days);
                    desk.set_clock(Clock::fixed(today));
                    desk.run_renewals().unwrap();
                }
                Op::AddNumber => {
                    inboxes += 1;
                    let name = format!("Inbox {inboxes}");
                    desk.create_inbox(&s(), &NewInbox { name: name.clone(), number: None, quote_id: None }).unwrap();
                    desk.buy_number(&s(), &name, &format!("+1555000{inboxes:04}"), None).unwrap();
                }
            }
            let seats = desk.seats(&s()).unwrap();
            prop_assert!(seats.unassigned >= 0);
            prop_assert_eq!(seats.purchased, model_purchased);
            let net = desk.in_tx(|tx| tx.ledger().net_seats(tx.accounts().by_name("Acme")?.id));
            prop_assert_eq!(net, seats.purchased);
            prop_assert_eq!(seats.renewal_total_cents, model_purchased * 1000 + (inboxes - 1).max(0) * 500);
            prop_assert!(d(&seats.renews_on) > today);
        }
    }
}

/// `check` proves the books from the database: each kind of damage a
/// faulty version or another tool could leave is named by its rule.
#[test]
fn check_proves_the_periods_and_the_prices_and_names_what_is_wrong() {
    let mut desk = desk_on("2026-06-20");
    desk.buy_seats(&s(), 2, None).unwrap();
    desk.set_clock(Clock::fixed(d("2026-08-03")));
    desk.run_renewals().unwrap();
    assert_eq!(desk.check(None).unwrap(), vec![], "clean books");
    let rules = |desk: &mut Seatdesk| -> Vec<String> {
        let mut r: Vec<String> = desk.check(None).unwrap().into_iter().map(|v| format!("{}: {}", v.rule, v.message)).collect();
        r.sort();
        r
    };
    let account = desk.in_tx(|tx| tx.accounts().by_name("Acme"));
    let insert = |desk: &mut Seatdesk, date: &str, kind: &str, quantity: i64, unit: i64, amount: i64| {
        desk.sql(&format!(
            "INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, note, seats_after, assigned_after, created_at)
             VALUES ({}, '{date}', '{kind}', {quantity}, {unit}, {amount}, 'x', 'x', '', 2, 0, '')",
            account.id.0
        ));
    };
    // A purchase booked at a price not in force, dated before the last line.
    insert(&mut desk, "2026-07-10", "seat_purchase", 1, 1500, 1500);
    insert(&mut desk, "2026-07-10", "seat_removal", 1, 1000, 0);
    let found = rules(&mut desk);
    assert!(found.iter().any(|r| r.starts_with("ledger_order:")), "{found:?}");
    assert!(found.iter().any(|r| r.starts_with("prices: the seat_purchase line of 2026-07-10")), "{found:?}");
    // A renewal booked in the middle of a period, which starts none.
    insert(&mut desk, "2026-07-20", "seat_renewal", 2, 1000, 2000);
    let found = rules(&mut desk);
    assert!(found.iter().any(|r| r.contains("a renewal is booked on 2026-07-20, which starts no renewed period")), "{found:?}");
    // A second renewal of one period.
    insert(&mut desk, "2026-08-01", "seat_renewal", 2, 1000, 2000);
    let found = rules(&mut desk);
    assert!(found.iter().any(|r| r.contains("renewed more than once")), "{found:?}");
    // A period overlapping another.
    desk.sql(&format!("INSERT INTO plan_period VALUES ({}, '2026-07-15', '2026-08-15', 'monthly', 15, 1000, 500, 'USD')", account.id.0));
    let found = rules(&mut desk);
    assert!(found.iter().any(|r| r.contains("overlaps")), "{found:?}");
}

/// Wherever seats run short (an invite, a role change, an owner transfer, a
/// CSV import) the refusal is the same: `no_free_seats` with needed, free,
/// the shortfall and a quote for exactly the shortfall, at today's price.
#[test]
fn every_seat_shortfall_carries_the_same_details_and_its_quote() {
    let mut desk = desk_on("2026-06-16");
    desk.create_inbox(&s(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    desk.invite(
        &s(),
        &InviteRequest {
            emails: vec!["obs@example.com".into()],
            role: Role::Observer,
            inbox: Some("Sales".into()),
            new_inbox: false,
            buy_shortfall_quote: None,
        },
    )
    .unwrap();
    desk.accept_invite(&s(), "obs@example.com", None).unwrap();
    let support = SupportTicket { agent: "Sam".into(), ticket: "T-9".into() };
    let two = InviteRequest {
        emails: vec!["a@example.com".into(), "b@example.com".into()],
        role: Role::Member,
        inbox: Some("Sales".into()),
        new_inbox: false,
        buy_shortfall_quote: None,
    };
    let refusals = [
        (desk.invite(&s(), &two).unwrap_err(), 2),
        (desk.change_role(&s(), "obs@example.com", Role::Member, SeatChoice::Keep).unwrap_err(), 1),
        (desk.transfer_owner(&s(), "obs@example.com", &support).unwrap_err(), 1),
        (desk.import_members(&s(), b"email,name,role,inbox\nc@example.com,C,member,Sales\n", &ImportOptions::default()).unwrap_err(), 1),
    ];
    for (e, needed) in refusals {
        assert_eq!(e.code, ErrorCode::NoFreeSeats, "{e:?}");
        let d = e.details.unwrap();
        assert_eq!((d["needed"].as_i64(), d["free"].as_i64(), d["shortfall"].as_i64()), (Some(needed), Some(0), Some(needed)), "{d}");
        assert_eq!(d["quote"]["quantity"].as_i64(), Some(needed));
        assert_eq!(d["quote"]["due_now_cents"].as_i64(), Some(500 * needed), "half of a 30-day period at $10.00");
        assert!(e.message.contains("unassigned: buy"), "{}", e.message);
    }
    assert_eq!(ledger(&mut desk), vec![], "no refusal booked anything");
}

/// Opening after a long absence books every missed period, once, and says
/// how many; a second run books none.
#[test]
fn run_renewals_counts_the_periods_it_booked() {
    let mut desk = desk_on("2026-06-16");
    desk.set_clock(Clock::fixed(d("2026-09-02")));
    assert_eq!(desk.run_renewals().unwrap(), 3, "July, August and September 1st");
    assert_eq!(desk.run_renewals().unwrap(), 0);
    let renewals = ledger(&mut desk).into_iter().filter(|e| e.kind == LedgerKind::SeatRenewal).count();
    assert_eq!(renewals, 3);
    assert_eq!(desk.check(None).unwrap(), vec![]);
}

/// A database from before schema 12 recorded periods from its current one
/// only: `check` proves the lines from that period on and leaves the older
/// ones (priced by terms nobody recorded) alone.
#[test]
fn check_leaves_lines_before_the_first_recorded_period_alone() {
    let mut desk = desk_on("2026-06-16");
    desk.buy_seats(&s(), 2, None).unwrap();
    desk.set_clock(Clock::fixed(d("2026-07-05")));
    desk.run_renewals().unwrap();
    desk.buy_seats(&s(), 1, None).unwrap();
    assert_eq!(desk.check(None).unwrap(), vec![]);
    // As an upgraded database holds it: no period before July's.
    desk.tamper(
        "DROP TRIGGER plan_period_no_delete;
         DELETE FROM plan_period WHERE starts_on < '2026-07-01';
         CREATE TRIGGER plan_period_no_delete BEFORE DELETE ON plan_period BEGIN SELECT RAISE(ABORT, 'plan periods are append-only'); END;",
        "ALTER TABLE plan_period DISABLE TRIGGER plan_period_append_only;
         DELETE FROM plan_period WHERE starts_on < '2026-07-01';
         ALTER TABLE plan_period ENABLE TRIGGER plan_period_append_only;",
    );
    assert_eq!(desk.check(None).unwrap(), vec![], "June's purchase is older than the recorded periods");
}
