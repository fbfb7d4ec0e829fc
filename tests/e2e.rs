//! End-to-end tests through the real window: the built binary driven by
//! tauri-driver + WebKitWebDriver under Xvfb (the README's test command sets
//! that up). Gated by the `e2e` feature so a plain `cargo test` on a machine
//! without a display stays green; CI always enables it.

mod webdriver;

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use webdriver::{Driver, Session};

/// One window at a time: tauri-driver listens on one port.
static WINDOW: Mutex<()> = Mutex::new(());

const TODAY: &str = "2026-11-16";

fn launch(data_dir: &std::path::Path) -> (Driver, Session) {
    let driver = Driver::start(data_dir, TODAY);
    let session = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    (driver, session)
}

/// Launches the window with its native confirmations answered from a file
/// (`SEATDESK_CONFIRM_FILE`, an `e2e`-build hook): "yes" confirms.
fn launch_confirming(data_dir: &std::path::Path, answer: &str) -> (Driver, Session, std::path::PathBuf) {
    let file = data_dir.join("confirm-answer");
    std::fs::write(&file, answer).unwrap();
    let driver = Driver::start_with(data_dir, TODAY, &[("SEATDESK_CONFIRM_FILE", &file)]);
    let session = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    (driver, session, file)
}

/// Calls a command from a script in the page, as any script could, and
/// returns `{ok, value|error}`.
fn invoke(s: &Session, cmd: &str, args: &str) -> serde_json::Value {
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
fn refusal_code(r: &serde_json::Value) -> Option<String> {
    if r["ok"] == true {
        return None;
    }
    let error: serde_json::Value = serde_json::from_str(r["error"].as_str().unwrap_or("null")).unwrap_or(serde_json::Value::Null);
    Some(error["code"].as_str().map(String::from).unwrap_or_else(|| format!("(not a Seatdesk error: {r})")))
}

fn cli(data_dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
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

#[test]
fn first_run_creates_an_account_through_the_form_and_shows_the_owner() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (_driver, s) = launch(dir.path());

    s.wait_for("#create-account-form", Duration::from_secs(20));
    s.screenshot("first-run");
    s.type_into("#account-name", "Northwind <b>Traders</b>");
    s.type_into("#owner-name", "Nora North");
    s.type_into("#owner-email", "not-an-email");
    s.click("#create-account");
    let err = s.wait_text("#create-error", Duration::from_secs(5));
    assert!(err.contains("not a valid email"), "the form shows the refusal: {err}");

    s.clear("#owner-email");
    s.type_into("#owner-email", "nora@northwind.example.com");
    s.click("#create-account");

    let text = s.wait_text("#members-table tbody tr[data-email='nora@northwind.example.com']", Duration::from_secs(10));
    assert!(text.contains("Nora North") && text.contains("Owner"), "owner row: {text}");
    let counter = s.wait_text("#seat-counter", Duration::from_secs(5));
    assert!(counter.contains("0 of 0"), "seat counter: {counter}");
    let tabs = s.wait_text("#member-tabs", Duration::from_secs(5));
    assert!(tabs.contains("Active (1)") && tabs.contains("Pending (0)"), "tabs: {tabs}");
    // The account name with markup is shown as text, never rendered.
    let switcher = s.wait_text("#account-switcher option", Duration::from_secs(5));
    assert!(switcher.contains("Northwind <b>Traders</b>"), "{switcher}");
    assert_eq!(s.count("#page b"), 0, "no element was created from the name");
    s.screenshot("members-after-create");
    drop(s);
    drop(_driver);

    // The CLI sees what the window wrote.
    let seats = cli(dir.path(), &["seats"]);
    assert_eq!(seats["purchased"], 0);
    let members = cli(dir.path(), &["members"]);
    assert_eq!(members[0]["email"], "nora@northwind.example.com");
}

#[test]
fn the_demo_account_opens_with_tabs_counts_and_search_from_the_backend() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let (_driver, s) = launch(dir.path());

    s.wait_for("#open-demo", Duration::from_secs(20));
    s.click("#open-demo");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(15));
    let tabs = s.wait_text("#member-tabs", Duration::from_secs(5));
    s.screenshot("demo-members");

    s.click("#tab-pending");
    s.wait_until(Duration::from_secs(5), || {
        s.attr("#tab-pending", "aria-selected").as_deref() == Some("true")
    });
    std::thread::sleep(Duration::from_millis(300));
    let pending_rows = s.count("#members-table tbody tr[data-email]");

    s.click("#tab-active");
    std::thread::sleep(Duration::from_millis(300));
    s.type_into("#member-search", "olivia");
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tbody tr[data-email]") == 1);
    let hit = s.wait_text("#members-table tbody", Duration::from_secs(5));
    assert!(hit.contains("Olivia Owner"), "{hit}");
    s.click("#nav-inboxes");
    let inboxes = s.wait_text("#inboxes-table tbody", Duration::from_secs(5));
    s.screenshot("demo-inboxes");
    drop(s);
    drop(_driver);

    let pending = cli(dir.path(), &["members", "--status", "pending"]);
    let active = cli(dir.path(), &["members", "--status", "active"]);
    let n_pending = pending.as_array().unwrap().len();
    assert!(n_pending > 0);
    assert!(tabs.contains(&format!("Pending ({n_pending})")), "{tabs}");
    assert!(tabs.contains(&format!("Active ({})", active.as_array().unwrap().len())), "{tabs}");
    assert_eq!(pending_rows, n_pending.min(100));
    for name in ["Sales", "Support", "Billing"] {
        assert!(inboxes.contains(name), "{inboxes}");
    }
}

#[test]
fn a_database_from_a_newer_version_shows_its_code_and_stays_untouched() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O"]);
    let db = dir.path().join("seatdesk.db");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap();

    let (_driver, s) = launch(dir.path());
    let code = s.wait_text("#fatal-code", Duration::from_secs(20));
    assert_eq!(code, "database_too_new");
    s.screenshot("database-too-new");
    drop(s);
    drop(_driver);
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn preferences_and_the_last_account_survive_a_restart() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Alpha", "--owner-email", "a@alpha.example.com", "--owner-name", "Al"]);
    cli(dir.path(), &["account", "create", "--name", "Beta", "--owner-email", "b@beta.example.com", "--owner-name", "Bea"]);
    {
        let (_driver, s) = launch(dir.path());
        s.wait_for("#account-switcher", Duration::from_secs(20));
        s.select("#account-switcher", "Beta");
        s.wait_for("#members-table tbody tr[data-email='b@beta.example.com']", Duration::from_secs(10));
        s.select("#theme", "dark");
        s.wait_until(Duration::from_secs(5), || s.eval("return document.documentElement.dataset.theme") == "dark");
        s.select("#density", "compact");
        s.select("#default-role", "observer");
        s.click("#app-menu summary");
        s.click("#about");
        let about = s.wait_text("#about-dialog", Duration::from_secs(5));
        assert!(about.contains(env!("CARGO_PKG_VERSION")) && about.contains("Schema version"), "{about}");
        assert!(about.contains(&dir.path().join("seatdesk.db").display().to_string()), "{about}");
        s.screenshot("about-dark");
    }
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email='b@beta.example.com']", Duration::from_secs(20));
    assert_eq!(s.eval("return document.documentElement.dataset.theme"), "dark");
    assert_eq!(s.eval("return document.getElementById('account-switcher').value"), "Beta");
    assert_eq!(s.eval("return document.documentElement.dataset.density"), "compact");
    s.click("#invite");
    s.wait_for("#invite-role", Duration::from_secs(5));
    assert_eq!(s.eval("return document.getElementById('invite-role').value"), "observer", "the default invite role");
    assert!(dir.path().join("preferences.json").exists());
}

#[test]
fn buying_and_removing_seats_in_the_dialog_updates_the_counter_and_the_ledger() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // Renews Dec 1; today Nov 16: 15 of 30 days left, so a $10.00 seat costs $5.00 now.
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    assert!(s.wait_text("#seat-counter", Duration::from_secs(5)).contains("0 of 0"));

    s.click("#manage-seats");
    s.wait_until(Duration::from_secs(5), || s.text("#buy-quote").is_some_and(|t| t.contains("Due now")));
    s.clear("#buy-quantity");
    s.type_into("#buy-quantity", "4");
    s.wait_until(Duration::from_secs(5), || s.text("#buy-confirm").as_deref() == Some("Buy 4 seats"));
    s.wait_until(Duration::from_secs(5), || s.text("#quote-due").as_deref() == Some("20.00 USD"));
    assert_eq!(s.text("#quote-renewal").as_deref(), Some("40.00 USD"));
    s.screenshot("manage-seats-buy");
    s.click("#buy-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("0 of 4")));

    s.click("#nav-billing");
    let row = s.wait_text("#ledger-table tbody tr[data-kind='seat_purchase']", Duration::from_secs(5));
    assert!(row.contains("20.00 USD") && row.contains("2026-11-16"), "{row}");
    assert_eq!(s.text("#plan-renewal-total").as_deref(), Some("40.00 USD"));
    s.wait_for("#seat-chart svg path.line-purchased", Duration::from_secs(5));

    s.click("#billing-manage-seats");
    s.click("#seats-tab-remove");
    s.clear("#remove-quantity");
    s.type_into("#remove-quantity", "9");
    s.wait_until(Duration::from_secs(5), || s.attr("#remove-confirm", "disabled").is_some());
    s.clear("#remove-quantity");
    s.type_into("#remove-quantity", "1");
    s.wait_until(Duration::from_secs(5), || s.text("#remove-confirm").as_deref() == Some("Remove 1 seat"));
    s.click("#remove-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#usage-seats").as_deref() == Some("0 of 3"));
    s.wait_for("#ledger-table tbody tr[data-kind='seat_removal']", Duration::from_secs(5));
    s.screenshot("plan-and-billing");
    drop(s);
    drop(_driver);

    let ledger = cli(dir.path(), &["ledger"]);
    let kinds: Vec<&str> = ledger.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["seat_purchase", "seat_removal"]);
    assert_eq!(ledger[0]["amount_cents"], 2000);
    assert_eq!(cli(dir.path(), &["seats"])["purchased"], 3);
}

/// Edit plan: a new price and a moved renewal date are scheduled for the
/// next renewal, shown on Plan & Billing, and this period keeps its terms.
#[test]
fn a_plan_change_waits_for_the_next_renewal_and_says_so() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["seats", "buy", "2", "--yes"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    s.click("#nav-billing");
    assert_eq!(s.wait_text("#plan-period", Duration::from_secs(5)), "2026-11-16 to 2026-12-01");
    assert_eq!(s.count("#plan-scheduled"), 0);
    s.click("#edit-plan");
    s.wait_for("#edit-seat-price", Duration::from_secs(5));
    s.clear("#edit-seat-price");
    s.type_into("#edit-seat-price", "12.00");
    // A renewal date before the one paid to is refused, with its code.
    s.eval("document.getElementById('edit-renews-on').value = '2026-11-20'; return 1;");
    s.click("#save-plan");
    s.wait_until(Duration::from_secs(5), || s.text("#plan-dialog .form-error").is_some_and(|t| t.contains("never moves back")));
    s.eval("document.getElementById('edit-renews-on').value = '2026-12-15'; return 1;");
    s.click("#save-plan");
    let notice = s.wait_text("#plan-scheduled", Duration::from_secs(5));
    assert!(notice.contains("From 2026-12-01") && notice.contains("12.00 USD") && notice.contains("2026-12-15"), "{notice}");
    assert_eq!(s.text("#plan-seat-price").as_deref(), Some("10.00 USD / month"), "this period keeps its price");
    s.screenshot("plan-scheduled");
    drop(s);
    drop(_driver);
    let account = cli(dir.path(), &["account", "show"]);
    assert_eq!(account["scheduled"]["seat_price_cents"], 1200);
    assert_eq!(account["scheduled"]["renews_on"], "2026-12-15");
    assert_eq!(account["seat_price_cents"], 1000);
}

#[test]
fn an_inbox_awaiting_a_number_buys_one_through_its_quote() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales", "--number", "+15551234567"]);
    cli(dir.path(), &["inboxes", "create", "Support"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table", Duration::from_secs(20));
    s.click("#nav-inboxes");
    s.click("button.buy-number[data-inbox='Support']");
    s.type_into("#number-input", "+1 555 765 4321");
    // The second number is billed: $5.00/month, half a period left.
    s.wait_until(Duration::from_secs(5), || s.text("#quote-due").as_deref() == Some("2.50 USD"));
    s.screenshot("buy-number");
    s.click("#buy-number-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#inboxes-table tbody").is_some_and(|t| t.contains("+15557654321")));
    drop(s);
    drop(_driver);
    let inboxes = cli(dir.path(), &["inboxes"]);
    assert_eq!(inboxes[1]["number"], "+15557654321");
    assert_eq!(cli(dir.path(), &["ledger", "--kind", "number-purchase"]).as_array().unwrap().len(), 2);
}

#[test]
fn inviting_revoking_and_accepting_through_the_window() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "3", "--yes"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));

    // Three addresses, pasted with a comma and a space, into the existing inbox.
    s.click("#invite");
    s.type_into("#invite-input", "ana@example.com, ben@example.com chloe@example.com ");
    s.wait_until(Duration::from_secs(5), || s.text("#invite-send").as_deref() == Some("Send 3 invites"));
    assert_eq!(s.count("#invite-chips .chip[data-outcome='ok']"), 3);
    s.screenshot("invite-dialog");
    s.click("#invite-send");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-pending").as_deref() == Some("Pending (3)"));
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("3 of 3")));
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tbody tr[data-email]") == 3);

    // Revoke Ben from the row menu.
    s.click("#members-table tr[data-email='ben@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Revoke invite']");
    s.click("#revoke-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-pending").as_deref() == Some("Pending (2)"));
    assert!(s.text("#seat-counter").unwrap().contains("2 of 3"));

    // Accept Ana, keyboard only: focus the table, move to her row, Enter opens the menu.
    s.eval("document.getElementById('members-scroll').focus(); return ''");
    s.keys("\u{E015}\u{E013}\u{E007}"); // down, up, Enter
    s.wait_for("#row-menu", Duration::from_secs(5));
    s.click("#row-menu button[data-action='Mark accepted']");
    s.clear("#accept-name");
    s.type_into("#accept-name", "<img src=x onerror=alert(1)>");
    s.click("#accept-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-active").as_deref() == Some("Active (2)"));
    s.click("#tab-active");
    let row = s.wait_text("#members-table tr[data-email='ana@example.com']", Duration::from_secs(5));
    assert!(row.contains("<img src=x onerror=alert(1)>"), "the name shows as text: {row}");
    assert_eq!(s.count("#members-table img"), 0, "no element was made from the name");

    // A batch with a bad and an existing address cannot be sent.
    s.click("#invite");
    s.type_into("#invite-input", "dan@example.com, bad@, chloe@example.com ");
    s.wait_for("#invite-chips .chip[data-outcome='invalid_email']", Duration::from_secs(5));
    s.wait_for("#invite-chips .chip[data-outcome='already_member']", Duration::from_secs(5));
    assert!(s.attr("#invite-send", "disabled").is_some());
    s.screenshot("invite-refused");
    s.eval("document.getElementById('invite-dialog').close(); return ''");
    let before = cli_members(dir.path());

    // Two more with one free seat: the dialog quotes the shortfall and buys it with the invites.
    s.click("#invite");
    s.type_into("#invite-input", "dan@example.com eve@example.com ");
    s.wait_until(Duration::from_secs(5), || s.text("#invite-send").as_deref() == Some("Buy 1 seat and send 2 invites"));
    assert_eq!(s.text("#invite-quote-due").as_deref(), Some("5.00 USD"));
    s.click("#invite-send");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-pending").as_deref() == Some("Pending (3)"));
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("4 of 4")));
    s.screenshot("members-pending");
    drop(s);
    drop(_driver);

    assert_eq!(before.len(), 3, "the refused batch added nobody");
    let after = cli_members(dir.path());
    let mut emails: Vec<&str> = after.iter().map(|m| m["email"].as_str().unwrap()).collect();
    emails.sort();
    assert_eq!(emails, ["ana@example.com", "chloe@example.com", "dan@example.com", "eve@example.com", "o@acme.example.com"]);
    let ledger = cli(dir.path(), &["ledger", "--kind", "seat-purchase"]);
    assert_eq!(ledger.as_array().unwrap().len(), 2);
    assert_eq!(ledger[1]["amount_cents"], 500);
}

fn cli_members(dir: &std::path::Path) -> Vec<serde_json::Value> {
    cli(dir, &["members"]).as_array().unwrap().clone()
}

#[test]
fn acting_as_a_manager_limits_the_window_and_personal_settings_change_their_email() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "1", "--yes"]);
    cli(dir.path(), &["members", "invite", "mia@example.com", "--role", "manager", "--inbox", "Sales"]);
    cli(dir.path(), &["members", "accept", "mia@example.com", "--name", "Mia Manager"]);
    let (_driver, s, _answer) = launch_confirming(dir.path(), "yes");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    assert!(s.attr("#invite", "disabled").is_none(), "the Owner may invite");

    s.click("#acting-as");
    s.click("#acting-list button[data-email='mia@example.com']");
    s.wait_until(Duration::from_secs(5), || s.text("#acting-as").is_some_and(|t| t.contains("Mia Manager (Manager)")));
    s.wait_until(Duration::from_secs(5), || s.attr("#invite", "disabled").is_some());
    assert!(s.attr("#manage-seats", "disabled").is_some());

    s.click("#app-menu summary");
    s.click("#personal");
    s.clear("#my-email");
    s.type_into("#my-email", "mia.new@example.com");
    s.click("#save-my-email");
    s.wait_for("#members-table tr[data-email='mia.new@example.com']", Duration::from_secs(5));
    assert!(s.text("#acting-as").unwrap().contains("Mia Manager"));
    drop(s);
    drop(_driver);
    let members = cli_members(dir.path());
    assert!(members.iter().any(|m| m["email"] == "mia.new@example.com"));
}

#[test]
fn an_inbox_page_edits_routing_and_guards_removal() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales", "--number", "+15551234567"]);
    cli(dir.path(), &["seats", "buy", "2", "--yes"]);
    cli(dir.path(), &["members", "invite", "ana@example.com", "ben@example.com", "--inbox", "Sales"]);
    cli(dir.path(), &["members", "accept", "ana@example.com", "--name", "Ana"]);
    cli(dir.path(), &["members", "accept", "ben@example.com", "--name", "Ben"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table", Duration::from_secs(20));
    s.click("#nav-inboxes");
    s.click("button.inbox-link[data-inbox='Sales']");
    s.wait_until(Duration::from_secs(5), || s.text("#inbox-title").as_deref() == Some("Sales"));

    // The Owner is not in the inbox: "Add me".
    s.click("#add-me");
    s.wait_for("#inbox-members tr[data-email='o@acme.example.com']", Duration::from_secs(5));
    assert_eq!(s.count("#add-me"), 0);

    // Conversation Assignment: a default assignee turns round robin off.
    s.click("#edit-assignment");
    let order = s.wait_text("#assignment-order", Duration::from_secs(5));
    assert!(order.find("ana@").unwrap() < order.find("ben@").unwrap(), "alphabetical: {order}");
    s.select("#default-assignee", "ben@example.com");
    assert!(s.text("#rr-note").unwrap().contains("round robin is off"));
    assert_eq!(s.eval("return String(document.getElementById('rr-toggle').checked)"), "false");
    s.click("#save-assignment");
    s.wait_until(Duration::from_secs(5), || s.text("#assignment-next").as_deref() == Some("Every inbound conversation goes to ben@example.com"));
    s.click("#edit-assignment");
    let preview = s.wait_text("#assignment-preview", Duration::from_secs(5));
    assert_eq!(preview.matches("ben@example.com").count(), 5, "the dialog previews the next five: {preview}");
    s.eval("document.getElementById('assignment-dialog').close(); return ''");

    // Ring Group: a ring time out of range is refused in the dialog.
    s.click("#edit-ring-group");
    s.select("#ring-strategy", "simultaneous");
    s.clear("#ring-seconds");
    s.type_into("#ring-seconds", "61");
    s.click("#save-ring");
    s.wait_until(Duration::from_secs(5), || s.text("#ring-error").is_some_and(|t| t.contains("ring time")));
    s.clear("#ring-seconds");
    s.type_into("#ring-seconds", "20");
    s.click("#save-ring");
    s.wait_until(Duration::from_secs(5), || s.text("#card-ring-group").is_some_and(|t| t.contains("Simultaneous for 20 s")));

    // Call Distribution: one group with Ana.
    s.click("#edit-distribution");
    s.click("#add-group");
    s.eval("document.querySelector('#distribution-groups input[value=\"ana@example.com\"]').click(); return ''");
    s.click("#save-distribution");
    s.wait_until(Duration::from_secs(5), || s.text("#card-distribution").is_some_and(|t| t.contains("1 group(s), 20 s")));

    // IVR: digit 1 rings Ana.
    s.click("#edit-ivr");
    s.type_into("#ivr-greeting", "Welcome to Acme");
    s.select("#ivr-digit-1", "member:ana@example.com");
    s.click("#save-ivr");
    s.wait_until(Duration::from_secs(5), || s.text("#ivr-summary").is_some_and(|t| t.contains("1 option")));
    s.screenshot("inbox-page");

    // Removing Ana is guarded; the window offers to clear all four first.
    s.click(".remove-member[data-email='ana@example.com']");
    let listed = s.wait_text("#still-assigned", Duration::from_secs(5));
    for label in ["Conversation Assignment", "Ring Group", "Call Distribution", "IVR"] {
        assert!(listed.contains(label), "{label} in {listed}");
    }
    s.screenshot("still-assigned");
    s.click("#remove-everywhere");
    s.wait_until(Duration::from_secs(5), || s.count("#inbox-members tr[data-email='ana@example.com']") == 0);
    s.wait_until(Duration::from_secs(5), || s.text("#ivr-summary").is_some_and(|t| t.contains("pointing nowhere")));
    drop(s);
    drop(_driver);

    let show = cli(dir.path(), &["inboxes", "show", "Sales"]);
    assert_eq!(show["members"], serde_json::json!(["ben@example.com", "o@acme.example.com"]));
    assert_eq!(show["conversation_assignment"]["default_assignee"], "ben@example.com");
    assert_eq!(show["ring_group"]["strategy"], "simultaneous");
    assert_eq!(show["ivr"]["greeting"], "Welcome to Acme");
    assert_eq!(show["ivr"]["options"][0]["points_nowhere"], true);
}

#[test]
fn deleting_a_member_through_the_wizard_and_transferring_ownership_in_support_mode() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "2", "--yes"]);
    cli(dir.path(), &["members", "invite", "ana@example.com", "ben@example.com", "--inbox", "Sales"]);
    cli(dir.path(), &["members", "accept", "ana@example.com", "--name", "Ana"]);
    cli(dir.path(), &["members", "accept", "ben@example.com", "--name", "Ben"]);
    cli(dir.path(), &["contacts", "add", "Carl", "--phone", "+15550001111", "--owner", "ana@example.com"]);
    for _ in 0..3 {
        cli(dir.path(), &["conversations", "add", "--inbox", "Sales", "--contact", "+15550001111", "--assignee", "ana@example.com"]);
    }
    let (_driver, s, _answer) = launch_confirming(dir.path(), "yes");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));

    s.click("#members-table tr[data-email='ana@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Delete Member']");
    let holds = s.wait_text("#delete-holdings", Duration::from_secs(5));
    assert!(holds.contains("3 conversations") && holds.contains("1 contacts"), "{holds}");
    s.clear("#reassign-to");
    s.type_into("#reassign-to", "ben@example.com");
    s.click("#delete-remove-seat");
    s.wait_until(Duration::from_secs(5), || s.text("#delete-summary").is_some_and(|t| t.contains("go to ben@example.com") && t.contains("removed")));
    s.screenshot("delete-wizard");
    s.click("#delete-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tr[data-email='ana@example.com']") == 0);
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("1 of 1")));

    // Support mode, then transfer ownership to Ben.
    s.click("#app-menu summary");
    s.click("#support-mode");
    // An empty name is refused with its reason, in the dialog.
    s.type_into("#support-ticket", "T-77");
    s.click("#support-on");
    s.wait_until(Duration::from_secs(5), || s.text("#support-dialog .form-error").is_some_and(|t| t.contains("name")));
    s.type_into("#support-agent", "Sam Support");
    s.click("#support-on");
    s.wait_until(Duration::from_secs(5), || s.text("#support-badge").as_deref() == Some("Support: Sam Support · T-77"));
    s.click("#members-table tr[data-email='ben@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Transfer ownership']");
    assert!(s.wait_text("#transfer-dialog", Duration::from_secs(5)).contains("T-77"));
    s.click("#transfer-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#members-table tr[data-email='ben@example.com']").is_some_and(|t| t.contains("Owner")));

    // The audit log shows both, and its chain verifies.
    s.click("#nav-audit");
    s.wait_for("#audit-table tr[data-action='owner.transfer']", Duration::from_secs(5));
    s.wait_for("#audit-table tr[data-action='support.enter']", Duration::from_secs(5));
    s.wait_for("#audit-table tr[data-action='member.delete']", Duration::from_secs(5));
    s.click("#verify-audit");
    s.wait_until(Duration::from_secs(5), || s.text("#audit-verdict").is_some_and(|t| t.contains("intact")));
    s.screenshot("audit-log");
    drop(s);
    drop(_driver);

    let ben = cli(dir.path(), &["members", "show", "ben@example.com"]);
    assert_eq!((ben["role"].as_str(), ben["conversations"].as_i64(), ben["contacts"].as_i64()), (Some("owner"), Some(3), Some(1)));
    assert_eq!(cli(dir.path(), &["members", "show", "o@acme.example.com"])["role"], "admin");
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

/// A long import reports its progress; Cancel stops it and it rolls back
/// whole (nothing imported, no seat, the file unchanged).
#[test]
fn a_long_import_shows_its_progress_and_cancel_rolls_it_back() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "40000", "--yes"]);
    let files = tempfile::tempdir().unwrap();
    let chosen = files.path().join("many.csv");
    let rows: String = (0..40_000).map(|i| format!("many{i}@example.com,Many {i},member,Sales\n")).collect();
    std::fs::write(&chosen, format!("email,name,role,inbox\n{rows}")).unwrap();
    let before = std::fs::read(dir.path().join("seatdesk.db")).unwrap().len();
    let driver = webdriver::Driver::start_with(dir.path(), TODAY, &[("SEATDESK_DIALOG_PATH", &chosen)]);
    let s = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    s.click("#app-menu summary");
    s.click("#menu-import");
    s.click("#import-choose");
    s.wait_until(Duration::from_secs(30), || s.text("#import-summary").is_some_and(|t| t.contains("40000 to invite")));
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

#[test]
fn csv_import_export_backup_and_restore_from_the_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia", "--renews", "2026-12-01"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "1", "--yes"]);
    let files = tempfile::tempdir().unwrap();
    // Every file dialog of this window answers with this path.
    let chosen = files.path().join("chosen-file");
    std::fs::write(&chosen, "email,name,role,inbox\nana@example.com,Ana,member,Sales\nben@example.com,Ben,member,Sales\n").unwrap();
    let driver = webdriver::Driver::start_with(dir.path(), TODAY, &[("SEATDESK_DIALOG_PATH", &chosen)]);
    let s = driver.session(env!("CARGO_BIN_EXE_seatdesk"));
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));

    // Import: a dry run first, with the shortfall quoted, then all of it.
    s.click("#app-menu summary");
    s.click("#menu-import");
    // The file is chosen in the native dialog and read by Rust.
    s.click("#import-choose");
    s.wait_until(Duration::from_secs(5), || s.text("#import-summary").is_some_and(|t| t.contains("2 to invite")));
    assert!(s.text("#import-file-name").is_some_and(|t| t.starts_with("chosen-file")));
    assert_eq!(s.count("#import-rows tr[data-outcome='invite']"), 2);
    assert_eq!(s.text("#import-apply").as_deref(), Some("Buy 1 seat and import 2"));
    s.screenshot("import-dry-run");
    s.click("#import-apply");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-pending").as_deref() == Some("Pending (2)"));
    // The progress the backend reported reached the end, and the receipt stays until Done.
    s.wait_until(Duration::from_secs(5), || s.text("#import-progress-text").as_deref() == Some("Imported 2 members as pending invites."));
    assert_eq!(s.eval("const p = document.getElementById('import-progress'); return `${p.value}/${p.max}`"), "2/2");
    assert_eq!(s.eval("return document.getElementById('import-dialog').dataset.progress"), "2/2");
    s.click("#import-done");

    // A file over the limit is refused with its own code before it is read.
    let big = std::fs::File::create(&chosen).unwrap();
    big.set_len(33 * 1024 * 1024).unwrap();
    s.click("#app-menu summary");
    s.click("#menu-import");
    s.click("#import-choose");
    s.wait_until(Duration::from_secs(5), || s.text("#import-error").is_some_and(|t| t.contains("at most")));
    s.keys("\u{E00C}");
    std::fs::remove_file(&chosen).unwrap();

    // Export: written by Rust to the chosen file.
    s.click("#app-menu summary");
    s.click("#menu-export-members");
    s.wait_until(Duration::from_secs(5), || chosen.exists());
    let csv = std::fs::read_to_string(&chosen).unwrap();
    assert!(csv.starts_with("email,name,role,status") && csv.contains("ben@example.com,Ben,member,pending"), "{csv}");
    std::fs::remove_file(&chosen).unwrap();

    // Back up, change from the CLI, restore from the window.
    s.click("#app-menu summary");
    s.click("#menu-backup");
    s.wait_until(Duration::from_secs(5), || chosen.exists());
    cli(dir.path(), &["members", "revoke", "ben@example.com"]);
    s.click("#app-menu summary");
    s.click("#menu-restore");
    s.click("#restore-confirm");
    // The dialog closes and the window reopens the restored database.
    s.wait_until(Duration::from_secs(15), || s.count("#restore-dialog") == 0 && s.text("#status").is_some_and(|t| t.contains("Restored from")));
    s.wait_for("#tab-pending", Duration::from_secs(5));
    s.click("#tab-pending");
    s.wait_for("#members-table tr[data-email='ben@example.com']", Duration::from_secs(5));
    drop(s);
    drop(driver);
    assert_eq!(cli(dir.path(), &["members", "--status", "pending"]).as_array().unwrap().len(), 2);
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

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
                    ringGroup: "no", everywhere: 2, reassignTo: 1, emails: "a", newInbox: 1 }"#;
    let no_args = ["app_info", "list_accounts", "open_demo", "get_preferences", "backup_now", "choose_import_file", "cancel_import"];
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
    s.keys("\u{e00c}");
    s.eval("document.getElementById('acting-dialog')?.close(); return 'ok'");

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
        s.wait_until(Duration::from_secs(15), || s.text("#invite-send").as_deref() == Some("Send 300 invites"));
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
