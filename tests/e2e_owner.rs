//! The owner's workflows of issue #21 through the real window: invites that
//! have waited (the Pending tab's age filter, "last sent N days ago", and a
//! resend of them all in one step). Gated by `e2e` like `tests/e2e.rs`.
#![cfg(feature = "e2e")]

mod e2e_common;
mod webdriver;

use std::time::Duration;

use e2e_common::{cli, launch, launch_confirming, WINDOW};

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

/// A member's page (issue #21): their inboxes with the routing they are in
/// and the entries about them; Add to inbox and Remove from inbox (with the
/// removal guard) from it. Then rows picked by checkbox, "select all
/// matching" and Space, and bulk actions previewed before they apply.
#[test]
fn a_members_page_and_work_on_many_members_at_once() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    cli(p, &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    cli(p, &["inboxes", "create", "Sales"]);
    cli(p, &["inboxes", "create", "Support"]);
    cli(p, &["seats", "buy", "3", "--yes"]);
    cli(p, &["members", "invite", "ana@example.com", "ben@example.com", "cy@example.com", "--inbox", "Sales"]);
    for (email, name) in [("ana@example.com", "Ana"), ("ben@example.com", "Ben"), ("cy@example.com", "Cy")] {
        cli(p, &["members", "accept", email, "--name", name]);
    }
    let (_driver, s) = launch(p);
    s.wait_for("#members-table tbody tr[data-email='ana@example.com']", Duration::from_secs(20));

    // Her page, from her name.
    s.click("#members-table tr[data-email='ana@example.com'] button.member-link");
    s.wait_until(Duration::from_secs(5), || s.text("#member-title").as_deref() == Some("Ana"));
    let sales = s.wait_text("#member-inboxes tr[data-inbox='Sales']", Duration::from_secs(5));
    assert!(sales.contains("Conversation Assignment, Ring Group"), "{sales}");
    assert!(s.text("#member-invited").unwrap().contains("by o@acme.example.com"));
    assert_eq!(s.count("#member-history tr[data-action='member.invite']"), 1);
    assert_eq!(s.count("#member-history tr[data-action='member.accept']"), 1);
    s.screenshot("member-page");
    s.click("#member-actions button[data-action='Add to inbox']");
    s.select("#add-to-inbox-name", "Support");
    s.click("#add-to-inbox-confirm");
    s.wait_for("#member-inboxes tr[data-inbox='Support']", Duration::from_secs(5));
    // Out again: she is in its routing, so the guard says so first.
    s.click("#member-inboxes tr[data-inbox='Support'] .remove-from-inbox");
    s.wait_for("#still-assigned-dialog[open]", Duration::from_secs(5));
    s.click("#remove-everywhere");
    s.wait_until(Duration::from_secs(5), || s.count("#member-inboxes tr[data-inbox='Support']") == 0);
    // Joining and leaving Support are in her history too.
    s.wait_until(Duration::from_secs(5), || s.count("#member-history tr[data-action='inbox.remove_member']") == 1);
    assert_eq!(s.count("#member-history tr[data-action='inbox.add_member']"), 1);
    s.click("#back-to-members");
    s.wait_until(Duration::from_secs(5), || s.text("#members-count").is_some_and(|t| t.contains("members")));

    // Two picked by their checkboxes: both become Observers in one step.
    pick(&s, "ana@example.com");
    pick(&s, "ben@example.com");
    s.wait_until(Duration::from_secs(5), || s.text("#bulk-count").as_deref() == Some("2 selected"));
    s.click("#bulk-change_role");
    s.wait_for("#bulk-dialog[open]", Duration::from_secs(5));
    s.select("#bulk-role", "observer");
    s.wait_until(Duration::from_secs(5), || s.text("#bulk-seats").is_some_and(|t| t.contains("3 of 3 used → 1 of 3")));
    s.screenshot("bulk-role");
    s.click("#bulk-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
    let observers = cli(p, &["members", "--role", "observer"]);
    assert_eq!(observers.as_array().unwrap().len(), 2, "{observers}");

    // Every member matching, across pages: all four into Support.
    s.wait_for("#members-table tbody tr[data-email='cy@example.com']", Duration::from_secs(5));
    s.click("#pick-all");
    s.wait_until(Duration::from_secs(5), || s.text("#bulk-count").as_deref() == Some("All 4 matching selected"));
    s.click("#bulk-add_to_inbox");
    s.select("#bulk-inbox", "Support");
    // Support's preview (an earlier one, of the first inbox, is dropped): nobody is in it yet.
    s.wait_until(Duration::from_secs(5), || s.text("#bulk-who").is_some_and(|t| t.starts_with("4 members")) && s.count("#bulk-same") == 0);
    s.click("#bulk-confirm");
    s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
    for m in cli(p, &["members"]).as_array().unwrap() {
        assert!(m["inboxes"].as_array().unwrap().iter().any(|i| i == "Support"), "{m}");
    }

    // The keyboard: Space picks the row it is on, Escape lets go.
    s.wait_for("#members-table tbody tr[data-email='cy@example.com']", Duration::from_secs(5));
    s.eval("document.getElementById('members-scroll').focus(); return ''");
    s.keys("\u{E015} ");
    s.wait_until(Duration::from_secs(5), || s.text("#bulk-count").as_deref() == Some("1 selected"));
    s.keys("\u{E00C}");
    s.wait_until(Duration::from_secs(5), || s.attr("#bulk-bar", "hidden").is_some());
    drop(s);
    drop(_driver);
    assert_eq!(cli(p, &["check"])["ok"], true);
}

/// Picks a row by its checkbox and waits until the table shows it picked. A
/// click that lands while the table is redrawn (a refresh after the page it
/// came back from) is made again, once it is clear it did not take.
fn pick(s: &webdriver::Session, email: &str) {
    let row = format!("#members-table tr[data-email='{email}']");
    let picked = || s.attr(&row, "class").is_some_and(|c| c.split(' ').any(|c| c == "picked"));
    for _ in 0..3 {
        if !picked() {
            s.click(&format!("{row} input.pick"));
        }
        let until = std::time::Instant::now() + Duration::from_secs(2);
        while std::time::Instant::now() < until {
            if picked() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("{email} could not be picked");
}

/// Buttons that are visible and disabled, without a reason (pagination aside).
const UNEXPLAINED: &str = "return JSON.stringify([...document.querySelectorAll('button:disabled')]
    .filter(b => b.offsetParent !== null && !b.title && !['Previous', 'Next', 'Newer', 'Older'].includes(b.textContent.trim()))
    .map(b => b.id || b.textContent.trim()))";

/// rules §2 in the window: every button a Manager may not use
/// is disabled and says why, on every page and menu; none fails on click.
#[test]
fn every_button_a_role_may_not_use_is_disabled_with_the_reason() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    cli(p, &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"]);
    cli(p, &["inboxes", "create", "Sales"]);
    cli(p, &["seats", "buy", "3", "--yes"]);
    cli(p, &["members", "invite", "mia@example.com", "--role", "manager", "--inbox", "Sales"]);
    cli(p, &["members", "accept", "mia@example.com", "--name", "Mia Manager"]);
    cli(p, &["members", "invite", "pam@example.com", "ana@example.com", "--inbox", "Sales"]);
    cli(p, &["members", "accept", "ana@example.com", "--name", "Ana"]);
    let (_driver, s, _answer) = launch_confirming(p, "yes");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    // The window acts as an Owner, Admin or Manager (a Member acts in the CLI).
    for (email, role) in [("mia@example.com", "Manager")] {
        s.click("#acting-as");
        s.click(&format!("#acting-list button[data-email='{email}']"));
        s.wait_until(Duration::from_secs(5), || s.text("#acting-as").is_some_and(|t| t.contains(&format!("({role})"))));
        let unexplained = |what: &str| {
            let found = s.eval(UNEXPLAINED);
            assert_eq!(found, "[]", "{role}, {what}: disabled without a reason");
        };
        s.wait_for("#members-table tbody tr[data-email='ana@example.com']", Duration::from_secs(5));
        assert!(s.attr("#manage-seats", "disabled").is_some() && s.attr("#invite", "disabled").is_some());
        s.click("#members-table tr[data-email='ana@example.com'] input.pick");
        s.wait_for("#bulk-delete", Duration::from_secs(5));
        assert!(s.attr("#bulk-delete", "disabled").is_some(), "{role}");
        unexplained("members with a row picked");
        s.click("#members-table tr[data-email='ana@example.com'] .row-menu-button");
        s.wait_for("#row-menu", Duration::from_secs(5));
        assert!(s.attr("#row-menu button[data-action='Delete Member']", "disabled").is_some());
        unexplained("row menu");
        s.keys("\u{E00C}");
        s.click("#tab-pending");
        s.wait_for("#members-table tbody tr[data-email='pam@example.com']", Duration::from_secs(5));
        s.click("#members-table tr[data-email='pam@example.com'] button.member-link");
        s.wait_for("#member-actions", Duration::from_secs(5));
        assert!(s.attr("#member-actions button[data-action='Revoke invite']", "disabled").is_some());
        unexplained("a pending member's page");
        s.click("#nav-inboxes");
        s.wait_for("button.inbox-link[data-inbox='Sales']", Duration::from_secs(5));
        unexplained("inboxes");
        s.click("button.inbox-link[data-inbox='Sales']");
        s.wait_for("#card-ivr", Duration::from_secs(5));
        unexplained("an inbox's page");
        s.click("#nav-billing");
        s.wait_for("#edit-plan", Duration::from_secs(5));
        assert!(s.attr("#edit-plan", "disabled").is_some());
        unexplained("plan and billing");
        s.click("#nav-audit");
        s.wait_for("#audit-table tbody tr", Duration::from_secs(5));
        unexplained("the audit log");
        s.click("#nav-members");
        s.wait_for("#members-table", Duration::from_secs(5));
    }
}
