//! A member's whole story on one page, and work on many members at once
//! (issue #21), on either store.

use super::deletion_tests::acme;
use super::*;
use crate::domain::{Role, Status};

fn s() -> Scope {
    Scope::default()
}

fn emails(list: &[&str]) -> Selection {
    Selection { emails: list.iter().map(|e| e.to_string()).collect(), matching: None }
}

fn invite(d: &mut Seatdesk, list: &[&str], role: Role) {
    let req = InviteRequest { emails: list.iter().map(|e| e.to_string()).collect(), role, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None };
    d.invite(&s(), &req).unwrap();
}

fn audit_len(d: &mut Seatdesk) -> i64 {
    d.audit_log(&s(), 0, 1).unwrap().total
}

#[test]
fn a_members_page_tells_their_whole_story() {
    let mut d = acme();
    let ana = d.member_story(&s(), "ANA@example.com").unwrap();
    assert_eq!((ana.member.email.as_str(), ana.member.status, ana.seat), ("ana@example.com", Status::Active, SeatHeld::Paid));
    assert_eq!(ana.invited_by.as_deref(), Some("olivia@acme.example.com"));
    assert_eq!((ana.conversations, ana.contacts, ana.owned_inboxes), (3, 1, 1));
    let sales = ana.inboxes.iter().find(|i| i.name == "Sales").expect("in Sales");
    assert_eq!(sales.routing, ["Call Distribution", "Conversation Assignment", "IVR", "Ring Group"]);
    assert!(ana.routing_elsewhere.is_empty());
    let actions: Vec<&str> = ana.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["member.accept", "member.invite"], "newest first, only entries about her");
    assert!(!ana.history_more);
    // Entries filed under an inbox that name her are hers too.
    d.create_inbox(&s(), &NewInbox { name: "Support".into(), number: None, quote_id: None }).unwrap();
    d.add_inbox_member(&s(), "Support", "ana@example.com").unwrap();
    d.remove_inbox_member(&s(), "Support", "ana@example.com", true).unwrap();
    d.add_inbox_member(&s(), "Support", "ben@example.com").unwrap();
    let ana = d.member_story(&s(), "ana@example.com").unwrap();
    let actions: Vec<(&str, &str)> = ana.history.iter().map(|e| (e.action.as_str(), e.target.as_str())).collect();
    assert_eq!(actions[..2], [("inbox.remove_member", "Support"), ("inbox.add_member", "Support")], "not Ben's");
    assert_eq!(actions.len(), 4);
    // Who changed her role shows on top; a Manager reads the page too.
    d.change_role(&s(), "ana@example.com", Role::Manager, SeatChoice::Keep).unwrap();
    let story = d.member_story(&s().acting_as("ana@example.com"), "ANA@example.com").unwrap();
    assert_eq!(story.history[0].action, "member.role");
    assert_eq!(story.history[0].actor_email, "olivia@acme.example.com");
    // An Observer holds no seat; a pending invite's seat is reserved; the Owner's comes with the plan.
    assert_eq!(d.member_story(&s(), "obs@example.com").unwrap().seat, SeatHeld::Free);
    assert_eq!(d.member_story(&s(), "olivia@acme.example.com").unwrap().seat, SeatHeld::Owner);
    d.buy_seats(&s(), 1, None).unwrap();
    invite(&mut d, &["new@example.com"], Role::Member);
    assert_eq!(d.member_story(&s(), "new@example.com").unwrap().seat, SeatHeld::Reserved);
    // A later member with a deleted member's address starts a story of their own.
    d.delete_member(&s(), "ben@example.com", None, SeatChoice::Keep).unwrap();
    invite(&mut d, &["ben@example.com"], Role::Member);
    let ben = d.member_story(&s(), "ben@example.com").unwrap();
    assert_eq!(ben.history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["member.invite"]);
    assert_eq!(d.member_story(&s(), "nobody@example.com").unwrap_err().code, ErrorCode::NotFound);
}

/// Entries written before a change of address are filed under the address
/// the member had then; their page follows each change back (found by
/// trying: the History emptied after `me set-email`). A later member taking
/// the old address does not inherit them, nor pass theirs on.
#[test]
fn a_members_story_follows_their_address_changes() {
    let mut d = acme();
    d.buy_seats(&s(), 1, None).unwrap();
    invite(&mut d, &["dee@example.com"], Role::Member);
    d.edit_invite(&s(), "dee@example.com", &InviteEdit { email: Some("dee2@example.com".into()), ..Default::default() }).unwrap();
    d.accept_invite(&s(), "dee2@example.com", Some("Dee")).unwrap();
    d.set_my_email(&s().acting_as("dee2@example.com"), "dee3@example.com").unwrap();
    let dee = d.member_story(&s(), "dee3@example.com").unwrap();
    let actions: Vec<&str> = dee.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["member.set_email", "member.accept", "member.edit_invite", "member.invite"], "newest first, across both changes");
    // Someone new at her first address starts a story of their own.
    d.buy_seats(&s(), 1, None).unwrap();
    invite(&mut d, &["dee@example.com"], Role::Member);
    assert_eq!(d.member_story(&s(), "dee@example.com").unwrap().history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["member.invite"]);
    assert_eq!(d.member_story(&s(), "dee3@example.com").unwrap().history.len(), 4);
}

#[test]
fn a_members_page_shows_the_newest_entries_and_says_there_are_more() {
    let mut d = acme();
    invite(&mut d, &["pat@example.com"], Role::Observer);
    for _ in 0..STORY_ENTRIES + 5 {
        d.resend_invite(&s(), "pat@example.com").unwrap();
    }
    let pat = d.member_story(&s(), "pat@example.com").unwrap();
    assert_eq!(pat.history.len() as i64, STORY_ENTRIES);
    assert!(pat.history_more);
    assert_eq!(pat.member.resend_count, STORY_ENTRIES + 5);
}

#[test]
fn a_bulk_delete_previews_exactly_then_applies_in_one_step() {
    let mut d = acme();
    let before = (audit_len(&mut d), d.seats(&s()).unwrap());
    let action = BulkAction::Delete { seat: SeatChoice::Remove, reassign_to: None };
    let preview = d.preview_bulk(&s(), &emails(&["ana@example.com", "BEN@example.com", "ana@example.com"]), &action, None).unwrap();
    assert!(!preview.applied);
    assert_eq!(preview.members, ["ana@example.com", "ben@example.com"], "each once, as chosen");
    // The Owner is not in Sales: Ana's conversations there go where its
    // Conversation Assignment sends them; her contact and inbox to the Owner.
    assert_eq!((preview.changed, preview.conversations, preview.contacts, preview.inboxes), (2, 0, 1, 1));
    // Ana's went to Ben, who leaves too: they end unassigned, said once.
    assert!(preview.notes.iter().any(|n| n.starts_with("3 conversations of Sales: unassigned")), "{:?}", preview.notes);
    assert!(!preview.notes.iter().any(|n| n.contains("to ben@")), "a leaver is nobody's destination: {:?}", preview.notes);
    assert_eq!(preview.seats.purchased, before.1.purchased - 2, "two seats removed");
    assert_eq!((audit_len(&mut d), d.seats(&s()).unwrap()), before, "a preview keeps nothing");
    assert_eq!(d.member(&s(), "ana@example.com").unwrap().status, Status::Active);
    let done = d.bulk(&s(), &emails(&["ana@example.com", "ben@example.com"]), &action, None).unwrap();
    assert!(done.applied);
    assert_eq!((done.changed, done.contacts, done.notes.clone(), done.seats.clone()), (2, 1, preview.notes, preview.seats));
    assert_eq!(d.member(&s(), "ben@example.com").unwrap_err().code, ErrorCode::NotFound);
    let newest: Vec<String> = d.audit_log(&s(), 0, 2).unwrap().rows.into_iter().map(|e| format!("{} {}", e.action, e.target)).collect();
    assert_eq!(newest, ["member.delete ben@example.com", "member.delete ana@example.com"], "each audited as a deletion of one");
    assert!(d.check(None).unwrap().is_empty());
}

#[test]
fn a_bulk_action_is_all_or_nothing_and_names_the_member_it_stopped_at() {
    let mut d = acme();
    d.buy_seats(&s(), 2, None).unwrap();
    invite(&mut d, &["p1@example.com", "p2@example.com"], Role::Member);
    let before = audit_len(&mut d);
    // One accepted member among pending invites: the revoke refuses them all.
    let err = d.bulk(&s(), &emails(&["p1@example.com", "ana@example.com", "p2@example.com"]), &BulkAction::Revoke, None).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotPending);
    assert!(err.message.starts_with("ana@example.com: "), "{}", err.message);
    assert_eq!(err.details.as_ref().unwrap()["member"], "ana@example.com");
    assert_eq!(audit_len(&mut d), before);
    assert_eq!(d.member(&s(), "p1@example.com").unwrap().status, Status::Pending, "p1 was not revoked either");
    // The Owner, the acting member, an unknown address, the heir among the leavers.
    let delete = BulkAction::Delete { seat: SeatChoice::Keep, reassign_to: Some("ben@example.com".into()) };
    assert_eq!(d.bulk(&s(), &emails(&["ana@example.com", "olivia@acme.example.com"]), &delete, None).unwrap_err().code, ErrorCode::OwnerProtected);
    assert_eq!(d.bulk(&s(), &emails(&["ana@example.com", "ben@example.com"]), &delete, None).unwrap_err().code, ErrorCode::InvalidReassignTarget);
    assert_eq!(d.bulk(&s(), &emails(&["ana@example.com", "zed@example.com"]), &delete, None).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.bulk(&s(), &emails(&[]), &delete, None).unwrap_err().code, ErrorCode::InvalidQuantity);
    // A Manager may not; nothing changed by any of it.
    d.change_role(&s(), "ben@example.com", Role::Manager, SeatChoice::Keep).unwrap();
    let before = audit_len(&mut d);
    let manager = s().acting_as("ben@example.com");
    assert_eq!(d.preview_bulk(&manager, &emails(&["p1@example.com"]), &BulkAction::Resend, None).unwrap_err().code, ErrorCode::NotPermitted);
    assert_eq!(audit_len(&mut d), before);
    assert_eq!(d.member(&s(), "ana@example.com").unwrap().status, Status::Active);
    // The two invites resent and then revoked in one step each.
    assert_eq!(d.bulk(&s(), &emails(&["p1@example.com", "p2@example.com"]), &BulkAction::Resend, None).unwrap().changed, 2);
    assert_eq!(d.member(&s(), "p2@example.com").unwrap().resend_count, 1);
    let seats = d.seats(&s()).unwrap();
    let revoked = d.bulk(&s(), &emails(&["p1@example.com", "p2@example.com"]), &BulkAction::Revoke, None).unwrap();
    assert_eq!((revoked.seats.assigned, revoked.seats.unassigned), (seats.assigned - 2, seats.unassigned + 2));
    assert!(d.check(None).unwrap().is_empty());
}

#[test]
fn a_bulk_role_change_quotes_the_seats_it_lacks_and_buys_them_when_asked() {
    let mut d = acme();
    d.invite(&s(), &InviteRequest { emails: vec!["o2@example.com".into(), "o3@example.com".into()], role: Role::Observer, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None }).unwrap();
    let free = d.seats(&s()).unwrap().unassigned;
    let observers = Selection { emails: vec![], matching: Some(MemberQuery { role: Some(Role::Observer), ..Default::default() }) };
    let to_member = BulkAction::ChangeRole { role: Role::Member, seat: SeatChoice::Keep, reassign_to: None };
    let refused = d.preview_bulk(&s(), &observers, &to_member, None).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NoFreeSeats);
    let details = refused.details.unwrap();
    assert_eq!((details["needed"].as_i64(), details["free"].as_i64()), (Some(3), Some(free)));
    let quote_id = details["quote"]["quote_id"].as_str().unwrap().to_string();
    let done = d.bulk(&s(), &observers, &to_member, Some(&quote_id)).unwrap();
    assert_eq!(done.members.len(), 3);
    assert_eq!(done.purchase.as_ref().unwrap().quote.quantity, 3 - free);
    assert_eq!(done.seats.unassigned, 0);
    assert!(d.all_members(&s(), &MemberQuery { role: Some(Role::Observer), ..Default::default() }).unwrap().is_empty());
    // Back to Observer: their work goes to the Owner, the freed seats stay.
    let back = BulkAction::ChangeRole { role: Role::Observer, seat: SeatChoice::Keep, reassign_to: None };
    let r = d.bulk(&s(), &emails(&["ana@example.com", "obs@example.com"]), &back, None).unwrap();
    assert_eq!((r.changed, r.contacts, r.seats.unassigned), (2, 1, 2));
    assert!(r.notes.iter().any(|n| n.starts_with("3 conversations of Sales: ")), "{:?}", r.notes);
    assert!(d.check(None).unwrap().is_empty());
}

#[test]
fn a_bulk_add_to_an_inbox_takes_everyone_matching_and_leaves_those_in_it() {
    let mut d = acme();
    d.create_inbox(&s(), &NewInbox { name: "Support".into(), number: None, quote_id: None }).unwrap();
    d.add_inbox_member(&s(), "Support", "ben@example.com").unwrap();
    let active = Selection { emails: vec![], matching: Some(MemberQuery { status: Some(Status::Active), search: Some("example.com".into()), ..Default::default() }) };
    let add = BulkAction::AddToInbox { inbox: "Support".into() };
    let r = d.bulk(&s(), &active, &add, None).unwrap();
    assert_eq!(r.members.len(), 4, "Ana, Ben, Obs and the Owner match");
    assert_eq!(r.changed, 3, "Ben was in it already");
    for e in ["ana@example.com", "obs@example.com", "olivia@acme.example.com"] {
        assert!(d.member(&s(), e).unwrap().inboxes.contains(&"Support".to_string()), "{e}");
    }
    assert_eq!(d.bulk(&s(), &active, &BulkAction::AddToInbox { inbox: "Nowhere".into() }, None).unwrap_err().code, ErrorCode::NotFound);
    // A Manager adds to inboxes (as one at a time) but changes no roles.
    d.change_role(&s(), "ben@example.com", Role::Manager, SeatChoice::Keep).unwrap();
    d.create_inbox(&s(), &NewInbox { name: "Night shift".into(), number: None, quote_id: None }).unwrap();
    let manager = s().acting_as("ben@example.com");
    assert_eq!(d.bulk(&manager, &emails(&["ana@example.com"]), &BulkAction::AddToInbox { inbox: "Night shift".into() }, None).unwrap().changed, 1);
    let to_admin = BulkAction::ChangeRole { role: Role::Admin, seat: SeatChoice::Keep, reassign_to: None };
    assert_eq!(d.bulk(&manager, &emails(&["ana@example.com"]), &to_admin, None).unwrap_err().code, ErrorCode::NotPermitted);
    assert!(d.check(None).unwrap().is_empty());
}

#[test]
fn round_robin_places_follow_a_corrected_name_and_check_finds_a_stale_one() {
    let mut d = acme();
    // Ben becomes "Aaron Ben": his turn now comes before Ana's.
    d.rename_member(&s(), "ben@example.com", "Aaron Ben").unwrap();
    let next = d.inbox_detail(&s(), "Sales").unwrap().conversation_assignment.next;
    assert_eq!(next[..2], ["ben@example.com".to_string(), "ana@example.com".into()][..], "the preview reads the names as they are");
    let turns: Vec<Option<String>> = (0..2).map(|_| d.add_conversation(&s(), "Sales", "+15550001111", None).unwrap()).collect();
    assert_eq!(turns, [Some("ben@example.com".to_string()), Some("ana@example.com".into())], "the turns taken agree with it");
    assert!(d.check(None).unwrap().is_empty());
    d.sql("UPDATE assignment_member SET place = 'zzz'");
    let found = d.check(None).unwrap();
    assert!(found.iter().any(|v| v.rule == "routing" && v.message.contains("round robin of Sales keeps ana@example.com")), "{found:?}");
}
