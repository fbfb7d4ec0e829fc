//! The command line as a process: the built `seatdesk` binary on a temp
//! data directory, checking the JSON shapes of rules §10 and exit statuses.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{create_acme, json, ok, refused, seatdesk};


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
        ["assigned", "included", "observers", "purchased", "renewal_total_cents", "renews_on", "unassigned"]
    );
    assert_eq!(seats["included"], 1);
    assert_eq!(seats["purchased"], 0);
    assert_eq!(seats["assigned"], 0);
    assert_eq!(seats["unassigned"], 0);
    assert_eq!(seats["renewal_total_cents"], 0);
    assert_eq!(seats["renews_on"], "2026-12-16");
    assert_eq!(seats["observers"], 0);
    assert!(d.path().join("seatdesk.db").exists());
    // An Observer's invite is counted as free, not as an assigned seat.
    ok(d.path(), &["inboxes", "create", "Sales"]);
    ok(d.path(), &["members", "invite", "obs@example.com", "--role", "observer", "--inbox", "Sales"]);
    let seats = ok(d.path(), &["seats"]);
    assert_eq!((seats["observers"].as_i64(), seats["assigned"].as_i64()), (Some(1), Some(0)), "{seats}");
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
        assert!(err.contains("error[invalid_argument]: ") && (err.contains("Usage") || err.contains("--help")), "{args:?} explains: {err}");
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
