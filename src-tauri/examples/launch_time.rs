//! Measures the time from launching the window to the first row of the
//! Members table, through tauri-driver + WebKitWebDriver (so it includes
//! session set-up: an upper bound). Prints each run and the median.
//! With `--inbox NAME` it then times, in the page (performance.now, to the
//! first laid-out frame of the result), opening that inbox's page and each
//! of its four routing dialogs, `--runs` times each.
//!
//!   xvfb-run -a cargo run --release --example launch_time -- [--members N] [--runs N] [--bin PATH] [--inbox NAME]

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
    report("launch to Members table", &mut times);
    if let Some(inbox) = opt("--inbox") {
        inbox_timings(&bin, dir.path(), &inbox, runs);
    }
}

fn report(what: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("median {what}: {:.0} ms (min {:.0}, max {:.0})", times[times.len() / 2], times[0], times[times.len() - 1]);
}

/// Runs `start` in the page and returns the milliseconds until `done` (a
/// CSS selector) is in the document, laid out.
fn time_in_page(s: &webdriver::Session, start: &str, done: &str) -> f64 {
    s.eval(&format!(
        "window.__ms = null; const t0 = performance.now();
         const finish = () => {{ if (window.__ms === null && document.querySelector({done:?})) {{ void document.body.offsetHeight; window.__ms = performance.now() - t0; return true; }} return false; }};
         const obs = new MutationObserver(() => {{ if (finish()) obs.disconnect(); }});
         obs.observe(document.body, {{ childList: true, subtree: true, attributes: true }});
         {start};
         if (finish()) obs.disconnect();
         return 'started';"
    ));
    for _ in 0..300 {
        let v = s.eval("return String(window.__ms)");
        if v != "null" {
            return v.parse().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{done} did not appear within 6 s")
}

fn inbox_timings(bin: &std::path::Path, data: &std::path::Path, inbox: &str, runs: usize) {
    let driver = webdriver::Driver::start(data, "2026-11-16");
    let s = driver.session(bin.to_str().unwrap());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(30));
    s.click("#nav-inboxes");
    s.wait_for(&format!("button.inbox-link[data-inbox='{inbox}']"), Duration::from_secs(10));
    let members = s.eval(&format!("return document.querySelector(\"#inboxes-table tr[data-inbox='{inbox}'] td:last-child\").textContent"));
    println!("inbox {inbox}: {members} members");
    let mut page = Vec::new();
    for _ in 0..runs {
        s.click("#back-to-inboxes, #nav-inboxes");
        s.wait_for(&format!("button.inbox-link[data-inbox='{inbox}']"), Duration::from_secs(10));
        page.push(time_in_page(&s, &format!("document.querySelector(\"button.inbox-link[data-inbox='{inbox}']\").click()"), "#inbox-members tbody tr[data-email]"));
    }
    report("inbox page, settings and first members drawn", &mut page);
    // A dialog is open when its member list (filled from the backend) is drawn.
    for (card, dialog, done) in [
        ("assignment", "assignment-dialog", "#assignment-members li"),
        ("ring-group", "ring-dialog", "#ring-members li"),
        ("distribution", "distribution-dialog", ".actions"),
        ("ivr", "ivr-dialog", ".actions"),
    ] {
        let mut times = Vec::new();
        for _ in 0..runs {
            times.push(time_in_page(&s, &format!("document.getElementById('edit-{card}').click()"), &format!("#{dialog}[open] {done}")));
            s.eval(&format!("document.getElementById('{dialog}').close(); return ''"));
        }
        report(&format!("{dialog} open"), &mut times);
    }
}
