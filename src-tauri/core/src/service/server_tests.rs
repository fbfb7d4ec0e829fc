//! The shared server's access rules, on a real server
//! (`SEATDESK_TEST_DATABASE_URL`; scripts/pg.sh starts one): a login sees
//! only the accounts it was granted, acts only as its member, and cannot
//! write the books in another's name, whatever SQL it sends.

use super::*;
use crate::domain::{Role, SeatSummary};

fn server() -> Option<String> {
    std::env::var("SEATDESK_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

/// `url` connecting as `login` instead (the test cluster trusts local logins).
fn as_login(url: &str, login: &str) -> String {
    url.replacen("postgres@", &format!("{login}@"), 1)
}

fn day() -> Clock {
    Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())
}

fn account(name: &str, owner: &str) -> NewAccount {
    NewAccount { name: name.into(), owner_email: owner.into(), owner_name: "Owner".into(), ..Default::default() }
}

/// Alpha (Ana a Member, active) and Beta, on a fresh schema; returns the
/// administrator's desk, the schema and a login granted Alpha as Ana.
fn two_accounts(url: &str) -> (Seatdesk, String, String) {
    let schema = format!("access_{}_{}", std::process::id(), fastrand::u32(..));
    let mut admin = Seatdesk::connect_in_schema(url, Some(&schema), day()).unwrap();
    admin.create_account(&account("Alpha", "olivia@alpha.example")).unwrap();
    admin.create_account(&account("Beta", "bob@beta.example")).unwrap();
    let alpha = Scope::account("Alpha");
    admin.buy_seats(&alpha, 2, None).unwrap();
    let invite = InviteRequest {
        emails: vec!["ana@alpha.example".into()],
        role: Role::Admin,
        inbox: None,
        new_inbox: true,
        buy_shortfall_quote: None,
    };
    admin.invite(&alpha, &invite).unwrap();
    admin.accept_invite(&alpha, "ana@alpha.example", Some("Ana")).unwrap();
    let login = format!("ana_{}", fastrand::u32(..));
    admin.server_grant_member(&login, "Alpha", "ana@alpha.example").unwrap();
    (admin, schema, login)
}

#[test]
fn a_login_sees_its_accounts_only_and_acts_as_its_member_only() {
    let Some(url) = server() else { return };
    let (mut admin, schema, login) = two_accounts(&url);
    let mut ana = Seatdesk::connect_in_schema(&as_login(&url, &login), Some(&schema), day()).unwrap();
    let names: Vec<String> = ana.list_accounts().unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["Alpha"], "Beta is not the login's");
    assert_eq!(ana.seats(&Scope::account("Beta")).unwrap_err().code, ErrorCode::NotFound);
    // No account named: the only one it sees.
    assert_eq!(ana.acting_member(&Scope::default()).unwrap().email, "ana@alpha.example");
    let e = ana.acting_member(&Scope::default().acting_as("olivia@alpha.example")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotPermitted, "{}", e.message);
    // What Ana does is written in her name, with her login beside it.
    ana.create_inbox(&Scope::default(), &NewInbox { name: "Ana's".into(), number: None, quote_id: None }).unwrap();
    let page = admin.audit_log(&Scope::account("Alpha"), 0, 1).unwrap();
    assert_eq!((page.rows[0].action.as_str(), page.rows[0].actor_email.as_str()), ("inbox.create", "ana@alpha.example"));
    assert_eq!(page.rows[0].login.as_deref(), Some(login.as_str()), "the server names the login that wrote it");
    // Ana changes her own address: the entry of that change is hers.
    ana.set_my_email(&Scope::default(), "ana.new@alpha.example").unwrap();
    assert_eq!(admin.audit_log(&Scope::account("Alpha"), 0, 1).unwrap().rows[0].login.as_deref(), Some(login.as_str()));
    assert_eq!(ana.acting_member(&Scope::default()).unwrap().email, "ana.new@alpha.example");
    // Revoked: the login opens nothing, and is told why.
    admin.server_revoke(&login, Some("Alpha")).unwrap();
    assert_eq!(ana.list_accounts().unwrap_err().code, ErrorCode::NotPermitted);
    assert!(admin.server_access().unwrap().iter().all(|r| r.login != login));
}

#[test]
fn whatever_sql_a_login_sends_it_reads_no_other_account_and_forges_no_entry() {
    let Some(url) = server() else { return };
    let (_admin, schema, login) = two_accounts(&url);
    let mut config: postgres::Config = as_login(&url, &login).parse().unwrap();
    config.options(&format!("-c search_path={schema}"));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    let count = |raw: &mut postgres::Client, sql: &str| -> i64 { raw.query_one(sql, &[]).unwrap().get(0) };
    for table in ["account", "member", "audit", "ledger", "inbox", "member_count", "plan_period"] {
        let beta = if table == "account" { "id" } else { "account_id" };
        let sql = format!("SELECT count(*) FROM {table} WHERE {beta} = (SELECT 2)");
        assert_eq!(count(&mut raw, &sql), 0, "{table} rows of Beta");
    }
    assert!(count(&mut raw, "SELECT count(*) FROM member") > 0, "its own account's rows are there");
    assert!(raw.query("SELECT * FROM seatdesk_grant", &[]).is_err(), "the grants are the administrator's");
    let forge = |raw: &mut postgres::Client, account: i64, actor: &str| {
        raw.execute(
            "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
             VALUES ($1, 'now', '2026-11-16', $2, 'x', 'seats.buy', 'x', '{}', '', '')",
            &[&account, &actor],
        )
    };
    for (account, actor) in [
        (1, "olivia@alpha.example"),
        (1, "Olivia@Alpha.Example"),
        (1, "support:Sam"),
        (1, "server:postgres"),
        (1, "migrate:postgres"),
        (2, "bob@beta.example"),
        (2, "ana@alpha.example"),
    ] {
        let e = forge(&mut raw, account, actor).expect_err("refused");
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{account} {actor}: {e}");
    }
    assert!(raw.execute("UPDATE ledger SET amount_cents = 0", &[]).is_err(), "the ledger is append-only for a login");
    assert!(raw.execute("DELETE FROM audit", &[]).is_err(), "so is the audit log");
    // Even in its own name, an entry that does not continue the chain is
    // refused: the log cannot be broken for good from a login.
    let e = forge(&mut raw, 1, "ana@alpha.example").expect_err("refused");
    assert_eq!(e.code(), Some(&postgres::error::SqlState::CHECK_VIOLATION), "{e}");
}

/// Entries that continue `head` for `account` in order: (prev, hash, target).
fn chained(account: i64, head: &str, targets: &[&str]) -> Vec<(String, String, String)> {
    use crate::store::audit::{entry_hash, Entry};
    let mut prev = head.to_string();
    targets
        .iter()
        .map(|t| {
            let e = Entry {
                account_id: crate::domain::AccountId(account),
                at: "now",
                business_date: "2026-11-16",
                actor_email: "system",
                actor_name: "System",
                action: "test.batch",
                target: t,
                details: "{}",
            };
            let hash = entry_hash(&prev, &e);
            (std::mem::replace(&mut prev, hash.clone()), hash, t.to_string())
        })
        .collect()
}

#[test]
fn the_server_checks_a_batch_of_entries_link_by_link() {
    // The chain is checked once per statement over the entries it wrote:
    // a batch must link to the newest entry, each entry to the one before,
    // and end the log. Even the administrator cannot write a broken one.
    let Some(url) = server() else { return };
    let (mut admin, schema, _) = two_accounts(&url);
    let mut config: postgres::Config = url.parse().unwrap();
    config.options(&format!("-c search_path={schema}"));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    let head = |raw: &mut postgres::Client, account: i64| -> String {
        raw.query_one("SELECT hash FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT 1", &[&account]).unwrap().get(0)
    };
    let insert = |raw: &mut postgres::Client, rows: &[(i64, Option<i64>, String, String, String)]| {
        let mut tx = raw.transaction().unwrap();
        let accounts: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let ids: Vec<Option<i64>> = rows.iter().map(|r| r.1).collect();
        let prevs: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        let hashes: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        let targets: Vec<&str> = rows.iter().map(|r| r.4.as_str()).collect();
        tx.execute(
            "INSERT INTO audit (id, account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
             OVERRIDING SYSTEM VALUE
             SELECT coalesce(i, nextval(pg_get_serial_sequence('audit', 'id'))), a, 'now', '2026-11-16', 'system', 'System', 'test.batch', t, '{}', p, h
             FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(a, i, p, h, t, nr) ORDER BY nr",
            &[&accounts, &ids, &prevs, &hashes, &targets],
        )?;
        tx.commit()
    };
    let rows = |account: i64, entries: Vec<(String, String, String)>| -> Vec<(i64, Option<i64>, String, String, String)> {
        entries.into_iter().map(|(p, h, t)| (account, None, p, h, t)).collect()
    };
    let refused = |r: Result<(), postgres::Error>| {
        let e = r.expect_err("refused");
        assert_eq!(e.code(), Some(&postgres::error::SqlState::CHECK_VIOLATION), "{e}");
    };
    let before = admin.verify_audit(&Scope::account("Alpha"), None).unwrap().entries;

    // The second entry links to the newest entry too, not to the first (a
    // fork), each hash right.
    let newest = head(&mut raw, 1);
    let mut batch = rows(1, chained(1, &newest, &["a"]));
    batch.extend(rows(1, chained(1, &newest, &["b", "c"])));
    refused(insert(&mut raw, &batch));
    // The first links to an older entry than the newest.
    refused(insert(&mut raw, &rows(1, chained(1, crate::store::audit::GENESIS, &["a"]))));
    // A hash that is not the entry's.
    let mut batch = rows(1, chained(1, &head(&mut raw, 1), &["a", "b"]));
    batch[1].3 = "0".repeat(64);
    refused(insert(&mut raw, &batch));
    // Slipped in just before the newest entry (into a gap of ids), linked
    // to the entry before that one: every link holds, but it does not end the log.
    raw.batch_execute("SELECT nextval(pg_get_serial_sequence('audit', 'id')) FROM generate_series(1, 5)").unwrap();
    admin.buy_seats(&Scope::account("Alpha"), 1, None).unwrap();
    let (newest_id, before_newest): (i64, String) = {
        let r = raw.query_one("SELECT id, prev_hash FROM audit WHERE account_id = 1 ORDER BY id DESC LIMIT 1", &[]).unwrap();
        (r.get(0), r.get(1))
    };
    let mut slipped = rows(1, chained(1, &before_newest, &["x"]));
    slipped[0].1 = Some(newest_id - 1);
    refused(insert(&mut raw, &slipped));
    let before = before + 1;
    assert_eq!(admin.verify_audit(&Scope::account("Alpha"), None).unwrap().entries, before, "nothing of the refused batches stayed");

    // Two accounts in one statement, each continuing its own chain: taken.
    // (Lengths past 255 and 65 535 bytes, and letters of two and four bytes:
    // the server's length prefix is Seatdesk's.)
    let (long, longer) = ("é".repeat(300), "𝄞x".repeat(14_000));
    let mut both = rows(1, chained(1, &head(&mut raw, 1), &["a", &long, &longer]));
    both.extend(rows(2, chained(2, &head(&mut raw, 2), &["d", "e"])));
    insert(&mut raw, &both).unwrap();
    for (name, added) in [("Alpha", 3), ("Beta", 2)] {
        let verdict = admin.verify_audit(&Scope::account(name), None).unwrap();
        assert!(verdict.ok, "{name}: {verdict:?}");
        if name == "Alpha" {
            assert_eq!(verdict.entries, before + added);
        }
    }
}

#[test]
fn the_support_desk_shows_a_login_the_accounts_it_is_granted_only() {
    let Some(url) = server() else { return };
    let (mut admin, schema, login) = two_accounts(&url);
    let support = |account: &str| Scope { support: Some(SupportTicket { agent: "Sam".into(), ticket: "T-5".into() }), ..Scope::account(account) };
    admin.buy_seats(&support("Beta"), 1, None).unwrap();
    admin.buy_seats(&support("Alpha"), 1, None).unwrap();
    assert_eq!(admin.desk(DeskCheck::Changed).unwrap().totals.accounts, 2);
    assert_eq!(admin.ticket_trail("T-5", None, 0, 100).map(|p| p.rows).unwrap().len(), 2);

    let mut ana = Seatdesk::connect_in_schema(&as_login(&url, &login), Some(&schema), day()).unwrap();
    // What the administrator's check found is the administrator's: each
    // login is shown what its own check found.
    let before = ana.desk(DeskCheck::Kept).unwrap();
    assert_eq!((before.accounts[0].problems.as_ref(), before.accounts[0].checked_at.as_ref()), (None, None));
    let desk = ana.desk(DeskCheck::Changed).unwrap();
    let names: Vec<&str> = desk.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!((names, desk.totals.accounts, desk.totals.purchased), (vec!["Alpha"], 1, 3));
    assert_eq!(desk.accounts[0].problems.as_deref(), Some(&[][..]));
    let found: Vec<String> = ana.find_members(".example", None).unwrap().members.into_iter().map(|m| format!("{} {}", m.account, m.email)).collect();
    assert_eq!(found, ["Alpha ana@alpha.example", "Alpha olivia@alpha.example"], "Beta's Bob is not the login's to see");
    assert!(ana.find_members("bob@beta", None).unwrap().members.is_empty());
    let trail: Vec<Option<String>> = ana.ticket_trail("T-5", None, 0, 100).map(|p| p.rows).unwrap().into_iter().map(|e| e.account).collect();
    assert_eq!(trail, [Some("Alpha".to_string())]);
}

#[test]
fn a_support_login_sees_every_account_and_grants_are_checked() {
    let Some(url) = server() else { return };
    let (mut admin, schema, _) = two_accounts(&url);
    let sam = format!("sam_{}", fastrand::u32(..));
    admin.server_grant_support(&sam).unwrap();
    let mut support = Seatdesk::connect_in_schema(&as_login(&url, &sam), Some(&schema), day()).unwrap();
    assert_eq!(support.list_accounts().unwrap().len(), 2);
    assert_eq!(admin.server_grant_member("Robert'); DROP", "Alpha", "ana@alpha.example").unwrap_err().code, ErrorCode::InvalidLogin);
    assert_eq!(admin.server_grant_member("pg_monitor", "Alpha", "ana@alpha.example").unwrap_err().code, ErrorCode::InvalidLogin);
    // The administrator itself, and any superuser: they bypass row-level security.
    assert_eq!(admin.server_grant_member("postgres", "Alpha", "ana@alpha.example").unwrap_err().code, ErrorCode::InvalidLogin);
    assert_eq!(admin.server_grant_member("zed", "Alpha", "nobody@alpha.example").unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(admin.server_revoke("nobody_at_all", None).unwrap_err().code, ErrorCode::NotFound);
    let rows = admin.server_access().unwrap();
    assert!(rows.iter().any(|r| r.login == sam && r.support), "{rows:?}");
}

#[test]
fn the_local_file_has_no_logins() {
    let mut d = Seatdesk::open_in_memory(day()).unwrap();
    assert_eq!(d.server_grant_support("sam").unwrap_err().code, ErrorCode::ServerRequired);
    assert_eq!(d.server_login().unwrap(), None);
}

/// Everything a person can see of an account, to compare two copies.
fn everything(d: &mut Seatdesk, name: &str) -> (Vec<MemberView>, Vec<InboxView>, Vec<LedgerEntryView>, SeatSummary, Vec<String>) {
    let scope = Scope::account(name);
    let members = d.all_members(&scope, &MemberQuery::default()).unwrap();
    let inboxes = d.inboxes(&scope).unwrap();
    let ledger = d.ledger(&scope, &LedgerQuery { kind: None, offset: None, limit: Some(1000) }).unwrap().rows;
    let seats = d.seats(&scope).unwrap();
    let routing = inboxes.iter().map(|i| format!("{:?}", d.inbox_detail(&scope, &i.name).unwrap())).collect();
    (members, inboxes, ledger, seats, routing)
}

#[test]
fn an_account_moves_to_the_server_and_back_with_its_books_and_chain_intact() {
    let Some(url) = server() else { return };
    let mut local = Seatdesk::open_in_memory(day()).unwrap();
    local.demo(&DemoOptions { members: Some(120), conversations: Some(600), ..Default::default() }, |_, _| {}).unwrap();
    local.create_account(&account("Other", "otto@other.example")).unwrap();
    let name = DEMO_ACCOUNT_NAME;
    let before = everything(&mut local, name);
    let head = local.verify_audit(&Scope::account(name), None).unwrap();
    let schema = format!("moved_{}_{}", std::process::id(), fastrand::u32(..));
    let mut shared = Seatdesk::connect_in_schema(&url, Some(&schema), day()).unwrap();
    // A dry run says what would move and moves nothing.
    let dry = local.migrate_account(&Scope::account(name), &mut shared, true).unwrap();
    assert!(dry.tables.iter().any(|t| t.table == "member" && t.rows == 121), "{:?}", dry.tables);
    assert!(shared.list_accounts().unwrap().is_empty());
    let moved = local.migrate_account(&Scope::account(name), &mut shared, false).unwrap();
    assert_eq!(moved.check, vec![], "the copy holds on the server");
    assert_eq!((moved.audit_entries, moved.audit_head.as_str()), (head.entries, head.head.as_str()));
    assert_eq!(everything(&mut shared, name), before, "the server shows what the file showed");
    let on_server = shared.verify_audit(&Scope::account(name), Some(&head.head)).unwrap();
    assert!(on_server.ok && on_server.expected_head_found == Some(true) && on_server.entries == head.entries + 1);
    // Written on the server: the entry names the login that wrote it.
    shared.create_inbox(&Scope::account(name), &NewInbox { name: "Written on the server".into(), number: None, quote_id: None }).unwrap();
    let on_server_login = shared.audit_log(&Scope::account(name), 0, 1).unwrap().rows[0].login.clone();
    assert!(on_server_login.is_some());
    assert_eq!(local.audit_log(&Scope::account(name), 0, 1).unwrap().rows[0].login, None, "written on this computer");
    // A second copy of the same account is refused, and changes nothing;
    // its dry run says so too.
    assert_eq!(local.migrate_account(&Scope::account(name), &mut shared, false).unwrap_err().code, ErrorCode::DuplicateAccount);
    assert_eq!(local.migrate_account(&Scope::account(name), &mut shared, true).unwrap_err().code, ErrorCode::DuplicateAccount);
    // And back into a file for offline bookkeeping.
    let mut back = Seatdesk::open_in_memory(day()).unwrap();
    let before = everything(&mut shared, name);
    shared.migrate_account(&Scope::account(name), &mut back, false).unwrap();
    assert_eq!(everything(&mut back, name), before, "the file shows what the server showed");
    let logins: Vec<Option<String>> = back.audit_log(&Scope::account(name), 0, 3).unwrap().rows.into_iter().map(|r| r.login).collect();
    // Newest first: this copy's own entry (written here), the inbox made on
    // the server, and the first copy's entry (written on the server).
    assert_eq!(logins, [None, on_server_login.clone(), on_server_login.clone()]);
    assert_eq!(back.check(None).unwrap(), vec![]);
    let home = back.verify_audit(&Scope::account(name), Some(&head.head)).unwrap();
    assert!(home.ok && home.expected_head_found == Some(true) && home.entries == head.entries + 3, "{home:?}");
    // Searching finds the moved members in the file's own index.
    let found = back.all_members(&Scope::account(name), &MemberQuery { search: Some("ana".into()), ..Default::default() }).unwrap();
    let expected = local.all_members(&Scope::account(name), &MemberQuery { search: Some("ana".into()), ..Default::default() }).unwrap();
    assert_eq!(found, expected);
}

#[test]
fn an_account_that_check_faults_does_not_move() {
    let Some(url) = server() else { return };
    let mut local = Seatdesk::open_in_memory(day()).unwrap();
    local.create_account(&account("Alpha", "olivia@alpha.example")).unwrap();
    local.sql("UPDATE account SET purchased_seats = 3");
    let mut shared = Seatdesk::connect_in_schema(&url, Some(&format!("faulty_{}", fastrand::u32(..))), day()).unwrap();
    assert_eq!(local.migrate_account(&Scope::default(), &mut shared, false).unwrap_err().code, ErrorCode::CheckFailed);
    assert!(shared.list_accounts().unwrap().is_empty());
}

#[test]
fn a_change_from_another_desktop_is_heard_at_once_and_ones_own_is_not() {
    let Some(url) = server() else { return };
    let (mut admin, schema, login) = two_accounts(&url);
    let mut ana = Seatdesk::connect_in_schema(&as_login(&url, &login), Some(&schema), day()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let _listening = ana.listen(move |account| tx.send(account).unwrap()).unwrap().expect("a server listens");
    let started = std::time::Instant::now();
    admin.create_inbox(&Scope::account("Beta"), &NewInbox { name: "Beta's".into(), number: None, quote_id: None }).unwrap();
    admin.create_inbox(&Scope::account("Alpha"), &NewInbox { name: "Night".into(), number: None, quote_id: None }).unwrap();
    let heard = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("the change is heard");
    assert_eq!(heard, "Alpha", "Beta's change is not Ana's to hear (she cannot see Beta)");
    println!("a change from another desktop heard after {:?}", started.elapsed());
    ana.create_inbox(&Scope::default(), &NewInbox { name: "Ana's".into(), number: None, quote_id: None }).unwrap();
    assert!(rx.recv_timeout(std::time::Duration::from_millis(1500)).is_err(), "one's own change is not news");
}

/// What a login may change follows its member's role on the server too:
/// a Member's login changes its own address, and nothing of the account.
#[test]
fn a_members_login_cannot_raise_itself_or_write_the_books_whatever_sql_it_sends() {
    let Some(url) = server() else { return };
    let (mut admin, schema, _) = two_accounts(&url);
    let alpha = Scope::account("Alpha");
    admin.invite(&alpha, &InviteRequest { emails: vec!["mo@alpha.example".into()], role: Role::Member, inbox: None, new_inbox: true, buy_shortfall_quote: None }).unwrap();
    admin.accept_invite(&alpha, "mo@alpha.example", Some("Mo")).unwrap();
    let mo = format!("mo_{}", fastrand::u32(..));
    admin.server_grant_member(&mo, "Alpha", "mo@alpha.example").unwrap();
    // Through Seatdesk: it reads, and changes its own address.
    let mut desk = Seatdesk::connect_in_schema(&as_login(&url, &mo), Some(&schema), day()).unwrap();
    assert_eq!(desk.seats(&Scope::default()).unwrap().purchased, 2);
    desk.set_my_email(&Scope::default(), "mo.new@alpha.example").unwrap();
    // Through SQL: no role, no status, no one else's address, no account, no ledger.
    let mut config: postgres::Config = as_login(&url, &mo).parse().unwrap();
    config.options(&format!("-c search_path={schema}"));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    for sql in [
        "UPDATE member SET role = 'admin' WHERE email = 'mo.new@alpha.example'",
        "UPDATE member SET email = 'x@alpha.example' WHERE email = 'olivia@alpha.example'",
        "UPDATE account SET purchased_seats = 99",
        "INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, seats_after, assigned_after, created_at)
         SELECT id, '2026-11-16', 'seat_removal', 5, 0, 0, 'olivia@alpha.example', 'Olivia', 0, 0, 'now' FROM account",
        "INSERT INTO inbox (account_id, name, name_key, owner_id, created_at) SELECT account_id, 'X', 'x', id, 'now' FROM member WHERE email = 'mo.new@alpha.example'",
    ] {
        let e = raw.batch_execute(sql).expect_err(sql);
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e}");
    }
    // Nor through the kept counts, nor through a table of its own standing
    // in for the grants, nor an entry in "system"'s or support's name.
    for sql in [
        "UPDATE member_count SET n = 0",
        "UPDATE member SET inbox_count = 0 WHERE email = 'ana@alpha.example'",
        "UPDATE member SET email = 'olivia@alpha.example', name = 'Olivia' WHERE email = 'mo.new@alpha.example'",
        "UPDATE member SET email = 'OLIVIA@alpha.example' WHERE email = 'mo.new@alpha.example'",
        "UPDATE member SET email = 'support:Sam' WHERE email = 'mo.new@alpha.example'",
    ] {
        let e = raw.batch_execute(sql).expect_err(sql);
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{sql}: {e}");
    }
    raw.batch_execute(
        "CREATE TEMP TABLE seatdesk_grant (login text, account_id bigint, member_id bigint, support boolean);
         INSERT INTO seatdesk_grant VALUES (session_user, NULL, NULL, TRUE);",
    )
    .unwrap();
    let seen: i64 = raw.query_one("SELECT count(*) FROM account", &[]).unwrap().get(0);
    assert_eq!(seen, 1, "a temporary table of the login's own does not make it support");
    let e = raw.batch_execute("UPDATE member SET role = 'admin' WHERE email = 'mo.new@alpha.example'").expect_err("refused");
    assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{e}");
    raw.batch_execute("DROP TABLE seatdesk_grant").unwrap();
    for actor in ["system", "SUPPORT:Sam", "Olivia@Alpha.Example"] {
        // Even with its own row touched in the same transaction.
        let mut tx = raw.transaction().unwrap();
        tx.batch_execute("UPDATE member SET name = name WHERE email = 'mo.new@alpha.example'").unwrap();
        let e = tx
            .execute(
                "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
                 SELECT id, 'now', '2026-11-16', $1, 'x', 'plan.renew', 'x', '{}', '', '' FROM account",
                &[&actor],
            )
            .expect_err(actor);
        assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{actor}: {e}");
    }
    // Rows it may not delete are not there to delete.
    assert_eq!(raw.execute("DELETE FROM member WHERE email = 'ana@alpha.example'", &[]).unwrap(), 0);
    assert_eq!(raw.execute("DELETE FROM inbox_member", &[]).unwrap(), 0);
    assert_eq!(admin.check(None).unwrap(), vec![]);
    // Promoted by the Owner, the same login books seats.
    admin.change_role(&alpha, "mo.new@alpha.example", Role::Admin, SeatChoice::Keep).unwrap();
    desk.buy_seats(&Scope::default(), 1, None).unwrap();
}

/// A Manager's login runs inboxes through Seatdesk, and sets no billed
/// number behind its back; an Owner's login books the renewals that fell
/// due; a revoke in one database leaves the login's grants in another.
#[test]
fn a_managers_login_runs_inboxes_an_owners_books_renewals_and_revokes_stay_in_their_database() {
    let Some(url) = server() else { return };
    let (mut admin, schema, _) = two_accounts(&url);
    let alpha = Scope::account("Alpha");
    admin.invite(&alpha, &InviteRequest { emails: vec!["max@alpha.example".into()], role: Role::Manager, inbox: None, new_inbox: true, buy_shortfall_quote: None }).unwrap();
    admin.accept_invite(&alpha, "max@alpha.example", Some("Max")).unwrap();
    let max = format!("max_{}", fastrand::u32(..));
    admin.server_grant_member(&max, "Alpha", "max@alpha.example").unwrap();
    let mut manager = Seatdesk::connect_in_schema(&as_login(&url, &max), Some(&schema), day()).unwrap();
    manager.create_inbox(&Scope::default(), &NewInbox { name: "Night".into(), number: None, quote_id: None }).unwrap();
    manager.add_inbox_member(&Scope::default(), "Night", "ana@alpha.example").unwrap();
    let mut config: postgres::Config = as_login(&url, &max).parse().unwrap();
    config.options(&format!("-c search_path={schema}"));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    let e = raw.batch_execute("UPDATE inbox SET number = '+15557770001' WHERE name = 'Night'").expect_err("a billed number");
    assert_eq!(e.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{e}");
    assert_eq!(admin.check(None).unwrap(), vec![]);

    // The Owner's login opens the account a month on: the renewal is booked.
    let olivia = format!("olivia_{}", fastrand::u32(..));
    admin.server_grant_member(&olivia, "Alpha", "olivia@alpha.example").unwrap();
    let later = Clock::fixed(NaiveDate::from_ymd_opt(2027, 1, 20).unwrap());
    let mut owner = Seatdesk::connect_in_schema(&as_login(&url, &olivia), Some(&schema), later).unwrap();
    let renewals = owner.ledger(&alpha, &LedgerQuery { kind: Some(crate::domain::billing::LedgerKind::SeatRenewal), offset: None, limit: None }).unwrap();
    assert!(renewals.total > 0, "the Owner's login booked the renewals");
    owner.buy_seats(&alpha, 1, None).unwrap();

    // The same login granted in two databases (two schemas here): revoked in one only.
    let (mut other_admin, other_schema, _) = two_accounts(&url);
    other_admin.server_grant_member(&max, "Alpha", "ana@alpha.example").unwrap();
    admin.server_revoke(&max, None).unwrap();
    assert_eq!(Seatdesk::connect_in_schema(&as_login(&url, &max), Some(&schema), day()).err().expect("revoked here").code, ErrorCode::NotPermitted);
    let mut still = Seatdesk::connect_in_schema(&as_login(&url, &max), Some(&other_schema), day()).unwrap();
    assert_eq!(still.list_accounts().unwrap().len(), 1, "the other database's grant stands");
    let _ = manager;
}

/// A row hanging off an inbox stays filed under the inbox's account: a hand
/// UPDATE of its account (as the administrator) is derived back, so no
/// login sees a row another login of the same account misses (found by
/// trying, issue #23: one login's counts disagreed with another's).
#[test]
fn a_rows_account_follows_its_inbox_whatever_an_update_says() {
    let Some(url) = server() else { return };
    let (mut admin, schema, login) = two_accounts(&url);
    let mut config: postgres::Config = url.parse().unwrap();
    config.options(&format!("-c search_path={schema}"));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    let tables = ["inbox_member", "routing", "assignment_member", "ring_group_member", "distribution_group", "ivr_option", "distribution_member"];
    let misfiled = |raw: &mut postgres::Client| -> Vec<(String, i64)> {
        tables
            .iter()
            .map(|t| {
                let parent = if *t == "distribution_member" { "distribution_group g ON g.id = x.group_id" } else { "inbox g ON g.id = x.inbox_id" };
                let n: i64 = raw.query_one(&format!("SELECT count(*) FROM {t} x JOIN {parent} WHERE x.account_id <> g.account_id"), &[]).unwrap().get(0);
                (t.to_string(), n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    let rows: i64 = raw.query_one("SELECT count(*) FROM inbox_member", &[]).unwrap().get(0);
    assert!(rows >= 1);
    for t in tables {
        raw.batch_execute(&format!("UPDATE {t} SET account_id = (SELECT id FROM account WHERE name = 'Beta')")).unwrap();
    }
    assert_eq!(misfiled(&mut raw), vec![]);
    // Ana's login sees her inbox's members as the administrator does.
    let mut ana = Seatdesk::connect_in_schema(&as_login(&url, &login), Some(&schema), day()).unwrap();
    let alpha = Scope::account("Alpha");
    let inboxes = admin.inboxes(&alpha).unwrap();
    assert!(!inboxes.is_empty());
    for inbox in inboxes {
        let theirs = admin.inbox_detail(&alpha, &inbox.name).unwrap();
        assert!(!theirs.members.is_empty(), "{}", inbox.name);
        assert_eq!(ana.inbox_detail(&Scope::default(), &inbox.name).unwrap().members, theirs.members, "{}", inbox.name);
    }
    assert_eq!(ana.check(None).unwrap(), vec![]);
}
