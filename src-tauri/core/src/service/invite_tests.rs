//! Invites, pending actions, roles and the permission matrix.

use super::*;
use crate::domain::{Role, SeatSummary, Status};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
}

/// Acme with `seats` purchased seats and the inboxes Sales and Support.
pub(super) fn acme(seats: i64) -> Seatdesk {
    let mut d = Seatdesk::open_scratch(Clock::fixed(today())).unwrap();
    d.create_account(&NewAccount {
        name: "Acme".into(),
        owner_email: "olivia@acme.example.com".into(),
        owner_name: "Olivia".into(),
        renews_on: Some("2026-12-01".into()),
        ..Default::default()
    })
    .unwrap();
    if seats > 0 {
        d.buy_seats(&s(), seats, None).unwrap();
    }
    for name in ["Sales", "Support"] {
        d.create_inbox(&s(), &NewInbox { name: name.into(), number: None, quote_id: None }).unwrap();
    }
    d
}

pub(super) fn s() -> Scope {
    Scope::default()
}

pub(super) fn req(emails: &[&str], role: Role, inbox: Option<&str>) -> InviteRequest {
    InviteRequest {
        emails: emails.iter().map(|e| e.to_string()).collect(),
        role,
        inbox: inbox.map(String::from),
        new_inbox: inbox.is_none(),
        buy_shortfall_quote: None,
    }
}

/// Everything a refused call must leave unchanged.
fn snapshot(d: &mut Seatdesk) -> (Vec<MemberView>, Vec<InboxView>, SeatSummary, usize) {
    (
        d.all_members(&s(), &MemberQuery::default()).unwrap(),
        d.inboxes(&s()).unwrap(),
        d.seats(&s()).unwrap(),
        d.ledger_all(&s(), None).unwrap().len(),
    )
}

#[test]
fn a_batch_of_three_joins_an_inbox_as_pending_and_reserves_seats() {
    let mut d = acme(5);
    let res = d.invite(&s(), &req(&["ana@example.com, Ben@Example.com\nchloe@example.com"], Role::Member, Some("sales"))).unwrap();
    assert_eq!(res.invited.len(), 3);
    assert!(res.invited.iter().all(|m| m.status == Status::Pending && m.inboxes == ["Sales"]));
    assert_eq!((res.seats.assigned, res.seats.unassigned), (3, 2));
    let page = d.members(&s(), &MemberQuery { status: Some(Status::Pending), ..Default::default() }).unwrap();
    assert_eq!((page.active_count, page.pending_count), (1, 3));
    assert_eq!(d.inboxes(&s()).unwrap()[0].member_count, 3, "pending invites hold their place");
    assert_eq!(res.invited[1].email, "Ben@Example.com");
    assert_eq!(res.invited[1].name, "Ben");
}

#[test]
fn any_bad_address_refuses_the_whole_batch_with_a_report() {
    let mut d = acme(5);
    d.invite(&s(), &req(&["zoe@example.com"], Role::Member, Some("Sales"))).unwrap();
    let before = snapshot(&mut d);
    let cases: Vec<(Vec<&str>, ErrorCode)> = vec![
        (vec!["ana@example.com", "not-an-email", "ben@example.com"], ErrorCode::InvalidEmail),
        (vec!["ana@example.com", "ANA@example.com"], ErrorCode::DuplicateEmail),
        (vec!["ana@example.com", "Zoe@Example.com"], ErrorCode::DuplicateEmail),
        (vec!["OLIVIA@acme.example.com"], ErrorCode::DuplicateEmail),
        (vec![" , \n"], ErrorCode::InvalidEmail),
    ];
    for (emails, code) in cases {
        let err = d.invite(&s(), &req(&emails, Role::Member, Some("Sales"))).unwrap_err();
        assert_eq!(err.code, code, "{emails:?}");
        let report = &err.details.unwrap()["report"];
        assert_eq!(report.as_array().unwrap().len(), emails.iter().flat_map(|e| crate::domain::email::split_list(e)).count());
    }
    let err = d.invite(&s(), &req(&["ana@example.com", "bad@", "ana@example.com"], Role::Member, Some("Sales"))).unwrap_err();
    let outcomes: Vec<&str> =
        err.details.as_ref().unwrap()["report"].as_array().unwrap().iter().map(|c| c["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["ok", "invalid_email", "duplicate_in_batch"]);
    assert_eq!(d.invite(&s(), &req(&["ana@example.com"], Role::Member, Some("Nowhere"))).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.invite(&s(), &req(&["ana@example.com"], Role::Owner, Some("Sales"))).unwrap_err().code, ErrorCode::InvalidRole);
    let mut both = req(&["ana@example.com"], Role::Member, Some("Sales"));
    both.new_inbox = true;
    assert_eq!(d.invite(&s(), &both).unwrap_err().code, ErrorCode::InboxRequired);
    assert_eq!(snapshot(&mut d), before, "nothing changed");
}

#[test]
fn a_seat_shortfall_is_refused_with_a_quote_or_bought_in_the_same_step() {
    let mut d = acme(1);
    let before = snapshot(&mut d);
    let err = d.invite(&s(), &req(&["a@example.com", "b@example.com", "c@example.com"], Role::Manager, Some("Sales"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoFreeSeats);
    let details = err.details.unwrap();
    assert_eq!((details["needed"].as_i64(), details["free"].as_i64(), details["shortfall"].as_i64()), (Some(3), Some(1), Some(2)));
    // Nov 16 → Dec 1: 15 of 30 days, so two $10.00 seats cost $10.00 now.
    assert_eq!(details["quote"]["due_now_cents"], 1000);
    assert_eq!(snapshot(&mut d), before);

    let quote_id = details["quote"]["quote_id"].as_str().unwrap().to_string();
    let mut with_purchase = req(&["a@example.com", "b@example.com", "c@example.com"], Role::Manager, Some("Sales"));
    with_purchase.buy_shortfall_quote = Some("q_stale".into());
    assert_eq!(d.invite(&s(), &with_purchase).unwrap_err().code, ErrorCode::QuoteStale);
    assert_eq!(snapshot(&mut d), before, "a stale quote buys nothing and invites nobody");
    with_purchase.buy_shortfall_quote = Some(quote_id);
    let res = d.invite(&s(), &with_purchase).unwrap();
    assert_eq!(res.purchase.unwrap().charged_cents, 1000);
    assert_eq!((res.seats.purchased, res.seats.assigned, res.seats.unassigned), (3, 3, 0));

    // Observers are free and unlimited.
    let res = d.invite(&s(), &req(&["o1@example.com", "o2@example.com"], Role::Observer, Some("Support"))).unwrap();
    assert_eq!(res.seats.unassigned, 0);
}

/// An invite's new paid role when no seat is free: refused with a quote,
/// or the seat bought and the role changed in one step (the Edit invite
/// dialog's "Buy 1 seat and save").
#[test]
fn an_invite_edited_into_a_paid_role_buys_its_seat_in_the_same_step() {
    let mut d = acme(0);
    d.invite(&s(), &req(&["obs@example.com"], Role::Observer, Some("Sales"))).unwrap();
    let before = snapshot(&mut d);
    let to_member = || InviteEdit { role: Some(Role::Member), ..Default::default() };
    let err = d.edit_invite(&s(), "obs@example.com", &to_member()).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoFreeSeats);
    let quote_id = err.details.unwrap()["quote"]["quote_id"].as_str().unwrap().to_string();
    let stale = InviteEdit { buy_shortfall_quote: Some("q_stale".into()), ..to_member() };
    assert_eq!(d.edit_invite(&s(), "obs@example.com", &stale).unwrap_err().code, ErrorCode::QuoteStale);
    assert_eq!(snapshot(&mut d), before, "a stale quote buys nothing and changes nothing");
    let bought = InviteEdit { buy_shortfall_quote: Some(quote_id), ..to_member() };
    assert_eq!(d.edit_invite(&s(), "obs@example.com", &bought).unwrap().role, Role::Member);
    let seats = d.seats(&s()).unwrap();
    assert_eq!((seats.purchased, seats.assigned, seats.unassigned, seats.observers), (1, 1, 0, 0));
    assert_eq!(d.check(None).unwrap(), vec![]);
}

#[test]
fn new_inbox_invites_get_an_inbox_awaiting_a_number_that_revoking_removes() {
    let mut d = acme(2);
    d.invite(&s(), &req(&["ana@example.com", "ben@example.com"], Role::Member, None)).unwrap();
    let inboxes = d.inboxes(&s()).unwrap();
    let ana = inboxes.iter().find(|i| i.name == "ana@example.com").unwrap();
    assert!(ana.awaiting_number);
    assert_eq!(ana.owner, "ana@example.com");
    assert_eq!(ana.member_count, 1);
    d.revoke_invite(&s(), "ana@example.com").unwrap();
    assert!(d.inboxes(&s()).unwrap().iter().all(|i| i.name != "ana@example.com"));
    // Its number bought meanwhile: the inbox stays, owned by whoever revoked.
    d.buy_number(&s(), "ben@example.com", "+15551230000", None).unwrap();
    d.revoke_invite(&s(), "ben@example.com").unwrap();
    let ben = d.inboxes(&s()).unwrap().into_iter().find(|i| i.name == "ben@example.com").unwrap();
    assert_eq!((ben.owner.as_str(), ben.member_count), ("olivia@acme.example.com", 0));
    d.create_inbox(&s(), &NewInbox { name: "chloe@example.com".into(), number: None, quote_id: None }).unwrap();
    assert_eq!(d.invite(&s(), &req(&["chloe@example.com"], Role::Member, None)).unwrap_err().code, ErrorCode::DuplicateInbox);
}

#[test]
fn pending_invites_are_accepted_resent_revoked_and_edited() {
    let mut d = acme(3);
    d.invite(&s(), &req(&["ana@example.com", "ben@example.com"], Role::Member, Some("Sales"))).unwrap();
    let resent = d.resend_invite(&s(), "ANA@example.com").unwrap();
    assert_eq!(resent.resend_count, 1);
    assert!(resent.last_sent_at.as_deref().unwrap().contains('T'));
    assert_eq!(d.resend_invite(&s(), "ana@example.com").unwrap().resend_count, 2);

    let ana = d.accept_invite(&s(), "ana@example.com", Some("Ana López")).unwrap();
    assert_eq!((ana.status, ana.name.as_str(), ana.joined_on.as_deref()), (Status::Active, "Ana López", Some("2026-11-16")));
    for code in [
        d.accept_invite(&s(), "ana@example.com", None).unwrap_err().code,
        d.resend_invite(&s(), "ana@example.com").unwrap_err().code,
        d.revoke_invite(&s(), "ana@example.com").unwrap_err().code,
        d.edit_invite(&s(), "ana@example.com", &InviteEdit { role: Some(Role::Admin), ..Default::default() }).unwrap_err().code,
    ] {
        assert_eq!(code, ErrorCode::NotPending);
    }
    assert_eq!(
        d.edit_invite(&s(), "ana@example.com", &InviteEdit { email: Some("x@example.com".into()), ..Default::default() }).unwrap_err().code,
        ErrorCode::NotPermitted,
        "an admin never changes an active member's email"
    );

    let edited = d
        .edit_invite(
            &s(),
            "ben@example.com",
            &InviteEdit {
                email: Some("benjamin@example.com".into()),
                role: Some(Role::Admin),
                inbox: Some("Support".into()),
                buy_shortfall_quote: None,
            },
        )
        .unwrap();
    assert_eq!(
        (edited.email.as_str(), edited.role, edited.inboxes.clone()),
        ("benjamin@example.com", Role::Admin, vec!["Support".to_string()])
    );
    assert_eq!(
        d.edit_invite(&s(), "benjamin@example.com", &InviteEdit { email: Some("Ana@Example.com".into()), ..Default::default() })
            .unwrap_err()
            .code,
        ErrorCode::DuplicateEmail
    );
    assert_eq!(d.seats(&s()).unwrap().unassigned, 1);
    let after = d.revoke_invite(&s(), "benjamin@example.com").unwrap();
    assert_eq!(after.unassigned, 2, "the reserved seat is free again");
    assert_eq!(d.inboxes(&s()).unwrap().iter().find(|i| i.name == "Support").unwrap().member_count, 0);
    assert_eq!(d.revoke_invite(&s(), "nobody@example.com").unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn roles_move_seats_both_ways() {
    let mut d = acme(1);
    d.invite(&s(), &req(&["ana@example.com"], Role::Member, Some("Sales"))).unwrap();
    d.invite(&s(), &req(&["obs@example.com"], Role::Observer, Some("Sales"))).unwrap();
    assert_eq!(d.change_role(&s(), "obs@example.com", Role::Manager, SeatChoice::Keep).unwrap_err().code, ErrorCode::NoFreeSeats);
    assert_eq!(d.change_role(&s(), "olivia@acme.example.com", Role::Admin, SeatChoice::Keep).unwrap_err().code, ErrorCode::OwnerProtected);
    assert_eq!(d.change_role(&s(), "ana@example.com", Role::Owner, SeatChoice::Keep).unwrap_err().code, ErrorCode::OwnerProtected);
    d.change_role(&s(), "ana@example.com", Role::Observer, SeatChoice::Keep).unwrap();
    assert_eq!(d.seats(&s()).unwrap().unassigned, 1);
    d.change_role(&s(), "obs@example.com", Role::Admin, SeatChoice::Keep).unwrap();
    assert_eq!(d.seats(&s()).unwrap().unassigned, 0);
    let summary_before = d.seats(&s()).unwrap();
    d.change_role(&s(), "obs@example.com", Role::Observer, SeatChoice::Remove).unwrap();
    let after = d.seats(&s()).unwrap();
    assert_eq!((after.purchased, after.unassigned), (summary_before.purchased - 1, 0));
    assert_eq!(d.ledger_all(&s(), None).unwrap().last().unwrap().kind, crate::domain::billing::LedgerKind::SeatRemoval);
}

#[test]
fn only_members_change_their_own_email() {
    let mut d = acme(2);
    d.invite(&s(), &req(&["ana@example.com", "ben@example.com"], Role::Member, Some("Sales"))).unwrap();
    d.accept_invite(&s(), "ana@example.com", None).unwrap();
    let me = d.set_my_email(&s().acting_as("ana@example.com"), "ana.new@example.com").unwrap();
    assert_eq!(me.email, "ana.new@example.com");
    assert_eq!(d.set_my_email(&s().acting_as("ana.new@example.com"), "ben@example.com").unwrap_err().code, ErrorCode::DuplicateEmail);
    assert_eq!(d.set_my_email(&s().acting_as("ana.new@example.com"), "nope").unwrap_err().code, ErrorCode::InvalidEmail);
    assert_eq!(
        d.set_my_email(&s().acting_as("ben@example.com"), "b2@example.com").unwrap_err().code,
        ErrorCode::NotAMember,
        "a pending invitee cannot act"
    );
}

#[test]
fn the_permission_matrix_holds_for_every_role_and_action() {
    // Each action: (name, needs) where needs is the permission of rules §2.
    type Action = fn(&mut Seatdesk, &Scope) -> Result<()>;
    let actions: Vec<(&str, Permission, Action)> = vec![
        ("invite", Permission::ManageAccount, |d, s| d.invite(s, &req(&["new@example.com"], Role::Observer, Some("Sales"))).map(|_| ())),
        ("accept", Permission::ManageAccount, |d, s| d.accept_invite(s, "pending@example.com", None).map(|_| ())),
        ("resend", Permission::ManageAccount, |d, s| d.resend_invite(s, "pending@example.com").map(|_| ())),
        ("edit", Permission::ManageAccount, |d, s| d.edit_invite(s, "pending@example.com", &InviteEdit::default()).map(|_| ())),
        ("revoke", Permission::ManageAccount, |d, s| d.revoke_invite(s, "pending@example.com").map(|_| ())),
        ("role", Permission::ManageAccount, |d, s| d.change_role(s, "obs@example.com", Role::Observer, SeatChoice::Keep).map(|_| ())),
        ("quote", Permission::ManageAccount, |d, s| d.quote_seats(s, 1).map(|_| ())),
        ("buy", Permission::ManageAccount, |d, s| d.buy_seats(s, 1, None).map(|_| ())),
        ("remove", Permission::ManageAccount, |d, s| d.remove_seats(s, 1).map(|_| ())),
        ("plan", Permission::ManageAccount, |d, s| d.update_plan(s, &PlanChange::default()).map(|_| ())),
        ("buy number", Permission::ManageAccount, |d, s| d.quote_number(s, "Support", "+15559990000").map(|_| ())),
        ("create inbox", Permission::ManageInboxes, |d, s| {
            d.create_inbox(s, &NewInbox { name: "Another".into(), number: None, quote_id: None }).map(|_| ())
        }),
        ("members", Permission::Read, |d, s| d.members(s, &MemberQuery::default()).map(|_| ())),
        ("seats", Permission::Read, |d, s| d.seats(s).map(|_| ())),
        ("ledger", Permission::Read, |d, s| d.ledger(s, &LedgerQuery::default()).map(|_| ())),
        ("inboxes", Permission::Read, |d, s| d.inboxes(s).map(|_| ())),
    ];
    for role in [Role::Owner, Role::Admin, Role::Manager, Role::Member, Role::Observer] {
        for (name, needs, action) in &actions {
            let mut d = acme(4);
            d.invite(&s(), &req(&["actor@example.com", "pending@example.com"], Role::Member, Some("Sales"))).unwrap();
            d.invite(&s(), &req(&["obs@example.com"], Role::Observer, Some("Sales"))).unwrap();
            let actor = if role == Role::Owner {
                "olivia@acme.example.com"
            } else {
                d.change_role(&s(), "actor@example.com", role, SeatChoice::Keep).unwrap();
                d.accept_invite(&s(), "actor@example.com", None).unwrap();
                "actor@example.com"
            };
            let result = action(&mut d, &s().acting_as(actor));
            if role.allows(*needs) {
                assert!(result.is_ok(), "{role:?} may {name}: {result:?}");
            } else {
                assert_eq!(result.unwrap_err().code, ErrorCode::NotPermitted, "{role:?} may not {name}");
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Invite(u8, bool),
    Accept(u8),
    Revoke(u8),
    Buy(i64),
    Remove(i64),
    Role(u8, bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..12, any::<bool>()).prop_map(|(i, paid)| Op::Invite(i, paid)),
        (0u8..12).prop_map(Op::Accept),
        (0u8..12).prop_map(Op::Revoke),
        (1i64..4).prop_map(Op::Buy),
        (1i64..4).prop_map(Op::Remove),
        (0u8..12, any::<bool>()).prop_map(|(i, paid)| Op::Role(i, paid)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever happens, unassigned never goes negative, assigned counts
    /// exactly the non-Owner paid members (Active or Pending), and every
    /// refusal leaves the state as it was.
    #[test]
    fn seat_reservations_add_up_after_every_step(ops in prop::collection::vec(op(), 1..30)) {
        let mut d = acme(2);
        for op in ops {
            let before = snapshot(&mut d);
            let email = |i: u8| format!("p{i}@example.com");
            let result = match &op {
                Op::Invite(i, paid) => d.invite(&s(), &req(&[&email(*i)], if *paid { Role::Member } else { Role::Observer }, Some("Sales"))).map(|_| ()),
                Op::Accept(i) => d.accept_invite(&s(), &email(*i), None).map(|_| ()),
                Op::Revoke(i) => d.revoke_invite(&s(), &email(*i)).map(|_| ()),
                Op::Buy(n) => d.buy_seats(&s(), *n, None).map(|_| ()),
                Op::Remove(n) => d.remove_seats(&s(), *n).map(|_| ()),
                Op::Role(i, paid) => d.change_role(&s(), &email(*i), if *paid { Role::Manager } else { Role::Observer }, SeatChoice::Keep).map(|_| ()),
            };
            if result.is_err() {
                prop_assert_eq!(snapshot(&mut d), before, "refused {:?} changed something", op);
            }
            let seats = d.seats(&s()).unwrap();
            let members = d.all_members(&s(), &MemberQuery::default()).unwrap();
            let paid = members.iter().filter(|m| m.role.takes_paid_seat()).count() as i64;
            prop_assert!(seats.unassigned >= 0);
            prop_assert_eq!(seats.assigned, paid);
            prop_assert_eq!(seats.unassigned, seats.purchased - paid);
        }
    }
}

#[test]
fn a_preview_reports_each_address_and_changes_nothing() {
    let mut d = acme(1);
    let before = snapshot(&mut d);
    let p = d.preview_invites(&s(), &["ana@example.com bad olivia@acme.example.com ana@EXAMPLE.com".into()], Role::Member, false).unwrap();
    let outcomes: Vec<InviteOutcome> = p.report.iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, [InviteOutcome::Ok, InviteOutcome::InvalidEmail, InviteOutcome::AlreadyMember, InviteOutcome::DuplicateInBatch]);
    assert_eq!((p.needed, p.free), (1, 1));
    assert_eq!(snapshot(&mut d), before);
}

#[test]
fn a_csv_import_dry_runs_per_row_then_applies_all_or_nothing() {
    let mut d = acme(1);
    d.invite(&s(), &req(&["zoe@example.com"], Role::Member, Some("Sales"))).unwrap();
    let file = "email,name,role,inbox\n\
                ana@example.com,Ana Lopez,admin,Sales\n\
                zoe@example.com,Zoe,member,Sales\n\
                not-an-email,X,member,Sales\n\
                ANA@example.com,Again,member,Sales\n\
                ben@example.com,Ben,boss,Sales\n\
                chloe@example.com,Chloe,member,Nowhere\n";
    let before = snapshot(&mut d);
    let dry = d.import_members(&s(), file.as_bytes(), &ImportOptions { dry_run: true, ..Default::default() }).unwrap();
    let outcomes: Vec<ImportOutcome> = dry.rows.iter().map(|r| r.outcome).collect();
    assert_eq!(
        outcomes,
        [
            ImportOutcome::Invite,
            ImportOutcome::AlreadyMember,
            ImportOutcome::InvalidEmail,
            ImportOutcome::DuplicateInFile,
            ImportOutcome::InvalidRole,
            ImportOutcome::UnknownInbox
        ]
    );
    assert_eq!(dry.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5, 6, 7]);
    assert!(!dry.applied);
    let err = d.import_members(&s(), file.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidCsv);
    assert_eq!(snapshot(&mut d), before, "nothing was imported");

    // A clean file: one needs a seat that is not there, then is bought with it.
    let clean = "\u{feff}Email,Name,Role,Inbox\r\nana@example.com,\"Lopez, Ana\",admin,Sales\r\nobs@example.com,Obs,observer,\r\nzoe@example.com,Zoe,member,Sales\r\n";
    let opts = ImportOptions { default_inbox: Some("Support".into()), ..Default::default() };
    let err = d.import_members(&s(), clean.as_bytes(), &opts).unwrap_err();
    assert_eq!(err.code, ErrorCode::NoFreeSeats);
    let quote = err.details.unwrap()["quote"]["quote_id"].as_str().unwrap().to_string();
    let done = d.import_members(&s(), clean.as_bytes(), &ImportOptions { buy_shortfall_quote: Some(quote), ..opts }).unwrap();
    assert!(done.applied);
    assert_eq!(done.to_invite, 2);
    let ana = d.member(&s(), "ana@example.com").unwrap();
    assert_eq!(
        (ana.name.as_str(), ana.role, ana.status, ana.inboxes.clone()),
        ("Lopez, Ana", Role::Admin, Status::Pending, vec!["Sales".to_string()])
    );
    assert_eq!(d.member(&s(), "obs@example.com").unwrap().inboxes, ["Support"], "the default inbox");
}

#[test]
fn exports_neutralise_formulas_and_round_trip_the_members() {
    let mut d = acme(1);
    d.invite(&s(), &req(&["ana@example.com"], Role::Member, Some("Sales"))).unwrap();
    d.accept_invite(&s(), "ana@example.com", Some("=HYPERLINK(\"x\")")).unwrap();
    let csv = d.export_members_csv(&s()).unwrap();
    assert!(csv.starts_with("email,name,role,status,inboxes,invited_on,joined_on,resend_count\n"));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("ana@example.com"));
    let ledger = d.export_ledger_csv(&s()).unwrap();
    assert!(ledger.lines().nth(1).unwrap().starts_with("2026-11-16,seat_purchase,1,10.00,"), "{ledger}");
}

/// The search index is written by the store, not by triggers (schema v9):
/// every path that writes a name or an address keeps it exact, within one
/// transaction and across several.
#[test]
fn the_search_index_follows_every_name_and_address_change() {
    let mut d = acme(10);
    // The SQLite file's own index (the server's trigram indexes are kept by
    // PostgreSQL itself; the searches below run on both).
    let fts_ok = |d: &mut Seatdesk| match d.conn.sqlite() {
        Some(c) => c.execute("INSERT INTO member_fts (member_fts, rank) VALUES ('integrity-check', 1)", []).map(|_| ()),
        None => Ok(()),
    };
    let found = |d: &mut Seatdesk, term: &str| -> Vec<String> {
        d.all_members(&s(), &MemberQuery { search: Some(term.into()), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|m| m.email)
            .collect()
    };
    d.invite(&s(), &req(&["ana@example.com", "ben@example.com", "chloe@example.com"], Role::Member, Some("Sales"))).unwrap();
    assert_eq!(found(&mut d, "ben@"), ["ben@example.com"]);
    d.accept_invite(&s(), "ana@example.com", Some("Anastasia Quux")).unwrap();
    assert_eq!(found(&mut d, "quux"), ["ana@example.com"], "the name given on accepting is searchable");
    d.edit_invite(&s(), "ben@example.com", &InviteEdit { email: Some("benedict@example.com".into()), ..Default::default() }).unwrap();
    assert!(found(&mut d, "ben@").is_empty(), "the old address is gone from the index");
    assert_eq!(found(&mut d, "benedict"), ["benedict@example.com"]);
    d.revoke_invite(&s(), "chloe@example.com").unwrap();
    assert!(found(&mut d, "chloe").is_empty());
    // A refused batch leaves no trace in the index either.
    assert!(d.invite(&s(), &req(&["zed@example.com", "not-an-email"], Role::Member, Some("Sales"))).is_err());
    assert!(found(&mut d, "zed").is_empty());
    fts_ok(&mut d).expect("the index matches the member table");
    if let Some(c) = d.conn.sqlite() {
        let pending: i64 = c.query_row("SELECT count(*) FROM temp.pending_search", [], |r| r.get(0)).unwrap();
        assert_eq!(pending, 0, "nothing is left queued after a commit");
    }
}

/// Found while moving the lookups to one email key: an address with a
/// Unicode domain, changed to itself or to another case of itself, was
/// refused as taken by its own member (its key was compared with the
/// address in lower case, not in its normal form).
#[test]
fn an_address_changed_to_another_form_of_itself_is_not_taken() {
    let mut d = Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    d.create_account(&NewAccount {
        name: "Acme".into(),
        owner_email: "olivia@bücher.de".into(),
        owner_name: "Olivia".into(),
        ..Default::default()
    })
    .unwrap();
    let s = Scope::default();
    assert_eq!(d.set_my_email(&s, "olivia@bücher.de").unwrap().email, "olivia@bücher.de");
    assert_eq!(d.set_my_email(&s, "Olivia@Bücher.de").unwrap().email, "Olivia@Bücher.de");
    d.create_inbox(&s, &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    let invite = InviteRequest {
        emails: vec!["zoë@exämple.com".into()],
        role: Role::Observer,
        inbox: Some("Sales".into()),
        new_inbox: false,
        buy_shortfall_quote: None,
    };
    d.invite(&s, &invite).unwrap();
    let edit = InviteEdit { email: Some("Zoë@Exämple.com".into()), ..Default::default() };
    assert_eq!(d.edit_invite(&s, "zoë@xn--exmple-cua.com", &edit).unwrap().email, "Zoë@Exämple.com");
    // Another member's address in any form is still taken.
    let taken = InviteEdit { email: Some("OLIVIA@xn--bcher-kva.de".into()), ..Default::default() };
    assert_eq!(d.edit_invite(&s, "zoë@exämple.com", &taken).unwrap_err().code, ErrorCode::DuplicateEmail);
}

/// An import tells how far it has got, ending at its total; cancelled
/// half-way it rolls back whole (nothing invited, no seat, no audit entry).
#[test]
fn an_import_reports_its_progress_and_a_cancel_leaves_nothing() {
    let mut d = acme(300);
    let csv: String = std::iter::once("email,name,role,inbox".to_string())
        .chain((0..250).map(|i| format!("row{i}@example.com,Row {i},member,Sales")))
        .collect::<Vec<_>>()
        .join("\n");
    let audit_before = d.audit_log(&Scope::default(), 0, 1).unwrap().total;
    let opts = ImportOptions::default();
    let mut seen = Vec::new();
    let cancelled = d.import_members_with_progress(&Scope::default(), csv.as_bytes(), &opts, |p| {
        seen.push(p);
        p.done < 125
    });
    assert_eq!(cancelled.unwrap_err().code, ErrorCode::Cancelled);
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((126, 250)), "it stopped at the first report past half-way");
    assert_eq!(d.members(&Scope::default(), &MemberQuery { status: Some(Status::Pending), ..Default::default() }).unwrap().total, 0);
    assert_eq!(d.audit_log(&Scope::default(), 0, 1).unwrap().total, audit_before);
    let mut last = None;
    let report = d.import_members_with_progress(&Scope::default(), csv.as_bytes(), &opts, |p| {
        last = Some(p);
        true
    });
    assert!(report.unwrap().applied);
    assert_eq!(last, Some(Progress { done: 250, total: 250 }));
    assert_eq!(d.check(None).unwrap(), vec![]);
}

/// Editing a pending invite between paid roles needs no new seat; moving
/// an invite that holds places in several inboxes to one of them leaves it
/// in that one only (mutation testing found neither asserted).
#[test]
fn an_invites_role_and_inbox_edits_need_only_what_they_change() {
    let mut d = acme(1);
    d.invite(
        &s(),
        &InviteRequest {
            emails: vec!["ana@example.com".into()],
            role: Role::Member,
            inbox: Some("Sales".into()),
            new_inbox: false,
            buy_shortfall_quote: None,
        },
    )
    .unwrap();
    assert_eq!(d.seats(&s()).unwrap().unassigned, 0);
    let admin = d.edit_invite(&s(), "ana@example.com", &InviteEdit { role: Some(Role::Admin), ..Default::default() }).unwrap();
    assert_eq!(admin.role, Role::Admin, "a paid role for a paid role: the reserved seat carries over");
    d.buy_seats(&s(), 1, None).unwrap();
    let csv = "email,name,role,inboxes\nben@example.com,Ben,member,Sales; Support\n";
    d.import_members(&s(), csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(d.member(&s(), "ben@example.com").unwrap().inboxes, ["Sales", "Support"]);
    let moved = d.edit_invite(&s(), "ben@example.com", &InviteEdit { inbox: Some("Sales".into()), ..Default::default() }).unwrap();
    assert_eq!(moved.inboxes, ["Sales"]);
    assert_eq!(d.check(None).unwrap(), vec![]);
}

/// A pending invite that owns its New Inbox cannot become an Observer's by
/// a role change either (found by trying the CLI: only the invite edit
/// refused it); `check` names an Observer who owns an inbox.
#[test]
fn a_new_inbox_invite_cannot_become_an_observers_by_a_role_change() {
    let mut d = acme(1);
    d.invite(
        &s(),
        &InviteRequest {
            emails: vec!["nina@example.com".into()],
            role: Role::Member,
            inbox: None,
            new_inbox: true,
            buy_shortfall_quote: None,
        },
    )
    .unwrap();
    let err = d.change_role(&s(), "nina@example.com", Role::Observer, SeatChoice::Keep).unwrap_err();
    assert_eq!(err.code, ErrorCode::ObserverHoldsNoWork);
    assert_eq!(d.check(None).unwrap(), vec![]);
    d.sql("UPDATE member SET role = 'observer' WHERE email = 'nina@example.com'");
    let found = d.check(None).unwrap();
    assert!(
        found.iter().any(|v| v.rule == "holdings" && v.message.contains("nina@example.com is an Observer and owns 1 inbox")),
        "{found:?}"
    );
}
