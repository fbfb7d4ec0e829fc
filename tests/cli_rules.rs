//! The rules as the command line exercises them: nobody changes
//! themselves, pending invites and Observers, round robin and the routing
//! settings, lookalike addresses and names, what deletions say, the log.
//! (`tests/cli.rs` checks the shapes and exit statuses.)

use std::fs;
use std::path::Path;


mod common;
use common::{create_acme, json, ok, refused, seatdesk};

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
