//! The owner's workflows of issue #21 through the real window: invites that
//! have waited (the Pending tab's age filter, "last sent N days ago", and a
//! resend of them all in one step). Gated by `e2e` like `tests/e2e.rs`.
#![cfg(feature = "e2e")]

mod e2e_common;
mod webdriver;

use std::time::Duration;

use e2e_common::{cli, launch, WINDOW};

#[test]
fn invites_that_have_waited_are_filtered_and_resent_together() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "3", "--yes"]);
    cli(dir.path(), &["members", "invite", "old@example.com", "older@example.com", "new@example.com", "--inbox", "Sales"]);
    // Two invites were last sent weeks ago (the sending time is the computer's clock).
    let db = dir.path().join("seatdesk.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (email, days) in [("old@example.com", 10), ("older@example.com", 40)] {
        let at = (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        conn.execute("UPDATE member SET last_sent_at = ?1 WHERE email = ?2", [&at, email]).unwrap();
    }
    drop(conn);

    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table", Duration::from_secs(20));
    assert!(s.attr("#pending-age", "hidden").is_some(), "the age filter belongs to the Pending tab");
    s.click("#tab-pending");
    s.wait_for("#members-table tbody tr[data-email='new@example.com']", Duration::from_secs(5));
    let old_row = s.text("#members-table tbody tr[data-email='older@example.com']").unwrap();
    assert!(old_row.contains("Sent 40 days ago"), "{old_row}");
    assert!(s.text("#members-table tbody tr[data-email='new@example.com']").unwrap().contains("Sent today"));
    s.eval("const a = document.getElementById('pending-age'); a.value = '7'; a.dispatchEvent(new Event('change')); return 1;");
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tbody tr[data-email='new@example.com']") == 0);
    assert_eq!(s.count("#members-table tbody tr[data-email]"), 2);
    s.screenshot("pending-age");
    s.click("#resend-stale");
    s.wait_for("#resend-stale-dialog[open]", Duration::from_secs(5));
    s.click("#resend-stale-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("#members-table tbody tr[data-email]") == 0);
    drop(s);
    drop(_driver);
    let pending = cli(dir.path(), &["members", "--status", "pending"]);
    let resends: Vec<i64> = pending.as_array().unwrap().iter().map(|m| m["resend_count"].as_i64().unwrap()).collect();
    assert_eq!(resends.iter().sum::<i64>(), 2, "{pending}");
    assert!(cli(dir.path(), &["members", "--pending-over", "7"]).as_array().unwrap().is_empty());
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

/// Seatdesk sends no email: the invite dialog copies the invitation an
/// owner pastes into their own mail, naming the account, role and inbox;
/// no label says an email was sent.
#[test]
fn the_invite_dialog_copies_the_invitation_to_send() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table", Duration::from_secs(20));
    s.click("#invite");
    s.wait_for("#invite-dialog[open]", Duration::from_secs(5));
    s.eval("const r = document.getElementById('invite-role'); r.value = 'admin'; r.dispatchEvent(new Event('change')); return 1;");
    s.click("#invite-copy");
    s.wait_until(Duration::from_secs(5), || s.text("#invite-copied").is_some_and(|t| !t.is_empty()));
    let text = s.eval("return document.getElementById('invitation-text').value");
    assert!(text.contains("Olivia (o@acme.example.com) has invited you to join Acme as an Admin and the Sales inbox"), "{text}");
    let dialog = s.text("#invite-dialog").unwrap().to_lowercase();
    assert!(dialog.contains("sends no email") && !dialog.contains("email sent") && !dialog.contains("invitation sent"), "{dialog}");
}

/// An inbox's Conversations (rules §7): hidden until the Owner adds
/// themselves, then listed, filtered and reassigned through the window.
#[test]
fn an_inboxs_conversations_are_seen_after_add_me_and_reassigned() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["demo", "--members", "20", "--conversations", "80"]);
    let owner = cli(dir.path(), &["members", "--role", "owner"])[0]["email"].as_str().unwrap().to_string();
    let sales = cli(dir.path(), &["inboxes", "show", "Sales"]);
    if sales["members"].as_array().unwrap().iter().any(|m| m == &serde_json::json!(owner)) {
        cli(dir.path(), &["inboxes", "remove-member", "Sales", &owner, "--everywhere"]);
    }
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table", Duration::from_secs(20));
    s.click("#nav-inboxes");
    s.click("button.inbox-link[data-inbox='Sales']");
    s.wait_for("#conversations-hidden", Duration::from_secs(5));
    s.click("#conversations-add-me");
    s.wait_for("#conversations-table tbody tr[data-id]", Duration::from_secs(5));
    s.eval("const f = document.getElementById('conversation-filter'); f.value = '-'; f.dispatchEvent(new Event('change')); return 1;");
    s.wait_until(Duration::from_secs(5), || s.text("#conversations-table tbody").is_some_and(|t| !t.contains("Unassigned") || t.lines().all(|l| l.contains("Unassigned") || l.trim().is_empty())));
    s.eval("const f = document.getElementById('conversation-filter'); f.value = ''; f.dispatchEvent(new Event('change')); return 1;");
    s.wait_for("#conversations-table tbody tr[data-id]", Duration::from_secs(5));
    let first: String = s.eval("return document.querySelector('#conversations-table tbody tr[data-id]').dataset.id");
    s.click(&format!("#conversations-table input[data-id='{first}']"));
    s.eval(&format!("const t = document.getElementById('reassign-to'); t.value = '{owner}'; return 1;"));
    s.screenshot("conversations");
    s.click("#reassign-chosen");
    s.wait_until(Duration::from_secs(5), || {
        s.text(&format!("#conversations-table tr[data-id='{first}'] .assignee")).is_some_and(|t| t.contains("Olivia"))
    });
    drop(s);
    drop(_driver);
    let mine = cli(dir.path(), &["conversations", "list", "--inbox", "Sales", "--assignee", &owner]);
    assert!(mine["rows"].as_array().unwrap().iter().any(|r| r["id"].to_string() == first), "{mine}");
    assert_eq!(cli(dir.path(), &["check"])["ok"], true);
}

/// An Active member's name is corrected from the row menu (issue #21).
#[test]
fn a_members_name_is_corrected_from_the_row_menu() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    cli(dir.path(), &["inboxes", "create", "Sales"]);
    cli(dir.path(), &["seats", "buy", "1", "--yes"]);
    cli(dir.path(), &["members", "invite", "ana@example.com", "--inbox", "Sales"]);
    cli(dir.path(), &["members", "accept", "ana@example.com", "--name", "Anna Lopes"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email='ana@example.com']", Duration::from_secs(20));
    s.click("#members-table tbody tr[data-email='ana@example.com'] .row-menu-button");
    s.click("#row-menu button[data-action='Correct name']");
    s.wait_for("#rename-member-dialog[open]", Duration::from_secs(5));
    s.clear("#rename-member-name");
    s.type_into("#rename-member-name", "Ana López");
    s.click("#rename-member-dialog-confirm");
    s.wait_until(Duration::from_secs(5), || s.text("#members-table tbody tr[data-email='ana@example.com'] .name").as_deref() == Some("Ana López"));
    drop(s);
    drop(_driver);
    assert_eq!(cli(dir.path(), &["members", "--search", "lópez"])[0]["email"], "ana@example.com");
}
