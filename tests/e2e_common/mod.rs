//! What the end-to-end tests share: one window at a time, launching it,
//! calling commands as a page script would, and the CLI beside it.
#![allow(dead_code)]

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use crate::webdriver::{Driver, Session};

/// One window at a time: tauri-driver listens on one port.
pub static WINDOW: Mutex<()> = Mutex::new(());

pub const TODAY: &str = "2026-11-16";

pub fn launch(data_dir: &std::path::Path) -> (Driver, Session) {
    let driver = Driver::start(data_dir, TODAY);
    let session = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    (driver, session)
}

/// Launches the window with its native confirmations answered from a file
/// (`SEATDESK_CONFIRM_FILE`, an `e2e`-build hook): "yes" confirms.
pub fn launch_confirming(data_dir: &std::path::Path, answer: &str) -> (Driver, Session, std::path::PathBuf) {
    let file = data_dir.join("confirm-answer");
    std::fs::write(&file, answer).unwrap();
    let driver = Driver::start_with(data_dir, TODAY, &[("SEATDESK_CONFIRM_FILE", &file)]);
    let session = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    (driver, session, file)
}

/// Calls a command from a script in the page, as any script could, and
/// returns `{ok, value|error}`.
pub fn invoke(s: &Session, cmd: &str, args: &str) -> serde_json::Value {
    s.eval(&format!(
        "window.__outcome = null;
         window.__TAURI_INTERNALS__.invoke({cmd:?}, {args})
           .then(v => {{ window.__outcome = {{ ok: true, value: JSON.stringify(v) }}; }},
                 e => {{ window.__outcome = {{ ok: false, error: String(JSON.stringify(e)) }}; }});
         return 'started';"
    ));
    for _ in 0..100 {
        let out = s.eval("return JSON.stringify(window.__outcome)");
        if out != "null" {
            return serde_json::from_str(&out).unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{cmd} did not answer within 10 s")
}

/// The stable code of a refused call (`None` when it succeeded).
pub fn refusal_code(r: &serde_json::Value) -> Option<String> {
    if r["ok"] == true {
        return None;
    }
    let error: serde_json::Value = serde_json::from_str(r["error"].as_str().unwrap_or("null")).unwrap_or(serde_json::Value::Null);
    Some(error["code"].as_str().map(String::from).unwrap_or_else(|| format!("(not a Seatdesk error: {r})")))
}

pub fn cli(data_dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--json")
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Acme with the inbox Sales and `seats` seats, and a window whose every
/// file dialog answers with `chosen` (an `e2e`-build hook), where `csv` is
/// written first. Returns the data folder's guard and the chosen file's.
pub fn acme_with_a_file(seats: &str, csv: &str) -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", seats, "--yes"]);
    let files = tempfile::tempdir().unwrap();
    let chosen = files.path().join("chosen-file");
    std::fs::write(&chosen, csv).unwrap();
    (dir, files, chosen)
}

/// Runs axe-core (from ui/node_modules, injected into the page) over the
/// page as it is, open dialogs included, and returns its serious and
/// critical violations as "rule: help [where]" lines.
pub fn axe_violations(s: &Session) -> Vec<String> {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let axe = AXE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run npm ci in ui/)", path.display()))
    });
    if s.eval("return String(typeof window.axe)") != "object" {
        s.eval(&format!("{axe}\nreturn 'ok';"));
    }
    s.eval(
        "window.__axe = null;
         axe.run(document, { resultTypes: ['violations'] }).then(
           r => { window.__axe = JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.help + ' [' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + (v.nodes.length > 3 ? ', +' + (v.nodes.length - 3) : '') + ']')); },
           e => { window.__axe = JSON.stringify(['axe failed: ' + e]); });
         return 'started';",
    );
    for _ in 0..200 {
        let out = s.eval("return String(window.__axe)");
        if out != "null" {
            return serde_json::from_str(&out).unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("axe did not finish within 20 s")
}
