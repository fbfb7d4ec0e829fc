//! Opening and migrating: fresh, reopen, upgrade with a copy, newer refused
//! untouched, foreign or garbage files refused untouched, failed migration
//! rolled back.

use super::damage::{damage_owner_page, damage_page};
use super::*;
use crate::store::Store;
use std::fs;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

#[test]
fn fresh_database_is_created_at_the_latest_schema_with_safe_pragmas() {
    let d = dir();
    let (conn, report) = open_in_dir(d.path()).unwrap();
    assert_eq!(version(&conn), SCHEMA_VERSION);
    assert_eq!(report.found_version, 0);
    assert!(report.backup.is_none());
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let strict: i64 = conn
        .query_row(
            "SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND strict = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(strict, 0, "every table is STRICT");
}

#[test]
fn reopening_keeps_data_and_takes_no_copy() {
    let d = dir();
    {
        let (conn, _) = open_in_dir(d.path()).unwrap();
        conn.execute_batch("INSERT INTO account (name, name_key, billing_period, renews_on, seat_price_cents, number_price_cents, created_at) VALUES ('A', 'a', 'monthly', '2026-12-01', 1000, 500, 'now')").unwrap();
    }
    let (conn, report) = open_in_dir(d.path()).unwrap();
    assert_eq!(report.found_version, SCHEMA_VERSION);
    assert!(report.backup.is_none());
    let n: i64 = conn.query_row("SELECT count(*) FROM account", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_newer_database_is_refused_and_left_byte_for_byte_unchanged() {
    let d = dir();
    {
        let (conn, _) = open_in_dir(d.path()).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let path = d.path().join(DB_FILE_NAME);
    let before = fs::read(&path).unwrap();
    let err = open_in_dir(d.path()).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseTooNew);
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!d.path().join(format!("{DB_FILE_NAME}-wal")).exists(), "no WAL file was created");
}

#[test]
fn garbage_and_truncated_files_are_refused_untouched() {
    for bytes in [
        b"this is a text file, not a database at all; it is long enough to have a header........ padding".to_vec(),
        vec![0x42; 4096],
        b"SQLite format 3\0".to_vec(),
    ] {
        let d = dir();
        let path = d.path().join(DB_FILE_NAME);
        fs::write(&path, &bytes).unwrap();
        let err = open_in_dir(d.path()).unwrap_err();
        assert_eq!(err.code, ErrorCode::DatabaseCorrupt, "{:?}", &bytes[..8]);
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "nothing else was written");
    }
}

#[test]
fn another_applications_sqlite_file_is_refused_untouched() {
    let d = dir();
    let path = d.path().join(DB_FILE_NAME);
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = open_in_dir(d.path()).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_read_only_database_is_refused_before_opening() {
    let d = dir();
    drop(open_in_dir(d.path()).unwrap());
    let path = d.path().join(DB_FILE_NAME);
    let mut perms = fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).unwrap();
    let err = open_in_dir(d.path()).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseReadOnly);
}

#[test]
fn an_unusable_data_dir_is_refused() {
    let d = dir();
    let file = d.path().join("plain-file");
    fs::write(&file, "x").unwrap();
    let err = open_in_dir(&file.join("sub")).unwrap_err();
    assert_eq!(err.code, ErrorCode::DataDirUnwritable);
    let err = open_in_dir(&file).unwrap_err();
    assert_eq!(err.code, ErrorCode::DataDirUnwritable);
}

static V1_ONLY: &[M<'static>] = &[M::up(include_str!("migrations/001_foundation.sql"))];
static V2_OK: &[M<'static>] =
    &[M::up(include_str!("migrations/001_foundation.sql")), M::up("CREATE TABLE extra (x INTEGER) STRICT; INSERT INTO extra VALUES (1);")];
static V2_BROKEN: &[M<'static>] = &[
    M::up(include_str!("migrations/001_foundation.sql")),
    M::up("CREATE TABLE extra (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);"),
];

fn v1_database_with_an_account(d: &Path) -> PathBuf {
    let path = d.join(DB_FILE_NAME);
    let (conn, _) = open_file_with(&path, V1_ONLY).unwrap();
    conn.execute_batch("INSERT INTO account (name, name_key, billing_period, renews_on, seat_price_cents, number_price_cents, created_at) VALUES ('A', 'a', 'monthly', '2026-12-31', 1000, 500, 'now')").unwrap();
    path
}

#[test]
fn the_real_upgrade_from_v1_keeps_accounts_and_sets_the_renewal_day() {
    let d = dir();
    let path = v1_database_with_an_account(d.path());
    let (conn, report) = open_file(&path).unwrap();
    assert_eq!((report.found_version, version(&conn)), (1, SCHEMA_VERSION));
    assert!(report.backup.is_some());
    let day: i64 = conn.query_row("SELECT renewal_day FROM account", [], |r| r.get(0)).unwrap();
    assert_eq!(day, 31);
    let ledger: i64 = conn.query_row("SELECT count(*) FROM ledger", [], |r| r.get(0)).unwrap();
    assert_eq!(ledger, 0);
}

/// Schema 12 gives accounts made before it their beginning, their current
/// period and its row in `plan_period`, from what the database holds.
#[test]
fn the_upgrade_to_plan_periods_dates_existing_accounts_from_their_books() {
    let d = dir();
    let path = d.path().join(DB_FILE_NAME);
    let (conn, _) = open_file_with(&path, &MIGRATION_STEPS[..11]).unwrap();
    conn.execute_batch(
        "INSERT INTO account (id, name, name_key, billing_period, renews_on, seat_price_cents, number_price_cents, created_at, renewal_day)
             VALUES (1, 'A', 'a', 'monthly', '2027-01-16', 1000, 500, '2026-11-16T10:00:00.000000Z', 16);
         INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, seats_after, assigned_after, created_at)
             VALUES (1, '2026-11-10', 'seat_purchase', 1, 1000, 1000, 'o', 'O', 1, 0, ''),
                    (1, '2026-12-16', 'seat_renewal', 1, 1000, 1000, 'system', 'S', 1, 0, '');
         INSERT INTO member (account_id, email, email_key, name, role, status, created_at)
             VALUES (1, 'Jose\u{301}@B\u{fc}cher.de', 'jose\u{301}@b\u{fc}cher.de', 'José', 'admin', 'active', '');",
    )
    .unwrap();
    drop(conn);
    let (conn, report) = open_file(&path).unwrap();
    assert_eq!((report.found_version, version(&conn)), (11, SCHEMA_VERSION));
    let account = conn.accounts().by_name("A").unwrap();
    assert_eq!(account.began_on.to_string(), "2026-11-10", "the back-dated purchase came before the row was made");
    assert_eq!(account.plan.current_period().0.to_string(), "2026-12-16", "the last renewal");
    assert_eq!(account.plan.scheduled, None);
    // Schema 13: the address is found by any of its forms.
    let jose = conn
        .members()
        .find_by_email(account.id, &crate::domain::email::EmailKey::of("jos\u{e9}@xn--bcher-kva.de"))
        .unwrap()
        .expect("rekeyed in its normal form");
    assert_eq!(jose.name, "José");
    let periods = conn.periods().all(account.id).unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!((periods[0].starts_on.to_string(), periods[0].ends_on.to_string()), ("2026-12-16".into(), "2027-01-16".into()));
}

#[test]
fn an_upgrade_takes_a_copy_first_and_applies_the_new_step() {
    let d = dir();
    let path = v1_database_with_an_account(d.path());
    let (conn, report) = open_file_with(&path, V2_OK).unwrap();
    assert_eq!(version(&conn), 2);
    assert_eq!(report.found_version, 1);
    let backup = report.backup.expect("a copy before migrating");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600, "the pre-migration copy is private");
    let copy = Connection::open(&backup).unwrap();
    assert_eq!(version(&copy), 1, "the copy is the old version");
    let n: i64 = copy.query_row("SELECT count(*) FROM account", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    let x: i64 = conn.query_row("SELECT x FROM extra", [], |r| r.get(0)).unwrap();
    assert_eq!(x, 1);
}

#[test]
fn a_failed_migration_rolls_back_completely() {
    let d = dir();
    let path = v1_database_with_an_account(d.path());
    let err = open_file_with(&path, V2_BROKEN).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    let (conn, _) = open_file_with(&path, V1_ONLY).unwrap();
    assert_eq!(version(&conn), 1);
    let extra: i64 = conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'extra'", [], |r| r.get(0)).unwrap();
    assert_eq!(extra, 0, "the half-applied step left nothing behind");
}

#[test]
fn audit_entries_cannot_be_changed() {
    let conn = open_in_memory().unwrap();
    conn.execute_batch("INSERT INTO account (id, name, name_key, billing_period, renews_on, seat_price_cents, number_price_cents, created_at) VALUES (1, 'A', 'a', 'monthly', '2026-12-01', 1000, 500, 'now')").unwrap();
    let e = crate::store::audit::Entry {
        account_id: crate::domain::AccountId(1),
        at: "t",
        business_date: "d",
        actor_email: "a@b.co",
        actor_name: "A",
        action: "x",
        target: "y",
        details: "{}",
    };
    conn.audit().append(&e).unwrap();
    conn.audit().append(&e).unwrap();
    assert_eq!(conn.audit().first_broken_link(crate::domain::AccountId(1)).unwrap(), None);
    assert!(conn.execute("UPDATE audit SET target = 'z'", []).is_err());
    assert!(conn.execute("DELETE FROM audit", []).is_err());
}

/// A value Seatdesk never wrote (a tool bypassing its checks) reads as
/// damage, `database_corrupt`, never as a silent default: an unknown role
/// is not an Observer, a bad date is not 1970.
#[test]
fn a_stored_value_that_does_not_read_is_damage_not_a_default() {
    let conn = open_in_memory().unwrap();
    conn.execute_batch(
        "INSERT INTO account (id, name, name_key, billing_period, renews_on, seat_price_cents, number_price_cents, created_at, renewal_day, began_on, period_start)
             VALUES (1, 'A', 'a', 'monthly', '2027-01-16', 1000, 500, '', 16, '2026-12-16', '2026-12-16');
         PRAGMA ignore_check_constraints = ON;
         INSERT INTO member (account_id, email, email_key, name, role, status, created_at, name_sort)
             VALUES (1, 'x@example.com', 'x@example.com', 'X', 'superuser', 'active', '', 'x'),
                    (1, 'y@example.com', 'y@example.com', 'Y', 'member', 'active', '', 'y');
         UPDATE member SET joined_on = 'yesterday' WHERE email = 'y@example.com';",
    )
    .unwrap();
    for email in ["x@example.com", "y@example.com"] {
        let e = conn.members().find_by_email(crate::domain::AccountId(1), &crate::domain::email::EmailKey::of(email)).unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::DatabaseCorrupt, "{email}: {e:?}");
    }
}

/// An index that disagrees with its table answers queries wrongly: the full
/// integrity check of `check` finds it (SQLite's quick check does not).
#[test]
fn check_finds_an_index_that_disagrees_with_its_table() {
    let d = dir();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    desk.demo(&crate::service::DemoOptions { members: Some(20), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    assert!(desk.check(None).unwrap().is_empty());
    drop(desk);
    let file = d.path().join("seatdesk.db");
    let step = |sql: &str| Connection::open(&file).unwrap().execute_batch(sql).unwrap();
    // The index rebuilt on its columns in another order, then its declared
    // order put back without rebuilding it.
    step("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ledger_by_kind ON ledger(account_id, id, kind)' WHERE name = 'ledger_by_kind';");
    step("REINDEX ledger_by_kind;");
    step("PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ledger_by_kind ON ledger(account_id, kind, id)' WHERE name = 'ledger_by_kind';");
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    let found = desk.check(None).unwrap();
    assert!(found.iter().any(|v| v.rule == "integrity" && v.message.contains("ledger_by_kind")), "{found:?}");
}

/// The overview's "every account again" and the window's check of the
/// database scan the file on a connection of their own, beside the
/// accounts' checks: what that scan finds reaches both.
#[test]
fn the_file_scanned_beside_the_accounts_reports_what_it_finds() {
    let d = dir();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    desk.demo(&crate::service::DemoOptions { members: Some(20), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    assert_eq!(desk.desk(crate::service::DeskCheck::All).unwrap().storage_problems, Some(vec![]));
    // A page of the search index (which no account's check reads) that
    // misstates its fragmented bytes.
    drop(desk);
    let file = d.path().join("seatdesk.db");
    damage_page(&file, "SELECT rootpage FROM sqlite_schema WHERE name = 'member_fts_data'", |page| page[7] = page[7].wrapping_add(9));
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    let found = desk.desk(crate::service::DeskCheck::All).unwrap().storage_problems.unwrap();
    assert!(found.iter().any(|p| p.starts_with("integrity: SQLite's integrity check: ")), "{found:?}");
    let apart = desk.storage_check_apart().unwrap();
    let found = std::thread::spawn(apart).join().unwrap().unwrap();
    assert!(found.iter().any(|p| p.starts_with("integrity: ")), "{found:?}");
    assert_eq!(desk.storage_check().unwrap(), found);
}

/// A damaged page that some account's check reads (an index of members)
/// and that stops SQLite's own check: `check` and the overview's recheck
/// still answer, naming the damage, instead of failing whole (found by
/// trying: `check` said only "database_corrupt").
#[test]
fn a_damaged_page_is_a_finding_not_the_end_of_the_check() {
    let d = dir();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    desk.demo(&crate::service::DemoOptions { members: Some(300), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    desk.demo(&crate::service::DemoOptions { name: Some("Beta".into()), members: Some(50), conversations: Some(0), seed: Some(9) }, |_, _| {}).unwrap();
    drop(desk);
    let file = d.path().join("seatdesk.db");
    let page = damage_page(&file, "SELECT pageno FROM dbstat WHERE name = 'member_by_status_email' AND pagetype = 'leaf' LIMIT 1", |page| {
        page[4050..4053].iter_mut().for_each(|b| *b ^= 0xff)
    });
    let mut desk = crate::service::Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    let found = desk.check(None).unwrap();
    assert!(found.iter().any(|v| v.rule == "integrity" && v.account == "*" && v.message.contains(&format!("page {page}"))), "the file's own check names the page: {found:?}");
    let overview = desk.desk(crate::service::DeskCheck::All).unwrap();
    assert!(overview.storage_problems.as_ref().is_some_and(|p| !p.is_empty()), "{:?}", overview.storage_problems);
    assert_eq!(overview.accounts.len(), 2);
}

/// A damaged page under one account's Owner row: the overview still shows
/// every other account with its figures, and names that one as not read
/// (found by trying: `accounts --recheck` failed whole with
/// "database_corrupt" when the page held an Owner).
#[test]
fn an_account_whose_rows_do_not_read_is_named_and_the_others_shown() {
    use crate::service::{DemoOptions, DeskCheck, DeskQuery, Seatdesk};
    let d = dir();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let mut desk = Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    for (name, seed) in [("Alpha", 1), ("Beta", 2), ("Gamma", 3)] {
        desk.demo(&DemoOptions { name: Some(name.into()), members: Some(60), conversations: Some(0), seed: Some(seed) }, |_, _| {}).unwrap();
    }
    let before = desk.desk(DeskCheck::Kept).unwrap();
    drop(desk);
    damage_owner_page(&d.path().join("seatdesk.db"), "Beta");
    let mut desk = Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    for check in [DeskCheck::Kept, DeskCheck::Changed, DeskCheck::All] {
        let overview = desk.desk(check).unwrap();
        assert_eq!(overview.unreadable.iter().map(|v| (v.account.as_str(), v.rule.as_str())).collect::<Vec<_>>(), [("Beta", "integrity")], "{check:?}");
        assert_eq!(overview.all_accounts, 3);
        let gamma = overview.accounts.iter().find(|a| a.name == "Gamma").expect("Gamma is shown");
        let gamma_before = before.accounts.iter().find(|a| a.name == "Gamma").unwrap();
        assert_eq!((gamma.owner_email.as_str(), gamma.active, gamma.pending, gamma.purchased), (gamma_before.owner_email.as_str(), gamma_before.active, gamma_before.pending, gamma_before.purchased));
        assert!(overview.accounts.iter().all(|a| a.name != "Beta"));
        assert_eq!(overview.totals.accounts, overview.accounts.len() as i64, "the totals leave the unread account out");
    }
    assert!(desk.desk(DeskCheck::All).unwrap().storage_problems.is_some_and(|p| !p.is_empty()), "the file's scan names the damage");
    // One account asked for: that account alone is named; searched, it is
    // named whatever the text.
    let only = desk.desk(DeskQuery { check: DeskCheck::Kept, account: Some("Beta".into()), search: None }).unwrap();
    assert_eq!((only.accounts.len(), only.unreadable.len()), (0, 1));
    let searched = desk.desk(DeskQuery { check: DeskCheck::Kept, account: None, search: Some("gam".into()) }).unwrap();
    assert_eq!((searched.accounts.len(), searched.unreadable.len()), (1, 1), "its Owner, unread, might match");
    // The list of accounts (the window's first read) still lists it, its Owner blank.
    let listed = desk.list_accounts().unwrap();
    assert_eq!(listed.iter().map(|a| (a.name.as_str(), a.owner_email.is_empty())).collect::<Vec<_>>(), [("Alpha", false), ("Beta", true), ("Gamma", false)]);
    let found = desk.check(None).unwrap();
    assert!(found.iter().any(|v| v.account == "Beta" && v.rule == "integrity"), "{found:?}");
    // The damage stops SQLite's own scans: the table it is in is named.
    assert!(found.iter().any(|v| v.account == "*" && v.message.contains("the table member or an index of it does not read")), "{found:?}");
}

/// The `account` table's own page damaged: nothing opens the file but
/// `check`, which says where (found by trying: `check` too said only
/// "database_corrupt"); and an index damaged so that SQLite's check stops
/// is named with its table, no other index with it.
#[test]
fn check_says_which_table_does_not_read_when_sqlite_s_own_check_stops() {
    use crate::service::{DemoOptions, Seatdesk};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let d = dir();
    let mut desk = Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    desk.demo(&DemoOptions { members: Some(60), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    drop(desk);
    let file = d.path().join("seatdesk.db");
    let pristine = fs::read(&file).unwrap();
    damage_page(&file, "SELECT rootpage FROM sqlite_schema WHERE name = 'account'", |page| page[0] = 0);
    let refused = Seatdesk::open(d.path(), crate::Clock::fixed(today)).err().expect("refused");
    assert_eq!(refused.code, ErrorCode::DatabaseCorrupt);
    // A backup of it is refused as the source's damage, not the target's
    // folder (found by trying: it said `data_dir_unwritable`).
    let target = d.path().join("copy.db");
    let refused = backup_into(&Connection::open(&file).unwrap(), &target).err().expect("refused");
    assert_eq!(refused.code, ErrorCode::DatabaseCorrupt, "{refused:?}");
    assert!(!target.exists());
    let mut desk = Seatdesk::open_to_check(d.path(), crate::Clock::fixed(today)).unwrap();
    let found = desk.check(None).unwrap();
    let said: Vec<&str> = found.iter().map(|v| v.message.as_str()).collect();
    assert!(said.iter().any(|m| m.starts_with("the table account or an index of it does not read")), "{said:?}");
    assert!(said.iter().any(|m| m.starts_with("the accounts could not all be read")), "{said:?}");
    drop(desk);

    fs::write(&file, &pristine).unwrap();
    damage_page(&file, "SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_member_1'", |page| page[0] = 0);
    let found = Seatdesk::open_to_check(d.path(), crate::Clock::fixed(today)).unwrap().check(None).unwrap();
    let unread: Vec<&str> = found.iter().filter(|v| v.message.contains("does not read to its end")).map(|v| v.message.as_str()).collect();
    assert!(unread.iter().all(|m| m.starts_with("the table member ")), "only the table of the damaged index: {unread:?}");
    // SQLite names the damaged B-tree by its root page; check adds what it is.
    assert!(found.iter().any(|v| v.message.contains("(index sqlite_autoindex_member_1) page")), "{found:?}");
}

/// A membership whose member row is gone (or, on a damaged page, no longer
/// reads as theirs) is not called "a member of another account" (found by
/// trying: a damaged page of members was reported as 26 members of others).
#[test]
fn a_membership_of_no_member_is_named_as_such() {
    use crate::service::{DemoOptions, Seatdesk};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let d = dir();
    let mut desk = Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap();
    desk.demo(&DemoOptions { members: Some(20), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    drop(desk);
    let conn = Connection::open(d.path().join("seatdesk.db")).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; UPDATE inbox_member SET member_id = 999999 WHERE (inbox_id, member_id) = (SELECT inbox_id, member_id FROM inbox_member ORDER BY 1, 2 LIMIT 1)").unwrap();
    drop(conn);
    let found = Seatdesk::open(d.path(), crate::Clock::fixed(today)).unwrap().check(None).unwrap();
    assert!(
        found.iter().any(|v| v.rule == "one_account" && v.message.ends_with("holds #999999, no member of any account (their row is missing or does not read)")),
        "{found:?}"
    );
}
