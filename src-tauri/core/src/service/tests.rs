//! Service-layer tests on in-memory databases.

use super::*;
use crate::domain::{Role, Status};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
}

fn desk() -> Seatdesk {
    Seatdesk::open_scratch(Clock::fixed(today())).unwrap()
}

fn acme() -> NewAccount {
    NewAccount {
        name: "Acme".into(),
        owner_email: "Olivia@Acme.example.com".into(),
        owner_name: "Olivia Owner".into(),
        ..Default::default()
    }
}

#[test]
fn creating_an_account_makes_its_owner_and_default_plan() {
    let mut d = desk();
    let a = d.create_account(&acme()).unwrap();
    assert_eq!(a.name, "Acme");
    assert_eq!(a.plan, crate::domain::BillingPeriod::Monthly);
    assert_eq!(a.seat_price_cents, 1000);
    assert_eq!(a.number_price_cents, 500);
    assert_eq!(a.currency, "USD");
    assert_eq!(a.renews_on, "2026-12-16");
    assert_eq!(a.owner_email, "Olivia@Acme.example.com");
    let page = d.members(&Scope::default(), &MemberQuery::default()).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!((page.rows[0].role, page.rows[0].status), (Role::Owner, Status::Active));
    assert_eq!((page.active_count, page.pending_count), (1, 0));
}

#[test]
fn a_new_account_reads_zero_of_zero_seats() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    let s = d.seats(&Scope::default()).unwrap();
    assert_eq!((s.included, s.purchased, s.assigned, s.unassigned, s.renewal_total_cents), (1, 0, 0, 0, 0));
    assert_eq!(s.renews_on, "2026-12-16");
}

#[test]
fn annual_plans_take_annual_defaults_and_custom_prices_are_exact() {
    let mut d = desk();
    let a = d.create_account(&NewAccount { plan: Some("annual".into()), renews_on: Some("2027-06-01".into()), ..acme() }).unwrap();
    assert_eq!((a.seat_price_cents, a.number_price_cents), (10_000, 5_000));
    let b = d
        .create_account(&NewAccount {
            name: "Beta".into(),
            seat_price: Some("12.34".into()),
            number_price: Some("0.5".into()),
            currency: Some("eur".into()),
            ..acme()
        })
        .unwrap();
    assert_eq!((b.seat_price_cents, b.number_price_cents, b.currency.as_str()), (1234, 50, "EUR"));
}

#[test]
fn bad_account_input_is_refused_with_its_code_and_writes_nothing() {
    let mut d = desk();
    let cases: Vec<(NewAccount, ErrorCode)> = vec![
        (NewAccount { owner_email: "olivia@acme".into(), ..acme() }, ErrorCode::InvalidEmail),
        (NewAccount { name: "  ".into(), ..acme() }, ErrorCode::InvalidName),
        (NewAccount { owner_name: "".into(), ..acme() }, ErrorCode::InvalidName),
        (NewAccount { plan: Some("weekly".into()), ..acme() }, ErrorCode::InvalidPlan),
        (NewAccount { seat_price: Some("-1".into()), ..acme() }, ErrorCode::InvalidPrice),
        (NewAccount { currency: Some("dollars".into()), ..acme() }, ErrorCode::InvalidCurrency),
        (NewAccount { renews_on: Some("2026-11-16".into()), ..acme() }, ErrorCode::InvalidDate),
        (NewAccount { renews_on: Some("2027-01-01".into()), ..acme() }, ErrorCode::InvalidDate),
        (NewAccount { renews_on: Some("2026-13-01".into()), ..acme() }, ErrorCode::InvalidDate),
    ];
    for (input, code) in cases {
        assert_eq!(d.create_account(&input).unwrap_err().code, code, "{input:?}");
    }
    assert!(d.list_accounts().unwrap().is_empty());
    d.create_account(&acme()).unwrap();
    let dup = d.create_account(&NewAccount { name: "ACME".into(), ..acme() }).unwrap_err();
    assert_eq!(dup.code, ErrorCode::DuplicateAccount);
    assert_eq!(d.list_accounts().unwrap().len(), 1);
}

#[test]
fn several_accounts_need_a_name_and_stay_apart() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    d.create_account(&NewAccount { name: "Beta".into(), ..acme() }).unwrap();
    assert_eq!(d.seats(&Scope::default()).unwrap_err().code, ErrorCode::AccountRequired);
    d.create_inbox(&Scope::account("Beta"), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    assert_eq!(d.inboxes(&Scope::account("Acme")).unwrap().len(), 0);
    assert_eq!(d.inboxes(&Scope::account("beta")).unwrap().len(), 1);
    assert_eq!(d.seats(&Scope::account("Gamma")).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn no_account_yet_is_a_clear_not_found() {
    let mut d = desk();
    let e = d.seats(&Scope::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(e.message.contains("account create"));
}

#[test]
fn inboxes_take_one_included_number_and_refuse_bad_or_duplicate_ones() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    let s = Scope::default();
    let sales = d.create_inbox(&s, &NewInbox { name: "Sales".into(), number: Some("+1 (555) 123-4567".into()), quote_id: None }).unwrap();
    assert_eq!(sales.number.as_deref(), Some("+15551234567"));
    assert!(!sales.awaiting_number);
    let code = |d: &mut Seatdesk, name: &str, number: Option<&str>| {
        d.create_inbox(&s, &NewInbox { name: name.into(), number: number.map(String::from), quote_id: None }).unwrap_err().code
    };
    assert_eq!(code(&mut d, "Support", Some("555-1234")), ErrorCode::InvalidPhoneNumber);
    assert_eq!(code(&mut d, "Support", Some("+15551234567")), ErrorCode::DuplicateNumber);
    assert_eq!(code(&mut d, "Support", Some("+15559999999")), ErrorCode::QuoteRequired);
    assert_eq!(code(&mut d, "sales", None), ErrorCode::DuplicateInbox);
    assert_eq!(code(&mut d, "", None), ErrorCode::InvalidName);
    let support = d.create_inbox(&s, &NewInbox { name: "Support".into(), number: None, quote_id: None }).unwrap();
    assert!(support.awaiting_number);
    let list = d.inboxes(&s).unwrap();
    assert_eq!(list.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["Sales", "Support"]);
    assert_eq!(list[0].owner, "Olivia@Acme.example.com");

    // A billed number: refused with its quote; confirmed with that quote, the
    // inbox is created and the number bought in one step; a stale quote
    // creates nothing.
    let new = |quote_id: Option<String>| NewInbox { name: "Billing".into(), number: Some("+15558887777".into()), quote_id };
    let err = d.create_inbox(&s, &new(None)).unwrap_err();
    assert!(err.message.contains("is billed"), "{}", err.message);
    let quote_id = err.details.unwrap()["quote"]["quote_id"].as_str().unwrap().to_string();
    assert_eq!(d.create_inbox(&s, &new(Some("q_stale".into()))).unwrap_err().code, ErrorCode::QuoteStale);
    assert_eq!(d.inboxes(&s).unwrap().len(), 2, "a stale quote creates nothing");
    let billing = d.create_inbox(&s, &new(Some(quote_id))).unwrap();
    assert_eq!(billing.number.as_deref(), Some("+15558887777"));
    let ledger = d.ledger(&s, &LedgerQuery::default()).unwrap();
    assert!(ledger
        .rows
        .iter()
        .any(|e| e.kind == crate::domain::billing::LedgerKind::NumberPurchase && e.note.contains("+15558887777") && e.amount_cents > 0));
    assert_eq!(d.check(None).unwrap(), vec![]);
}

#[test]
fn permissions_are_enforced_for_the_acting_member() {
    let mut d = desk();
    d.demo(&DemoOptions { members: Some(40), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
    let all = d.all_members(&Scope::default(), &MemberQuery::default()).unwrap();
    let find = |role: Role, status: Status| all.iter().find(|m| m.role == role && m.status == status).unwrap().email.clone();
    let scope = |email: &str| Scope::default().acting_as(email);
    let new = |n: &str| NewInbox { name: n.into(), number: None, quote_id: None };
    assert!(d.create_inbox(&scope(&find(Role::Manager, Status::Active)), &new("By manager")).is_ok());
    assert!(d.create_inbox(&scope(&find(Role::Admin, Status::Active)), &new("By admin")).is_ok());
    for (role, status) in [(Role::Member, Status::Active), (Role::Observer, Status::Active)] {
        let e = d.create_inbox(&scope(&find(role, status)), &new("Nope")).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotPermitted, "{role:?} {status:?}");
    }
    let e = d.create_inbox(&scope(&find(Role::Admin, Status::Pending)), &new("Nope")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAMember, "a pending invitee cannot act");
    assert_eq!(d.seats(&scope(&find(Role::Observer, Status::Active))).unwrap().included, 1);
    assert_eq!(d.seats(&scope("nobody@example.com")).unwrap_err().code, ErrorCode::NotAMember);
}

#[test]
fn demo_is_deterministic_and_consistent() {
    let mut a = desk();
    let mut b = desk();
    let mut calls = 0;
    a.demo(&DemoOptions { members: Some(60), seed: Some(42), ..Default::default() }, |_, _| calls += 1).unwrap();
    b.demo(&DemoOptions { members: Some(60), seed: Some(42), ..Default::default() }, |_, _| {}).unwrap();
    assert!(calls >= 1);
    let q = MemberQuery::default();
    let ma = a.all_members(&Scope::default(), &q).unwrap();
    assert_eq!(ma, b.all_members(&Scope::default(), &q).unwrap());
    assert_eq!(ma.len(), 61);
    assert!(ma.iter().any(|m| m.status == Status::Pending));
    for role in Role::ALL {
        assert!(ma.iter().any(|m| m.role == role), "{role:?} present");
    }
    let seats = a.seats(&Scope::default()).unwrap();
    let paid = ma.iter().filter(|m| m.role.takes_paid_seat()).count() as i64;
    assert_eq!(seats.assigned, paid);
    assert_eq!(seats.unassigned, 3);
    assert_eq!(seats.renewal_total_cents, seats.purchased * 1000 + 2 * 500);
    assert_eq!(a.inboxes(&Scope::default()).unwrap().len(), 3);
    assert_eq!(a.demo(&DemoOptions::default(), |_, _| {}).unwrap_err().code, ErrorCode::DuplicateAccount);
    assert_eq!(
        a.demo(&DemoOptions { name: Some("X".into()), members: Some(-1), ..Default::default() }, |_, _| {}).unwrap_err().code,
        ErrorCode::InvalidQuantity
    );
}

#[test]
fn the_members_list_filters_sorts_and_pages_in_sql() {
    let mut d = desk();
    d.demo(&DemoOptions { members: Some(250), seed: Some(3), ..Default::default() }, |_, _| {}).unwrap();
    let s = Scope::default();
    let all = d.all_members(&s, &MemberQuery::default()).unwrap();
    assert_eq!(all.len(), 251);
    let names: Vec<String> = all.iter().map(|m| m.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name");

    let pending = d.members(&s, &MemberQuery { status: Some(Status::Pending), limit: Some(1000), ..Default::default() }).unwrap();
    assert!(pending.rows.iter().all(|m| m.status == Status::Pending));
    assert_eq!(pending.total, pending.pending_count);
    assert_eq!(pending.active_count + pending.pending_count, 251);

    let page2 = d.members(&s, &MemberQuery { offset: Some(100), limit: Some(100), ..Default::default() }).unwrap();
    assert_eq!(page2.rows, all[100..200].to_vec());
    assert_eq!(page2.total, 251);

    let hits = d.members(&s, &MemberQuery { search: Some("ANA".into()), limit: Some(1000), ..Default::default() }).unwrap();
    let expected = all.iter().filter(|m| m.name.to_lowercase().contains("ana") || m.email.to_lowercase().contains("ana")).count();
    assert_eq!(hits.rows.len(), expected);
    assert!(expected > 0);

    let wildcard = d.members(&s, &MemberQuery { search: Some("%".into()), ..Default::default() }).unwrap();
    assert_eq!(wildcard.total, 0, "LIKE wildcards are matched literally");

    let admins = d.members(&s, &MemberQuery { role: Some(Role::Admin), limit: Some(1000), ..Default::default() }).unwrap();
    assert_eq!(admins.total as usize, all.iter().filter(|m| m.role == Role::Admin).count());

    let by_inboxes = d
        .members(&s, &MemberQuery { sort: Some(MemberSort::Inboxes), descending: Some(true), limit: Some(1000), ..Default::default() })
        .unwrap();
    let counts: Vec<usize> = by_inboxes.rows.iter().map(|m| m.inboxes.len()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "sorted by inbox count, most first");
    assert!(counts[0] > counts[counts.len() - 1]);

    let by_email_desc = d
        .members(&s, &MemberQuery { sort: Some(MemberSort::Email), descending: Some(true), limit: Some(5), ..Default::default() })
        .unwrap();
    let mut emails: Vec<String> = all.iter().map(|m| m.email.clone()).collect();
    emails.sort();
    emails.reverse();
    assert_eq!(by_email_desc.rows.iter().map(|m| m.email.clone()).collect::<Vec<_>>(), emails[..5].to_vec());
}

#[test]
fn every_change_is_audited_in_an_unbroken_chain() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    d.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    let entries = d.in_tx(|tx| {
        let account = tx.accounts().by_name("Acme")?;
        Ok(tx.audit().page(account.id, 0, 10)?.0.into_iter().map(|e| e.action).collect::<Vec<_>>())
    });
    assert_eq!(entries, ["inbox.create", "account.create"], "newest first");
    let broken = |d: &mut Seatdesk| d.in_tx(|tx| tx.audit().first_broken_link(tx.accounts().by_name("Acme")?.id));
    assert_eq!(broken(&mut d), None);
    // Tampering with a row (bypassing the trigger) is detected.
    d.tamper(
        "DROP TRIGGER audit_no_update; UPDATE audit SET target = 'Forged' WHERE action = 'inbox.create';",
        "ALTER TABLE audit DISABLE TRIGGER audit_append_only; UPDATE audit SET target = 'Forged' WHERE action = 'inbox.create';",
    );
    assert!(broken(&mut d).is_some());
}

#[test]
fn a_refused_change_leaves_no_trace() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    let count = |d: &mut Seatdesk| -> i64 {
        d.in_tx(|tx| {
            let account = tx.accounts().by_name("Acme")?;
            Ok(tx.audit().count(account.id)? + tx.inboxes().list(account.id)?.len() as i64)
        })
    };
    let before = count(&mut d);
    assert!(d.create_inbox(&Scope::default(), &NewInbox { name: "X".into(), number: Some("bad".into()), quote_id: None }).is_err());
    assert_eq!(count(&mut d), before);
}

#[test]
fn two_handles_on_one_file_see_each_others_writes() {
    // The window and the CLI each hold their own connection to one database.
    let dir = tempfile::tempdir().unwrap();
    let mut window = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    let mut cli = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    window.create_account(&acme()).unwrap();
    assert_eq!(cli.list_accounts().unwrap().len(), 1);
    for i in 0..20 {
        let (writer, reader) = if i % 2 == 0 { (&mut window, &mut cli) } else { (&mut cli, &mut window) };
        writer.create_inbox(&Scope::default(), &NewInbox { name: format!("Inbox {i}"), number: None, quote_id: None }).unwrap();
        assert_eq!(reader.inboxes(&Scope::default()).unwrap().len(), i + 1);
    }
}

#[test]
fn a_writer_blocked_past_the_busy_timeout_gets_database_locked_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    desk.create_account(&acme()).unwrap();
    let other = rusqlite::Connection::open(dir.path().join(store::DB_FILE_NAME)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = desk.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseLocked);
    other.execute_batch("ROLLBACK").unwrap();
    assert!(desk.inboxes(&Scope::default()).unwrap().is_empty());
}

#[test]
fn search_follows_edits_and_finds_short_and_long_terms() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    d.buy_seats(&Scope::default(), 2, None).unwrap();
    d.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    let invite = |emails: &[&str]| InviteRequest {
        emails: emails.iter().map(|e| e.to_string()).collect(),
        role: Role::Member,
        inbox: Some("Sales".into()),
        new_inbox: false,
        buy_shortfall_quote: None,
    };
    d.invite(&Scope::default(), &invite(&["zed@example.com", "quinn@example.com"])).unwrap();
    let find = |d: &mut Seatdesk, term: &str| -> Vec<String> {
        d.members(&Scope::default(), &MemberQuery { search: Some(term.into()), ..Default::default() })
            .unwrap()
            .rows
            .into_iter()
            .map(|m| m.email)
            .collect()
    };
    assert_eq!(find(&mut d, "zed@"), ["zed@example.com"]);
    assert_eq!(find(&mut d, "ze"), ["zed@example.com"]);
    d.edit_invite(&Scope::default(), "zed@example.com", &InviteEdit { email: Some("zoltan@example.com".into()), ..Default::default() })
        .unwrap();
    assert!(find(&mut d, "zed@").is_empty(), "the old email is gone from the index");
    assert_eq!(find(&mut d, "ZOLTAN"), ["zoltan@example.com"]);
    d.accept_invite(&Scope::default(), "quinn@example.com", Some("Quinn \"Q\" Harper")).unwrap();
    assert_eq!(find(&mut d, "harp"), ["quinn@example.com"]);
    assert_eq!(find(&mut d, "\"q\""), ["quinn@example.com"], "quotes in a term are matched literally");
    d.revoke_invite(&Scope::default(), "zoltan@example.com").unwrap();
    assert!(find(&mut d, "zoltan").is_empty());
}

#[test]
fn a_backup_restores_exactly_and_bad_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    d.create_account(&acme()).unwrap();
    d.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    let copy = dir.path().join("copy.db");
    let info = d.backup(&copy).unwrap();
    assert!(info.bytes > 0);
    assert_eq!(d.backup(&copy).unwrap_err().code, ErrorCode::FileExists, "never overwrites");
    d.create_inbox(&Scope::default(), &NewInbox { name: "After".into(), number: None, quote_id: None }).unwrap();
    assert_eq!(d.inboxes(&Scope::default()).unwrap().len(), 2);

    // Bad files first: refused, and nothing changes.
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![9u8; 4096]).unwrap();
    assert_eq!(d.restore(&Scope::default(), &garbage, None).unwrap_err().code, ErrorCode::DatabaseCorrupt);
    let newer = dir.path().join("newer.db");
    std::fs::copy(&copy, &newer).unwrap();
    let mut bytes = std::fs::read(&newer).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&newer, &bytes).unwrap();
    assert_eq!(d.restore(&Scope::default(), &newer, None).unwrap_err().code, ErrorCode::DatabaseTooNew);
    assert_eq!(d.restore(&Scope::default(), &dir.path().join("missing.db"), None).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.inboxes(&Scope::default()).unwrap().len(), 2);

    let restored = d.restore(&Scope::default(), &copy, None).unwrap();
    assert_eq!(d.inboxes(&Scope::default()).unwrap().iter().map(|i| i.name.clone()).collect::<Vec<_>>(), ["Sales"]);
    assert!(std::path::Path::new(&restored.previous_saved_as).exists(), "the replaced database is kept");
    drop(d);
    let mut again = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    assert_eq!(again.inboxes(&Scope::default()).unwrap().len(), 1, "the restore is on disk");
}

#[test]
fn accounts_never_reach_into_each_other() {
    let mut d = desk();
    d.create_account(&acme()).unwrap();
    d.create_account(&NewAccount { name: "Beta".into(), owner_email: "bea@beta.example.com".into(), ..acme() }).unwrap();
    let (a, b) = (Scope::account("Acme"), Scope::account("Beta"));
    for s in [&a, &b] {
        d.create_inbox(s, &NewInbox { name: "Sales".into(), number: Some("+15551234567".into()), quote_id: None }).unwrap();
        d.buy_seats(s, 1, None).unwrap();
    }
    d.invite(
        &a,
        &InviteRequest {
            emails: vec!["ana@example.com".into()],
            role: Role::Member,
            inbox: Some("Sales".into()),
            new_inbox: false,
            buy_shortfall_quote: None,
        },
    )
    .unwrap();
    // Acme's member, invite and ledger are invisible from Beta.
    assert_eq!(d.member(&b, "ana@example.com").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.revoke_invite(&b, "ana@example.com").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.seats(&a.clone()).unwrap().assigned, 1);
    assert_eq!(d.seats(&b.clone()).unwrap().assigned, 0);
    assert_eq!(d.ledger_all(&b, None).unwrap().len(), 2, "Beta's own number and seat");
    // Acting in Beta as Acme's Owner is refused.
    assert_eq!(d.seats(&b.clone().acting_as("Olivia@Acme.example.com")).unwrap_err().code, ErrorCode::NotAMember);
    assert_eq!(d.inbox_detail(&b, "Sales").unwrap().members.len(), 0);
    assert!(d.check(None).unwrap().is_empty());
}

/// A demo with a few conversations still gets a contact to hold them, and
/// each chunk of the load is in the audit log (mutation testing found
/// neither asserted).
#[test]
fn a_small_demo_has_its_contact_and_every_chunk_is_audited() {
    let mut d = desk();
    d.demo(&DemoOptions { members: Some(5), seed: Some(3), conversations: Some(2), ..Default::default() }, |_, _| {}).unwrap();
    let s = Scope::default();
    let held: i64 = d.all_members(&s, &MemberQuery::default()).unwrap().iter().map(|m| d.holdings(&s, &m.email).unwrap().contacts).sum();
    assert_eq!(held, 1, "2 conversations, one contact");
    let log = d.audit_log(&s, 0, 100).unwrap();
    let actions: Vec<&str> = log.rows.iter().map(|e| e.action.as_str()).collect();
    for action in ["demo.generate", "demo.members", "demo.contacts", "demo.conversations"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(d.check(None).unwrap(), vec![]);
}

/// Listing every member reads page after page (1 000 a page): an account
/// past one page lists each member once (mutation testing found the paging
/// untested).
#[test]
fn all_members_reads_past_the_first_page() {
    let mut d = desk();
    d.demo(&DemoOptions { members: Some(1_050), conversations: Some(0), seed: Some(9), ..Default::default() }, |_, _| {}).unwrap();
    let all = d.all_members(&Scope::default(), &MemberQuery::default()).unwrap();
    assert_eq!(all.len(), 1_051);
    let distinct: std::collections::BTreeSet<&str> = all.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(distinct.len(), 1_051);
}

/// The window reads its file without a memory map (what a check reads would
/// stay in its memory); a command that exits keeps the map.
#[test]
fn the_window_reads_its_file_without_a_memory_map() {
    let dir = tempfile::tempdir().unwrap();
    let mmap = |d: &Seatdesk| match &d.conn {
        store::Db::Sqlite(c) => c.query_row("PRAGMA mmap_size", [], |r| r.get::<_, i64>(0)).unwrap(),
        store::Db::Postgres(_) => unreachable!("a file"),
    };
    let d = Seatdesk::open(dir.path(), Clock::fixed(today())).unwrap();
    assert!(mmap(&d) > 0);
    let d = d.without_memory_map().unwrap();
    assert_eq!(mmap(&d), 0);
}
