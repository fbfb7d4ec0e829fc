//! The command line as a process: the built `seatdesk` binary on a temp
//! data directory, checking the JSON shapes of rules §10 and exit statuses.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{json, ok, refused, seatdesk};

fn create_acme(dir: &Path) -> Value {
    ok(dir, &["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example.com", "--owner-name", "Olivia Owner"])
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn account_create_then_seats_prints_the_spec_shape() {
    let d = tempfile::tempdir().unwrap();
    let acct = create_acme(d.path());
    assert_eq!(acct["name"], "Acme");
    assert_eq!(acct["owner_email"], "olivia@acme.example.com");
    assert_eq!(acct["renews_on"], "2026-12-16");
    let seats = ok(d.path(), &["seats"]);
    assert_eq!(
        keys(&seats),
        ["assigned", "included", "purchased", "renewal_total_cents", "renews_on", "unassigned"]
    );
    assert_eq!(seats["included"], 1);
    assert_eq!(seats["purchased"], 0);
    assert_eq!(seats["assigned"], 0);
    assert_eq!(seats["unassigned"], 0);
    assert_eq!(seats["renewal_total_cents"], 0);
    assert_eq!(seats["renews_on"], "2026-12-16");
    assert!(d.path().join("seatdesk.db").exists());
}

#[test]
fn members_and_inboxes_print_the_spec_shapes() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    let members = ok(d.path(), &["members"]);
    let owner = &members.as_array().unwrap()[0];
    for k in ["email", "name", "role", "status", "inboxes"] {
        assert!(owner.get(k).is_some(), "{k} missing");
    }
    assert_eq!(owner["role"], "owner");
    assert_eq!(owner["status"], "active");
    let inbox = ok(d.path(), &["inboxes", "create", "Sales", "--number", "+15551234567"]);
    assert_eq!(inbox["number"], "+15551234567");
    ok(d.path(), &["inboxes", "create", "Support"]);
    let list = ok(d.path(), &["inboxes"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["awaiting_number"], true);
    assert_eq!(refused(d.path(), &["inboxes", "create", "Other", "--number", "+15551234567"]), "duplicate_number");
    assert_eq!(refused(d.path(), &["inboxes", "create", "Other", "--number", "12"]), "invalid_phone_number");
}

#[test]
fn demo_builds_an_account_that_lists_and_filters() {
    let d = tempfile::tempdir().unwrap();
    let demo = ok(d.path(), &["demo", "--members", "40", "--seed", "9"]);
    assert_eq!(demo["name"], "Acme Demo");
    let all = ok(d.path(), &["members"]);
    assert_eq!(all.as_array().unwrap().len(), 41);
    let pending = ok(d.path(), &["members", "--status", "pending"]);
    assert!(pending.as_array().unwrap().iter().all(|m| m["status"] == "pending"));
    let admins = ok(d.path(), &["members", "--role", "admin"]);
    assert!(admins.as_array().unwrap().iter().all(|m| m["role"] == "admin"));
    let seats = ok(d.path(), &["seats"]);
    assert_eq!(seats["unassigned"], 3);
    assert_eq!(ok(d.path(), &["inboxes"]).as_array().unwrap().len(), 3);
    // Two accounts: commands need --account.
    create_acme(d.path());
    assert_eq!(refused(d.path(), &["seats"]), "account_required");
    assert_eq!(ok(d.path(), &["--account", "Acme", "seats"])["purchased"], 0);
    assert_eq!(ok(d.path(), &["account", "list"]).as_array().unwrap().len(), 2);
}

#[test]
fn human_output_is_readable() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    let out = seatdesk(d.path(), &["seats"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0 of 0 seats used"), "{text}");
    let err = seatdesk(d.path(), &["--as", "ghost@example.com", "seats"]);
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("error[not_a_member]"));
}

#[test]
fn usage_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    for args in [&["frobnicate"][..], &["seats", "--bogus"], &["account", "create", "--name", "X"], &["members", "--status", "gone"]] {
        let out = seatdesk(d.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("error:") && (err.contains("Usage") || err.contains("--help")), "{args:?} explains: {err}");
    }
    let help = seatdesk(d.path(), &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    // With --json a usage error is the same JSON document as any refusal
    // (found by trying the CLI: clap's errors printed nothing on stdout).
    for args in [&["--json", "seats", "buy", "3"][..], &["--json", "inboxes", "ring-group", "Sales", "set", "--ring-seconds", "abc"]] {
        let out = seatdesk(d.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let doc = json(&out);
        assert_eq!(doc["error"]["code"], "invalid_argument", "{args:?}");
        assert!(doc["error"]["message"].as_str().is_some_and(|m| m.contains("--yes") || m.contains("abc")), "{doc}");
    }
}

/// What trying the command line found (session 5), each pinned.
#[test]
fn what_trying_the_cli_found_stays_fixed() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    ok(d.path(), &["seats", "buy", "3", "--yes"]);
    ok(d.path(), &["inboxes", "create", "Sales"]);
    ok(d.path(), &["members", "invite", "fay@acme.com", "gus@acme.com", "--inbox", "Sales"]);
    ok(d.path(), &["members", "accept", "fay@acme.com"]);
    ok(d.path(), &["members", "accept", "gus@acme.com"]);
    ok(d.path(), &["inboxes", "distribution", "Sales", "--group", "simultaneous:20:gus@acme.com", "--group", "round-robin:15:fay@acme.com"]);
    ok(d.path(), &["inboxes", "assignment", "Sales", "default", "fay@acme.com"]);
    // A move to Observer says what its hand-over did, in JSON and text.
    let r = ok(d.path(), &["members", "role", "fay@acme.com", "observer"]);
    assert_eq!(r["role"], "observer");
    let notes: Vec<&str> = r["notes"].as_array().unwrap().iter().filter_map(|n| n.as_str()).collect();
    assert!(notes.iter().any(|n| n.contains("default assignee of Sales")) && notes.iter().any(|n| n.contains("group 2 of Sales")), "{r}");
    // A no-op is refused as such, and options that do nothing are too.
    for args in [&["inboxes", "ring-group", "Sales", "set"][..], &["inboxes", "ring-group", "Sales", "add", "gus@acme.com", "--strategy", "round-robin"], &["account", "set-plan"]] {
        let out = seatdesk(d.path(), &[&["--json"], args].concat());
        assert_eq!((out.status.code(), json(&out)["error"]["code"].as_str()), (Some(2), Some("invalid_argument")), "{args:?}");
    }
    // Saving the plan as it is writes no audit entry.
    let entries = |d: &std::path::Path| ok(d, &["audit", "verify"])["entries"].as_i64().unwrap();
    let before = entries(d.path());
    ok(d.path(), &["account", "set-plan", "--seat-price", "10.00"]);
    ok(d.path(), &["inboxes", "ring-group", "Sales", "set", "--ring-seconds", "30"]);
    assert_eq!(entries(d.path()), before, "nothing changed, nothing audited");
    // The audit log's details are JSON objects in --json.
    let log = ok(d.path(), &["audit", "--limit", "3"]);
    assert!(log[0]["details"].is_object(), "{log}");
    // Delete reassigns to the acting member by default.
    let gone = ok(d.path(), &["members", "delete", "gus@acme.com", "--keep-seat"]);
    assert_eq!(gone["reassigned_to"], "olivia@acme.example.com");
    // A file that is not there says so plainly; a backup never overwrites.
    let missing = seatdesk(d.path(), &["--json", "import", "members", "/nonexistent/file.csv"]);
    let doc = json(&missing);
    assert_eq!((doc["error"]["code"].as_str(), doc["error"]["details"]["key"].as_str()), (Some("not_found"), Some("/nonexistent/file.csv")), "{doc}");
    let copy = d.path().join("copy.db");
    ok(d.path(), &["backup", copy.to_str().unwrap()]);
    assert_eq!(refused(d.path(), &["backup", copy.to_str().unwrap()]), "file_exists");
    // An address the parser refuses reads as one sentence.
    let bad = seatdesk(d.path(), &["--json", "members", "invite", "ana@", "--inbox", "Sales"]);
    let message = json(&bad)["error"]["details"]["report"][0]["message"].as_str().unwrap_or_default().to_string();
    assert!(!message.contains(".."), "{message}");
    // An exported member with no inbox re-imports with a plain reason.
    let fresh = tempfile::tempdir().unwrap();
    ok(fresh.path(), &["account", "create", "--name", "Two", "--owner-email", "t@two.example.com", "--owner-name", "Tess"]);
    let csv = fresh.path().join("m.csv");
    std::fs::write(&csv, "email,name,role,inbox\nzed@two.example.com,Zed,observer,\n").unwrap();
    let dry = ok(fresh.path(), &["import", "members", csv.to_str().unwrap(), "--dry-run"]);
    assert!(dry["rows"][0]["message"].as_str().is_some_and(|m| m.starts_with("no inbox given")), "{dry}");
}

#[test]
fn bad_input_is_refused_with_its_code_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let create = |email: &str, extra: &[&str]| {
        refused(d.path(), &[&["account", "create", "--name", "Acme", "--owner-email", email, "--owner-name", "O"], extra].concat())
    };
    assert_eq!(create("olivia@acme", &[]), "invalid_email");
    assert_eq!(create("Olivia <olivia@acme.com>", &[]), "invalid_email");
    assert_eq!(create("olivia@acme.com", &["--plan", "weekly"]), "invalid_plan");
    assert_eq!(create("olivia@acme.com", &["--seat-price", "ten"]), "invalid_price");
    assert_eq!(create("olivia@acme.com", &["--renews", "2026-02-30"]), "invalid_date");
    assert_eq!(ok(d.path(), &["account", "list"]), Value::Array(vec![]));
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(d.path())
        .args(["--json", "--today", "someday", "seats"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["code"], "invalid_date");
}

#[test]
fn an_unwritable_data_dir_or_a_damaged_database_is_refused_untouched() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("not-a-dir");
    fs::write(&file, "x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .args(["--json", "--data-dir"])
        .arg(file.join("sub"))
        .arg("seats")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["error"]["code"], "data_dir_unwritable");

    let garbage = tempfile::tempdir().unwrap();
    let db = garbage.path().join("seatdesk.db");
    let bytes = vec![7u8; 5000];
    fs::write(&db, &bytes).unwrap();
    assert_eq!(refused(garbage.path(), &["seats"]), "database_corrupt");
    assert_eq!(fs::read(&db).unwrap(), bytes);

    let ro = tempfile::tempdir().unwrap();
    create_acme(ro.path());
    let db = ro.path().join("seatdesk.db");
    let mut perms = fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&db, perms).unwrap();
    let before = fs::read(&db).unwrap();
    assert_eq!(refused(ro.path(), &["inboxes", "create", "Sales"]), "database_read_only");
    assert_eq!(fs::read(&db).unwrap(), before);
}

#[test]
fn a_database_from_a_newer_seatdesk_is_refused_untouched() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    let db = d.path().join("seatdesk.db");
    bump_user_version(&db);
    let before = fs::read(&db).unwrap();
    assert_eq!(refused(d.path(), &["seats"]), "database_too_new");
    assert_eq!(fs::read(&db).unwrap(), before);
}

/// Sets user_version (bytes 60..64 of the header, big-endian) to 999
/// without SQLite, after the WAL has been checkpointed by a clean close.
fn bump_user_version(db: &Path) {
    let mut bytes = fs::read(db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    fs::write(db, bytes).unwrap();
}

#[test]
fn the_window_without_a_display_says_so_plainly() {
    let d = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(d.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[no_display]") && err.contains("xvfb-run"), "{err}");
}

#[test]
fn seats_quote_buy_remove_and_ledger_print_the_spec_shapes() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O", "--renews", "2026-12-01"]);
    // Bought on Nov 16 of a 30-day period renewing Dec 1: 15 days left, half price.
    let quote = ok(d.path(), &["seats", "quote", "4"]);
    for k in ["quantity", "due_now_cents", "renewal_total_cents", "quote_id"] {
        assert!(quote.get(k).is_some(), "{k} missing from the quote");
    }
    assert_eq!((quote["quantity"].as_i64(), quote["due_now_cents"].as_i64(), quote["renewal_total_cents"].as_i64()), (Some(4), Some(2000), Some(4000)));
    let id = quote["quote_id"].as_str().unwrap();
    let bought = ok(d.path(), &["seats", "buy", "4", "--yes", "--quote", id]);
    assert_eq!(bought["charged_cents"], 2000);
    assert_eq!(bought["seats"]["purchased"], 4);
    // The same quote again is stale: the account changed.
    assert_eq!(refused(d.path(), &["seats", "buy", "4", "--yes", "--quote", id]), "quote_stale");
    assert_eq!(refused(d.path(), &["seats", "remove", "5", "--yes"]), "not_enough_unassigned_seats");
    let after = ok(d.path(), &["seats", "remove", "1", "--yes"]);
    assert_eq!((after["purchased"].as_i64(), after["renewal_total_cents"].as_i64()), (Some(3), Some(3000)));
    for bad in ["0", "-2", "100001", "lots"] {
        assert_eq!(refused(d.path(), &["seats", "buy", bad, "--yes"]), "invalid_quantity", "{bad}");
    }
    let ledger = ok(d.path(), &["ledger"]);
    let rows = ledger.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for k in ["date", "kind", "quantity", "unit_cents", "amount_cents"] {
        assert!(rows[0].get(k).is_some(), "{k} missing from ledger rows");
    }
    assert_eq!(rows[0]["kind"], "seat_purchase");
    assert_eq!(rows[1]["kind"], "seat_removal");
    assert_eq!(rows[1]["amount_cents"], 0);
    assert_eq!(ok(d.path(), &["ledger", "--kind", "seat-removal"]).as_array().unwrap().len(), 1);
    // Buying needs --yes.
    assert_eq!(seatdesk(d.path(), &["seats", "buy", "1"]).status.code(), Some(2));
}

#[test]
fn numbers_are_bought_through_a_quote_and_renewals_book_on_open() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O", "--renews", "2026-12-01"]);
    ok(d.path(), &["inboxes", "create", "Sales", "--number", "+15551234567"]);
    ok(d.path(), &["inboxes", "create", "Support"]);
    assert_eq!(refused(d.path(), &["inboxes", "create", "Night", "--number", "+15550000001"]), "quote_required");
    let q = ok(d.path(), &["inboxes", "quote-number", "Support", "+15557654321"]);
    assert_eq!(q["due_now_cents"], 250);
    ok(d.path(), &["inboxes", "buy-number", "Support", "+15557654321", "--yes", "--quote", q["quote_id"].as_str().unwrap()]);
    assert_eq!(refused(d.path(), &["inboxes", "buy-number", "Support", "+15550000002", "--yes"]), "inbox_has_number");
    assert_eq!(ok(d.path(), &["seats"])["renewal_total_cents"], 500);
    // Opened on Jan 5th: the Dec 1 and Jan 1 renewals are booked, once.
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
            .arg("--data-dir")
            .arg(d.path())
            .args(["--today", "2027-01-05", "--allow-future-date", "--json", "ledger", "--kind", "number-renewal"])
            .output()
            .unwrap();
        let renewals = json(&out);
        let dates: Vec<&str> = renewals.as_array().unwrap().iter().map(|e| e["date"].as_str().unwrap()).collect();
        assert_eq!(dates, ["2026-12-01", "2027-01-01"]);
    }
}

#[test]
fn the_plan_can_be_changed_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    let view = ok(d.path(), &["account", "set-plan", "--seat-price", "12.50", "--currency", "eur"]);
    assert_eq!((view["seat_price_cents"].as_i64(), view["currency"].as_str()), (Some(1000), Some("USD")), "this period keeps its terms");
    let next = &view["scheduled"];
    assert_eq!((next["seat_price_cents"].as_i64(), next["currency"].as_str()), (Some(1250), Some("EUR")));
    assert_eq!(refused(d.path(), &["account", "set-plan", "--renews", "2020-01-01"]), "invalid_date");
}

#[test]
fn invites_from_the_cli_are_all_or_nothing_and_pending_actions_work() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O", "--renews", "2026-12-01"]);
    ok(d.path(), &["inboxes", "create", "Sales"]);
    // No seats yet: refused with the shortfall and its quote.
    let out = seatdesk(d.path(), &["--json", "members", "invite", "ana@example.com", "ben@example.com", "--inbox", "Sales"]);
    assert_eq!(out.status.code(), Some(1));
    let err = json(&out);
    assert_eq!(err["error"]["code"], "no_free_seats");
    assert_eq!((err["error"]["details"]["needed"].as_i64(), err["error"]["details"]["free"].as_i64()), (Some(2), Some(0)));
    let quote = err["error"]["details"]["quote"]["quote_id"].as_str().unwrap().to_string();
    assert_eq!(ok(d.path(), &["members", "--status", "pending"]), Value::Array(vec![]));
    // Buy the shortfall and invite in one step.
    let res = ok(d.path(), &["members", "invite", "ana@example.com", "ben@example.com", "--inbox", "Sales", "--buy-shortfall", &quote]);
    assert_eq!(res["invited"].as_array().unwrap().len(), 2);
    assert_eq!(res["purchase"]["charged_cents"], 1000);
    assert_eq!(res["invited"][0]["status"], "pending");
    assert_eq!(res["invited"][0]["inboxes"][0], "Sales");
    // One bad address refuses the lot.
    assert_eq!(refused(d.path(), &["members", "invite", "chloe@example.com", "bad@", "--role", "observer", "--inbox", "Sales"]), "invalid_email");
    assert_eq!(refused(d.path(), &["members", "invite", "ANA@example.com", "--role", "observer", "--inbox", "Sales"]), "duplicate_email");
    assert_eq!(ok(d.path(), &["members"]).as_array().unwrap().len(), 3);
    // Pending actions.
    assert_eq!(ok(d.path(), &["members", "resend", "ana@example.com"])["resend_count"], 1);
    let ana = ok(d.path(), &["members", "accept", "ana@example.com", "--name", "Ana Lopez"]);
    assert_eq!((ana["status"].as_str(), ana["name"].as_str()), (Some("active"), Some("Ana Lopez")));
    assert_eq!(refused(d.path(), &["members", "revoke", "ana@example.com"]), "not_pending");
    let revoked = ok(d.path(), &["members", "revoke", "ben@example.com"]);
    assert_eq!(revoked["seats"]["unassigned"], 1);
    let show = ok(d.path(), &["members", "show", "ana@example.com"]);
    assert_eq!(show["inboxes"][0], "Sales");
    // Roles and own email.
    assert_eq!(ok(d.path(), &["members", "role", "ana@example.com", "observer", "--remove-seat"])["role"], "observer");
    assert_eq!(ok(d.path(), &["seats"])["purchased"], 1);
    assert_eq!(refused(d.path(), &["--as", "ana@example.com", "members", "invite", "x@example.com", "--inbox", "Sales"]), "not_permitted");
    assert_eq!(ok(d.path(), &["--as", "ana@example.com", "me", "set-email", "ana@new.example.com"])["email"], "ana@new.example.com");
    // --inbox or --new-inbox is required.
    assert_eq!(seatdesk(d.path(), &["members", "invite", "x@example.com"]).status.code(), Some(2));
}

#[test]
fn inboxes_show_has_the_spec_shape_and_routing_commands_work() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O", "--renews", "2026-12-01"]);
    ok(d.path(), &["inboxes", "create", "Sales", "--number", "+15551234567"]);
    ok(d.path(), &["seats", "buy", "2", "--yes"]);
    ok(d.path(), &["members", "invite", "ana@example.com", "ben@example.com", "--inbox", "Sales"]);
    ok(d.path(), &["members", "accept", "ana@example.com", "--name", "Ana"]);
    ok(d.path(), &["members", "accept", "ben@example.com", "--name", "Ben"]);
    assert_eq!(ok(d.path(), &["inboxes", "add-member", "Sales", "ana@example.com"])["changed"], false);
    ok(d.path(), &["inboxes", "add-me", "Sales"]);
    ok(d.path(), &["inboxes", "ring-group", "Sales", "set", "--strategy", "simultaneous", "--ring-seconds", "20"]);
    ok(d.path(), &["inboxes", "distribution", "Sales", "--group", "simultaneous:15:ana@example.com,ben@example.com", "--group", "round-robin:25:o@acme.example.com", "--fallthrough", "drop"]);
    ok(d.path(), &["inboxes", "ivr", "Sales", "--greeting", "Welcome to Acme", "--option", "1=member:ana@example.com", "--option", "2=group:2", "--option", "0=voicemail"]);
    ok(d.path(), &["inboxes", "assignment", "Sales", "default", "ben@example.com"]);
    let show = ok(d.path(), &["inboxes", "show", "Sales"]);
    for k in ["name", "number", "owner", "members", "conversation_assignment", "ring_group", "distribution", "ivr"] {
        assert!(show.get(k).is_some(), "{k} missing from inboxes show");
    }
    assert_eq!(show["members"], serde_json::json!(["ana@example.com", "ben@example.com", "o@acme.example.com"]));
    assert_eq!(show["conversation_assignment"]["default_assignee"], "ben@example.com");
    assert!(show["conversation_assignment"]["members"].is_array());
    assert_eq!((show["ring_group"]["strategy"].as_str(), show["ring_group"]["ring_seconds"].as_i64()), (Some("simultaneous"), Some(20)));
    assert_eq!(show["distribution"]["groups"].as_array().unwrap().len(), 2);
    assert_eq!(show["distribution"]["total_ring_seconds"], 40);
    assert_eq!(show["ivr"]["options"].as_array().unwrap().len(), 3);
    // A partial edit changes what it names and keeps the rest, in the
    // service's one transaction (the command line reads nothing to write back).
    let rang = ok(d.path(), &["inboxes", "ring-group", "Sales", "set", "--ring-seconds", "30"]);
    assert_eq!((rang["ring_group"]["strategy"].as_str(), rang["ring_group"]["ring_seconds"].as_i64()), (Some("simultaneous"), Some(30)));
    let fell = ok(d.path(), &["inboxes", "distribution", "Sales", "--fallthrough", "voicemail"]);
    assert_eq!((fell["distribution"]["groups"].as_array().unwrap().len(), fell["distribution"]["fallthrough"].as_str()), (2, Some("voicemail")));
    let greeted = ok(d.path(), &["inboxes", "ivr", "Sales", "--greeting", "Hello again"]);
    assert_eq!((greeted["ivr"]["options"].as_array().unwrap().len(), greeted["ivr"]["greeting"].as_str()), (3, Some("Hello again")));

    // The guard names every setting; --everywhere clears them and leaves.
    let out = seatdesk(d.path(), &["--json", "inboxes", "remove-member", "Sales", "ana@example.com"]);
    assert_eq!(out.status.code(), Some(1));
    let err = json(&out);
    assert_eq!(err["error"]["code"], "member_still_assigned");
    let settings: Vec<&str> = err["error"]["details"]["settings"].as_array().unwrap().iter().map(|s| s["setting"].as_str().unwrap()).collect();
    assert_eq!(settings, ["conversation_assignment", "ring_group", "call_distribution", "ivr"]);
    let done = ok(d.path(), &["inboxes", "remove-member", "Sales", "ana@example.com", "--everywhere"]);
    assert_eq!(done["removed_from"].as_array().unwrap().len(), 4);
    let after = ok(d.path(), &["inboxes", "show", "Sales"]);
    assert_eq!(after["ivr"]["options"][1]["points_nowhere"], true);
    // Limits and bad specs.
    assert_eq!(refused(d.path(), &["inboxes", "ring-group", "Sales", "set", "--ring-seconds", "61"]), "invalid_ring_time");
    let six: Vec<String> = (0..6).map(|_| "round-robin:10:ben@example.com".to_string()).collect();
    let mut args = vec!["inboxes", "distribution", "Sales"];
    for g in &six {
        args.push("--group");
        args.push(g);
    }
    assert_eq!(refused(d.path(), &args), "too_many_groups");
    assert_eq!(seatdesk(d.path(), &["inboxes", "distribution", "Sales", "--group", "nonsense"]).status.code(), Some(2));
    assert_eq!(refused(d.path(), &["inboxes", "assignment", "Sales", "add", "ana@example.com"]), "not_inbox_member");
}

#[test]
fn deletion_transfer_audit_and_check_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["demo", "--members", "30", "--conversations", "300", "--seed", "3"]);
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
    let members = ok(d.path(), &["members", "--status", "active"]);
    let pick = |role: &str| members.as_array().unwrap().iter().find(|m| m["role"] == role).unwrap()["email"].as_str().unwrap().to_string();
    let (leaving, heir) = (pick("member"), pick("manager"));
    let show = ok(d.path(), &["members", "show", &leaving]);
    for k in ["email", "name", "role", "status", "inboxes", "conversations", "contacts", "owned_inboxes"] {
        assert!(show.get(k).is_some(), "{k} missing from members show");
    }
    let held = show["conversations"].as_i64().unwrap();
    let gone = ok(d.path(), &["members", "delete", &leaving, "--reassign-to", &heir, "--remove-seat"]);
    let routed: i64 = gone["routed"].as_array().unwrap().iter().map(|r| r["conversations"].as_i64().unwrap()).sum();
    assert_eq!(gone["conversations"].as_i64().unwrap() + routed, held, "every conversation went somewhere said: {gone}");
    assert_eq!(refused(d.path(), &["members", "show", &leaving]), "not_found");
    assert_eq!(refused(d.path(), &["members", "delete", "olivia.owner@acme-demo.example.com", "--reassign-to", &heir, "--keep-seat"]), "owner_protected");
    assert_eq!(refused(d.path(), &["members", "delete", &heir, "--reassign-to", &heir, "--keep-seat"]), "invalid_reassign_target");
    assert_eq!(seatdesk(d.path(), &["members", "delete", &heir, "--reassign-to", "x@example.com"]).status.code(), Some(2), "keep or remove is required");
    // Owner transfer needs support mode.
    assert_eq!(refused(d.path(), &["owner", "transfer", "--to", &heir]), "support_mode_required");
    let owner = ok(d.path(), &["owner", "transfer", "--to", &heir, "--support-agent", "Sam", "--ticket", "T-9"]);
    assert_eq!(owner["role"], "owner");
    // Contacts and conversations.
    ok(d.path(), &["contacts", "add", "Zed Client", "--phone", "+15550009999", "--owner", &heir]);
    let conv = ok(d.path(), &["conversations", "add", "--inbox", "Sales", "--contact", "+15550009999"]);
    assert!(conv["assignee"].is_string());
    // The audit log has it all, and its chain verifies.
    let audit = ok(d.path(), &["audit", "--limit", "5"]);
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"owner.transfer") && actions.contains(&"conversation.add"), "{actions:?}");
    assert_eq!(ok(d.path(), &["audit", "verify"])["ok"], true);
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
    // A tampered purchased count is named by check, with exit status 1.
    {
        let conn = rusqlite::Connection::open(d.path().join("seatdesk.db")).unwrap();
        conn.execute_batch("UPDATE account SET purchased_seats = purchased_seats + 7").unwrap();
    }
    let out = seatdesk(d.path(), &["--json", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["error"]["code"], "invariant_violated");
    let rules: Vec<&str> = doc["error"]["details"]["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"ledger"), "{rules:?}");
}

#[test]
fn csv_export_import_and_backup_restore_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    ok(d.path(), &["inboxes", "create", "Sales"]);
    ok(d.path(), &["seats", "buy", "2", "--yes"]);
    let csv = d.path().join("people.csv");
    fs::write(&csv, "email,name,role,inbox\nana@example.com,Ana,member,Sales\nben@example.com,\"=cmd|' /C calc'!A0\",member,Sales\n").unwrap();
    let dry = ok(d.path(), &["import", "members", csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!((dry["to_invite"].as_i64(), dry["applied"].as_bool()), (Some(2), Some(false)));
    assert_eq!(ok(d.path(), &["members"]).as_array().unwrap().len(), 1, "a dry run changes nothing");
    let done = ok(d.path(), &["import", "members", csv.to_str().unwrap()]);
    assert_eq!(done["applied"], true);
    let out = d.path().join("members.csv");
    ok(d.path(), &["export", "members", "--out", out.to_str().unwrap()]);
    let exported = fs::read_to_string(&out).unwrap();
    assert!(exported.contains("'=cmd|"), "formula neutralised: {exported}");
    let ledger = ok(d.path(), &["export", "ledger"]);
    assert!(ledger["csv"].as_str().unwrap().starts_with("date,kind,quantity,unit_price,amount"));
    let bad = d.path().join("bad.csv");
    fs::write(&bad, "email,name\n\"unclosed,Ana\n").unwrap();
    let out_bad = seatdesk(d.path(), &["--json", "import", "members", bad.to_str().unwrap()]);
    assert_eq!(out_bad.status.code(), Some(1));
    let err = json(&out_bad);
    assert_eq!((err["error"]["code"].as_str(), err["error"]["details"]["line"].as_i64()), (Some("invalid_csv"), Some(2)));

    // Backup, change, restore.
    let backup = d.path().join("backup.db");
    ok(d.path(), &["backup", backup.to_str().unwrap()]);
    ok(d.path(), &["members", "revoke", "ana@example.com"]);
    let restored = ok(d.path(), &["restore", backup.to_str().unwrap()]);
    assert!(Path::new(restored["previous_saved_as"].as_str().unwrap()).exists());
    assert_eq!(ok(d.path(), &["members"]).as_array().unwrap().len(), 3);
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
    assert_eq!(refused(d.path(), &["restore", csv.to_str().unwrap()]), "database_corrupt");
}

/// Issue 16, found by trying the CLI: each defect as the user met it.
fn acme_with_team(d: &Path) {
    create_acme(d);
    ok(d, &["inboxes", "create", "Sales"]);
    ok(d, &["seats", "buy", "3", "--yes"]);
    ok(d, &["members", "invite", "ad@example.com", "--role", "admin", "--inbox", "Sales"]);
    ok(d, &["members", "accept", "ad@example.com"]);
}

#[test]
fn nobody_deletes_or_demotes_themselves() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    assert_eq!(refused(d.path(), &["--as", "ad@example.com", "members", "delete", "ad@example.com", "--reassign-to", "olivia@acme.example.com", "--keep-seat"]), "cannot_change_self");
    assert_eq!(refused(d.path(), &["--as", "ad@example.com", "members", "role", "ad@example.com", "member"]), "cannot_change_self");
    assert_eq!(ok(d.path(), &["members", "show", "ad@example.com"])["role"], "admin");
    // Another Admin (here the Owner) may.
    ok(d.path(), &["members", "role", "ad@example.com", "member"]);
}

#[test]
fn deleting_a_pending_invite_with_remove_seat_removes_the_seat() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "pia@example.com", "--inbox", "Sales"]);
    let before = ok(d.path(), &["seats"]);
    let out = ok(d.path(), &["members", "delete", "pia@example.com", "--reassign-to", "olivia@acme.example.com", "--remove-seat"]);
    assert_eq!(out["revoked_invite"], true);
    let after = ok(d.path(), &["seats"]);
    assert_eq!(out["seats"], after, "the reply shows the seats after the removal");
    assert_eq!(after["purchased"].as_i64(), Some(before["purchased"].as_i64().unwrap() - 1), "the reserved seat is removed");
    let removals = ok(d.path(), &["ledger", "--kind", "seat-removal"]);
    assert_eq!(removals.as_array().unwrap().len(), 1);
    assert_eq!(removals[0]["amount_cents"], 0);
}

#[test]
fn a_new_inbox_invite_whose_inbox_holds_conversations_can_be_revoked() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "n@example.com", "--new-inbox"]);
    ok(d.path(), &["contacts", "add", "Kim", "--phone", "+15550001111", "--owner", "olivia@acme.example.com"]);
    let conv = ok(d.path(), &["conversations", "add", "--inbox", "n@example.com", "--contact", "+15550001111"]);
    assert_eq!(conv["assignee"], serde_json::Value::Null, "nobody active in that inbox yet");
    ok(d.path(), &["members", "revoke", "n@example.com"]);
    // The inbox stays, with its conversation, handed to whoever revoked.
    let inboxes = ok(d.path(), &["inboxes"]);
    let kept = inboxes.as_array().unwrap().iter().find(|i| i["name"] == "n@example.com").expect("the inbox is kept");
    assert_eq!(kept["owner"], "olivia@acme.example.com");
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
}

#[test]
fn a_pending_invitee_or_an_observer_cannot_own_contacts() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "p@example.com", "--inbox", "Sales"]);
    ok(d.path(), &["members", "invite", "obs@example.com", "--inbox", "Sales", "--role", "observer"]);
    ok(d.path(), &["members", "accept", "obs@example.com"]);
    for owner in ["p@example.com", "obs@example.com"] {
        assert_eq!(refused(d.path(), &["contacts", "add", "K", "--phone", "+15550002222", "--owner", owner]), "invalid_contact_owner");
    }
    // So the invite stays revocable.
    ok(d.path(), &["members", "revoke", "p@example.com"]);
    ok(d.path(), &["contacts", "add", "K", "--phone", "+15550002222", "--owner", "ad@example.com"]);
}

#[test]
fn removing_seats_needs_yes_as_buying_does() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    let out = seatdesk(d.path(), &["--json", "seats", "remove", "1"]);
    assert_eq!(out.status.code(), Some(2), "a usage error: removal is permanent");
    assert_eq!(ok(d.path(), &["seats"])["purchased"], 3, "nothing removed");
    ok(d.path(), &["seats", "remove", "1", "--yes"]);
    assert_eq!(ok(d.path(), &["seats"])["purchased"], 2);
}

#[test]
fn a_pending_invitee_is_not_removed_from_the_inbox_their_invite_names() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "p@example.com", "--inbox", "Sales"]);
    assert_eq!(refused(d.path(), &["inboxes", "remove-member", "Sales", "p@example.com"]), "edit_invite_instead");
    assert_eq!(refused(d.path(), &["inboxes", "remove-member", "Sales", "p@example.com", "--everywhere"]), "edit_invite_instead");
    let p = ok(d.path(), &["members", "show", "p@example.com"]);
    assert_eq!(p["inboxes"], serde_json::json!(["Sales"]), "the invite keeps its inbox");
}

#[test]
fn every_role_reads_the_audit_log_page_by_page() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "obs@example.com", "--inbox", "Sales", "--role", "observer"]);
    ok(d.path(), &["members", "accept", "obs@example.com"]);
    let all = ok(d.path(), &["audit", "--limit", "1000"]);
    let n = all.as_array().unwrap().len();
    assert!(n > 6);
    let first = ok(d.path(), &["--as", "obs@example.com", "audit", "--limit", "3"]);
    let second = ok(d.path(), &["--as", "obs@example.com", "audit", "--limit", "3", "--offset", "3"]);
    assert_eq!(first.as_array().unwrap()[..], all.as_array().unwrap()[..3]);
    assert_eq!(second.as_array().unwrap()[..], all.as_array().unwrap()[3..6], "older entries are reachable");
    ok(d.path(), &["--as", "obs@example.com", "audit", "verify"]);
    for bad in [["--limit", "0"], ["--limit", "-1"], ["--limit", "1001"], ["--offset", "-2"]] {
        assert_eq!(refused(d.path(), &["audit", bad[0], bad[1]]), "invalid_quantity", "{bad:?}");
    }
}

#[test]
fn acting_as_a_stranger_or_a_pending_invitee_is_refused_even_for_reads_and_backups() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "p@example.com", "--inbox", "Sales"]);
    let backup = d.path().join("b.db");
    for who in ["stranger@example.com", "p@example.com"] {
        assert_eq!(refused(d.path(), &["--as", who, "members"]), "not_a_member", "{who}");
        assert_eq!(refused(d.path(), &["--as", who, "backup", backup.to_str().unwrap()]), "not_a_member", "{who}");
        assert_eq!(refused(d.path(), &["--as", who, "check"]), "not_a_member", "{who}");
    }
    assert!(!backup.exists(), "no backup was written");
}

#[test]
fn every_value_seatdesk_prints_it_accepts_back() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    let shown = ok(d.path(), &["inboxes", "show", "Sales"]);
    let strategy = shown["ring_group"]["strategy"].as_str().unwrap().to_string();
    assert_eq!(strategy, "round_robin");
    for s in [strategy.as_str(), "round-robin", "linear_round_robin", "linear-round-robin", "simultaneous"] {
        ok(d.path(), &["inboxes", "ring-group", "Sales", "set", "--strategy", s, "--ring-seconds", "20"]);
    }
    let kind = ok(d.path(), &["ledger"])[0]["kind"].as_str().unwrap().to_string();
    assert_eq!(kind, "seat_purchase");
    for k in [kind.as_str(), "seat-purchase"] {
        assert_eq!(ok(d.path(), &["ledger", "--kind", k]).as_array().unwrap().len(), 1, "{k}");
    }
}

#[test]
fn a_case_only_change_of_an_invites_email_is_made_and_audited() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "pia@example.com", "--inbox", "Sales"]);
    let edited = ok(d.path(), &["members", "edit", "pia@example.com", "--email", "Pia@Example.com"]);
    assert_eq!(edited["email"], "Pia@Example.com");
    let entry = &ok(d.path(), &["audit", "--limit", "1"])[0];
    assert_eq!(entry["action"], "member.edit_invite");
    assert_eq!(entry["details"]["email"]["to"], "Pia@Example.com", "{entry}");
}

#[test]
fn a_csv_import_the_dry_run_accepts_is_applied_past_the_invite_batch_size() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    let csv = d.path().join("many.csv");
    let mut text = String::from("email,name,role,inbox\n");
    for i in 0..6000 {
        text.push_str(&format!("row{i}@example.com,Row {i},member,Sales\n"));
    }
    fs::write(&csv, text).unwrap();
    let dry = ok(d.path(), &["import", "members", csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry["to_invite"], 6000);
    let quote = dry["shortfall_quote"]["quote_id"].as_str().unwrap().to_string();
    let applied = ok(d.path(), &["import", "members", csv.to_str().unwrap(), "--buy-shortfall", &quote]);
    assert_eq!(applied["applied"], true);
    assert_eq!(ok(d.path(), &["members", "--status", "pending"]).as_array().unwrap().len(), 6000);
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
}

#[test]
fn a_csv_naming_a_column_twice_is_refused_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    let csv = d.path().join("twice.csv");
    fs::write(&csv, "email,email,name\nana@example.com,ben@example.com,Ana\n").unwrap();
    let out = seatdesk(d.path(), &["--json", "import", "members", csv.to_str().unwrap(), "--dry-run"]);
    let doc = json(&out);
    assert_eq!(doc["error"]["code"], "invalid_csv");
    assert_eq!(doc["error"]["details"]["line"], 1);
}

#[test]
fn observers_hold_no_work() {
    let d = tempfile::tempdir().unwrap();
    acme_with_team(d.path());
    ok(d.path(), &["members", "invite", "obs@example.com", "--role", "observer", "--inbox", "Sales"]);
    ok(d.path(), &["members", "accept", "obs@example.com"]);
    ok(d.path(), &["contacts", "add", "Carl", "--phone", "+15550000001", "--owner", "olivia@acme.example.com"]);
    // Accepted, the Observer joined the inbox but no routing: round robin passes them by.
    let sales = ok(d.path(), &["inboxes", "show", "Sales"]);
    assert!(!sales["conversation_assignment"]["members"].to_string().contains("obs@"), "{sales}");
    assert!(!sales["ring_group"]["members"].to_string().contains("obs@"), "{sales}");
    for _ in 0..3 {
        let conv = ok(d.path(), &["conversations", "add", "--inbox", "Sales", "--contact", "+15550000001"]);
        assert_ne!(conv["assignee"], "obs@example.com");
    }
    for args in [
        vec!["conversations", "add", "--inbox", "Sales", "--contact", "+15550000001", "--assignee", "obs@example.com"],
        vec!["inboxes", "assignment", "Sales", "default", "obs@example.com"],
        vec!["inboxes", "assignment", "Sales", "add", "obs@example.com"],
        vec!["inboxes", "ring-group", "Sales", "add", "obs@example.com"],
        vec!["inboxes", "distribution", "Sales", "--group", "simultaneous:20:obs@example.com"],
        vec!["inboxes", "ivr", "Sales", "--option", "1=member:obs@example.com"],
        vec!["members", "invite", "obs2@example.com", "--role", "observer", "--new-inbox"],
    ] {
        assert_eq!(refused(d.path(), &args), "observer_holds_no_work", "{args:?}");
    }
    assert_eq!(ok(d.path(), &["members", "show", "obs@example.com"])["conversations"], 0);
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
    // A demo's Observers hold nothing either.
    let demo = tempfile::tempdir().unwrap();
    ok(demo.path(), &["demo", "--members", "40"]);
    assert_eq!(ok(demo.path(), &["check"])["ok"], true);
    for m in ok(demo.path(), &["members", "--role", "observer", "--status", "active"]).as_array().unwrap() {
        let shown = ok(demo.path(), &["members", "show", m["email"].as_str().unwrap()]);
        assert_eq!((shown["conversations"].as_i64(), shown["contacts"].as_i64()), (Some(0), Some(0)), "{shown}");
    }
}

/// Three members in Sales' round robin (anna, bob, cid, by name), the
/// Owner not in it; a contact to open conversations with.
fn sales_rotation(d: &Path) {
    create_acme(d);
    ok(d, &["inboxes", "create", "Sales"]);
    ok(d, &["seats", "buy", "3", "--yes"]);
    for who in ["anna", "bob", "cid"] {
        ok(d, &["members", "invite", &format!("{who}@example.com"), "--role", "member", "--inbox", "Sales"]);
        ok(d, &["members", "accept", &format!("{who}@example.com")]);
    }
    ok(d, &["contacts", "add", "Kim", "--phone", "+15557770001", "--owner", "olivia@acme.example.com"]);
}

fn next_conversation(d: &Path) -> String {
    ok(d, &["conversations", "add", "--inbox", "Sales", "--contact", "+15557770001"])["assignee"].as_str().unwrap_or("nobody").to_string()
}

/// Round robin continues after the place of whoever leaves it: with
/// delete, `assignment remove`, `remove-member --everywhere` and demotion.
#[test]
fn round_robin_continues_after_the_member_who_leaves_it() {
    type Leave = fn(&Path);
    let ways: [(&str, Leave); 4] = [
        ("delete", |d| {
            ok(d, &["members", "delete", "bob@example.com", "--keep-seat", "--reassign-to", "olivia@acme.example.com"]);
        }),
        ("assignment remove", |d| {
            ok(d, &["inboxes", "assignment", "Sales", "remove", "bob@example.com"]);
        }),
        ("remove-member --everywhere", |d| {
            ok(d, &["inboxes", "remove-member", "Sales", "bob@example.com", "--everywhere"]);
        }),
        ("demotion", |d| {
            ok(d, &["members", "role", "bob@example.com", "observer"]);
        }),
    ];
    for (how, leave) in ways {
        let d = tempfile::tempdir().unwrap();
        sales_rotation(d.path());
        assert_eq!(next_conversation(d.path()), "anna@example.com");
        assert_eq!(next_conversation(d.path()), "bob@example.com");
        leave(d.path());
        // Cid's turn, not Anna's second: Cid takes Bob's conversation when
        // Bob no longer holds work in Sales, or else the next one.
        let cid = |d: &Path| ok(d, &["members", "show", "cid@example.com"])["conversations"].as_i64().unwrap();
        if how == "assignment remove" {
            assert_eq!(cid(d.path()), 0, "{how}: Bob is still in Sales and keeps his conversation");
            assert_eq!(next_conversation(d.path()), "cid@example.com", "{how}");
        } else {
            assert_eq!(cid(d.path()), 1, "{how}: Bob's conversation went to the next in round robin");
        }
        assert_eq!(next_conversation(d.path()), "anna@example.com", "{how}");
        assert_eq!(run_check(d.path()), 0, "{how}");
    }
}

/// Found by trying it: the member who had the last turn leaves and comes
/// back (or a newcomer joins before their place): the next turn still goes
/// to the member after that place.
#[test]
fn leaving_and_rejoining_round_robin_gives_no_second_turn() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    sales_rotation(p);
    ok(p, &["seats", "buy", "1", "--yes"]);
    assert_eq!(next_conversation(p), "anna@example.com");
    assert_eq!(next_conversation(p), "bob@example.com");
    ok(p, &["inboxes", "assignment", "Sales", "remove", "bob@example.com"]);
    ok(p, &["inboxes", "assignment", "Sales", "add", "bob@example.com"]);
    // Bea joins, sorting between Anna and Bob.
    ok(p, &["members", "invite", "bea@example.com", "--role", "member", "--inbox", "Sales"]);
    ok(p, &["members", "accept", "bea@example.com"]);
    let next = ok(p, &["inboxes", "show", "Sales"])["conversation_assignment"]["next"].clone();
    assert_eq!(next, serde_json::json!(["cid@example.com", "anna@example.com", "bea@example.com", "bob@example.com", "cid@example.com"]));
    assert_eq!(next_conversation(p), "cid@example.com");
}

fn run_check(d: &Path) -> i32 {
    seatdesk(d, &["--json", "check"]).status.code().unwrap_or(-1)
}

/// Conversation Assignment always has a target: removing the default
/// assignee brings round robin back (and says so); switching round robin
/// off needs a default assignee.
#[test]
fn removing_the_default_assignee_brings_round_robin_back() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    sales_rotation(p);
    assert_eq!(refused(p, &["inboxes", "assignment", "Sales", "round-robin", "off"]), "invalid_assignment");
    let shown = ok(p, &["inboxes", "assignment", "Sales", "default", "bob@example.com"]);
    assert_eq!(shown["conversation_assignment"]["round_robin"], false);
    assert_eq!(next_conversation(p), "bob@example.com");
    assert_eq!(refused(p, &["inboxes", "assignment", "Sales", "default", "none"]), "invalid_assignment");
    let out = ok(p, &["inboxes", "remove-member", "Sales", "bob@example.com", "--everywhere"]);
    assert!(out["message"].as_str().unwrap().contains("round robin again"), "{out}");
    let shown = ok(p, &["inboxes", "show", "Sales"]);
    assert_eq!((shown["conversation_assignment"]["round_robin"].as_bool(), shown["conversation_assignment"]["default_assignee"].as_str()), (Some(true), None));
    assert_ne!(next_conversation(p), "nobody");
    // The same when the default assignee is deleted.
    ok(p, &["inboxes", "assignment", "Sales", "default", "cid@example.com"]);
    ok(p, &["members", "delete", "cid@example.com", "--keep-seat", "--reassign-to", "olivia@acme.example.com"]);
    assert_eq!(ok(p, &["inboxes", "show", "Sales"])["conversation_assignment"]["round_robin"], true);
    assert_eq!(run_check(p), 0);
}

/// A conversation is only ever held by a member of its inbox: a member
/// leaving an inbox, or deleted with an heir outside it, hands their
/// conversations there to the inbox's Conversation Assignment.
#[test]
fn conversations_stay_with_members_of_their_inbox() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    sales_rotation(p);
    assert_eq!(next_conversation(p), "anna@example.com");
    assert_eq!(next_conversation(p), "bob@example.com");
    // Removed from Sales: Anna's conversation goes to the next in round robin (Cid).
    let out = ok(p, &["inboxes", "remove-member", "Sales", "anna@example.com", "--everywhere"]);
    assert!(out["message"].as_str().unwrap().contains("went to cid@example.com"), "{out}");
    assert_eq!(ok(p, &["members", "show", "anna@example.com"])["conversations"], 0);
    // Deleted, reassigned to the Owner (not in Sales): Bob's goes where the
    // assignment sends the next one (Cid, the only one left).
    ok(p, &["members", "delete", "bob@example.com", "--keep-seat", "--reassign-to", "olivia@acme.example.com"]);
    assert_eq!(ok(p, &["members", "show", "olivia@acme.example.com"])["conversations"], 0, "the Owner is not in Sales");
    assert_eq!(ok(p, &["members", "show", "cid@example.com"])["conversations"], 2);
    assert_eq!(run_check(p), 0);
}

/// Call Distribution and IVR edited one piece at a time from the CLI, in
/// the service, in one transaction: the rest stays as it was.
#[test]
fn distribution_and_ivr_take_partial_edits() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    sales_rotation(p);
    ok(p, &["inboxes", "distribution", "Sales", "--group", "simultaneous:20:anna@example.com", "--group", "round-robin:15:bob@example.com"]);
    let change = ok(p, &["inboxes", "distribution", "Sales", "add", "cid@example.com", "--group", "2"]);
    assert_eq!(change["changed"], true);
    assert_eq!(refused(p, &["inboxes", "distribution", "Sales", "remove", "anna@example.com", "--group", "1"]), "invalid_distribution", "not the last one");
    assert_eq!(refused(p, &["inboxes", "distribution", "Sales", "--group", "simultaneous:20:anna@example.com", "--group", "round-robin:15:"]), "invalid_distribution");
    ok(p, &["inboxes", "distribution", "Sales", "add", "cid@example.com", "--group", "1"]);
    ok(p, &["inboxes", "distribution", "Sales", "remove", "anna@example.com", "--group", "1"]);
    let shown = ok(p, &["inboxes", "show", "Sales"]);
    let groups: Vec<Vec<String>> = shown["distribution"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect())
        .collect();
    assert_eq!(groups, [vec!["cid@example.com".to_string()], vec!["bob@example.com".to_string(), "cid@example.com".to_string()]]);
    assert_eq!(refused(p, &["inboxes", "distribution", "Sales", "add", "cid@example.com", "--group", "7"]), "not_found");
    let usage = seatdesk(p, &["--json", "inboxes", "distribution", "Sales", "add", "cid@example.com"]);
    assert_eq!((usage.status.code(), json(&usage)["error"]["code"].as_str()), (Some(2), Some("invalid_argument")), "a usage error");

    ok(p, &["inboxes", "ivr", "Sales", "--greeting", "Hello", "--option", "1=voicemail"]);
    ok(p, &["inboxes", "ivr", "Sales", "set-option", "2", "member:bob@example.com"]);
    ok(p, &["inboxes", "ivr", "Sales", "set-option", "3", "group:2"]);
    let shown = ok(p, &["inboxes", "ivr", "Sales", "clear-option", "1"]);
    let digits: Vec<i64> = shown["ivr"]["options"].as_array().unwrap().iter().map(|o| o["digit"].as_i64().unwrap()).collect();
    assert_eq!(digits, [2, 3]);
    assert_eq!(shown["ivr"]["greeting"], "Hello", "the greeting stays");
    assert_eq!(refused(p, &["inboxes", "ivr", "Sales", "set-option", "4", "member:olivia@acme.example.com"]), "not_inbox_member");
    assert_eq!(refused(p, &["inboxes", "ivr", "Sales", "set-option", "11", "voicemail"]), "invalid_ivr_option");
    assert_eq!(run_check(p), 0);
}

/// (email, name, role, inboxes) of every member, sorted.
fn people(d: &Path) -> Vec<(String, String, String, Vec<String>)> {
    let mut v: Vec<_> = ok(d, &["members"])
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut inboxes: Vec<String> = m["inboxes"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string()).collect();
            inboxes.sort();
            (m["email"].as_str().unwrap().to_string(), m["name"].as_str().unwrap().to_string(), m["role"].as_str().unwrap().to_string(), inboxes)
        })
        .collect();
    v.sort();
    v
}

/// What Seatdesk exports, it imports back: a members export re-imports
/// into a fresh account (same Owner, same inboxes) as the same people,
/// roles and inboxes, names with formula characters included.
#[test]
fn a_members_export_reimports_as_the_same_people() {
    let a = tempfile::tempdir().unwrap();
    create_acme(a.path());
    for inbox in ["Sales", "Support"] {
        ok(a.path(), &["inboxes", "create", inbox]);
    }
    ok(a.path(), &["seats", "buy", "3", "--yes"]);
    let first = a.path().join("first.csv");
    fs::write(
        &first,
        "email,name,role,inbox\nana@example.com,Ana Adams,admin,Sales\nben@example.com,=Ben Formula,manager,Support\ncy@example.com,-Cy,observer,Sales\ndee@example.com,Dee,member,Sales\n",
    )
    .unwrap();
    ok(a.path(), &["import", "members", first.to_str().unwrap()]);
    ok(a.path(), &["members", "accept", "ana@example.com"]);
    ok(a.path(), &["inboxes", "add-member", "Support", "ana@example.com"]);
    let export = a.path().join("members.csv");
    ok(a.path(), &["export", "members", "--out", export.to_str().unwrap()]);
    assert!(fs::read_to_string(&export).unwrap().contains("'=Ben Formula"), "neutralised on the way out");

    let b = tempfile::tempdir().unwrap();
    create_acme(b.path());
    for inbox in ["Sales", "Support"] {
        ok(b.path(), &["inboxes", "create", inbox]);
    }
    let dry = ok(b.path(), &["import", "members", export.to_str().unwrap(), "--dry-run"]);
    let outcomes: Vec<&str> = dry["rows"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.iter().all(|o| ["invite", "already_member"].contains(o)), "{outcomes:?}");
    let quote = dry["shortfall_quote"]["quote_id"].as_str().unwrap().to_string();
    ok(b.path(), &["import", "members", export.to_str().unwrap(), "--buy-shortfall", &quote]);
    assert_eq!(people(b.path()), people(a.path()), "the same people, names, roles and inboxes");
    assert_eq!(run_check(b.path()), 0);

    // An export of an account with another Owner: that Owner's row is skipped, not an error.
    let c = tempfile::tempdir().unwrap();
    ok(c.path(), &["account", "create", "--name", "Other", "--owner-email", "zed@other.example.com", "--owner-name", "Zed"]);
    for inbox in ["Sales", "Support"] {
        ok(c.path(), &["inboxes", "create", inbox]);
    }
    let dry = ok(c.path(), &["import", "members", export.to_str().unwrap(), "--dry-run"]);
    let owner_row = dry["rows"].as_array().unwrap().iter().find(|r| r["email"] == "olivia@acme.example.com").unwrap().clone();
    assert_eq!(owner_row["outcome"], "skipped_owner");
}

/// Lookalike identities are one identity: an address typed composed or
/// decomposed, with a ligature, or with its domain in Unicode or in IDNA
/// ASCII is the same member (refused as a duplicate, found by `--as` and by
/// every command); an inbox name likewise.
#[test]
fn lookalike_addresses_and_names_are_one() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create_acme(p);
    ok(p, &["inboxes", "create", "Caf\u{e9}"]);
    assert_eq!(refused(p, &["inboxes", "create", "Cafe\u{301}"]), "duplicate_inbox");
    ok(p, &["seats", "buy", "3", "--yes"]);
    ok(p, &["members", "invite", "jos\u{e9}@b\u{fc}cher.de", "--role", "admin", "--inbox", "Café"]);
    for lookalike in ["jose\u{301}@bu\u{308}cher.de", "JOSÉ@xn--bcher-kva.de"] {
        assert_eq!(refused(p, &["members", "invite", lookalike, "--role", "member", "--inbox", "Café"]), "duplicate_email", "{lookalike:?}");
    }
    ok(p, &["members", "accept", "JOSE\u{301}@XN--BCHER-KVA.DE"]);
    let me = ok(p, &["--as", "jose\u{301}@bücher.de", "me", "set-email", "jose@bücher.de"]);
    assert_eq!(me["email"], "jose@bücher.de");
    ok(p, &["members", "invite", "\u{fb01}nance@example.com", "--role", "member", "--inbox", "Café"]);
    assert_eq!(refused(p, &["members", "invite", "finance@example.com", "--role", "member", "--inbox", "Café"]), "duplicate_email");
    assert_eq!(ok(p, &["members"]).as_array().unwrap().len(), 3);
    assert_eq!(run_check(p), 0);
}

/// Alphabetical means alphabetical: accents and case set aside, in the
/// members list and in round robin (found by trying it: `Ängel` and
/// `Émile` came after `Zoe`).
#[test]
fn names_sort_alphabetically_with_accents_in_the_list_and_in_round_robin() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create_acme(p);
    ok(p, &["inboxes", "create", "Sales"]);
    ok(p, &["seats", "buy", "4", "--yes"]);
    let file = p.join("people.csv");
    fs::write(&file, "email,name,role,inbox\nz@example.com,Zoe,member,Sales\na@example.com,\u{c4}ngel,member,Sales\ne@example.com,\u{c9}mile,member,Sales\nb@example.com,bob,member,Sales\n").unwrap();
    ok(p, &["import", "members", file.to_str().unwrap()]);
    for who in ["z", "a", "e", "b"] {
        ok(p, &["members", "accept", &format!("{who}@example.com")]);
    }
    let names: Vec<String> = ok(p, &["members"]).as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["\u{c4}ngel", "bob", "\u{c9}mile", "Olivia Owner", "Zoe"]);
    let rotation = ok(p, &["inboxes", "show", "Sales"])["conversation_assignment"]["members"].clone();
    assert_eq!(rotation, serde_json::json!(["a@example.com", "b@example.com", "e@example.com", "z@example.com"]));
}

/// Found by trying it (second pass): a deletion says where each
/// conversation went and which inboxes went back to round robin; an invite
/// that owns its New Inbox cannot become an Observer's; `;` cannot be in an
/// inbox name (it separates inboxes in exports); clearing an unset IVR
/// digit changes nothing and writes no audit entry.
#[test]
fn deletions_say_where_everything_went_and_no_ops_leave_no_trace() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    sales_rotation(p);
    ok(p, &["inboxes", "assignment", "Sales", "default", "bob@example.com"]);
    assert_eq!(next_conversation(p), "bob@example.com");
    let done = ok(p, &["members", "delete", "bob@example.com", "--keep-seat", "--reassign-to", "olivia@acme.example.com"]);
    assert_eq!(done["conversations"], 0, "none went to the Owner, who is not in Sales: {done}");
    assert_eq!(done["routed"][0]["inbox"], "Sales");
    assert_eq!(done["routed"][0]["conversations"], 1);
    assert_eq!(done["routed"][0]["to"], "anna@example.com");
    assert!(done["notes"][0].as_str().unwrap().contains("round robin again"), "{done}");

    ok(p, &["seats", "buy", "1", "--yes"]);
    ok(p, &["members", "invite", "nina@example.com", "--role", "member", "--new-inbox"]);
    assert_eq!(refused(p, &["members", "edit", "nina@example.com", "--role", "observer"]), "observer_holds_no_work");
    assert_eq!(refused(p, &["inboxes", "create", "X; Y"]), "invalid_name");

    let audited = |p: &Path| ok(p, &["audit", "--limit", "1000"]).as_array().unwrap().len();
    let before = audited(p);
    ok(p, &["inboxes", "ivr", "Sales", "clear-option", "7"]);
    assert_eq!(audited(p), before, "nothing changed, nothing audited");
    assert_eq!(run_check(p), 0);
}

/// Every command leaves one line in the data folder's log (`logs/`, a file
/// a day): its name, the account, its time and its outcome code; never a
/// member's address. `-v` prints the same line on stderr.
#[test]
fn every_command_is_logged_by_name_and_outcome_without_member_data() {
    let d = tempfile::tempdir().unwrap();
    create_acme(d.path());
    assert_eq!(refused(d.path(), &["members", "invite", "secret.person@example.com", "--new-inbox"]), "no_free_seats");
    assert_eq!(refused(d.path(), &["--account", "Acme", "seats", "remove", "5", "--yes"]), "not_enough_unassigned_seats");
    let verbose = seatdesk(d.path(), &["-v", "account", "list"]);
    assert!(String::from_utf8_lossy(&verbose.stderr).contains(r#"command="account list""#), "{}", String::from_utf8_lossy(&verbose.stderr));
    let logs: Vec<_> = std::fs::read_dir(d.path().join("logs")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert!(lines[0].contains(r#"command="account create""#) && lines[0].contains(r#"outcome="ok""#), "{log}");
    // The account is named in the log also when it is implied (the only one).
    assert!(lines[1].contains(r#"command="members invite" account="Acme""#) && lines[1].contains(r#"outcome="no_free_seats""#), "{log}");
    assert!(lines[2].contains(r#"command="seats remove" account="Acme""#) && lines[2].contains(r#"outcome="not_enough_unassigned_seats""#), "{log}");
    assert!(!log.contains("secret.person"), "no member data in the log:\n{log}");
}
