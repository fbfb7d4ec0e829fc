//! The support desk of issue #22 at a desk's scale: many accounts in one
//! database (sizes drawn from 10 to 100 000 members, log-uniform, summing
//! to `--members`), then the accounts overview (counts, and with `check`),
//! a member found across every account, and a ticket's trail. Prints the
//! load time, the database's size and p50 / p95 per operation. Asserts
//! nothing.
//!
//!   cargo run --release -p seatdesk-core --example bench_desk -- [--store sqlite|postgres]
//!       [--accounts 100] [--members 1000000] [--conversations-per-member 10] [--runs 30]
//!
//! `--store postgres` works in a schema of its own on the server
//! `SEATDESK_TEST_DATABASE_URL` names (scripts/pg.sh starts one).

mod timing;

use std::time::Instant;

use seatdesk_core::service::{DemoOptions, DeskCheck, SupportTicket};
use seatdesk_core::{Clock, Scope, Seatdesk};
use timing::{header, row, time};

/// `n` sizes from 10 to 100 000, log-uniform (seeded), scaled to sum to `total`.
fn sizes(n: usize, total: i64) -> Vec<i64> {
    let mut rng = fastrand::Rng::with_seed(22);
    let raw: Vec<f64> = (0..n).map(|_| 10f64.powf(1.0 + 4.0 * rng.f64())).collect();
    let scale = total as f64 / raw.iter().sum::<f64>();
    let mut out: Vec<i64> = raw.iter().map(|r| ((r * scale) as i64).clamp(10, 100_000)).collect();
    // What clamping and rounding left over goes to the accounts with room.
    let mut left = total - out.iter().sum::<i64>();
    for s in out.iter_mut() {
        let room = (100_000 - *s).min(left.max(0));
        *s += room;
        left -= room;
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let on_server = opt("--store").as_deref() == Some("postgres");
    let accounts: usize = opt("--accounts").and_then(|v| v.parse().ok()).unwrap_or(100);
    let members: i64 = opt("--members").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(30);
    // Conversations per member: issue #23's desk holds 10 000 000 for 1 000 000 members.
    let per_member: i64 = opt("--conversations-per-member").and_then(|v| v.parse().ok()).unwrap_or(10);
    // Not before the books of a desk kept from earlier runs (which may have
    // booked on the day they ran).
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap().max(chrono::Local::now().date_naive());
    // --dir (a file) or --schema (a server) keeps the loaded desk for later runs.
    let temp = tempfile::tempdir().unwrap();
    let dir = opt("--dir").map(std::path::PathBuf::from).unwrap_or_else(|| temp.path().to_path_buf());
    let (mut desk, store, size_sql) = if on_server {
        let url = std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL names the server (scripts/pg.sh starts one)");
        let schema = opt("--schema").unwrap_or_else(|| format!("bench_desk_{}", std::process::id()));
        let mut admin: postgres::Client = url.parse::<postgres::Config>().unwrap().connect(postgres::NoTls).unwrap();
        admin.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).unwrap();
        println!("schema {schema} (--schema {schema} reuses it)");
        let desk = Seatdesk::connect(&format!("{url}&options=-c%20search_path%3D{schema},public"), Clock::fixed(today)).unwrap();
        (desk, "PostgreSQL", Some((url, schema)))
    } else {
        std::fs::create_dir_all(&dir).unwrap();
        (Seatdesk::open(&dir, Clock::fixed(today)).unwrap(), "SQLite", None)
    };
    // Samples the process's memory through the load: resident in all, and
    // how much of it is its own (anonymous) rather than the database file's
    // pages read through SQLite's memory map (the kernel's page cache).
    let peaks = std::sync::Arc::new(std::sync::Mutex::new((0u64, 0u64, 0u64)));
    {
        let peaks = peaks.clone();
        std::thread::spawn(move || loop {
            if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
                let kib = |key: &str| status.lines().find(|l| l.starts_with(key)).and_then(|l| l[key.len()..].trim().trim_end_matches(" kB").parse::<u64>().ok()).unwrap_or(0);
                let mut p = peaks.lock().unwrap();
                *p = (p.0.max(kib("VmRSS:")), p.1.max(kib("RssAnon:")), p.2.max(kib("RssFile:")));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        });
    }
    let plan = sizes(accounts, members);
    let loaded = desk.list_accounts().unwrap().len();
    let t = Instant::now();
    for (i, n) in plan.iter().enumerate().skip(loaded) {
        let name = format!("Customer {:03}", i + 1);
        desk.demo(&DemoOptions { name: Some(name), members: Some(*n), conversations: Some(n * per_member), seed: Some(i as i64) }, |_, _| {}).unwrap();
    }
    let load = t.elapsed().as_secs_f64();
    let bytes = match &size_sql {
        None => ["seatdesk.db", "seatdesk.db-wal"].iter().filter_map(|f| std::fs::metadata(dir.join(f)).ok()).map(|m| m.len()).sum::<u64>(),
        Some((url, schema)) => {
            let mut c: postgres::Client = url.parse::<postgres::Config>().unwrap().connect(postgres::NoTls).unwrap();
            c.batch_execute("ANALYZE").unwrap();
            let sum: i64 = c
                .query_one(&format!("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '{schema}' AND c.relkind = 'r'"), &[])
                .unwrap()
                .get(0);
            sum as u64
        }
    };
    let biggest = plan.iter().max().unwrap();
    // The process's peak resident memory so far (the load's).
    let peak = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string())).unwrap_or_default();
    let (rss, anon, file) = *peaks.lock().unwrap();
    println!(
        "\n== {store}: {accounts} accounts, {members} members (largest {biggest}, smallest {}), {} conversations, loaded in {load:.1} s, {:.0} MiB, peak memory {peak} (sampled: resident {} MiB, of it at most {} MiB its own and {} MiB the file's mapped pages) ==",
        plan.iter().min().unwrap(),
        members * per_member,
        bytes as f64 / 1_048_576.0,
        rss / 1024,
        anon / 1024,
        file / 1024
    );
    header();
    let largest = format!("Customer {:03}", plan.iter().position(|n| n == biggest).unwrap() + 1);
    row(&format!("check of one account ({largest}, {biggest} members)"), time(3, |_| drop(desk.check(Some(&largest)).unwrap())), None);
    row("accounts overview, check of every account and the database", time(3, |_| drop(desk.desk(DeskCheck::All).unwrap())), None);
    // Its two parts, each alone: every account's rules, one after the
    // other; and the database's own scan of its pages (run beside them).
    let names: Vec<String> = desk.list_accounts().unwrap().into_iter().map(|a| a.name).collect();
    row("  of it: check of each account in turn", time(3, |_| names.iter().for_each(|n| drop(desk.check(Some(n)).unwrap()))), None);
    row("  of it: the database's scan of its pages, alone", time(3, |_| drop(desk.storage_check().unwrap())), None);
    row("accounts overview, counts and the verdicts kept", time(runs, |_| drop(desk.desk(DeskCheck::Kept).unwrap())), None);
    row("accounts overview, checking the accounts changed since (none)", time(runs, |_| drop(desk.desk(DeskCheck::Changed).unwrap())), None);
    let mut worst = (0.0f64, 0.0f64);
    for text in ["ana", "fischer", "keiko.tanaka5", "olivia.owner@acme-demo.example.com", "zzqx"] {
        let found = desk.find_members(text, None).unwrap();
        let t = time(runs, |_| drop(desk.find_members(text, None).unwrap()));
        worst = (worst.0.max(t.0), worst.1.max(t.1));
        row(&format!("find {text:?} ({}{})", found.members.len(), if found.more { "+" } else { "" }), t, None);
    }
    row("find: the slowest of the five", worst, None);
    // Work under one ticket in ten accounts, then its trail.
    let support = SupportTicket { agent: "Sam".into(), ticket: "T-1042".into() };
    for i in (0..accounts).step_by((accounts / 10).max(1)) {
        let s = Scope { support: Some(support.clone()), ..Scope::account(&format!("Customer {:03}", i + 1)) };
        if let Err(e) = desk.buy_seats(&s, 1, None) {
            // (A desk kept by --dir may have been worked on at a later date.)
            println!("a ticket's trail: not timed ({})", e.message);
            return;
        }
    }
    row("a ticket's trail across accounts", time(runs, |_| drop(desk.ticket_trail("T-1042", None, 0, 100).unwrap())), None);
}
