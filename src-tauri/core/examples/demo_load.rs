//! Times a `demo` load on a file database, members and conversations apart:
//! `cargo run --release -p seatdesk-core --example demo_load -- 100000 1000000`.
use std::time::Instant;

use seatdesk_core::service::{Clock, DemoOptions, Seatdesk};

fn main() {
    let args: Vec<i64> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
    let (members, conversations) = (args.first().copied().unwrap_or(100_000), args.get(1).copied().unwrap_or(1_000_000));
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Seatdesk::open(dir.path(), Clock::fixed(chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    let start = Instant::now();
    let mut members_done = None;
    desk.demo(&DemoOptions { members: Some(members), conversations: Some(conversations), seed: Some(1), ..Default::default() }, |done, _| {
        if done == members && members_done.is_none() {
            members_done = Some(start.elapsed());
        }
    })
    .unwrap();
    let total = start.elapsed();
    let m = members_done.unwrap_or_default();
    println!("demo load: {members} members in {:.2} s, {conversations} conversations in {:.2} s, total {:.2} s", m.as_secs_f64(), (total - m).as_secs_f64(), total.as_secs_f64());
}
