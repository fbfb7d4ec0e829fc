//! End-to-end tests of trust through the real window: commands it may not
//! call and arguments of the wrong type, who acts (never the page), kills
//! while a dialog's batch is written, the window and the CLI writing at
//! once, and a cancelled import rolled back whole. Gated by the `e2e` feature like `tests/e2e.rs`.

mod e2e_common;
mod webdriver;

use std::process::Command;
use std::time::Duration;

use e2e_common::{acme_with_a_file, cli, invoke, launch, launch_confirming, refusal_code, TODAY, WINDOW};
use webdriver::Driver;

/// What a hostile page script or a damaged UI could send: commands the
/// capability file does not list, and every app command with arguments of
/// the wrong type. Each is refused and nothing changes. Names holding HTML
/// are shown as text. The built app enforces its CSP (no eval).
#[test]
fn the_window_refuses_unlisted_commands_and_bad_arguments_and_shows_html_as_text() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["demo", "--members", "20"]);
    cli(dir.path(), &["members", "invite", "mallory@example.com", "--inbox", "Sales", "--role", "observer"]);
    let html = "<b>Mal</b><img src=x onerror=\"document.title='pwned'\">";
    cli(dir.path(), &["members", "accept", "mallory@example.com", "--name", html]);
    // The audit log apart from the switches of acting member this test makes.
    let audit = |dir: &std::path::Path| -> Vec<serde_json::Value> {
        cli(dir, &["audit", "--limit", "1000"]).as_array().unwrap().iter().filter(|e| e["action"] != "acting.switch").cloned().collect()
    };
    let snapshot = |dir: &std::path::Path| (cli(dir, &["members"]), cli(dir, &["ledger"]), cli(dir, &["inboxes"]), audit(dir));
    let before = snapshot(dir.path());
    let (_driver, s, _answer) = launch_confirming(dir.path(), "yes");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));

    // Commands outside the capability file, and one that does not exist.
    let invoke = |cmd: &str, args: &str| invoke(&s, cmd, args);
    for cmd in ["plugin:dialog|open", "plugin:dialog|save", "plugin:store|load", "plugin:store|set", "plugin:fs|read_file", "plugin:shell|execute", "drop_database"] {
        let r = invoke(cmd, "{}");
        assert_eq!(r["ok"], false, "{cmd} ran: {r}");
        let error = r["error"].as_str().unwrap_or_default().to_lowercase();
        assert!(error.contains("not allowed") || error.contains("not found") || error.contains("denied"), "{cmd}: {error}");
    }
    // Every app command that takes arguments, with each of the wrong type.
    let wrong = r#"{ scope: 42, query: "all", input: [], request: 7, preferences: "dark", quantity: "many", quoteId: 5,
                    email: 9, inbox: false, number: 1, change: "x", edit: [], role: 3, seat: "half", search: {}, name: 4,
                    to: [], support: "agent", offset: "a", limit: "b", strategy: 1, ringSeconds: "long", present: "yes",
                    ringGroup: "no", everywhere: 2, reassignTo: 1, emails: "a", newInbox: 1, url: 5, password: 6, channel: 7, deletion: 8, days: "old", ids: "all",
                    selection: 3, action: "x", buyShortfallQuote: 4, check: "yes", text: 5, ticket: 6 }"#;
    let no_args = ["app_info", "list_accounts", "open_demo", "get_preferences", "backup_now", "choose_import_file", "cancel_import", "use_local_database", "desk_storage_check"];
    // The second pass gets past `scope`, to each command's own arguments.
    let scope_only = ["overview", "list_inboxes", "seat_history", "verify_audit", "session_info", "leave_support_mode", "restore_backup"];
    let mut refused = 0;
    for cmd in seatdesk::COMMAND_NAMES.iter().filter(|c| !no_args.contains(c)) {
        // Wrong types; then (past `scope`) the command's own arguments
        // wrong; then every argument missing.
        let passes = if scope_only.contains(cmd) || *cmd == "create_account" || *cmd == "set_preferences" { vec![0, 2] } else { vec![0, 1, 2] };
        for pass in passes {
            let args = match pass {
                0 => wrong.to_string(),
                1 => wrong.replacen("scope: 42", "scope: {}", 1),
                _ => "{}".to_string(),
            };
            let r = invoke(cmd, &args);
            assert_eq!(r["ok"], false, "{cmd} accepted wrong types: {r}");
            let error = r["error"].as_str().unwrap_or_default();
            assert!(error.contains("invalid args"), "{cmd}: {error}");
            refused += 1;
        }
    }
    println!("window: {refused} calls with wrong-typed or missing arguments refused");

    // rules §2 through the window's own entry points, acting as each role.
    let members = cli(dir.path(), &["members", "--status", "active"]);
    let of_role = |role: &str| members.as_array().unwrap().iter().find(|m| m["role"] == role).map(|m| m["email"].as_str().unwrap().to_string());
    for (role, manage_account, manage_inboxes) in
        [("owner", true, true), ("admin", true, true), ("manager", false, true), ("member", false, false), ("observer", false, false)]
    {
        let Some(email) = of_role(role) else { panic!("the demo has no active {role}") };
        // Acting as them goes through the switch and its native confirmation.
        let switched = invoke("switch_acting", &format!("{{ scope: {{ account: null }}, email: {email:?} }}"));
        assert!(switched["value"].as_str().is_some_and(|v| v.contains(&email)), "{role}: {switched}");
        let scope = "{ account: null }";
        let quote = invoke("quote_seats", &format!("{{ scope: {scope}, quantity: 1 }}"));
        let routing = invoke(
            "set_routing_member",
            &format!("{{ scope: {scope}, inbox: 'Sales', ringGroup: false, email: 'nobody-here@example.com', present: false }}"),
        );
        let read = invoke("list_members", &format!("{{ scope: {scope}, query: {{}} }}"));
        // Refused by its exact code; allowed means done, or refused for a
        // reason other than the role (the address is in no inbox).
        let expect = |r: &serde_json::Value, allowed: bool, what: &str| match (refusal_code(r), allowed) {
            (None, true) => {}
            (Some(code), true) => assert!(["not_found", "not_inbox_member"].contains(&code.as_str()), "{role} {what}: {r}"),
            (code, false) => assert_eq!(code.as_deref(), Some("not_permitted"), "{role} {what}: {r}"),
        };
        expect(&quote, manage_account, "buying seats");
        expect(&routing, manage_inboxes, "changing routing");
        assert_eq!(read["ok"], true, "{role} reading: {read}");
    }

    // The HTML name is text: no element made from it, no script run.
    s.type_into("#member-search", "mallory");
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tbody tr[data-email]") == 1);
    let row = s.wait_text("#members-table tbody", Duration::from_secs(5));
    assert!(row.contains("<b>Mal</b>"), "the name shows as typed: {row}");
    assert_eq!(s.eval("return String(document.querySelectorAll('#members-table img, #members-table b').length)"), "0");
    assert_ne!(s.eval("return document.title"), "pwned");
    // The CSP of the built app forbids eval (and inline scripts).
    assert_eq!(s.eval("try { eval('1'); return 'eval ran'; } catch (e) { return 'blocked'; }"), "blocked");
    s.screenshot("html-name-as-text");
    drop(s);
    drop(_driver);
    assert_eq!(snapshot(dir.path()), before, "nothing changed");
}

#[test]
fn the_page_cannot_choose_who_acts_and_the_window_stays_on_its_origin() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "2", "--yes"]);
    for (email, role, name) in [("mia@example.com", "manager", "Mia Manager"), ("ad@example.com", "admin", "Ada Admin")] {
        cli(dir.path(), &["members", "invite", email, "--role", role, "--inbox", "Sales"]);
        cli(dir.path(), &["members", "accept", email, "--name", name]);
    }
    let backup = dir.path().join("backup.db");
    cli(dir.path(), &["backup", backup.to_str().unwrap()]);
    let switches = |dir: &std::path::Path| {
        cli(dir, &["audit", "--limit", "1000"]).as_array().unwrap().iter().filter(|e| e["action"] == "acting.switch").count()
    };
    let (_driver, s, answer) = launch_confirming(dir.path(), "no");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    // The fixed clock is said, in a banner.
    assert!(s.wait_text("#clock-banner", Duration::from_secs(5)).contains(TODAY));

    // A script asks to act as the Manager; the native confirmation is
    // declined (as it is when nobody answers it): nothing changes.
    let r = invoke(&s, "switch_acting", "{ scope: { account: null }, email: 'mia@example.com' }");
    assert_eq!((r["ok"].as_bool(), r["value"].as_str()), (Some(true), Some("null")), "{r}");
    let acting = invoke(&s, "session_info", "{ scope: { account: null } }");
    assert!(acting["value"].as_str().unwrap().contains("o@acme.example.com"), "{acting}");
    assert_eq!(switches(dir.path()), 0, "nothing recorded");
    // Naming an acting member in any command's scope is refused outright.
    for (cmd, rest) in [("quote_seats", "quantity: 1"), ("list_members", "query: {}"), ("remove_seats", "quantity: 1")] {
        let r = invoke(&s, cmd, &format!("{{ scope: {{ account: null, acting_as: 'mia@example.com' }}, {rest} }}"));
        assert_eq!(r["ok"], false, "{cmd} took an acting member from the page: {r}");
        assert!(r["error"].as_str().unwrap_or_default().contains("unknown field"), "{cmd}: {r}");
    }
    // Through the picker, declined: still the Owner, and said so.
    s.click("#acting-as");
    s.click("#acting-list button[data-email='mia@example.com']");
    s.wait_until(Duration::from_secs(5), || s.text("#status").is_some_and(|t| t.contains("not confirmed")));
    assert!(s.text("#acting-as").unwrap().contains("Olivia (Owner)"));
    s.click("#acting-search");
    s.keys("\u{e00c}");
    s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
    // One dialog at a time: opening another (here by a script's click on the
    // header behind the modal) closes the first.
    s.click("#app-menu summary");
    s.click("#support-mode");
    s.wait_for("#support-dialog[open]", Duration::from_secs(5));
    s.eval("document.getElementById('acting-as').click(); return 'ok'");
    s.wait_for("#acting-dialog[open]", Duration::from_secs(5));
    assert_eq!(s.count("dialog[open]"), 1, "the support dialog stayed open under Act as");
    assert_eq!(s.eval("return document.activeElement.id"), "acting-search", "focus starts in the search box");
    s.keys("\u{e00c}");
    s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);

    // Confirmed: the window acts as the Manager, and the switch is audited.
    std::fs::write(&answer, "yes").unwrap();
    s.click("#acting-as");
    s.click("#acting-list button[data-email='mia@example.com']");
    s.wait_until(Duration::from_secs(5), || s.text("#acting-as").is_some_and(|t| t.contains("Mia Manager (Manager)")));
    assert_eq!(switches(dir.path()), 1);
    // As a Manager: Restore is disabled; in support mode Transfer ownership is disabled; the backend refuses both anyway.
    s.click("#app-menu summary");
    assert!(s.attr("#menu-restore", "disabled").is_some(), "Restore is disabled for a Manager");
    s.click("#support-mode");
    s.type_into("#support-agent", "Sam Support");
    s.type_into("#support-ticket", "T-9");
    s.click("#support-on");
    s.wait_until(Duration::from_secs(5), || s.text("#support-badge").is_some_and(|t| t.contains("T-9")));
    s.click("#members-table tr[data-email='ad@example.com'] .row-menu-button");
    assert!(s.attr("#row-menu button[data-action='Transfer ownership']", "disabled").is_some(), "Transfer is disabled for a Manager");
    s.screenshot("manager-in-support-mode");
    s.keys("\u{e00c}");
    let transfer = invoke(&s, "transfer_owner", "{ scope: { account: null }, to: 'ad@example.com' }");
    assert!(transfer["error"].as_str().unwrap_or_default().contains("not_permitted"), "{transfer}");
    let restore = invoke(&s, "restore_backup", "{ scope: { account: null } }");
    assert!(restore["error"].as_str().unwrap_or_default().contains("not_permitted"), "{restore}");

    // A forced navigation, a link to another origin and a new window all stay on the app.
    s.eval("window.location.href = 'https://example.com/'; return 'ok'");
    std::thread::sleep(Duration::from_millis(800));
    s.eval("const a = document.createElement('a'); a.href = 'http://localhost:9/x'; document.body.appendChild(a); a.click(); return 'ok'");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(s.eval("return String(window.open('https://example.com/') === null)"), "true", "no other window opens");
    std::thread::sleep(Duration::from_millis(500));
    let href = s.eval("return window.location.href");
    assert!(href.starts_with("tauri://localhost"), "the window left the app: {href}");
    assert!(s.text("#acting-as").is_some_and(|t| t.contains("Mia Manager")), "the app is still there and still acting as the Manager");
    drop(s);
    drop(_driver);

    // Nothing changed but what was confirmed: the Owner is the Owner, the
    // support session and the switch are in the audit log.
    assert_eq!(cli(dir.path(), &["members", "show", "o@acme.example.com"])["role"], "owner");
    let log = cli(dir.path(), &["audit", "--limit", "1000"]);
    let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"support.enter") && !actions.contains(&"owner.transfer") && !actions.contains(&"db.restore"), "{actions:?}");
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

#[test]
fn a_pending_invite_on_an_inbox_page_is_edited_not_removed() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["inboxes", "create", "Support"]);
    cli(dir.path(), &["seats", "buy", "2", "--yes"]);
    cli(dir.path(), &["members", "invite", "pia@example.com", "ana@example.com", "--inbox", "Sales"]);
    cli(dir.path(), &["members", "accept", "ana@example.com", "--name", "Ana"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    s.click("#nav-inboxes");
    s.click("button.inbox-link[data-inbox='Sales']");
    // The pending row offers Edit invite, not Remove; the active one Remove.
    s.wait_for("tr[data-email='pia@example.com'] button.edit-invite", Duration::from_secs(10));
    assert_eq!(s.count("tr[data-email='pia@example.com'] button.remove-member"), 0);
    assert_eq!(s.count("tr[data-email='ana@example.com'] button.remove-member"), 1);
    s.click("tr[data-email='pia@example.com'] button.edit-invite");
    s.select("#edit-inbox", "Support");
    s.click("#edit-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("tr[data-email='pia@example.com']") == 0);
    drop(s);
    drop(_driver);
    assert_eq!(cli(dir.path(), &["members", "show", "pia@example.com"])["inboxes"], serde_json::json!(["Support"]));
}

/// The app process whose environment names `data_dir` (started by
/// WebKitWebDriver for the current session).
fn app_pid(data_dir: &std::path::Path) -> Option<i32> {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_seatdesk")).ok()?;
    let needle = format!("SEATDESK_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
        let is_app = std::fs::read_link(entry.path().join("exe")).ok()? == exe;
        let environ = std::fs::read(entry.path().join("environ")).ok()?;
        let has_dir = environ.split(|b| *b == 0).any(|kv| kv == needle.as_bytes());
        (is_app && has_dir).then_some(pid)
    })
}

/// The window killed (SIGKILL) at random moments while the Invite dialog's
/// batch of 300 is being written: afterwards the database opens, `check` is
/// clean, and the batch is wholly there or wholly absent.
#[test]
fn the_window_killed_during_a_dialog_action_leaves_the_batch_whole_or_absent() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let addresses: Vec<String> = (0..300).map(|i| format!("batch{i}@example.com")).collect();
    // The test build's pause hook stops the app before the Invite dialog's
    // transaction, inside it (rows written, not committed) and after its
    // commit; the window is killed there, while alive.
    for (point, expected) in [("before", 0), ("inside", 0), ("after", 300)] {
        let dir = tempfile::tempdir().unwrap();
        cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
        cli(dir.path(), &["inboxes", "create", "Sales"]);
        cli(dir.path(), &["seats", "buy", "300", "--yes"]);
        let marker = dir.path().join("paused");
        let point_value = std::path::PathBuf::from(point);
        let driver = Driver::start_with(dir.path(), TODAY, &[("SEATDESK_TEST_PAUSE", &point_value), ("SEATDESK_TEST_PAUSE_MARKER", &marker)]);
        let s = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
        s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
        s.click("#invite");
        // The dialog opens once its inbox list has loaded.
        s.wait_for("#invite-input", Duration::from_secs(10));
        s.eval(&format!(
            "const el = document.getElementById('invite-input'); el.value = {:?}; el.dispatchEvent(new Event('paste')); return ''",
            addresses.join(", ") + " "
        ));
        s.wait_until(Duration::from_secs(15), || s.text("#invite-send").as_deref() == Some("Record 300 invites"));
        let pid = app_pid(dir.path()).expect("the app's process");
        assert!(!marker.exists(), "nothing paused before the dialog sent its batch");
        s.click("#invite-send");
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !marker.exists() {
            assert!(std::time::Instant::now() < deadline, "the window never reached {point}");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(std::fs::read_to_string(&marker).unwrap(), point);
        assert_eq!(unsafe { libc::kill(pid, 0) }, 0, "the app is alive when killed {point} its transaction");
        unsafe { libc::kill(pid, libc::SIGKILL) };
        drop(s);
        drop(driver);
        let check = Command::new(env!("CARGO_BIN_EXE_seatdesk")).arg("--json").arg("--data-dir").arg(dir.path()).arg("check").output().unwrap();
        assert!(check.status.success(), "check after the kill: {}", String::from_utf8_lossy(&check.stdout));
        let pending = cli(dir.path(), &["members", "--status", "pending"]).as_array().unwrap().len();
        assert_eq!(pending, expected, "the window killed {point} its transaction left {pending} of 300 invites");
        println!("window killed {point} the Invite dialog's transaction: {pending} of 300 invites");
    }
}

/// The window and the CLI buying seats through quotes and inviting at the
/// same time on one database: the window through its own commands (a loop
/// in the page), the CLI as a process. Every purchase is confirmed at
/// exactly its quote or refused `quote_stale`; no update is lost.
#[test]
fn the_window_and_the_cli_writing_at_once_lose_nothing() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    let rounds = 100;
    s.eval(&format!(
        "window.__race = null;
         const invoke = window.__TAURI_INTERNALS__.invoke;
         window.__bought = 0;
         (async () => {{
           let ok = 0, stale = 0, charged = 0;
           for (let i = 0; i < {rounds}; i++) {{
             // Paced, so that the two loops overlap for the whole run.
             await new Promise(r => setTimeout(r, 60));
             const q = await invoke('quote_seats', {{ scope: {{}}, quantity: 1 }});
             try {{
               const p = await invoke('buy_seats', {{ scope: {{}}, quantity: 1, quoteId: q.quote_id }});
               if (p.charged_cents !== q.due_now_cents) {{ window.__race = {{ error: 'charged ' + p.charged_cents + ', quoted ' + q.due_now_cents }}; return; }}
               ok++; charged += p.charged_cents; window.__bought = ok;
             }} catch (e) {{
               if (!JSON.stringify(e).includes('quote_stale')) {{ window.__race = {{ error: JSON.stringify(e) }}; return; }}
               stale++;
             }}
             await invoke('invite_members', {{ scope: {{}}, request: {{ emails: ['window' + i + '@example.com'], role: 'observer', inbox: 'Sales', new_inbox: false, buy_shortfall_quote: null }} }});
           }}
           window.__race = {{ ok, stale, charged }};
         }})().catch(e => {{ window.__race = {{ error: String(e) }}; }});
         return 'started';"
    ));
    // Meanwhile, the command line does the same.
    let (mut bought, mut stale, mut charged, mut forced) = (0i64, 0, 0i64, 0);
    for i in 0..rounds {
        let quote = cli(dir.path(), &["seats", "quote", "1"]);
        let id = quote["quote_id"].as_str().unwrap().to_string();
        // Every fifth round early on, the CLI holds its quote until the
        // window has bought meanwhile: that purchase must then be refused.
        let force = i % 5 == 0 && i < 40 && s.eval("return JSON.stringify(window.__race)") == "null";
        if force {
            let seen = s.eval("return String(window.__bought)");
            s.wait_until(Duration::from_secs(10), || s.eval("return String(window.__bought)") != seen || s.eval("return JSON.stringify(window.__race)") != "null");
        }
        let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
            .arg("--json").arg("--data-dir").arg(dir.path()).args(["--today", TODAY, "seats", "buy", "1", "--yes", "--quote", &id])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if out.status.success() {
            assert_eq!(doc["charged_cents"], quote["due_now_cents"]);
            bought += 1;
            charged += doc["charged_cents"].as_i64().unwrap();
        } else {
            assert_eq!(doc["error"]["code"], "quote_stale", "{doc}");
            stale += 1;
            forced += i32::from(force);
        }
        cli(dir.path(), &["members", "invite", &format!("cli{i}@example.com"), "--inbox", "Sales", "--role", "observer"]);
    }
    let mut race = String::from("null");
    s.wait_until(Duration::from_secs(120), || {
        race = s.eval("return JSON.stringify(window.__race)");
        race != "null"
    });
    let race: serde_json::Value = serde_json::from_str(&race).unwrap();
    assert!(race.get("error").is_none(), "the window's loop failed: {race}");
    drop(s);
    drop(_driver);
    let (win_ok, win_charged) = (race["ok"].as_i64().unwrap(), race["charged"].as_i64().unwrap());
    println!("window + CLI: window {win_ok} bought / {} stale, CLI {bought} bought / {stale} stale ({forced} forced)", race["stale"]);
    // Contention happened: both sides bought, and quotes went stale.
    assert!(win_ok > 0 && bought > 0, "both writers succeeded at least once");
    assert!(forced >= 1, "a CLI quote held across a window purchase was refused quote_stale");
    let seats = cli(dir.path(), &["seats"]);
    assert_eq!(seats["purchased"].as_i64(), Some(win_ok + bought), "every confirmed purchase is there, no other");
    let booked: i64 = cli(dir.path(), &["ledger", "--kind", "seat-purchase"]).as_array().unwrap().iter().map(|r| r["amount_cents"].as_i64().unwrap()).sum();
    assert_eq!(booked, win_charged + charged, "the ledger books exactly what was charged");
    assert_eq!(cli(dir.path(), &["members", "--status", "pending"]).as_array().unwrap().len(), 2 * rounds, "no invite lost");
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

/// A long import reports its progress; Cancel stops it and it rolls back
/// whole (nothing imported, no seat, the file unchanged).
#[test]
fn a_long_import_shows_its_progress_and_cancel_rolls_it_back() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let rows: String = (0..40_000).map(|i| format!("many{i}@example.com,Many {i},member,Sales\n")).collect();
    let (dir, _files, chosen) = acme_with_a_file("40000", &format!("email,name,role,inbox\n{rows}"));
    let before = std::fs::read(dir.path().join("seatdesk.db")).unwrap().len();
    let driver = webdriver::Driver::start_with(dir.path(), TODAY, &[("SEATDESK_DIALOG_PATH", &chosen)]);
    let s = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    s.click("#app-menu summary");
    s.click("#menu-import");
    s.click("#import-choose");
    s.wait_until(Duration::from_secs(30), || s.text("#import-summary").is_some_and(|t| t.contains("40,000 to invite")));
    s.click("#import-apply");
    // Cancel as soon as the first progress report is drawn.
    s.wait_until(Duration::from_secs(30), || s.text("#import-progress-text").is_some_and(|t| t.contains("of 40,000 invited")));
    s.click("#import-cancel");
    s.wait_until(Duration::from_secs(30), || s.text("#import-error").is_some_and(|t| t.contains("cancelled")));
    s.screenshot("import-cancelled");
    assert_eq!(cli(dir.path(), &["members", "--status", "pending"]).as_array().unwrap().len(), 0, "nothing was imported");
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
    let log = std::fs::read_dir(dir.path().join("logs")).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect::<String>();
    assert!(log.contains(r#"command="import_members_csv" account="Acme""#) && log.contains(r#"outcome="cancelled""#), "{log}");
    let _ = before;
}
