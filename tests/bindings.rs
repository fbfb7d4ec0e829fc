//! The generated TypeScript bindings in ui/src/bindings.ts must be exactly
//! what the code generates, and the permissions must cover exactly the
//! commands. `UPDATE_BINDINGS=1 cargo test --test bindings` rewrites them.

use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generate() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bindings.ts");
    seatdesk::specta_builder().export(seatdesk::typescript(), &out).expect("export bindings");
    fs::read_to_string(out).unwrap()
}

#[test]
fn checked_in_bindings_match_the_code() {
    let path = root().join("ui/src/bindings.ts");
    let generated = generate();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let checked_in = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "ui/src/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test --test bindings` and commit it"
    );
}

#[test]
fn bindings_carry_the_error_codes_as_a_typed_union() {
    let ts = generate();
    for code in ["\"invalid_email\"", "\"quote_stale\"", "\"database_too_new\"", "\"no_free_seats\""] {
        assert!(ts.contains(code), "{code} missing from the ErrorCode union");
    }
    assert!(ts.contains("export type ErrorCode"));
}

#[test]
fn every_command_is_bound_in_the_bindings_and_granted_exactly() {
    let ts = generate();
    let cap: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("src-tauri/capabilities/default.json")).unwrap()).unwrap();
    let granted: Vec<String> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    let mut expected: Vec<String> =
        seatdesk::COMMAND_NAMES.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    let mut granted_sorted = granted.clone();
    granted_sorted.sort();
    expected.sort();
    assert_eq!(granted_sorted, expected, "the capability grants exactly the app's commands");
    for name in seatdesk::COMMAND_NAMES {
        assert!(ts.contains(&format!("__TAURI_INVOKE(\"{name}\"")), "{name} missing from the bindings");
    }
    assert_eq!(ts.matches("__TAURI_INVOKE(\"").count(), seatdesk::COMMAND_NAMES.len(), "no command beyond the list");
}

#[test]
fn the_window_has_a_strict_csp_and_no_remote_origins() {
    let conf: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("tauri.conf.json")).unwrap()).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP is set");
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval") && !csp.contains("unsafe-inline"));
    assert!(!csp.contains("http://") || csp.matches("http://").count() == 1 && csp.contains("http://ipc.localhost"));
    assert!(!csp.contains("https:"), "no remote origin");
    assert!(conf["build"].get("devUrl").is_none(), "the window never loads from a server");
}

/// Whom a command acts as is the window's state in Rust: no command takes
/// an acting member (or support identity) from the page.
#[test]
fn no_command_takes_the_acting_member_from_the_page() {
    let ts = generate();
    let commands = &ts[ts.find("export const commands").expect("commands")..ts.find("/** user-defined events").unwrap_or(ts.len())];
    let invokes: Vec<&str> = commands.lines().filter(|l| l.contains("__TAURI_INVOKE(")).collect();
    assert!(invokes.len() > 40);
    for line in &invokes {
        let args = &line[line.find('(').expect("arguments")..line.find("=>").expect("an arrow function")];
        assert!(!args.to_lowercase().contains("acting"), "a command takes an acting member from the page: {line}");
    }
    // Owner transfer takes its support identity from support mode (Rust state), not the page.
    let transfer = invokes.iter().find(|l| l.contains("\"transfer_owner\"")).expect("transfer_owner");
    assert!(!transfer.contains("support"), "{transfer}");
    let scope = &ts[ts.find("export type AccountRef = {").expect("AccountRef")..];
    let scope = &scope[..scope.find('}').unwrap()];
    assert!(!scope.contains("acting"), "the scope the page sends names only the account: {scope}");
    assert!(!ts.contains("export type Scope"), "the service's Scope (with its acting member) is not exported");
}
