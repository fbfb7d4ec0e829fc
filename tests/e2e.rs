//! End-to-end tests through the real window: the built binary driven by
//! tauri-driver + WebKitWebDriver under Xvfb (the README's test command sets
//! that up). Gated by the `e2e` feature so a plain `cargo test` on a machine
//! without a display stays green; CI always enables it.

mod webdriver;

use std::time::Duration;

mod e2e_common;

use e2e_common::{acme_with_a_file, cli, launch, launch_confirming, TODAY, WINDOW};

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
    // The refusal sits under the field it concerns, in plain words, and the field has the focus.
    let err = s.wait_text("#owner-email-error", Duration::from_secs(5));
    assert!(err.contains("not a valid email address: it has no @"), "the form shows the refusal: {err}");
    assert_eq!(s.attr("#owner-email", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(s.eval("return document.activeElement.id"), "owner-email");

    s.clear("#owner-email");
    s.type_into("#owner-email", "nora@northwind.example.com");
    s.click("#create-account");

    let text = s.wait_text("#members-table tbody tr[data-email='nora@northwind.example.com']", Duration::from_secs(10));
    assert!(text.contains("Nora North") && text.contains("Owner"), "owner row: {text}");
    let counter = s.wait_text("#seat-counter", Duration::from_secs(5));
    assert!(counter.contains("0 of 0") && counter.contains("paid seats used"), "seat counter: {counter}");
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
        // Two accounts: the window opens on the overview; Beta from its row.
        s.wait_for("#desk-table tr[data-account='Beta'] button.account-open", Duration::from_secs(20));
        s.click("#desk-table tr[data-account='Beta'] button.account-open");
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
    // Two accounts: the overview first, the last account one click away.
    s.wait_for("#desk-table", Duration::from_secs(20));
    assert_eq!(s.eval("return document.documentElement.dataset.theme"), "dark");
    s.click("#desk-resume");
    s.wait_for("#members-table tbody tr[data-email='b@beta.example.com']", Duration::from_secs(20));
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
    assert!(s.wait_text("#seat-counter", Duration::from_secs(5)).contains("paid seats used"));
    let adds_up = s.attr("#seat-counter", "title").unwrap_or_default();
    assert!(adds_up.contains("The Owner's seat is included") && adds_up.contains("no Observers"), "{adds_up}");

    s.click("#manage-seats");
    s.wait_until(Duration::from_secs(5), || s.text("#buy-quote").is_some_and(|t| t.contains("Due now")));
    s.clear("#buy-quantity");
    s.type_into("#buy-quantity", "4");
    s.wait_until(Duration::from_secs(5), || s.text("#buy-confirm").as_deref() == Some("Buy 4 seats"));
    s.wait_until(Duration::from_secs(5), || s.text("#quote-due").as_deref() == Some("20.00 USD"));
    assert_eq!(s.text("#quote-renewal").as_deref(), Some("40.00 USD"));
    assert_eq!(s.text("#quote-math").as_deref(), Some("4 × 10.00 USD × 15/30 days left in this period"));
    s.screenshot("manage-seats-buy");
    s.click("#buy-confirm");
    // A receipt in the dialog: what was bought, for how much, how it was reached.
    let receipt = s.wait_text("#seats-receipt", Duration::from_secs(5));
    assert!(receipt.contains("Bought 4 seats for 20.00 USD (4 × 10.00 USD × 15/30") && receipt.contains("0 of 4 paid seats used · 4 free"), "{receipt}");
    s.screenshot("manage-seats-receipt");
    s.click("#seats-done");
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("0 of 4") && t.contains("4 free")));

    s.click("#nav-billing");
    let row = s.wait_text("#ledger-table tbody tr[data-kind='seat_purchase']", Duration::from_secs(5));
    assert!(row.contains("20.00 USD") && row.contains("2026-11-16"), "{row}");
    assert_eq!(s.text("#plan-renewal-total").as_deref(), Some("40.00 USD"));
    // One day of history reads as a sentence, not a flat line.
    let note = s.wait_text("#seat-chart-note", Duration::from_secs(5));
    assert!(note.contains("Since 2026-11-16: 0 of 4 paid seats assigned"), "{note}");
    assert!(s.text("#ledger-table tbody tr[data-kind='seat_purchase']").unwrap().contains("4 × 10.00 USD, prorated"));

    s.click("#billing-manage-seats");
    s.click("#seats-tab-remove");
    s.clear("#remove-quantity");
    s.type_into("#remove-quantity", "9");
    s.wait_until(Duration::from_secs(5), || s.attr("#remove-confirm", "disabled").is_some());
    s.clear("#remove-quantity");
    s.type_into("#remove-quantity", "1");
    s.wait_until(Duration::from_secs(5), || s.text("#remove-confirm").as_deref() == Some("Remove 1 seat"));
    s.click("#remove-confirm");
    assert!(s.wait_text("#seats-receipt", Duration::from_secs(5)).contains("Removed 1 seat, not refunded"));
    s.click("#seats-done");
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
    s.wait_until(Duration::from_secs(5), || s.text("#invite-send").as_deref() == Some("Record 3 invites"));
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

    // Accept Ana from her page, reached by keyboard: focus the table, move
    // to her row, Enter opens her page, whose actions are the row menu's.
    s.eval("document.getElementById('members-scroll').focus(); return ''");
    s.keys("\u{E015}\u{E013}\u{E007}"); // down, up, Enter
    s.wait_until(Duration::from_secs(5), || s.text("#member-title").as_deref() == Some("ana"));
    s.click("#member-actions button[data-action='Mark accepted']");
    s.clear("#accept-name");
    s.type_into("#accept-name", "<img src=x onerror=alert(1)>");
    s.click("#accept-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#member-title").as_deref() == Some("<img src=x onerror=alert(1)>"));
    assert_eq!(s.count("#page img"), 0, "no element was made from the name on her page");
    s.click("#back-to-members");
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
    s.wait_until(Duration::from_secs(5), || s.text("#invite-send").as_deref() == Some("Buy 1 seat and record 2 invites"));
    assert_eq!(s.text("#invite-quote-due").as_deref(), Some("5.00 USD"));
    s.click("#invite-send");
    s.wait_until(Duration::from_secs(5), || s.text("#tab-pending").as_deref() == Some("Pending (3)"));
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("4 of 4")));
    s.screenshot("members-pending");

    // An Observer's invite made a Member's with no seat free: the dialog
    // offers "Buy 1 seat and save", one step.
    cli(dir.path(), &["members", "invite", "fay@example.com", "--role", "observer", "--inbox", "Sales"]);
    s.click("#nav-members");
    s.click("#tab-pending");
    s.click("#members-table tr[data-email='fay@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Edit invite']");
    s.select("#edit-role", "member");
    s.click("#edit-dialog-confirm");
    let offer = s.wait_text("#edit-dialog p.notice", Duration::from_secs(5));
    assert!(offer.contains("Buy 1 seat for 5.00 USD now (1 × 10.00 USD × 15/30 days"), "{offer}");
    assert_eq!(s.text("#edit-dialog-confirm").as_deref(), Some("Buy 1 seat and save"));
    s.screenshot("edit-invite-buy-seat");
    s.click("#edit-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("#edit-dialog") == 0);
    s.wait_until(Duration::from_secs(5), || s.text("#seat-counter").is_some_and(|t| t.contains("5 of 5")));
    drop(s);
    drop(_driver);

    assert_eq!(before.len(), 3, "the refused batch added nobody");
    let after = cli_members(dir.path());
    let mut emails: Vec<&str> = after.iter().map(|m| m["email"].as_str().unwrap()).collect();
    emails.sort();
    assert_eq!(emails, ["ana@example.com", "chloe@example.com", "dan@example.com", "eve@example.com", "fay@example.com", "o@acme.example.com"]);
    let ledger = cli(dir.path(), &["ledger", "--kind", "seat-purchase"]);
    assert_eq!(ledger.as_array().unwrap().len(), 3);
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
    assert!(holds.contains("3 conversations") && holds.contains("1 contact"), "{holds}");
    // The acting member is the default, shown whole and selected: typing a
    // name replaces it, and the list finds the member.
    assert_eq!(s.attr("#reassign-to", "value").as_deref(), Some("o@acme.example.com"));
    assert_eq!(s.eval("return document.activeElement.id"), "reassign-to");
    s.keys("Ben");
    s.wait_until(Duration::from_secs(5), || s.attr("#reassign-to", "value").as_deref() == Some("Ben"));
    s.wait_for("#reassign-to-list li[data-email='ben@example.com']", Duration::from_secs(5));
    s.keys("\u{e007}");
    s.click("#delete-remove-seat");
    s.wait_until(Duration::from_secs(5), || s.text("#delete-summary").is_some_and(|t| t.contains("go to Ben (ben@example.com)") && t.contains("removed")));
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
    s.wait_until(Duration::from_secs(5), || s.text("#support-agent-error").is_some_and(|t| t.contains("Enter the support agent's name")));
    s.type_into("#support-agent", "Sam Support");
    s.click("#support-on");
    s.wait_until(Duration::from_secs(5), || s.text("#support-badge").as_deref() == Some("Support: Sam Support · T-77"));
    s.click("#members-table tr[data-email='ben@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Transfer ownership']");
    assert!(s.wait_text("#transfer-dialog", Duration::from_secs(5)).contains("T-77"));
    assert!(s.text("#acting-as").unwrap().contains("Olivia (Owner)"));
    s.click("#transfer-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#members-table tr[data-email='ben@example.com']").is_some_and(|t| t.contains("Owner")));
    // The header says who the window acts as now, and the status says so.
    s.wait_until(Duration::from_secs(5), || s.text("#acting-as").is_some_and(|t| !t.contains("Olivia (Owner)")));
    let said = s.wait_text("#status", Duration::from_secs(5));
    assert!(said.contains("Ben is now the Owner; Olivia is now an Admin") && said.contains("now"), "{said}");

    // The audit log shows both, and its chain verifies.
    s.click("#nav-audit");
    s.wait_for("#audit-table tr[data-action='owner.transfer']", Duration::from_secs(5));
    s.wait_for("#audit-table tr[data-action='support.enter']", Duration::from_secs(5));
    s.wait_for("#audit-table tr[data-action='member.delete']", Duration::from_secs(5));
    // In words, with the entry as recorded one click away.
    let transfer = s.wait_text("#audit-table tr[data-action='owner.transfer']", Duration::from_secs(5));
    assert!(transfer.contains("Sam Support (support) made ben@example.com the Owner"), "{transfer}");
    s.click("#audit-table tr[data-action='seats.buy'] summary");
    let recorded = s.wait_text("#audit-table tr[data-action='seats.buy'] dl", Duration::from_secs(5));
    assert!(recorded.contains("\"quantity\":2") && recorded.contains("2 seats"), "{recorded}");
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

#[test]
fn csv_import_export_backup_and_restore_from_the_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    // Every file dialog of this window answers with the chosen file.
    let (dir, _files, chosen) = acme_with_a_file("1", "email,name,role,inbox\nana@example.com,Ana,member,Sales\nben@example.com,Ben,member,Sales\n");
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
    // It says what it bought, too.
    s.wait_until(Duration::from_secs(5), || s.text("#import-progress-text").as_deref() == Some("Bought 1 seat for 5.00 USD and imported 2 members as pending invites."));
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

/// The members table keeps the rows still in view while it scrolls (issue
/// #23): wherever it is scrolled to, the rows shown are the backend's, in
/// its order, each once; the keyboard still moves, picks and focuses rows
/// far down the list.
#[test]
fn the_members_table_shows_the_backends_rows_wherever_it_is_scrolled() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["demo", "--members", "1500", "--conversations", "0"]);
    let listed = cli(dir.path(), &["members", "--status", "active"]);
    let emails: Vec<&str> = listed.as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    let shown = || -> Vec<(i64, String)> {
        let out = s.eval("return JSON.stringify([...document.querySelectorAll('#members-table tbody tr')].filter(r => !r.classList.contains('spacer')).map(r => [Number(r.dataset.index ?? -1), r.dataset.email ?? '']))");
        serde_json::from_str(&out).unwrap()
    };
    // Small steps down and up (rows kept, some added at either end) and
    // jumps (every row new).
    for top in [0, 9_000, 9_300, 9_700, 9_500, 8_900, 8_600, 30_000, 1_000_000, 999_500, 20_000, 41 * 700, 0] {
        s.eval(&format!("document.getElementById('members-scroll').scrollTop = {top}; return ''"));
        s.wait_until(Duration::from_secs(10), || {
            let rows = shown();
            !rows.is_empty() && rows.iter().all(|(i, e)| *i >= 0 && !e.is_empty())
        });
        let rows = shown();
        let first = rows[0].0;
        for (k, (i, email)) in rows.iter().enumerate() {
            assert_eq!(*i, first + k as i64, "the rows at {top} px follow each other once each: {rows:?}");
            assert_eq!(email, emails[*i as usize], "row {i} at {top} px is the backend's");
        }
    }
    // End, Up, Space: the last row but one is focused, selected and picked.
    s.eval("document.getElementById('members-scroll').focus(); return ''");
    s.keys("\u{E010}\u{E013}"); // End, Up
    let last_but_one = emails.len() - 2;
    s.wait_until(Duration::from_secs(5), || s.eval("return String(document.activeElement.dataset.index)") == last_but_one.to_string());
    // The first pick shows the bar of what is picked without moving a row.
    let top = || s.eval(&format!("return String(Math.round(document.querySelector(\"#members-table tr[data-index='{last_but_one}']\").getBoundingClientRect().top))"));
    let before = top();
    s.keys("\u{E00D}"); // Space
    s.wait_until(Duration::from_secs(5), || s.attr("#bulk-bar", "hidden").is_none());
    assert_eq!(top(), before, "the picked row stays where it was");
    assert_eq!(s.attr(&format!("#members-table tr[data-index='{last_but_one}']"), "aria-selected").as_deref(), Some("true"));
    s.wait_until(Duration::from_secs(5), || s.attr(&format!("#members-table tr[data-index='{last_but_one}']"), "class").is_some_and(|c| c.contains("picked")));
    assert_eq!(s.count("#members-table tr.picked"), 1, "one row picked");
    assert_eq!(s.count("#members-table tr[aria-selected='true']"), 1, "one row selected");
    s.keys("\u{E011}"); // Home
    s.wait_until(Duration::from_secs(5), || s.eval("return String(document.activeElement.dataset.index)") == "0");
    assert_eq!(s.attr("#members-table tr[data-index='0']", "data-email").as_deref(), Some(emails[0]));
}
