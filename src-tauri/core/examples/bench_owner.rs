//! The owner's workflows of issue #21, on this computer's file or on the
//! shared server: a bulk delete of 1 000 members who hold conversations
//! (their work reassigned), a member's page, and an inbox's Conversations
//! page on an inbox of 1 000 000 conversations. Prints p50 / p95 per
//! operation. Asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench_owner -- [--store sqlite|postgres]
//!       [--members 20000] [--conversations 1000000] [--runs 20] [--deletes 5]
//!
//! `--store postgres` works in a schema of its own on the server
//! `SEATDESK_TEST_DATABASE_URL` names (scripts/pg.sh starts one).

mod timing;

use std::time::Instant;

use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{BulkAction, ConversationQuery, DemoOptions, MemberQuery, SeatChoice, Selection};
use seatdesk_core::{Clock, Scope, Seatdesk};
use timing::{header, row, stats, time};

/// The same database, reached behind the service (to grow an inbox and to
/// count what the leavers held).
enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::Client),
}

impl Raw {
    fn number(&mut self, sql: &str) -> i64 {
        match self {
            Raw::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            Raw::Postgres(c) => c.query_one(sql, &[]).unwrap().get(0),
        }
    }

    fn text(&mut self, sql: &str) -> String {
        match self {
            Raw::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            Raw::Postgres(c) => c.query_one(sql, &[]).unwrap().get(0),
        }
    }

    fn numbers(&mut self, sql: &str) -> Vec<i64> {
        match self {
            Raw::Sqlite(c) => c.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap(),
            Raw::Postgres(c) => c.query(sql, &[]).unwrap().iter().map(|r| r.get(0)).collect(),
        }
    }

    fn batch(&mut self, sql: &str) {
        match self {
            Raw::Sqlite(c) => c.execute_batch(sql).unwrap(),
            Raw::Postgres(c) => c.batch_execute(sql).unwrap(),
        }
    }

    /// Grows the inbox to `total` conversations: one in five unassigned,
    /// the rest spread over `workers`, a year of activity.
    fn grow(&mut self, account: i64, inbox: i64, contact: i64, workers: &[i64], total: i64) {
        let have = self.number(&format!("SELECT count(*) FROM conversation WHERE inbox_id = {inbox}"));
        match self {
            Raw::Sqlite(c) => {
                c.execute_batch("BEGIN").unwrap();
                {
                    let mut insert = c
                        .prepare("INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity) VALUES (?1, ?2, ?3, ?4, 'open', ?5)")
                        .unwrap();
                    for i in have..total {
                        let who = (i % 5 != 0).then(|| workers[(i as usize) % workers.len()]);
                        let at = format!("2026-{:02}-{:02}T{:02}:{:02}:00Z", 1 + i % 11, 1 + i % 28, i % 24, i % 60);
                        insert.execute(rusqlite::params![account, inbox, contact, who, at]).unwrap();
                    }
                }
                c.execute_batch("COMMIT; ANALYZE").unwrap();
            }
            Raw::Postgres(c) => {
                let workers = format!("ARRAY[{}]::bigint[]", workers.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                c.batch_execute(&format!(
                    "INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity)
                     SELECT {account}, {inbox}, {contact},
                            CASE WHEN i % 5 = 0 THEN NULL ELSE ({workers})[1 + i % array_length({workers}, 1)] END, 'open',
                            format('2026-%s-%sT%s:%s:00Z', lpad((1 + i % 11)::text, 2, '0'), lpad((1 + i % 28)::text, 2, '0'),
                                   lpad((i % 24)::text, 2, '0'), lpad((i % 60)::text, 2, '0'))
                     FROM generate_series({have}::bigint, {total}::bigint - 1) AS i"
                ))
                .unwrap();
                c.batch_execute("VACUUM ANALYZE conversation").unwrap();
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let on_server = opt("--store").as_deref() == Some("postgres");
    let members: i64 = opt("--members").and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let total: i64 = opt("--conversations").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(20);
    let deletes: usize = opt("--deletes").and_then(|v| v.parse().ok()).unwrap_or(5);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, mut raw, store) = if on_server {
        let url = std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL names the server (scripts/pg.sh starts one)");
        let schema = format!("bench_owner_{}", std::process::id());
        let mut admin: postgres::Client = url.parse::<postgres::Config>().unwrap().connect(postgres::NoTls).unwrap();
        admin.batch_execute(&format!("CREATE SCHEMA {schema}")).unwrap();
        // SEATDESK_BENCH_LOG=1: every statement of Seatdesk's own connection
        // in the server's log, with its duration (a profile of round trips).
        let log = if std::env::var_os("SEATDESK_BENCH_LOG").is_some() { "%20-c%20log_min_duration_statement%3D0" } else { "" };
        let desk = Seatdesk::connect(&format!("{url}&options=-c%20search_path%3D{schema},public{log}"), Clock::fixed(today)).unwrap();
        let mut config: postgres::Config = url.parse().unwrap();
        config.options(&format!("-c search_path={schema},public"));
        (desk, Raw::Postgres(config.connect(postgres::NoTls).unwrap()), "PostgreSQL")
    } else {
        let desk = Seatdesk::open(dir.path(), Clock::fixed(today)).unwrap();
        (desk, Raw::Sqlite(rusqlite::Connection::open(dir.path().join("seatdesk.db")).unwrap()), "SQLite")
    };
    let t = Instant::now();
    desk.demo(&DemoOptions { members: Some(members), conversations: Some(members * 2), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
    raw.batch("ANALYZE");
    let load = t.elapsed().as_secs_f64();
    let s = Scope::default();
    let owner = desk.acting_member(&s).unwrap().email;
    println!("\n== {store}: {members} members, {} conversations (demo load {load:.1} s) ==", members * 2);
    header();

    // Bulk deletes of 1 000 Active members each, their work to the Owner
    // (who is in no inbox: their conversations go where each inbox's
    // Conversation Assignment sends them).
    let leavers: Vec<String> = desk
        .all_members(&s, &MemberQuery { status: Some(Status::Active), ..Default::default() })
        .unwrap()
        .into_iter()
        .filter(|m| m.role != Role::Owner)
        .map(|m| m.email)
        .collect();
    let mut times = Vec::new();
    let mut held = Vec::new();
    for batch in leavers.chunks(1_000).take(deletes).filter(|b| b.len() == 1_000) {
        let list = batch.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(",");
        held.push(raw.number(&format!("SELECT count(*) FROM conversation WHERE assignee_id IN (SELECT id FROM member WHERE email IN ({list}))")));
        let selection = Selection { emails: batch.to_vec(), matching: None };
        let t = Instant::now();
        let out = desk.bulk(&s, &selection, &BulkAction::Delete { seat: SeatChoice::Keep, reassign_to: None }, None).unwrap();
        times.push(t.elapsed());
        assert_eq!(out.changed, 1_000);
    }
    if !times.is_empty() {
        let n = times.len();
        row(&format!("bulk delete of 1 000 ({n} runs; {}–{} conv. each)", held.iter().min().unwrap(), held.iter().max().unwrap()), stats(times), None);
    }

    // A member's page: one with a history of role changes, on a log that
    // now holds the deletions' entries too.
    let who = desk
        .all_members(&s, &MemberQuery { status: Some(Status::Active), role: Some(Role::Member), limit: Some(1), ..Default::default() })
        .unwrap()
        .into_iter()
        .next()
        .expect("a member")
        .email;
    for i in 0..40 {
        let role = if i % 2 == 0 { Role::Manager } else { Role::Member };
        desk.change_role(&s, &who, role, SeatChoice::Keep).unwrap();
    }
    let entries = raw.number("SELECT count(*) FROM audit");
    row(&format!("member page ({entries} audit entries in the log)"), time(runs, |_| drop(desk.member_story(&s, &who).unwrap())), None);

    // An inbox's Conversations page at `total` conversations.
    if !desk.inbox_detail(&s, "Sales").unwrap().members.contains(&owner) {
        desk.add_me(&s, "Sales").unwrap();
    }
    let t = Instant::now();
    let account = raw.number("SELECT account_id FROM inbox WHERE name = 'Sales'");
    let sales = raw.number("SELECT id FROM inbox WHERE name = 'Sales'");
    let contact = raw.number("SELECT min(id) FROM contact");
    let workers = raw.numbers(&format!(
        "SELECT im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = {sales} AND m.status = 'active' AND m.role <> 'observer' ORDER BY 1"
    ));
    raw.grow(account, sales, contact, &workers, total);
    let grown = t.elapsed().as_secs_f64();
    let member_email = raw.text(&format!("SELECT email FROM member WHERE id = {}", workers.iter().find(|w| **w != 0).expect("a worker in Sales")));
    let q = |assignee: Option<&str>, unassigned: bool, offset: i64| ConversationQuery { assignee: assignee.map(String::from), unassigned, offset: Some(offset), limit: Some(100) };
    println!("-- Sales grown to {total} conversations in {grown:.1} s --");
    row("conversations page (first 100, everyone's)", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, false, 0)).unwrap())), None);
    row("conversations page, unassigned", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, true, 0)).unwrap())), None);
    row("conversations page, one member's", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(Some(&member_email), false, 0)).unwrap())), None);
    row("conversations page 100 (offset 10 000)", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, false, 10_000)).unwrap())), None);
    let ids: Vec<i64> = desk.inbox_conversations(&s, "Sales", &q(None, false, 0)).unwrap().rows.iter().map(|r| r.id).collect();
    row(
        "reassign 100 to one member",
        time(runs.min(10), |i| {
            let to = if i % 2 == 0 { owner.as_str() } else { member_email.as_str() };
            desk.reassign_conversations(&s, "Sales", &ids, Some(to)).unwrap();
        }),
        None,
    );
}
