//! An inbox's Conversations page (issue #21) on an inbox of 1 000 000
//! conversations, on this computer's file: the first page of 100 (everyone's,
//! the unassigned, one member's), a page further in, and a reassignment of
//! 100. Prints p50 / p95 per operation. Asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench_conversations -- [--conversations 1000000] [--runs 20]

mod timing;

use std::time::Instant;

use rusqlite::Connection;
use seatdesk_core::service::{ConversationQuery, DemoOptions};
use seatdesk_core::{Clock, Scope, Seatdesk};
use timing::{header, row, time};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let total: i64 = opt("--conversations").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(20);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Seatdesk::open(dir.path(), Clock::fixed(today)).unwrap();
    desk.demo(&DemoOptions { members: Some(1_000), conversations: Some(1_000), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
    let s = Scope::default();
    let owner = desk.acting_member(&s).unwrap().email;
    if !desk.inbox_detail(&s, "Sales").unwrap().members.contains(&owner) {
        desk.add_me(&s, "Sales").unwrap();
    }

    // The inbox grows to `total` conversations behind the service (the
    // demo's generator is not the point here): one in five unassigned, the
    // rest spread over Sales's working members, a year of activity.
    let t = Instant::now();
    let c = Connection::open(dir.path().join("seatdesk.db")).unwrap();
    let (account, sales): (i64, i64) = c.query_row("SELECT account_id, id FROM inbox WHERE name = 'Sales'", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    let contact: i64 = c.query_row("SELECT min(id) FROM contact", [], |r| r.get(0)).unwrap();
    let workers: Vec<i64> = c
        .prepare("SELECT im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?1 AND m.status = 'active' AND m.role <> 'observer' ORDER BY 1")
        .unwrap()
        .query_map([sales], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let have: i64 = c.query_row("SELECT count(*) FROM conversation WHERE inbox_id = ?1", [sales], |r| r.get(0)).unwrap();
    c.execute_batch("BEGIN").unwrap();
    {
        let mut insert = c
            .prepare("INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity) VALUES (?1, ?2, ?3, ?4, 'open', ?5)")
            .unwrap();
        for i in have..total {
            let who = (i % 5 != 0).then(|| workers[(i as usize) % workers.len()]);
            let at = format!("2026-{:02}-{:02}T{:02}:{:02}:00Z", 1 + i % 11, 1 + i % 28, i % 24, i % 60);
            insert.execute(rusqlite::params![account, sales, contact, who, at]).unwrap();
        }
    }
    c.execute_batch("COMMIT; ANALYZE").unwrap();
    drop(c);
    let load = t.elapsed().as_secs_f64() * 1000.0;
    let member_email = desk.all_members(&s, &Default::default()).unwrap();
    let member_email = member_email.iter().find(|m| m.inboxes.contains(&"Sales".to_string()) && m.email != owner).map(|m| m.email.clone()).unwrap();

    println!("\n== SQLite: Sales holds {total} conversations (added in {load:.0} ms) ==");
    header();
    let q = |assignee: Option<&str>, unassigned: bool, offset: i64| ConversationQuery { assignee: assignee.map(String::from), unassigned, offset: Some(offset), limit: Some(100) };
    row("conversations page (first 100, everyone's)", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, false, 0)).unwrap())), None);
    row("conversations page, unassigned", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, true, 0)).unwrap())), None);
    row("conversations page, one member's", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(Some(&member_email), false, 0)).unwrap())), None);
    row("conversations page 100 (offset 10 000)", time(runs, |_| drop(desk.inbox_conversations(&s, "Sales", &q(None, false, 10_000)).unwrap())), None);
    let ids: Vec<i64> = desk.inbox_conversations(&s, "Sales", &q(None, false, 0)).unwrap().rows.iter().map(|r| r.id).collect();
    row("reassign 100 to one member", time(runs.min(10), |i| {
        let to = if i % 2 == 0 { owner.as_str() } else { member_email.as_str() };
        desk.reassign_conversations(&s, "Sales", &ids, Some(to)).unwrap();
    }), None);
}
