//! Measures the time from launching the window to the first row of the
//! Members table, through tauri-driver + WebKitWebDriver (so it includes
//! session set-up: an upper bound). Prints each run and the median.
//! With `--inbox NAME` it then times, in the page (performance.now, to the
//! first laid-out frame of the result), opening that inbox's page and each
//! of its four routing dialogs, `--runs` times each.
//!
//! With `--data-dir DIR` it opens that data (a desk of many accounts:
//! `bench_desk --dir DIR`) instead of a fresh demo: the window opens on the
//! accounts overview, and each run also opens `--account NAME` from it to
//! its Members table. `--scroll` then scrolls the Members table by a
//! scripted 300 frames and counts the frames dropped (intervals over 1.5
//! frames at 60 per second).
//!
//!   xvfb-run -a cargo run --release --example launch_time -- [--members N] [--runs N] [--bin PATH] [--inbox NAME]
//!       [--data-dir DIR --account NAME] [--scroll]

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
    let temp = tempfile::tempdir().unwrap();
    let given = opt("--data-dir").map(PathBuf::from);
    let data = given.clone().unwrap_or_else(|| temp.path().to_path_buf());
    println!("binary: {}", bin.display());
    if given.is_none() {
        let status = Command::new(&bin)
            .arg("--data-dir")
            .arg(&data)
            .args(["--today", "2026-11-16", "--json", "demo", "--members", &members.to_string()])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "demo failed");
        println!("account: demo with {members} members");
    }
    let account = opt("--account");
    let (mut times, mut overview, mut open) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=runs {
        let driver = webdriver::Driver::start(&data, "2026-11-16");
        let t0 = Instant::now();
        let session = driver.session(bin.to_str().unwrap());
        if let Some(name) = &account {
            // A desk opens on the accounts overview; the account is a click away.
            session.wait_for(&format!("#desk-table tbody tr[data-account='{name}']"), Duration::from_secs(60));
            let at = t0.elapsed().as_secs_f64() * 1000.0;
            let ms = time_in_page(&session, &format!("document.querySelector(\"#desk-table tr[data-account='{name}'] button.account-open\").click()"), "#members-table tbody tr[data-email]");
            println!("run {run}: overview {at:.0} ms, then {name}'s Members table {ms:.0} ms");
            overview.push(at);
            open.push(ms);
            times.push(at + ms);
        } else {
            session.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(30));
            let ms = t0.elapsed().as_secs_f64() * 1000.0;
            println!("run {run}: {ms:.0} ms");
            times.push(ms);
        }
        if run == runs && args.iter().any(|a| a == "--scroll") {
            scroll(&session);
        }
        drop(session);
        drop(driver);
    }
    if !overview.is_empty() {
        report("launch to the accounts overview", &mut overview);
        report("the overview to the account's Members table", &mut open);
    }
    report("launch to Members table", &mut times);
    if let Some(inbox) = opt("--inbox") {
        inbox_timings(&bin, &data, &inbox, runs);
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

/// Scrolls the Members table 120 px a frame for 300 frames (about 200
/// rows a second, each page of rows fetched from the backend on the way)
/// and reports the frame intervals: a frame is dropped for each 16.7 ms an
/// interval runs past the first, counting those over 25 ms.
fn scroll(s: &webdriver::Session) {
    let rows = s.eval("return document.querySelector('#members-scroll').scrollHeight / 1");
    s.eval(
        "window.__frames = null; const sc = document.getElementById('members-scroll'); const d = []; let last = 0, n = 0;
         const step = (t) => { d.push(t - last); last = t; sc.scrollTop += 120; if (++n < 300) requestAnimationFrame(step); else window.__frames = d; };
         requestAnimationFrame((t) => { last = t; requestAnimationFrame(step); }); return 'started';",
    );
    let mut frames = String::from("null");
    for _ in 0..1000 {
        frames = s.eval("return window.__frames === null ? 'null' : window.__frames.join(',')");
        if frames != "null" {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut d: Vec<f64> = frames.split(',').filter_map(|v| v.parse().ok()).collect();
    let dropped: f64 = d.iter().filter(|&&ms| ms > 25.0).map(|ms| (ms / 16.667).round() - 1.0).sum::<f64>() + 0.0; // (+ 0.0: an empty sum is -0)
    let total: f64 = d.iter().sum();
    println!(
        "scroll of the Members table (scroll height {rows} px): {} frames in {total:.0} ms, {dropped:.0} dropped",
        d.len()
    );
    report("frame interval", &mut d);
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
