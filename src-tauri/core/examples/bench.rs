//! Seatdesk against the raw-SQL floor. For each account size it builds a
//! `demo` account on a file database, then times each operation through the
//! service layer and, side by side, a minimal hand-written rusqlite version
//! doing the same reads and writes (the floor). Prints p50 / p95 and the
//! ratio Seatdesk / floor. Asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench -- [--sizes 1000,10000,100000] [--runs 20]
//!       [--conversations N]   (default: 10 per member at the largest size, 2 below)
//!       [--held N]            (conversations the deleted member holds; default 100 000)

mod timing;

use std::time::{Duration, Instant};

use timing::{header, row, time};

use rusqlite::{params, Connection};
use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{DemoOptions, InboxMemberQuery, InviteRequest, MemberQuery, SeatChoice};
use seatdesk_core::{Clock, Scope, Seatdesk};

fn raw(path: &std::path::Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c
}

/// What every Seatdesk call reads first: the account (the only one, so
/// the list) and the acting member (the Owner), for the permission check.
fn resolve_floor(c: &Connection) -> (i64, i64) {
    let account: i64 = c.prepare_cached("SELECT id, name, currency, billing_period, renews_on, seat_price_cents, number_price_cents, purchased_seats FROM account ORDER BY name COLLATE NOCASE").unwrap()
        .query_row([], |r| r.get(0)).unwrap();
    let owner: i64 = c.prepare_cached("SELECT id, account_id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at FROM member WHERE account_id = ?1 AND role = 'owner'").unwrap()
        .query_row([account], |r| r.get(0)).unwrap();
    (account, owner)
}

/// The audit entry every change appends: the previous hash, then the row.
fn audit_floor(c: &Connection, account: i64, action: &str, target: &str) {
    let prev: Option<String> = c.prepare_cached("SELECT hash FROM audit WHERE account_id = ?1 ORDER BY id DESC LIMIT 1").unwrap()
        .query_row([account], |r| r.get(0)).ok();
    c.prepare_cached("INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash) VALUES (?1, 'now', '2026-11-16', 'o', 'O', ?2, ?3, '{}', ?4, 'h')").unwrap()
        .execute(params![account, action, target, prev.unwrap_or_default()]).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<i64> = opt("--sizes").unwrap_or_else(|| "1000,10000,100000".into()).split(',').map(|s| s.trim().parse().unwrap()).collect();
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(20);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let largest = *sizes.iter().max().unwrap();
    for &size in &sizes {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("seatdesk.db");
        let mut desk = Seatdesk::open(dir.path(), Clock::fixed(today)).unwrap();
        let conversations = match opt("--conversations") {
            Some(n) => n.parse().unwrap(),
            None if size == largest => (size * 10).max(200_000),
            None => size * 2,
        };
        let t = Instant::now();
        let mut members_ms = 0.0;
        desk.demo(&DemoOptions { members: Some(size), conversations: Some(conversations), seed: Some(1), ..Default::default() }, |done, _| {
            if done == size {
                members_ms = t.elapsed().as_secs_f64() * 1000.0;
            }
        })
        .unwrap();
        let load = t.elapsed().as_secs_f64() * 1000.0;
        let (floor_members_ms, floor_load) = demo_floor(size, conversations, today);
        let c = raw(&db);
        let account: i64 = c.query_row("SELECT id FROM account", [], |r| r.get(0)).unwrap();
        let s = Scope::default();
        println!("\n== {size} members, {conversations} conversations (demo load {load:.0} ms) ==");
        header();

        // A members page, by name, with and without a search term.
        let page = |search: Option<&str>| MemberQuery { status: Some(Status::Active), search: search.map(String::from), limit: Some(100), ..Default::default() };
        let ours = time(runs, |_| drop(desk.members(&s, &page(None)).unwrap()));
        let floor = time(runs, |_| {
            resolve_floor(&c);
            let counts: Vec<(String, i64)> = c.prepare_cached("SELECT status, n FROM member_count WHERE account_id = ?1").unwrap()
                .query_map([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
            type Row = (i64, String, String, String, String, Option<String>, Option<String>, i64, Option<String>);
            let rows: Vec<Row> = c.prepare_cached("SELECT id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at FROM member WHERE account_id = ?1 AND status = 'active' ORDER BY name_sort, email_key LIMIT 100").unwrap()
                .query_map([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))).unwrap().map(Result::unwrap).collect();
            let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
            let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let n = c.prepare(&format!("SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id IN ({list})")).unwrap()
                .query_map([], |r| r.get::<_, String>(1)).unwrap().count();
            std::hint::black_box((counts, n));
        });
        row("members page (first 100, by name)", ours, Some(floor));
        let ours = time(runs, |_| drop(desk.members(&s, &page(Some("ana"))).unwrap()));
        let floor = time(runs, |_| {
            resolve_floor(&c);
            let counts: Vec<(String, i64)> = c.prepare_cached("SELECT status, n FROM member_count WHERE account_id = ?1").unwrap()
                .query_map([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
            std::hint::black_box(counts);
            let n: i64 = c.prepare_cached("SELECT count(*) FROM (SELECT 1 FROM member m WHERE m.account_id = ?1 AND m.status = 'active' AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH '\"ana\"') LIMIT 10001)").unwrap().query_row([account], |r| r.get(0)).unwrap();
            let rows = c.prepare_cached("SELECT m.id, m.email, m.name FROM member m WHERE m.account_id = ?1 AND m.status = 'active' AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH '\"ana\"') ORDER BY m.name_sort, m.email_key LIMIT 100").unwrap()
                .query_map([account], |r| r.get::<_, i64>(0)).unwrap().count();
            std::hint::black_box((n, rows));
        });
        row("members page, search \"ana\"", ours, Some(floor));

        // Seat summary and a quote.
        let summary_floor = || {
            resolve_floor(&c);
            let v: (i64, i64, i64) = c.prepare_cached("SELECT purchased_seats, (SELECT coalesce(sum(n), 0) FROM member_count WHERE account_id = ?1 AND role IN ('admin','manager','member')), (SELECT count(*) FROM inbox WHERE account_id = ?1 AND number IS NOT NULL) FROM account WHERE id = ?1").unwrap()
                .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
            std::hint::black_box(v);
        };
        row("seat summary", time(runs, |_| drop(desk.seats(&s).unwrap())), Some(time(runs, |_| summary_floor())));
        let mut quote_conn = raw(&db);
        row("seat quote (5 seats)", time(runs, |_| drop(desk.quote_seats(&s, 5).unwrap())), Some(time(runs, |_| {
            let tx = quote_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            let v: (i64, String, i64, i64) = tx.prepare_cached("SELECT purchased_seats, renews_on, seat_price_cents, (SELECT coalesce(max(id),0) FROM ledger WHERE account_id = ?1) FROM account WHERE id = ?1").unwrap()
                .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
            let owner: (i64, String) = tx.prepare_cached("SELECT id, role FROM member WHERE account_id = ?1 AND role = 'owner'").unwrap().query_row([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            let numbers: i64 = tx.prepare_cached("SELECT count(*) FROM inbox WHERE account_id = ?1 AND number IS NOT NULL").unwrap().query_row([account], |r| r.get(0)).unwrap();
            tx.commit().unwrap();
            std::hint::black_box((v, owner, numbers));
        })));

        // Invite 1 000 (seats bought up front for both).
        desk.buy_seats(&s, 100_000, None).unwrap();
        let sales: i64 = c.query_row("SELECT id FROM inbox WHERE name = 'Sales'", [], |r| r.get(0)).unwrap();
        let write_runs = runs.min(5);
        let ours = time(write_runs, |i| {
            let emails: Vec<String> = (0..1000).map(|k| format!("svc{i}-{k}@example.com")).collect();
            desk.invite(&s, &InviteRequest { emails, role: Role::Member, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None }).unwrap();
        });
        let mut floor_conn = raw(&db);
        let floor = time(write_runs, |i| {
            let tx = floor_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            for k in 0..1000 {
                let e = format!("raw{i}-{k}@example.com");
                let name = format!("raw{k}");
                tx.prepare_cached("INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, name_sort) VALUES (?1, ?2, ?2, ?3, 'member', 'pending', '2026-11-16', ?4)").unwrap()
                    .execute(params![account, e, name, seatdesk_core::domain::text::sort_key(&name)]).unwrap();
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO inbox_member (inbox_id, member_id) VALUES (?1, ?2)").unwrap().execute(params![sales, id]).unwrap();
                audit_floor(&tx, account, "member.invite", &e);
            }
            tx.commit().unwrap();
        });
        row("invite 1 000 addresses in one batch", ours, Some(floor));

        // Accept one, revoke one (fresh invitees each run), after a checkpoint
        // so that neither side pays for the invites' pages.
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        let write_runs = 20;
        let ours = time(write_runs, |i| { let k = if i == usize::MAX { 999 } else { i }; drop(desk.accept_invite(&s, &format!("svc0-{k}@example.com"), None).unwrap()) });
        let floor = time(write_runs, |i| {
            let k = if i == usize::MAX { 999 } else { i };
            let tx = floor_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            let id: i64 = tx.query_row("SELECT id FROM member WHERE account_id = ?1 AND email_key = ?2", params![account, format!("raw0-{k}@example.com")], |r| r.get(0)).unwrap();
            tx.execute("UPDATE member SET status = 'active', joined_on = '2026-11-16' WHERE id = ?1", [id]).unwrap();
            tx.execute("INSERT OR IGNORE INTO assignment_member (inbox_id, member_id) VALUES (?1, ?2)", params![sales, id]).unwrap();
            tx.execute("INSERT OR IGNORE INTO ring_group_member (inbox_id, member_id) VALUES (?1, ?2)", params![sales, id]).unwrap();
            audit_floor(&tx, account, "member.accept", "x");
            tx.commit().unwrap();
        });
        row("accept one invite", ours, Some(floor));
        let ours = time(write_runs, |i| { let k = if i == usize::MAX { 998 } else { 100 + i }; drop(desk.revoke_invite(&s, &format!("svc0-{k}@example.com")).unwrap()) });
        let floor = time(write_runs, |i| {
            let k = if i == usize::MAX { 998 } else { 100 + i };
            let tx = floor_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            let id: i64 = tx.query_row("SELECT id FROM member WHERE account_id = ?1 AND email_key = ?2", params![account, format!("raw0-{k}@example.com")], |r| r.get(0)).unwrap();
            tx.execute("DELETE FROM inbox_member WHERE member_id = ?1", [id]).unwrap();
            tx.execute("DELETE FROM member WHERE id = ?1", [id]).unwrap();
            audit_floor(&tx, account, "member.revoke", "x");
            tx.commit().unwrap();
        });
        row("revoke one invite", ours, Some(floor));

        // The window's inbox page: settings with their counts and the people
        // they name, then the first 100 members by name.
        let first_100 = InboxMemberQuery { limit: 100, ..Default::default() };
        let in_sales: i64 = c.query_row("SELECT count(*) FROM inbox_member WHERE inbox_id = ?1", [sales], |r| r.get(0)).unwrap();
        let ours = time(runs, |_| {
            drop(desk.inbox_page(&s, "Sales").unwrap());
            drop(desk.inbox_members(&s, "Sales", &first_100).unwrap());
        });
        let floor = time(runs, |_| {
            resolve_floor(&c);
            let settings: (i64, Option<i64>, String, i64) = c.prepare_cached("SELECT round_robin, default_assignee_id, ring_strategy, ring_seconds FROM routing WHERE inbox_id = ?1").unwrap()
                .query_row([sales], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
            let counts = c.prepare_cached("SELECT list, n FROM inbox_count WHERE inbox_id = ?1").unwrap().query_map([sales], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).unwrap().count();
            let next = c.prepare_cached("SELECT m.email FROM assignment_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY x.place LIMIT 5").unwrap()
                .query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            let by_name = |places: &str, limit: i64| -> usize {
                let arm = |status: &str| format!("SELECT m.email, m.name, m.role, m.status, m.name_sort, m.email_key FROM member m CROSS JOIN {places} x WHERE m.account_id = ?1 AND m.status = '{status}' AND x.inbox_id = ?2 AND x.member_id = m.id");
                c.prepare_cached(&format!("SELECT email, name, role, status FROM ({} UNION ALL {} ORDER BY 5, 6 LIMIT ?3)", arm("active"), arm("pending"))).unwrap()
                    .query_map(params![account, sales, limit], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))).unwrap().count()
            };
            std::hint::black_box((settings, counts, next, by_name("ring_group_member", 2), by_name("inbox_member", 100)));
        });
        row(&format!("inbox page (Sales, {in_sales} members: settings, counts, first 100)"), ours, Some(floor));

        // An inbox with all four settings; remove a member --everywhere.
        row("inbox show (Sales, all four settings)", time(runs, |_| drop(desk.inbox_detail(&s, "Sales").unwrap())), Some(time(runs, |_| {
            let n = c.prepare_cached("SELECT m.email, m.name, m.role, m.status FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key").unwrap()
                .query_map([sales], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))).unwrap().count();
            let settings: (i64, Option<i64>, Option<i64>, String, i64) = c.prepare_cached("SELECT round_robin, default_assignee_id, rr_last_member_id, ring_strategy, ring_seconds FROM routing WHERE inbox_id = ?1").unwrap()
                .query_row([sales], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap();
            std::hint::black_box(settings);
            let a = c.prepare_cached("SELECT m.email FROM assignment_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key").unwrap().query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            let g = c.prepare_cached("SELECT m.email FROM ring_group_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key").unwrap().query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            std::hint::black_box((n, a, g));
        })));
        let active: Vec<String> = c.prepare("SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?1 AND m.status = 'active' AND m.role = 'member' LIMIT 60").unwrap()
            .query_map([sales], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let remove_runs = 20;
        let ours = time(remove_runs, |i| { let k = if i == usize::MAX { 59 } else { i }; drop(desk.remove_inbox_member(&s, "Sales", &active[k], true).unwrap()) });
        let floor = time(remove_runs, |i| {
            let k = if i == usize::MAX { 58 } else { 20 + i };
            let tx = floor_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            let inbox: i64 = tx.prepare_cached("SELECT id FROM inbox WHERE account_id = ?1 AND name_key = 'sales'").unwrap().query_row([account], |r| r.get(0)).unwrap();
            let id: i64 = tx.prepare_cached("SELECT id FROM member WHERE account_id = ?1 AND email_key = ?2").unwrap().query_row(params![account, active[k]], |r| r.get(0)).unwrap();
            for sql in [
                "DELETE FROM assignment_member WHERE inbox_id = ?1 AND member_id = ?2",
                "DELETE FROM ring_group_member WHERE inbox_id = ?1 AND member_id = ?2",
                "DELETE FROM distribution_member WHERE member_id = ?2 AND group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)",
                "UPDATE ivr_option SET target = 'none', member_id = NULL WHERE inbox_id = ?1 AND member_id = ?2",
                "UPDATE routing SET default_assignee_id = NULL WHERE inbox_id = ?1 AND default_assignee_id = ?2",
                "DELETE FROM inbox_member WHERE inbox_id = ?1 AND member_id = ?2",
            ] {
                tx.prepare_cached(sql).unwrap().execute(params![inbox, id]).unwrap();
            }
            audit_floor(&tx, account, "inbox.remove_member", "Sales");
            tx.commit().unwrap();
        });
        row("remove a member --everywhere", ours, Some(floor));

        // Delete a member holding 100 000 conversations (or --held; at most
        // half of all there are).
        let held = (conversations / 2).min(opt("--held").map_or(100_000, |n| n.parse().unwrap()));
        let victims: Vec<(i64, String)> = c.prepare("SELECT id, email FROM member WHERE status = 'active' AND role = 'manager' LIMIT 2").unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let heir: String = c.query_row("SELECT email FROM member WHERE role = 'owner'", [], |r| r.get(0)).unwrap();
        c.execute("UPDATE conversation SET assignee_id = ?1 WHERE id <= ?2", params![victims[0].0, held]).unwrap();
        c.execute("UPDATE conversation SET assignee_id = ?1 WHERE id > ?2 AND id <= ?3", params![victims[1].0, held, 2 * held]).unwrap();
        let t = Instant::now();
        desk.delete_member(&s, &victims[0].1, Some(&heir), SeatChoice::Keep).unwrap();
        let ours = t.elapsed().as_secs_f64() * 1000.0;
        let owner_id: i64 = c.query_row("SELECT id FROM member WHERE role = 'owner'", [], |r| r.get(0)).unwrap();
        let t = Instant::now();
        {
            let tx = floor_conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
            resolve_floor(&tx);
            let v = victims[1].0;
            tx.execute("UPDATE conversation SET assignee_id = ?2 WHERE assignee_id = ?1", params![v, owner_id]).unwrap();
            tx.execute("UPDATE contact SET owner_id = ?2 WHERE owner_id = ?1", params![v, owner_id]).unwrap();
            tx.execute("UPDATE inbox SET owner_id = ?2 WHERE owner_id = ?1", params![v, owner_id]).unwrap();
            for sql in ["DELETE FROM assignment_member WHERE member_id = ?1", "DELETE FROM ring_group_member WHERE member_id = ?1", "DELETE FROM distribution_member WHERE member_id = ?1", "DELETE FROM inbox_member WHERE member_id = ?1", "DELETE FROM member WHERE id = ?1"] {
                tx.execute(sql, [v]).unwrap();
            }
            audit_floor(&tx, account, "member.delete", "x");
            tx.commit().unwrap();
        }
        let floor = t.elapsed().as_secs_f64() * 1000.0;
        row(&format!("delete a member holding {held} conversations"), (ours, ours), Some((floor, floor)));

        // check, on the whole database.
        row("check (every invariant)", time(runs.min(5), |_| drop(desk.check(None).unwrap())), Some(time(runs.min(5), |_| check_floor(&c, account))));
        row(&format!("demo load: {size} members"), (members_ms, members_ms), Some((floor_members_ms, floor_members_ms)));
        row(&format!("demo load: then {conversations} conversations"), (load - members_ms, load - members_ms), Some((floor_load - floor_members_ms, floor_load - floor_members_ms)));
        row("demo load, in all", (load, load), Some((floor_load, floor_load)));
    }
}

/// What `check` reads, as plain queries: SQLite's integrity_check, the counters
/// against a recount, seats against the ledger, each inbox's routing against
/// its active members, and the audit chain (read, not hashed).
fn check_floor(c: &Connection, account: i64) {
    let ok: String = c.query_row("PRAGMA integrity_check(10)", [], |r| r.get(0)).unwrap();
    let kept: Vec<(String, i64)> = c.prepare_cached("SELECT status, n FROM member_count WHERE account_id = ?1").unwrap()
        .query_map([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let counted: Vec<(String, i64)> = c.prepare_cached("SELECT status, count(*) FROM member WHERE account_id = ?1 GROUP BY status").unwrap()
        .query_map([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let seats: (i64, i64, i64) = c.prepare_cached(
        "SELECT purchased_seats, (SELECT coalesce(sum(n), 0) FROM member_count WHERE account_id = ?1 AND role IN ('admin','manager','member')),
                (SELECT coalesce(sum(CASE kind WHEN 'seat_purchase' THEN quantity WHEN 'seat_removal' THEN -quantity ELSE 0 END), 0) FROM ledger WHERE account_id = ?1)
         FROM account WHERE id = ?1").unwrap()
        .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    let inboxes: Vec<i64> = c.prepare_cached("SELECT id FROM inbox WHERE account_id = ?1").unwrap().query_map([account], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let mut strays = 0;
    for inbox in inboxes {
        let here = "(m.status <> 'active' OR NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = ?1 AND im.member_id = m.id))";
        for table in ["assignment_member", "ring_group_member"] {
            strays += c.prepare_cached(&format!("SELECT m.email FROM {table} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 AND {here}")).unwrap()
                .query_map([inbox], |r| r.get::<_, String>(0)).unwrap().count();
        }
        let settings: (String, i64) = c.prepare_cached("SELECT ring_strategy, (SELECT count(*) FROM distribution_group WHERE inbox_id = ?1) FROM routing WHERE inbox_id = ?1").unwrap()
            .query_row([inbox], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        std::hint::black_box(settings);
    }
    let audit = c.prepare_cached("SELECT id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash FROM audit WHERE account_id = ?1 ORDER BY id").unwrap()
        .query_map([account], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(7)?, r.get::<_, String>(9)?))).unwrap().count();
    std::hint::black_box((ok, kept, counted, seats, strays, audit));
}

/// The demo's writes as plain inserts on a fresh database of the same
/// schema, in the same chunks: members (with their search-index rows, inbox
/// places and routing), then contacts and conversations. Returns (members
/// done, all done) in ms.
fn demo_floor(members: i64, conversations: i64, today: chrono::NaiveDate) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Seatdesk::open(dir.path(), Clock::fixed(today)).unwrap();
    desk.demo(&DemoOptions { members: Some(0), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    drop(desk);
    let mut c = raw(&dir.path().join("seatdesk.db"));
    c.pragma_update(None, "cache_size", -65_536).unwrap();
    c.pragma_update(None, "temp_store", "MEMORY").unwrap();
    let account: i64 = c.query_row("SELECT id FROM account", [], |r| r.get(0)).unwrap();
    let owner: i64 = c.query_row("SELECT id FROM member WHERE role = 'owner'", [], |r| r.get(0)).unwrap();
    let inboxes: Vec<i64> = c.prepare("SELECT id FROM inbox ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let mut rng = fastrand::Rng::with_seed(1);
    let t = Instant::now();
    let mut done = 0;
    while done < members {
        let upto = (done + 20_000).min(members);
        let tx = c.transaction().unwrap();
        let first_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM member", [], |r| r.get(0)).unwrap();
        for i in done..upto {
            let email = format!("person.number{}@acme-demo.example.com", i + 1);
            let active = rng.u8(..100) >= 25;
            let role = ["admin", "manager", "member", "observer"][rng.usize(..4)];
            let name = format!("{} {}", ["Ana", "Ben", "Chloe"][rng.usize(..3)], ["Adams", "Brown", "Chen"][rng.usize(..3)]);
            tx.prepare_cached("INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, joined_on, last_sent_at, name_sort) VALUES (?1, ?2, ?2, ?3, ?4, ?5, '2026-01-01', ?6, '2026-01-01', ?7)").unwrap()
                .execute(params![account, email, name, role, if active { "active" } else { "pending" }, active.then_some("2026-01-02"), seatdesk_core::domain::text::sort_key(&name)]).unwrap();
            let id = tx.last_insert_rowid();
            let inbox = inboxes[rng.usize(..inboxes.len())];
            tx.prepare_cached("INSERT INTO inbox_member (inbox_id, member_id) VALUES (?1, ?2)").unwrap().execute(params![inbox, id]).unwrap();
            if active {
                tx.prepare_cached("INSERT INTO assignment_member (inbox_id, member_id) VALUES (?1, ?2)").unwrap().execute(params![inbox, id]).unwrap();
                tx.prepare_cached("INSERT INTO ring_group_member (inbox_id, member_id) VALUES (?1, ?2)").unwrap().execute(params![inbox, id]).unwrap();
            }
        }
        tx.prepare_cached("INSERT INTO member_fts (rowid, name, email_key) SELECT id, name, email_key FROM member WHERE id >= ?1").unwrap().execute([first_id]).unwrap();
        tx.commit().unwrap();
        done = upto;
    }
    let members_ms = t.elapsed().as_secs_f64() * 1000.0;
    let active: Vec<i64> = c.prepare("SELECT id FROM member WHERE status = 'active'").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    let contacts = (conversations / 4).max(i64::from(conversations > 0));
    for (count, contact_rows) in [(contacts, true), (conversations, false)] {
        let mut written = 0;
        while written < count {
            let upto = (written + 100_000).min(count);
            let tx = c.transaction().unwrap();
            for i in written..upto {
                let who = if active.is_empty() { owner } else { active[rng.usize(..active.len())] };
                if contact_rows {
                    tx.prepare_cached("INSERT INTO contact (account_id, name, phone, owner_id, created_at) VALUES (?1, 'Ana Adams', ?2, ?3, 'now')").unwrap()
                        .execute(params![account, format!("+1555{:07}", 2_000_000 + i), who]).unwrap();
                } else {
                    tx.prepare_cached("INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity) VALUES (?1, ?2, ?3, ?4, 'open', 'now')").unwrap()
                        .execute(params![account, inboxes[rng.usize(..inboxes.len())], 1 + i % contacts, who]).unwrap();
                }
            }
            tx.commit().unwrap();
            written = upto;
        }
    }
    (members_ms, t.elapsed().as_secs_f64() * 1000.0)
}
