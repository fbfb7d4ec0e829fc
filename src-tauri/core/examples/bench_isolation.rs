//! An account's own operations beside a desk's others (issue #23): the same
//! 10 000-member account (`--members`) alone in its database and inside a
//! copy of a loaded desk (`bench_desk --dir DIR` first), each operation of
//! `bench` timed on both in turns. Both start from the same fresh account
//! (a kept desk's account drifts from run to run: members removed, their
//! conversations piled on others), and the desk itself is left as it was.
//! Prints p50 / p95 on the desk, alone, and the ratio (target: within
//! 1.2×). Asserts nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench_isolation -- --dir DIR
//!       [--members 10000] [--runs 30]

mod timing;

use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{DemoOptions, InboxMemberQuery, InviteRequest, MemberQuery};
use seatdesk_core::{Clock, Scope, Seatdesk};
use timing::pair;


/// One operation on the desk, then the same alone, `n` times in turns.
fn each(shared: &mut Seatdesk, alone: &mut Seatdesk, label: &str, n: usize, f: &dyn Fn(&mut Seatdesk, usize)) {
    let (desk, solo) = pair(n, |i| f(shared, i), |i| f(alone, i));
    println!("{label:<42} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7.2} {:>7.2}", desk.0, desk.1, solo.0, solo.1, desk.0 / solo.0.max(1e-6), desk.1 / solo.1.max(1e-6));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let dir = std::path::PathBuf::from(opt("--dir").expect("--dir names a desk loaded by `bench_desk --dir`"));
    let members: i64 = opt("--members").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(30);
    // Not before the books of a desk kept from earlier runs (which may have
    // booked on the day they ran).
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap().max(chrono::Local::now().date_naive());
    let temp = tempfile::tempdir().unwrap();
    // The desk's file, copied beside it once every page is in it.
    let copy = tempfile::tempdir_in(dir.parent().unwrap_or(&dir)).unwrap();
    let file = dir.join("seatdesk.db");
    let source = rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap();
    source.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    std::fs::copy(&file, copy.path().join("seatdesk.db")).unwrap();
    drop(source);
    let mut shared = Seatdesk::open(copy.path(), Clock::fixed(today)).unwrap();
    let mut alone = Seatdesk::open(temp.path(), Clock::fixed(today)).unwrap();
    let others = shared.list_accounts().unwrap().len();
    // The same account in both: same size, same seed, 10 conversations each.
    let name = format!("Isolated {}", std::process::id());
    let demo = DemoOptions { name: Some(name.clone()), members: Some(members), conversations: Some(members * 10), seed: Some(7) };
    for d in [&mut shared, &mut alone] {
        d.demo(&demo, |_, _| {}).unwrap();
    }
    let s = Scope::account(&name);
    println!("\n== {name}: {members} members, alone and beside {others} other accounts (a copy of {}) ==", dir.display());
    println!("{:<42} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7}", "operation", "desk p50", "desk p95", "alone p50", "alone p95", "ratio50", "ratio95");
    let page = |search: Option<&str>| MemberQuery { status: Some(Status::Active), search: search.map(String::from), limit: Some(100), ..Default::default() };
    each(&mut shared, &mut alone, "members page (first 100, by name)", runs, &|d, _| drop(d.members(&s, &page(None)).unwrap()));
    each(&mut shared, &mut alone, "members page, search \"ana\"", runs, &|d, _| drop(d.members(&s, &page(Some("ana"))).unwrap()));
    each(&mut shared, &mut alone, "seat summary", runs, &|d, _| drop(d.seats(&s).unwrap()));
    each(&mut shared, &mut alone, "seat quote (5 seats)", runs, &|d, _| drop(d.quote_seats(&s, 5).unwrap()));
    let first_100 = InboxMemberQuery { limit: 100, ..Default::default() };
    each(&mut shared, &mut alone, "inbox page and its first 100 members", runs, &|d, _| {
        drop(d.inbox_page(&s, "Sales").unwrap());
        drop(d.inbox_members(&s, "Sales", &first_100).unwrap());
    });
    each(&mut shared, &mut alone, "inbox show (Sales, all four settings)", runs, &|d, _| drop(d.inbox_detail(&s, "Sales").unwrap()));
    // Writes: invitees of their own per run (the warm-up is run usize::MAX)
    // and per process (the desk is kept from one run to the next).
    let pid = std::process::id();
    let k = |i: usize| format!("{pid}-{}", if i == usize::MAX { 999 } else { i });
    for d in [&mut shared, &mut alone] {
        d.buy_seats(&s, 2_000, None).unwrap();
    }
    // As many writes as reads (2 000 seats hold 90 batches and the warm-up):
    // a write's p95 is a checkpoint now and then, on both sides, and at 20
    // runs it was the second slowest of each (3x one run, 1x the next).
    let writes = runs.min(90);
    each(&mut shared, &mut alone, "invite 20 addresses in one batch", writes, &|d, i| {
        let emails: Vec<String> = (0..20).map(|j| format!("iso{}-{j}@example.com", k(i))).collect();
        d.invite(&s, &InviteRequest { emails, role: Role::Member, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None }).unwrap();
    });
    each(&mut shared, &mut alone, "accept one invite", writes, &|d, i| drop(d.accept_invite(&s, &format!("iso{}-0@example.com", k(i)), None).unwrap()));
    each(&mut shared, &mut alone, "revoke one invite", writes, &|d, i| drop(d.revoke_invite(&s, &format!("iso{}-1@example.com", k(i))).unwrap()));
    // Active members of Sales, not its owner, in both (an earlier run
    // removed some from the desk's).
    let first = |d: &mut Seatdesk| d.inbox_members(&s, "Sales", &InboxMemberQuery { limit: 200, ..Default::default() }).unwrap().rows;
    let in_desk: Vec<String> = first(&mut shared).into_iter().map(|m| m.email).collect();
    let owner = alone.inbox_page(&s, "Sales").unwrap().owner;
    let removable: Vec<String> = first(&mut alone)
        .into_iter()
        .filter(|m| m.email != owner && m.status == Status::Active && in_desk.contains(&m.email))
        .map(|m| m.email)
        .collect();
    each(&mut shared, &mut alone, "remove a member --everywhere", writes.min(removable.len() - 1), &|d, i| {
        let email = &removable[if i == usize::MAX { removable.len() - 1 } else { i }];
        drop(d.remove_inbox_member(&s, "Sales", email, true).unwrap());
    });
    each(&mut shared, &mut alone, "check of the account", runs.min(5), &|d, _| drop(d.check(Some(&name)).unwrap()));
}
