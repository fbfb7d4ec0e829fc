//! An inbox page at a big account's size (issue #23): the window's inbox
//! page (settings, counts, the people they name) and a page of 100 of its
//! members, of its Conversation Assignment and of its Ring Group, first and
//! far in, on a file database or a server. Keeps the database it loads in
//! `--dir` (file) so that later runs skip the load. Prints p50 / p95;
//! asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench_inbox -- [--members 1000000]
//!       [--store sqlite|postgres] [--dir DIR] [--runs 30]

mod timing;

use std::time::Instant;

use seatdesk_core::service::{DemoOptions, InboxMemberQuery, RoutingList};
use seatdesk_core::{Clock, Scope, Seatdesk};
use timing::{header, row, time};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let members: i64 = opt("--members").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(30);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let dir = opt("--dir").map(std::path::PathBuf::from).unwrap_or_else(|| temp.path().to_path_buf());
    let mut desk = if opt("--store").as_deref() == Some("postgres") {
        let url = std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL names the server (scripts/pg.sh starts one)");
        let schema = opt("--schema").unwrap_or_else(|| format!("bench_inbox_{}", std::process::id()));
        let mut admin: postgres::Client = url.parse::<postgres::Config>().unwrap().connect(postgres::NoTls).unwrap();
        admin.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).unwrap();
        println!("schema {schema} (--schema {schema} reuses it)");
        Seatdesk::connect(&format!("{url}&options=-c%20search_path%3D{schema},public"), Clock::fixed(today)).unwrap()
    } else {
        std::fs::create_dir_all(&dir).unwrap();
        Seatdesk::open(&dir, Clock::fixed(today)).unwrap()
    };
    if desk.list_accounts().unwrap().is_empty() {
        let t = Instant::now();
        desk.demo(&DemoOptions { members: Some(members), conversations: Some(members), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
        println!("loaded {members} members and as many conversations in {:.1} s", t.elapsed().as_secs_f64());
    }
    let s = Scope::default();
    let page = desk.inbox_page(&s, "Sales").unwrap();
    println!(
        "\n== Sales: {} members, Conversation Assignment {}, Ring Group {} ==",
        page.member_count, page.conversation_assignment.count, page.ring_group.count
    );
    header();
    let q = |list: Option<RoutingList>, offset: i64| InboxMemberQuery { list, routable: false, search: None, offset, limit: 100 };
    row("inbox page (settings, counts, people named)", time(runs, |_| drop(desk.inbox_page(&s, "Sales").unwrap())), None);
    row(
        "inbox page and its first 100 members",
        time(runs, |_| {
            drop(desk.inbox_page(&s, "Sales").unwrap());
            drop(desk.inbox_members(&s, "Sales", &q(None, 0)).unwrap());
        }),
        None,
    );
    for (label, list) in [("members", None), ("Conversation Assignment", Some(RoutingList::Assignment)), ("Ring Group", Some(RoutingList::RingGroup))] {
        row(&format!("{label}: first 100"), time(runs, |_| drop(desk.inbox_members(&s, "Sales", &q(list, 0)).unwrap())), None);
        row(&format!("{label}: 100 at offset 10 000"), time(runs, |_| drop(desk.inbox_members(&s, "Sales", &q(list, 10_000)).unwrap())), None);
    }
    let search = InboxMemberQuery { search: Some("ana".into()), ..q(None, 0) };
    row("members: search \"ana\", first 100", time(runs.min(10), |_| drop(desk.inbox_members(&s, "Sales", &search).unwrap())), None);
}
