//! Members-table benchmark at scale: time to the first page of rows and the
//! latency of each search keystroke, through the service layer, on a
//! file-backed database. Prints a table; asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example members_bench -- [--members 100000] [--runs 30]

use std::time::{Duration, Instant};

use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{DemoOptions, InviteRequest, MemberQuery};
use seatdesk_core::{Clock, Scope, Seatdesk};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn measure(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    f(); // warm the page cache and prepared statements
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str, default: usize| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    let members = opt("--members", 100_000) as i64;
    let runs = opt("--runs", 30);
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let mut desk = Seatdesk::open(dir.path(), Clock::fixed(today)).unwrap();
    let t = Instant::now();
    desk.demo(&DemoOptions { members: Some(members), seed: Some(1), ..Default::default() }, |_, _| {}).unwrap();
    println!("demo with {members} members: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let s = Scope::default();

    println!("\n{:<52} {:>9} {:>9}", "operation (service layer, file DB)", "p50 ms", "p95 ms");
    let row = |name: &str, (p50, p95): (f64, f64)| println!("{name:<52} {p50:>9.2} {p95:>9.2}");
    let page = |status: Status, search: Option<&str>, sort_desc: bool| MemberQuery {
        status: Some(status),
        search: search.map(String::from),
        descending: Some(sort_desc),
        limit: Some(100),
        ..Default::default()
    };
    row("first 100 Active rows, by name", measure(runs, || drop(desk.members(&s, &page(Status::Active, None, false)).unwrap())));
    row("first 100 Pending rows, by name", measure(runs, || drop(desk.members(&s, &page(Status::Pending, None, false)).unwrap())));
    row("first 100 Active rows, by name descending", measure(runs, || drop(desk.members(&s, &page(Status::Active, None, true)).unwrap())));
    row("first 100 Active rows, by number of inboxes", measure(runs, || {
        drop(desk.members(&s, &MemberQuery { status: Some(Status::Active), sort: Some(seatdesk_core::service::MemberSort::Inboxes), limit: Some(100), ..Default::default() }).unwrap())
    }));
    row("rows 50 000-50 100 (scrolled far down)", measure(runs, || {
        drop(desk.members(&s, &MemberQuery { status: Some(Status::Active), offset: Some(50_000), limit: Some(100), ..Default::default() }).unwrap())
    }));
    for term in ["a", "an", "ana", "ana.", "ana.lo", "zzz"] {
        row(&format!("search keystroke {term:?}"), measure(runs, || drop(desk.members(&s, &page(Status::Active, Some(term), false)).unwrap())));
    }
    row("role filter: admins", measure(runs, || {
        drop(desk.members(&s, &MemberQuery { status: Some(Status::Active), role: Some(Role::Admin), limit: Some(100), ..Default::default() }).unwrap())
    }));
    row("seat summary", measure(runs, || drop(desk.seats(&s).unwrap())));
    row("seat quote", measure(runs, || drop(desk.quote_seats(&s, 5).unwrap())));
    let mut batch = 0;
    desk.buy_seats(&s, 100_000, None).unwrap();
    row("invite 1 000 addresses in one batch", measure(5, || {
        batch += 1;
        let emails: Vec<String> = (0..1000).map(|i| format!("bench{batch}-{i}@example.com")).collect();
        desk.invite(&s, &InviteRequest { emails, role: Role::Member, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None }).unwrap();
    }));
}
