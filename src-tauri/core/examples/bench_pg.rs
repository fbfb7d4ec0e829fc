//! Seatdesk on a shared PostgreSQL server against a hand-written
//! PostgreSQL floor doing the same reads and writes over the same socket.
//! For each size it loads a `demo` account into a fresh schema, then times
//! each operation through the service layer and, side by side, the floor
//! (prepared statements on one connection, in one transaction per
//! operation). Prints p50 / p95 and the ratio Seatdesk / floor at p95.
//! Asserts nothing.
//!
//!   SEATDESK_TEST_DATABASE_URL=postgresql://postgres@/db?host=/tmp/... \
//!   cargo run --release -p seatdesk-core --example bench_pg -- [--sizes 1000,100000] [--runs 20]

mod timing;

use std::time::{Duration, Instant};

use timing::{header, pair, row, stats, time};

use postgres::{Client, NoTls};
use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{DemoOptions, InviteRequest, MemberQuery};
use seatdesk_core::{Clock, Scope, Seatdesk};

/// A raw connection with the schema first on its search path.
fn raw(url: &str, schema: &str) -> Client {
    let mut config: postgres::Config = url.parse().unwrap();
    config.options(&format!("-c search_path={schema},public"));
    config.connect(NoTls).unwrap()
}

/// What every Seatdesk call reads first: the account and the acting member.
fn resolve_floor(c: &mut impl postgres::GenericClient, lock: bool) -> (i64, i64) {
    let sql = if lock {
        "SELECT id, name, currency, billing_period, renews_on, seat_price_cents, number_price_cents, purchased_seats FROM account ORDER BY lower(name) FOR UPDATE"
    } else {
        "SELECT id, name, currency, billing_period, renews_on, seat_price_cents, number_price_cents, purchased_seats FROM account ORDER BY lower(name)"
    };
    let account: i64 = c.query_one(sql, &[]).unwrap().get(0);
    let owner: i64 = c
        .query_one("SELECT id, account_id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at FROM member WHERE account_id = $1 AND role = 'owner'", &[&account])
        .unwrap()
        .get(0);
    (account, owner)
}

/// The hash of the floor's entry (fixed actor and date) after `prev`.
fn floor_hash(prev: &str, account: i64, action: &str, target: &str) -> String {
    use seatdesk_core::store::audit::{entry_hash, Entry};
    let entry = Entry {
        account_id: seatdesk_core::domain::AccountId(account),
        at: "now",
        business_date: "2026-11-16",
        actor_email: "o",
        actor_name: "O",
        action,
        target,
        details: "{}",
    };
    entry_hash(prev, &entry)
}

/// The audit entry every change appends: the previous hash, then the row
/// with its own hash (the server checks the chain).
fn audit_floor(c: &mut impl postgres::GenericClient, account: i64, action: &str, target: &str) {
    use seatdesk_core::store::audit::GENESIS;
    let prev: String = c
        .query_opt("SELECT hash FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT 1", &[&account])
        .unwrap()
        .map(|r| r.get(0))
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = floor_hash(&prev, account, action, target);
    c.execute(
        "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash) VALUES ($1, 'now', '2026-11-16', 'o', 'O', $2, $3, '{}', $4, $5)",
        &[&account, &action, &target, &prev, &hash],
    )
    .unwrap();
}

fn main() {
    let url = std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL names the server (scripts/pg.sh starts one)");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<i64> = opt("--sizes").unwrap_or_else(|| "1000,100000".into()).split(',').map(|s| s.trim().parse().unwrap()).collect();
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(20);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    for &size in &sizes {
        let schema = format!("bench_{}_{size}", std::process::id());
        let mut admin = raw(&url, "public");
        admin.batch_execute(&format!("CREATE SCHEMA {schema}")).unwrap();
        let server = format!("{url}&options=-c%20search_path%3D{schema},public");
        let mut desk = Seatdesk::connect(&server, Clock::fixed(today)).unwrap();
        let conversations = size * 2;
        let t = Instant::now();
        desk.demo(&DemoOptions { members: Some(size), conversations: Some(conversations), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
        let load = t.elapsed().as_secs_f64() * 1000.0;
        let mut c = raw(&url, &schema);
        c.batch_execute("ANALYZE").unwrap();
        let account: i64 = c.query_one("SELECT id FROM account", &[]).unwrap().get(0);
        let s = Scope::default();
        println!("\n== PostgreSQL: {size} members, {conversations} conversations (demo load {load:.0} ms) ==");
        header();

        // A members page, by name, with and without a search term.
        let page = |search: Option<&str>| MemberQuery { status: Some(Status::Active), search: search.map(String::from), limit: Some(100), ..Default::default() };
        let (ours, floor) = pair(runs, |_| drop(desk.members(&s, &page(None)).unwrap()), |_| {
            let mut tx = c.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start().unwrap();
            resolve_floor(&mut tx, false);
            let counts = tx.query("SELECT status, sum(n)::bigint FROM member_count WHERE account_id = $1 GROUP BY status", &[&account]).unwrap();
            let rows = tx
                .query("SELECT id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at FROM member WHERE account_id = $1 AND status = 'active' ORDER BY name_sort, email_key LIMIT 100", &[&account])
                .unwrap();
            let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            let names = tx.query("SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id = ANY($1)", &[&ids]).unwrap();
            tx.commit().unwrap();
            std::hint::black_box((counts, names));
        });
        row("members page (first 100, by name)", ours, Some(floor));
        let (ours, floor) = pair(runs, |_| drop(desk.members(&s, &page(Some("ana"))).unwrap()), |_| {
            let mut tx = c.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start().unwrap();
            resolve_floor(&mut tx, false);
            let counts = tx.query("SELECT status, sum(n)::bigint FROM member_count WHERE account_id = $1 GROUP BY status", &[&account]).unwrap();
            let like = "%ana%";
            let n: i64 = tx
                .query_one("SELECT count(*) FROM (SELECT 1 FROM member m WHERE m.account_id = $1 AND m.status = 'active' AND (m.email_key LIKE $2 OR lower(m.name) LIKE $2) LIMIT 10001) AS capped", &[&account, &like])
                .unwrap()
                .get(0);
            let rows = tx
                .query("SELECT m.id, m.email, m.name FROM member m WHERE m.account_id = $1 AND m.status = 'active' AND (m.email_key LIKE $2 OR lower(m.name) LIKE $2) ORDER BY m.name_sort, m.email_key LIMIT 100", &[&account, &like])
                .unwrap();
            let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
            let names = tx.query("SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id = ANY($1)", &[&ids]).unwrap();
            tx.commit().unwrap();
            std::hint::black_box((counts, n, names));
        });
        row("members page, search \"ana\"", ours, Some(floor));

        // Seat summary.
        let (ours, floor) = pair(runs, |_| drop(desk.seats(&s).unwrap()), |_| {
            let mut tx = c.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start().unwrap();
            resolve_floor(&mut tx, false);
            let n = tx.query("SELECT status, role, n FROM member_count WHERE account_id = $1", &[&account]).unwrap();
            let numbers: i64 = tx.query_one("SELECT count(*) FROM inbox WHERE account_id = $1 AND number IS NOT NULL", &[&account]).unwrap().get(0);
            tx.commit().unwrap();
            std::hint::black_box((n, numbers));
        });
        row("seat summary", ours, Some(floor));

        // Invite 1 000 (seats bought up front for both).
        desk.buy_seats(&s, 100_000, None).unwrap();
        let sales: i64 = c.query_one("SELECT id FROM inbox WHERE name = 'Sales'", &[]).unwrap().get(0);
        let write_runs = runs.min(5);
        // The floor writes the batch as Seatdesk does: which addresses are
        // taken, then one statement per table, columns as arrays.
        let (ours, floor) = pair(write_runs, |i| {
            let emails: Vec<String> = (0..1000).map(|k| format!("svc{i}-{k}@example.com")).collect();
            desk.invite(&s, &InviteRequest { emails, role: Role::Member, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None }).unwrap();
        }, |i| {
            let mut tx = c.transaction().unwrap();
            resolve_floor(&mut tx, true);
            let emails: Vec<String> = (0..1000).map(|k| format!("raw{i}-{k}@example.com")).collect();
            let names: Vec<String> = (0..1000).map(|k| format!("raw{k}")).collect();
            let sorts: Vec<String> = names.iter().map(|n| seatdesk_core::domain::text::sort_key(n)).collect();
            let taken = tx.query("SELECT m.email_key FROM unnest($2::text[]) AS k(key) JOIN member m ON m.account_id = $1 AND m.email_key = k.key", &[&account, &emails]).unwrap();
            assert!(taken.is_empty());
            let ids: Vec<i64> = tx
                .query(
                    "INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, name_sort)
                     SELECT $1, e, e, n, 'member', 'pending', '2026-11-16', s FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(e, n, s, nr) ORDER BY nr RETURNING id",
                    &[&account, &emails, &names, &sorts],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            tx.execute("INSERT INTO inbox_member (inbox_id, member_id) SELECT $1, unnest($2::bigint[])", &[&sales, &ids]).unwrap();
            let mut prev: String = tx.query_one("SELECT hash FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT 1", &[&account]).unwrap().get(0);
            let (mut prevs, mut hashes) = (Vec::new(), Vec::new());
            for e in &emails {
                let hash = floor_hash(&prev, account, "member.invite", e);
                prevs.push(std::mem::replace(&mut prev, hash.clone()));
                hashes.push(hash);
            }
            tx.execute(
                "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
                 SELECT $1, 'now', '2026-11-16', 'o', 'O', 'member.invite', t, '{}', p, h FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(t, p, h, nr) ORDER BY nr",
                &[&account, &emails, &prevs, &hashes],
            )
            .unwrap();
            tx.commit().unwrap();
        });
        row("invite 1 000 addresses in one batch", ours, Some(floor));

        // The batches leave autovacuum work behind; done now, it does not
        // land on whichever operation is timed next.
        c.batch_execute("VACUUM ANALYZE").unwrap();

        // Accept one, revoke one (fresh invitees each run).
        let write_runs = 20;
        let (ours, floor) = pair(write_runs, |i| {
            let k = if i == usize::MAX { 999 } else { i };
            drop(desk.accept_invite(&s, &format!("svc0-{k}@example.com"), None).unwrap())
        }, |i| {
            let k = if i == usize::MAX { 999 } else { i };
            let mut tx = c.transaction().unwrap();
            resolve_floor(&mut tx, true);
            let id: i64 = tx.query_one("SELECT id FROM member WHERE account_id = $1 AND email_key = $2", &[&account, &format!("raw0-{k}@example.com")]).unwrap().get(0);
            tx.execute("UPDATE member SET status = 'active', joined_on = '2026-11-16' WHERE id = $1", &[&id]).unwrap();
            tx.execute("INSERT INTO assignment_member (inbox_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&sales, &id]).unwrap();
            tx.execute("INSERT INTO ring_group_member (inbox_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&sales, &id]).unwrap();
            audit_floor(&mut tx, account, "member.accept", "x");
            tx.commit().unwrap();
        });
        row("accept one invite", ours, Some(floor));
        let (ours, floor) = pair(write_runs, |i| {
            let k = if i == usize::MAX { 998 } else { 100 + i };
            drop(desk.revoke_invite(&s, &format!("svc0-{k}@example.com")).unwrap())
        }, |i| {
            let k = if i == usize::MAX { 998 } else { 100 + i };
            let mut tx = c.transaction().unwrap();
            resolve_floor(&mut tx, true);
            let id: i64 = tx.query_one("SELECT id FROM member WHERE account_id = $1 AND email_key = $2", &[&account, &format!("raw0-{k}@example.com")]).unwrap().get(0);
            tx.execute("DELETE FROM inbox_member WHERE member_id = $1", &[&id]).unwrap();
            tx.execute("DELETE FROM member WHERE id = $1", &[&id]).unwrap();
            audit_floor(&mut tx, account, "member.revoke", "x");
            tx.commit().unwrap();
        });
        row("revoke one invite", ours, Some(floor));

        // Eight desktops buying one seat each at once, 5 rounds: the time
        // each purchase takes, queueing on the account's lock included.
        // Each round starts the 8 together (a barrier); the first round,
        // each desktop's first purchase, is a warm-up, as for every other
        // row (an open window has its statements prepared already).
        let concurrent = |floor: bool| -> (f64, f64) {
            let start = std::sync::Barrier::new(8);
            let times: Vec<Duration> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        let server = server.clone();
                        let url = url.clone();
                        let schema = schema.clone();
                        let start = &start;
                        scope.spawn(move || {
                            let mut desk = (!floor).then(|| Seatdesk::connect(&server, Clock::fixed(today)).unwrap());
                            let mut c = floor.then(|| raw(&url, &schema));
                            (0..6)
                                .map(|_| {
                                    start.wait();
                                    let t = Instant::now();
                                    if let Some(desk) = desk.as_mut() {
                                        desk.buy_seats(&Scope::default(), 1, None).unwrap();
                                    } else if let Some(c) = c.as_mut() {
                                        let mut tx = c.transaction().unwrap();
                                        let (account, _) = resolve_floor(&mut tx, true);
                                        let seats: i64 = tx.query_one("SELECT purchased_seats FROM account WHERE id = $1", &[&account]).unwrap().get(0);
                                        tx.execute("UPDATE account SET purchased_seats = $2 WHERE id = $1", &[&account, &(seats + 1)]).unwrap();
                                        tx.execute(
                                            "INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, seats_after, assigned_after, created_at, currency) VALUES ($1, '2026-11-16', 'seat_purchase', 1, 1000, 500, 'o', 'O', $2, 0, 'now', 'USD')",
                                            &[&account, &(seats + 1)],
                                        )
                                        .unwrap();
                                        audit_floor(&mut tx, account, "seats.buy", "x");
                                        tx.commit().unwrap();
                                    }
                                    t.elapsed()
                                })
                                .skip(1)
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
            });
            stats(times)
        };
        row("buy a seat, 8 desktops at once", concurrent(false), Some(concurrent(true)));
        row("check (every invariant)", time(runs.min(5), |_| drop(desk.check(None).unwrap())), None);
        row("demo load, in all", (load, load), None);
        admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
    }
}
