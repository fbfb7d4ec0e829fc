//! The owner's workflows of issue #21 from the command line: inboxes and
//! numbers that end, conversations, invites that age, a member's page, and
//! work on many members at once.

use std::path::Path;
use std::process::Command;

mod common;
use common::{create_acme, ok, refused, seatdesk};

/// Acme with Sales and four seats: Ana and Ben accepted, Pia and Pat pending.
fn acme_with_team(p: &Path) {
    create_acme(p);
    ok(p, &["inboxes", "create", "Sales"]);
    ok(p, &["seats", "buy", "4", "--yes"]);
    ok(p, &["members", "invite", "ana@example.com", "ben@example.com", "pia@example.com", "pat@example.com", "--inbox", "Sales"]);
    ok(p, &["members", "accept", "ana@example.com", "--name", "Ana"]);
    ok(p, &["members", "accept", "ben@example.com", "--name", "Ben"]);
}

fn text(p: &Path, args: &[&str]) -> String {
    let out = seatdesk(p, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_members_page_from_the_cli_tells_their_story() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    acme_with_team(p);
    ok(p, &["members", "role", "ana@example.com", "manager"]);
    let show = ok(p, &["members", "show", "ANA@example.com"]);
    assert_eq!((show["email"].as_str(), show["seat"].as_str(), show["invited_by"].as_str()), (Some("ana@example.com"), Some("paid"), Some("olivia@acme.example.com")));
    let history: Vec<&str> = show["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(history, ["member.role", "member.accept", "member.invite"]);
    assert_eq!(show["inbox_routing"][0]["name"], "Sales");
    assert_eq!(show["inbox_routing"][0]["routing"], serde_json::json!(["Conversation Assignment", "Ring Group"]));
    assert_eq!(show["routing"], serde_json::json!(["Sales: Conversation Assignment", "Sales: Ring Group"]));
    let page = text(p, &["members", "show", "pia@example.com"]);
    assert!(page.contains("Seat:    a paid seat, reserved until they accept"), "{page}");
    assert!(page.contains("Invited: 2026-11-16 by olivia@acme.example.com"), "{page}");
    assert!(page.contains("member.invite by olivia@acme.example.com"), "{page}");
}

#[test]
fn several_members_are_changed_in_one_step_after_a_look_first() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    acme_with_team(p);
    // Several addresses without --yes: what would change, nothing changed.
    let look = text(p, &["members", "revoke", "pia@example.com", "pat@example.com"]);
    assert!(look.starts_with("Would revoke the invites of 2 members (nothing is changed yet; add --yes to apply):"), "{look}");
    assert_eq!(ok(p, &["members", "--status", "pending"]).as_array().unwrap().len(), 2);
    // All or nothing: an accepted member among them refuses the lot.
    assert_eq!(refused(p, &["members", "revoke", "pia@example.com", "ana@example.com", "--yes"]), "not_pending");
    assert_eq!(ok(p, &["members", "--status", "pending"]).as_array().unwrap().len(), 2);
    // Every pending invite matching the list's filters, resent then revoked.
    let resent = ok(p, &["members", "--status", "pending", "resend", "--all-matching", "--yes"]);
    assert_eq!((resent["applied"].as_bool(), resent["changed"].as_i64()), (Some(true), Some(2)));
    assert_eq!(ok(p, &["members", "show", "pat@example.com"])["resend_count"], 1);
    let revoked = ok(p, &["members", "--status", "pending", "revoke", "--all-matching", "--yes"]);
    assert_eq!(revoked["members"], serde_json::json!(["pat@example.com", "pia@example.com"]));
    assert_eq!((revoked["seats"]["assigned"].as_i64(), revoked["seats_before"]["assigned"].as_i64()), (Some(2), Some(4)));
    // Roles: the members, then the role; one inbox for both; then both deleted.
    ok(p, &["inboxes", "create", "Support"]);
    let role = ok(p, &["members", "role", "ana@example.com", "ben@example.com", "observer", "--yes"]);
    assert_eq!(role["changed"], 2);
    // A pending invite among them joins the inbox its invite names: edit it instead.
    ok(p, &["members", "invite", "obs.pending@example.com", "--role", "observer", "--inbox", "Sales"]);
    assert_eq!(refused(p, &["members", "--role", "observer", "add-to-inbox", "Support", "--all-matching", "--yes"]), "edit_invite_instead");
    let added = ok(p, &["members", "--role", "observer", "--status", "active", "add-to-inbox", "Support", "--all-matching", "--yes"]);
    assert_eq!(added["changed"], 2);
    let again = text(p, &["members", "--role", "observer", "--status", "active", "add-to-inbox", "Support", "--all-matching"]);
    assert!(again.starts_with("Would add 0 members to Support") && again.contains("2 members of those listed are that way already"), "{again}");
    assert!(ok(p, &["members", "show", "ben@example.com"])["inboxes"].as_array().unwrap().iter().any(|i| i == "Support"));
    let gone = ok(p, &["members", "delete", "ana@example.com", "ben@example.com", "--remove-seat", "--yes"]);
    assert_eq!((gone["changed"].as_i64(), gone["seats"]["purchased"].as_i64()), (Some(2), Some(4)), "Observers held no seats to remove");
    assert_eq!(refused(p, &["members", "show", "ana@example.com"]), "not_found");
    // One address is the one-member command, applied at once as before.
    ok(p, &["members", "invite", "solo@example.com", "--inbox", "Sales"]);
    assert_eq!(ok(p, &["members", "revoke", "solo@example.com"])["revoked"], "solo@example.com");
    let out = seatdesk(p, &["--json", "members", "role", "observer"]);
    assert_eq!(out.status.code(), Some(2), "no member named: a usage error, as for the other verbs");
    assert_eq!(common::json(&out)["error"]["code"], "invalid_argument");
    assert_eq!(refused(p, &["members", "role", "x@example.com", "boss"]), "invalid_role");
    assert!(text(p, &["check"]).contains("All invariants hold"));
}

#[test]
fn a_bulk_role_change_short_of_seats_is_quoted_and_bought_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create_acme(p);
    ok(p, &["inboxes", "create", "Sales"]);
    ok(p, &["members", "invite", "o1@example.com", "o2@example.com", "--role", "observer", "--inbox", "Sales"]);
    let out = seatdesk(p, &["--json", "members", "role", "o1@example.com", "o2@example.com", "member"]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::json(&out)["error"].clone();
    assert_eq!((err["code"].as_str(), err["details"]["shortfall"].as_i64()), (Some("no_free_seats"), Some(2)));
    let quote = err["details"]["quote"]["quote_id"].as_str().unwrap().to_string();
    // Without --yes, the purchase is part of what is shown; nothing is bought.
    let look = ok(p, &["members", "role", "o1@example.com", "o2@example.com", "member", "--buy-shortfall", &quote]);
    assert_eq!((look["applied"].as_bool(), look["purchase"]["quote"]["quantity"].as_i64()), (Some(false), Some(2)));
    assert_eq!(ok(p, &["seats"])["purchased"], 0);
    let done = ok(p, &["members", "role", "o1@example.com", "o2@example.com", "member", "--yes", "--buy-shortfall", &quote]);
    assert_eq!((done["purchase"]["quote"]["quantity"].as_i64(), done["seats"]["unassigned"].as_i64()), (Some(2), Some(0)));
}

/// Inboxes and numbers have an end (issue #21): rename, release a number,
/// and delete an inbox once its conversations and number have a home.
#[test]
fn inboxes_are_renamed_their_numbers_released_and_they_are_deleted_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["demo", "--members", "20", "--conversations", "80"]);
    let renamed = ok(d.path(), &["inboxes", "rename", "Billing", "Accounts"]);
    assert_eq!(renamed["name"], "Accounts");
    assert_eq!(refused(d.path(), &["inboxes", "rename", "Accounts", "sales"]), "duplicate_inbox");
    let before = ok(d.path(), &["seats"])["renewal_total_cents"].as_i64().unwrap();
    let after = ok(d.path(), &["inboxes", "release-number", "Accounts", "--yes"]);
    assert_eq!(after["renewal_total_cents"].as_i64().unwrap(), before - 500, "a billed number stops renewing");
    assert_eq!(refused(d.path(), &["inboxes", "release-number", "Accounts", "--yes"]), "inbox_has_no_number");
    // Replacing: the quote without --yes, then at that quote.
    let quote = ok(d.path(), &["inboxes", "replace-number", "Sales", "+15550100077"]);
    assert!(quote["due_now_cents"].is_number(), "{quote}");
    ok(d.path(), &["inboxes", "replace-number", "Sales", "+15550100077", "--yes", "--quote", quote["quote_id"].as_str().unwrap()]);
    assert_eq!(ok(d.path(), &["inboxes", "show", "Sales"])["number"], "+15550100077");
    let line = &ok(d.path(), &["ledger", "--kind", "number-release"])[0];
    assert_eq!((line["amount_cents"].as_i64(), line["quantity"].as_i64()), (Some(0), Some(1)));
    // Deleting: the preview without --yes, then each missing choice refused.
    let preview = ok(d.path(), &["inboxes", "delete", "Support"]);
    assert!(preview["conversations"].as_i64().unwrap() > 0 && preview["number"].is_string(), "{preview}");
    assert_eq!(refused(d.path(), &["inboxes", "delete", "Support", "--yes"]), "inbox_not_empty");
    assert_eq!(refused(d.path(), &["inboxes", "delete", "Support", "--yes", "--move-conversations-to", "Sales"]), "inbox_not_empty");
    assert_eq!(
        refused(d.path(), &["inboxes", "delete", "Support", "--yes", "--move-conversations-to", "Support", "--release-number"]),
        "invalid_move_target"
    );
    assert_eq!(ok(d.path(), &["inboxes", "show", "Support"])["name"], "Support", "every refusal left it whole");
    let done = ok(d.path(), &["inboxes", "delete", "Support", "--yes", "--move-conversations-to", "Sales", "--move-number-to", "Accounts"]);
    assert_eq!((done["conversations_to"].as_str(), done["number_moved_to"].as_str()), (Some("Sales"), Some("Accounts")));
    assert!(ok(d.path(), &["inboxes", "show", "Accounts"])["number"].is_string());
    assert_eq!(refused(d.path(), &["inboxes", "show", "Support"]), "not_found");
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
    let audit = ok(d.path(), &["audit", "--limit", "1"]);
    assert_eq!(audit[0]["action"], "inbox.delete", "{audit}");
}

/// Invites that age (issue #21): listed by how long since last sent, and
/// resent together; Seatdesk sends no email, and says so.
#[test]
fn invites_that_have_waited_are_listed_and_resent_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "O"]);
    ok(d.path(), &["inboxes", "create", "Sales"]);
    ok(d.path(), &["seats", "buy", "2", "--yes"]);
    ok(d.path(), &["members", "invite", "old@example.com", "new@example.com", "--inbox", "Sales"]);
    let at = (chrono::Utc::now() - chrono::Duration::days(31)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let conn = rusqlite::Connection::open(d.path().join("seatdesk.db")).unwrap();
    conn.execute("UPDATE member SET last_sent_at = ?1 WHERE email = 'old@example.com'", [&at]).unwrap();
    drop(conn);
    let waiting = ok(d.path(), &["members", "--pending-over", "30"]);
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(waiting[0]["email"], "old@example.com");
    assert_eq!(refused(d.path(), &["members", "--pending-over=-3"]), "invalid_quantity");
    let resent = ok(d.path(), &["members", "resend-stale", "--days", "30", "--yes"]);
    assert_eq!(resent, serde_json::json!(["old@example.com"]));
    // Both were sent today now: nothing has waited a day.
    let text = Command::new(env!("CARGO_BIN_EXE_seatdesk")).arg("--data-dir").arg(d.path()).args(["members", "resend-stale", "--days", "1", "--yes"]).output().unwrap();
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(said.contains("No invite has waited more than 1 day since"), "{said}");
    assert!(ok(d.path(), &["members", "--pending-over", "30"]).as_array().unwrap().is_empty());
    // A name is corrected once the invite is accepted, not before.
    assert_eq!(refused(d.path(), &["members", "rename", "new@example.com", "New Person"]), "edit_invite_instead");
    ok(d.path(), &["members", "accept", "new@example.com", "--name", "Nwe Person"]);
    assert_eq!(ok(d.path(), &["members", "rename", "new@example.com", "New Person"])["name"], "New Person");
}

/// An inbox's conversations (issue #21): listed for its members, filtered
/// by assignee, reassigned all or nothing.
#[test]
fn conversations_are_listed_and_reassigned_from_the_cli() {
    let d = tempfile::tempdir().unwrap();
    ok(d.path(), &["demo", "--members", "20", "--conversations", "80"]);
    let owner = ok(d.path(), &["members", "--role", "owner"])[0]["email"].as_str().unwrap().to_string();
    let in_sales = ok(d.path(), &["inboxes", "show", "Sales"])["members"].as_array().unwrap().iter().any(|m| m == &serde_json::json!(owner));
    if !in_sales {
        assert_eq!(refused(d.path(), &["conversations", "list", "--inbox", "Sales"]), "not_inbox_member");
        ok(d.path(), &["inboxes", "add-me", "Sales"]);
    }
    let page = ok(d.path(), &["conversations", "list", "--inbox", "Sales", "--limit", "5"]);
    assert_eq!(page["rows"].as_array().unwrap().len(), 5);
    let ids: Vec<String> = page["rows"].as_array().unwrap().iter().take(2).map(|r| r["id"].to_string()).collect();
    let mut args = vec!["conversations", "reassign", "--inbox", "Sales", "--to", &owner];
    args.extend(ids.iter().map(String::as_str));
    assert_eq!(ok(d.path(), &args)["reassigned"], 2);
    let mine = ok(d.path(), &["conversations", "list", "--inbox", "Sales", "--assignee", &owner]);
    assert!(ids.iter().all(|id| mine["rows"].as_array().unwrap().iter().any(|r| r["id"].to_string() == *id)), "{mine}");
    assert_eq!(refused(d.path(), &["conversations", "reassign", "--inbox", "Sales", "--unassign", "999999"]), "not_found");
    assert_eq!(ok(d.path(), &["check"])["ok"], true);
}
