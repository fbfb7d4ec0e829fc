//! Running the built `seatdesk` binary on a temp data directory, shared by
//! the CLI and reliability tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub const TODAY: &str = "2026-11-16";

pub fn seatdesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--today", TODAY])
        .args(args)
        .env_remove("SEATDESK_DATA_DIR")
        .env_remove("SEATDESK_TODAY")
        .output()
        .expect("run seatdesk")
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

pub fn ok(dir: &Path, args: &[&str]) -> Value {
    let out = seatdesk(dir, &[&["--json"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    json(&out)
}

/// Runs a refused command; returns its error code after checking the shape.
pub fn refused(dir: &Path, args: &[&str]) -> String {
    let out = seatdesk(dir, &[&["--json"], args].concat());
    assert_eq!(out.status.code(), Some(1), "{args:?} should be refused: {}", String::from_utf8_lossy(&out.stdout));
    let doc = json(&out);
    let err = &doc["error"];
    assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(err.get("details").is_some());
    err["code"].as_str().unwrap().to_string()
}

/// An account Acme with its Owner, Olivia.
pub fn create_acme(dir: &Path) -> Value {
    ok(dir, &["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example.com", "--owner-name", "Olivia Owner"])
}
