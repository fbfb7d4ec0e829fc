//! Measures the time from launching the window to the first row of the
//! Members table, through tauri-driver + WebKitWebDriver (so it includes
//! session set-up: an upper bound). Prints each run and the median.
//!
//!   xvfb-run -a cargo run --release --example launch_time -- [--members N] [--runs N] [--bin PATH]

#[path = "../../tests/webdriver/mod.rs"]
mod webdriver;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let members: u32 = opt("--members").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = opt("--bin").map(PathBuf::from).unwrap_or_else(|| {
        let release = root.join("target/release/seatdesk");
        if release.exists() { release } else { root.join("target/debug/seatdesk") }
    });
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(&bin)
        .arg("--data-dir")
        .arg(dir.path())
        .args(["--today", "2026-11-16", "--json", "demo", "--members", &members.to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "demo failed");
    println!("binary: {}", bin.display());
    println!("account: demo with {members} members");
    let mut times = Vec::new();
    for run in 1..=runs {
        let driver = webdriver::Driver::start(dir.path(), "2026-11-16");
        let t0 = Instant::now();
        let session = driver.session(bin.to_str().unwrap());
        session.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(30));
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        println!("run {run}: {ms:.0} ms");
        times.push(ms);
        drop(session);
        drop(driver);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("median launch to Members table: {:.0} ms (min {:.0}, max {:.0})", times[times.len() / 2], times[0], times[times.len() - 1]);
}
