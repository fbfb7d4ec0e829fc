//! Seatdesk against the raw-SQL floor. For each account size it builds a
//! `demo` account on a file database, then times each operation through the
//! service layer and, side by side, a minimal hand-written rusqlite version
//! doing the same reads and writes (the floor). Prints p50 / p95 and the
//! ratio Seatdesk / floor. Asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench -- [--sizes 1000,10000,100000] [--runs 20]

use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{DemoOptions, InviteRequest, MemberQuery, SeatChoice};
use seatdesk_core::{Clock, Scope, Seatdesk};

fn stats(mut t: Vec<Duration>) -> (f64, f64) {
    t.sort();
    let at = |p: f64| t[((t.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.95))
}

fn time(runs: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    f(usize::MAX); // warm-up
    stats((0..runs).map(|i| { let t = Instant::now(); f(i); t.elapsed() }).collect())
}

fn row(name: &str, ours: (f64, f64), floor: Option<(f64, f64)>) {
    match floor {
        Some(fl) => println!("{name:<44} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7.2}", ours.0, ours.1, fl.0, fl.1, ours.1 / fl.1.max(1e-6)),
        None => println!("{name:<44} {:>9.2} {:>9.2} {:>9} {:>9} {:>7}", ours.0, ours.1, "-", "-", "-"),
    }
}

fn raw(path: &std::path::Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c
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
        let conversations = if size == largest { (size * 10).max(200_000) } else { size * 2 };
        let t = Instant::now();
        desk.demo(&DemoOptions { members: Some(size), conversations: Some(conversations), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
        let load = t.elapsed().as_secs_f64() * 1000.0;
        let c = raw(&db);
        let account: i64 = c.query_row("SELECT id FROM account", [], |r| r.get(0)).unwrap();
        let s = Scope::default();
        println!("\n== {size} members, {conversations} conversations (demo load {load:.0} ms) ==");
        println!("{:<44} {:>9} {:>9} {:>9} {:>9} {:>7}", "operation", "p50 ms", "p95 ms", "floor p50", "floor p95", "ratio95");

        // A members page, by name, with and without a search term.
        let page = |search: Option<&str>| MemberQuery { status: Some(Status::Active), search: search.map(String::from), limit: Some(100), ..Default::default() };
        let ours = time(runs, |_| drop(desk.members(&s, &page(None)).unwrap()));
        let floor = time(runs, |_| {
            let counts: Vec<(String, i64)> = c.prepare_cached("SELECT status, count(*) FROM member WHERE account_id = ?1 GROUP BY status").unwrap()
                .query_map([account], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
            let ids: Vec<i64> = c.prepare_cached("SELECT id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at FROM member WHERE account_id = ?1 AND status = 'active' ORDER BY name COLLATE NOCASE, email_key LIMIT 100").unwrap()
                .query_map([account], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let n = c.prepare(&format!("SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id IN ({list})")).unwrap()
                .query_map([], |r| r.get::<_, String>(1)).unwrap().count();
            std::hint::black_box((counts, n));
        });
        row("members page (first 100, by name)", ours, Some(floor));
        let ours = time(runs, |_| drop(desk.members(&s, &page(Some("ana"))).unwrap()));
        let floor = time(runs, |_| {
            let n: i64 = c.prepare_cached("SELECT count(*) FROM (SELECT 1 FROM member m WHERE m.account_id = ?1 AND m.status = 'active' AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH '\"ana\"') LIMIT 10001)").unwrap().query_row([account], |r| r.get(0)).unwrap();
            let rows = c.prepare_cached("SELECT m.id, m.email, m.name FROM member m WHERE m.account_id = ?1 AND m.status = 'active' AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH '\"ana\"') ORDER BY m.name COLLATE NOCASE, m.email_key LIMIT 100").unwrap()
                .query_map([account], |r| r.get::<_, i64>(0)).unwrap().count();
            std::hint::black_box((n, rows));
        });
        row("members page, search \"ana\"", ours, Some(floor));

        // Seat summary and a quote.
        let summary_floor = || {
            let v: (i64, i64, i64) = c.prepare_cached("SELECT purchased_seats, (SELECT count(*) FROM member WHERE account_id = ?1 AND role IN ('admin','manager','member')), (SELECT count(*) FROM inbox WHERE account_id = ?1 AND number IS NOT NULL) FROM account WHERE id = ?1").unwrap()
                .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
            std::hint::black_box(v);
        };
        row("seat summary", time(runs, |_| drop(desk.seats(&s).unwrap())), Some(time(runs, |_| summary_floor())));
        row("seat quote (5 seats)", time(runs, |_| drop(desk.quote_seats(&s, 5).unwrap())), Some(time(runs, |_| {
            let v: (i64, String, i64, i64) = c.prepare_cached("SELECT purchased_seats, renews_on, seat_price_cents, (SELECT coalesce(max(id),0) FROM ledger WHERE account_id = ?1) FROM account WHERE id = ?1").unwrap()
                .query_row([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
            std::hint::black_box(v);
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
            let tx = floor_conn.transaction().unwrap();
            for k in 0..1000 {
                let e = format!("raw{i}-{k}@example.com");
                tx.prepare_cached("INSERT INTO member (account_id, email, email_key, name, role, status, invited_on) VALUES (?1, ?2, ?2, ?3, 'member', 'pending', '2026-11-16')").unwrap()
                    .execute(params![account, e, format!("raw{k}")]).unwrap();
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO inbox_member (inbox_id, member_id) VALUES (?1, ?2)").unwrap().execute(params![sales, id]).unwrap();
                tx.prepare_cached("INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash) VALUES (?1, 'now', '2026-11-16', 'o', 'O', 'member.invite', ?2, '{}', '', '')").unwrap()
                    .execute(params![account, e]).unwrap();
            }
            tx.commit().unwrap();
        });
        row("invite 1 000 addresses in one batch", ours, Some(floor));

        // Accept one, revoke one (fresh invitees each run).
        let ours = time(write_runs, |i| { let k = if i == usize::MAX { 999 } else { i }; drop(desk.accept_invite(&s, &format!("svc0-{k}@example.com"), None).unwrap()) });
        let floor = time(write_runs, |i| {
            let k = if i == usize::MAX { 999 } else { i };
            let tx = floor_conn.transaction().unwrap();
            let id: i64 = tx.query_row("SELECT id FROM member WHERE email_key = ?1", [format!("raw0-{k}@example.com")], |r| r.get(0)).unwrap();
            tx.execute("UPDATE member SET status = 'active', joined_on = '2026-11-16' WHERE id = ?1", [id]).unwrap();
            tx.execute("INSERT OR IGNORE INTO assignment_member (inbox_id, member_id) VALUES (?1, ?2)", params![sales, id]).unwrap();
            tx.execute("INSERT OR IGNORE INTO ring_group_member (inbox_id, member_id) VALUES (?1, ?2)", params![sales, id]).unwrap();
            tx.commit().unwrap();
        });
        row("accept one invite", ours, Some(floor));
        let ours = time(write_runs, |i| { let k = if i == usize::MAX { 998 } else { 100 + i }; drop(desk.revoke_invite(&s, &format!("svc0-{k}@example.com")).unwrap()) });
        let floor = time(write_runs, |i| {
            let k = if i == usize::MAX { 998 } else { 100 + i };
            let tx = floor_conn.transaction().unwrap();
            let id: i64 = tx.query_row("SELECT id FROM member WHERE email_key = ?1", [format!("raw0-{k}@example.com")], |r| r.get(0)).unwrap();
            tx.execute("DELETE FROM inbox_member WHERE member_id = ?1", [id]).unwrap();
            tx.execute("DELETE FROM member WHERE id = ?1", [id]).unwrap();
            tx.commit().unwrap();
        });
        row("revoke one invite", ours, Some(floor));

        // An inbox with all four settings; remove a member --everywhere.
        row("inbox show (Sales, all four settings)", time(runs.min(10), |_| drop(desk.inbox_detail(&s, "Sales").unwrap())), Some(time(runs.min(10), |_| {
            let n = c.prepare_cached("SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?1 ORDER BY m.name COLLATE NOCASE").unwrap().query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            let a = c.prepare_cached("SELECT m.email FROM assignment_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name COLLATE NOCASE").unwrap().query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            let g = c.prepare_cached("SELECT m.email FROM ring_group_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name COLLATE NOCASE").unwrap().query_map([sales], |r| r.get::<_, String>(0)).unwrap().count();
            std::hint::black_box((n, a, g));
        })));
        let active: Vec<String> = c.prepare("SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?1 AND m.status = 'active' AND m.role = 'member' LIMIT 40").unwrap()
            .query_map([sales], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let ours = time(write_runs, |i| { let k = if i == usize::MAX { 39 } else { i }; drop(desk.remove_inbox_member(&s, "Sales", &active[k], true).unwrap()) });
        let floor = time(write_runs, |i| {
            let k = if i == usize::MAX { 38 } else { 10 + i };
            let tx = floor_conn.transaction().unwrap();
            let id: i64 = tx.query_row("SELECT id FROM member WHERE email = ?1", [&active[k]], |r| r.get(0)).unwrap();
            for sql in ["DELETE FROM assignment_member WHERE inbox_id = ?1 AND member_id = ?2", "DELETE FROM ring_group_member WHERE inbox_id = ?1 AND member_id = ?2", "DELETE FROM inbox_member WHERE inbox_id = ?1 AND member_id = ?2"] {
                tx.execute(sql, params![sales, id]).unwrap();
            }
            tx.commit().unwrap();
        });
        row("remove a member --everywhere", ours, Some(floor));

        // Delete a member holding 100 000 conversations (or all there are).
        let held = (conversations / 2).min(100_000);
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
            let tx = floor_conn.transaction().unwrap();
            let v = victims[1].0;
            tx.execute("UPDATE conversation SET assignee_id = ?2 WHERE assignee_id = ?1", params![v, owner_id]).unwrap();
            tx.execute("UPDATE contact SET owner_id = ?2 WHERE owner_id = ?1", params![v, owner_id]).unwrap();
            tx.execute("UPDATE inbox SET owner_id = ?2 WHERE owner_id = ?1", params![v, owner_id]).unwrap();
            for sql in ["DELETE FROM assignment_member WHERE member_id = ?1", "DELETE FROM ring_group_member WHERE member_id = ?1", "DELETE FROM distribution_member WHERE member_id = ?1", "DELETE FROM inbox_member WHERE member_id = ?1", "DELETE FROM member WHERE id = ?1"] {
                tx.execute(sql, [v]).unwrap();
            }
            tx.commit().unwrap();
        }
        let floor = t.elapsed().as_secs_f64() * 1000.0;
        row(&format!("delete a member holding {held} conversations"), (ours, ours), Some((floor, floor)));

        // check, on the whole database.
        row("check (every invariant)", time(runs.min(5), |_| drop(desk.check(None).unwrap())), Some(time(runs.min(5), |_| {
            let ok: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
            summary_floor();
            std::hint::black_box(ok);
        })));
        println!("{:<44} {load:>9.0}", format!("demo load ({size} members, {conversations} conversations)"));
    }
}
