//! Renaming an inbox, releasing its number and deleting it (issue #21), on
//! either store (`SEATDESK_TEST_STORE=postgres`).

use super::*;
use crate::domain::billing::LedgerKind;
use crate::service::ConversationQuery;

fn s() -> Scope {
    Scope::default()
}

/// The demo account: Sales, Support and Billing, each with a number
/// (Sales's the included one), members and conversations in each.
fn demo() -> Seatdesk {
    let mut d = Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    d.demo(&DemoOptions { members: Some(24), conversations: Some(90), seed: Some(3), ..Default::default() }, |_, _| {}).unwrap();
    d
}

fn code<T: std::fmt::Debug>(r: Result<T>) -> ErrorCode {
    r.unwrap_err().code
}

fn as_role(d: &mut Seatdesk, role: crate::domain::Role) -> Scope {
    let email = d.all_members(&s(), &MemberQuery::default()).unwrap().into_iter().find(|m| m.role == role && m.status == crate::domain::Status::Active).unwrap().email;
    Scope { acting_as: Some(email), ..Default::default() }
}

fn clean(d: &mut Seatdesk) {
    let v = d.check(None).unwrap();
    assert!(v.is_empty(), "{v:?}");
    assert!(d.verify_audit(&s(), None).unwrap().ok);
}

#[test]
fn an_inbox_is_renamed_and_a_taken_name_is_refused() {
    let mut d = demo();
    let renamed = d.rename_inbox(&s(), "sales", "Sales East").unwrap();
    assert_eq!((renamed.name.as_str(), renamed.number.as_deref()), ("Sales East", Some("+15550100001")));
    assert_eq!(d.audit_log(&s(), 0, 1).unwrap().rows[0].action, "inbox.rename");
    assert_eq!(d.inbox_detail(&s(), "Sales East").unwrap().number.as_deref(), Some("+15550100001"));
    assert_eq!(code(d.inbox_detail(&s(), "Sales")), ErrorCode::NotFound);
    // A change of case only is a rename; another inbox's name in any case is not.
    assert_eq!(d.rename_inbox(&s(), "Sales East", "SALES EAST").unwrap().name, "SALES EAST");
    assert_eq!(code(d.rename_inbox(&s(), "SALES EAST", "support")), ErrorCode::DuplicateInbox);
    assert_eq!(code(d.rename_inbox(&s(), "SALES EAST", "A; B")), ErrorCode::InvalidName);
    assert_eq!(code(d.rename_inbox(&s(), "SALES EAST", "  ")), ErrorCode::InvalidName);
    let member = as_role(&mut d, crate::domain::Role::Member);
    assert_eq!(code(d.rename_inbox(&member, "SALES EAST", "Mine")), ErrorCode::NotPermitted);
    let manager = as_role(&mut d, crate::domain::Role::Manager);
    d.rename_inbox(&manager, "SALES EAST", "Sales").unwrap();
    clean(&mut d);
}

#[test]
fn a_released_number_books_no_refund_and_stops_its_renewal() {
    let mut d = demo();
    let before = d.seats(&s()).unwrap();
    let quote = d.quote_number(&s(), "Support", "+15550100009");
    assert_eq!(quote.unwrap_err().code, ErrorCode::InboxHasNumber);
    let after = d.release_number(&s(), "Support").unwrap();
    // Support's number was billed: the renewal total drops by one number.
    let price = d.show_account(&s()).unwrap().number_price_cents;
    assert_eq!(after.renewal_total_cents, before.renewal_total_cents - price);
    let line = &d.ledger(&s(), &LedgerQuery::default()).unwrap().rows[0];
    assert_eq!((line.kind, line.quantity, line.unit_cents, line.amount_cents), (LedgerKind::NumberRelease, 1, price, 0));
    assert!(line.note.contains("+15550100002") && line.note.contains("no refund"), "{}", line.note);
    let support = d.inbox_detail(&s(), "Support").unwrap();
    assert_eq!(support.number, None);
    assert!(!support.ring_group.members.is_empty(), "its routing stays, awaiting a number");
    assert_eq!(code(d.release_number(&s(), "Support")), ErrorCode::InboxHasNoNumber);
    let manager = as_role(&mut d, crate::domain::Role::Manager);
    assert_eq!(code(d.release_number(&manager, "Billing")), ErrorCode::NotPermitted);
    // Releasing down to the last number: the last one is the plan's
    // included number, so its line takes nothing off (unit 0).
    d.release_number(&s(), "Billing").unwrap();
    let before_last = d.seats(&s()).unwrap().renewal_total_cents;
    let last = d.release_number(&s(), "Sales").unwrap();
    assert_eq!(last.renewal_total_cents, before_last);
    let line = &d.ledger(&s(), &LedgerQuery::default()).unwrap().rows[0];
    assert_eq!((line.kind, line.unit_cents, line.amount_cents), (LedgerKind::NumberRelease, 0, 0));
    // The number is free again, for this inbox or another.
    let quote = d.quote_number(&s(), "Support", "+15550100002").unwrap();
    d.buy_number(&s(), "Support", "+15550100002", Some(&quote.quote_id)).unwrap();
    clean(&mut d);
}

#[test]
fn deleting_an_inbox_needs_a_home_for_its_conversations_and_number() {
    let mut d = demo();
    let preview = d.preview_inbox_deletion(&s(), "Support").unwrap();
    assert!(preview.conversations > 0 && preview.members > 0, "{preview:?}");
    assert_eq!((preview.number.as_deref(), preview.awaiting_number.len()), (Some("+15550100002"), 0));
    let audit_before = d.verify_audit(&s(), None).unwrap().entries;
    let e = d.delete_inbox(&s(), "Support", &InboxDeletion::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InboxNotEmpty);
    assert_eq!(e.details.unwrap()["missing"], serde_json::json!(["move_conversations_to", "number"]));
    let into_itself = InboxDeletion { move_conversations_to: Some("support".into()), number: Some(NumberChoice::Release) };
    assert_eq!(code(d.delete_inbox(&s(), "Support", &into_itself)), ErrorCode::InvalidMoveTarget);
    let onto_a_number = InboxDeletion { move_conversations_to: Some("Sales".into()), number: Some(NumberChoice::MoveTo { inbox: "Billing".into() }) };
    assert_eq!(code(d.delete_inbox(&s(), "Support", &onto_a_number)), ErrorCode::InboxHasNumber);
    let manager = as_role(&mut d, crate::domain::Role::Manager);
    let release = InboxDeletion { move_conversations_to: Some("Sales".into()), number: Some(NumberChoice::Release) };
    assert_eq!(code(d.delete_inbox(&manager, "Support", &release)), ErrorCode::NotPermitted, "the number is billing");
    assert_eq!(d.verify_audit(&s(), None).unwrap().entries, audit_before, "every refusal changed nothing");
    assert_eq!(d.preview_inbox_deletion(&s(), "Support").unwrap(), preview);

    let in_sales = d.preview_inbox_deletion(&s(), "Sales").unwrap().conversations;
    let done = d.delete_inbox(&s(), "Support", &release).unwrap();
    assert_eq!((done.conversations_moved, done.members_removed), (preview.conversations, preview.members));
    assert_eq!((done.conversations_to.as_deref(), done.number_released.as_deref()), (Some("Sales"), Some("+15550100002")));
    assert_eq!(d.preview_inbox_deletion(&s(), "Sales").unwrap().conversations, in_sales + preview.conversations);
    assert_eq!(code(d.inbox_detail(&s(), "Support")), ErrorCode::NotFound);
    assert!(d.inboxes(&s()).unwrap().iter().all(|i| i.name != "Support"));
    let kinds: Vec<_> = d.ledger(&s(), &LedgerQuery::default()).unwrap().rows.iter().take(1).map(|l| l.kind).collect();
    assert_eq!(kinds, [LedgerKind::NumberRelease]);
    let actions: Vec<_> = d.audit_log(&s(), 0, 2).unwrap().rows.into_iter().map(|r| r.action).collect();
    assert_eq!(actions, ["inbox.delete", "inbox.release_number"]);
    // Nobody holds a conversation in an inbox they are not in, and every
    // member's inbox count follows.
    clean(&mut d);
}

#[test]
fn a_deleted_inboxs_number_moves_to_an_inbox_awaiting_one() {
    let mut d = demo();
    d.create_inbox(&s(), &NewInbox { name: "Lobby".into(), number: None, quote_id: None }).unwrap();
    let ledger_before = d.ledger(&s(), &LedgerQuery::default()).unwrap().total;
    let how = InboxDeletion { move_conversations_to: Some("Lobby".into()), number: Some(NumberChoice::MoveTo { inbox: "Lobby".into() }) };
    let done = d.delete_inbox(&s(), "Billing", &how).unwrap();
    assert_eq!(done.number_moved_to.as_deref(), Some("Lobby"));
    // Lobby has no worker yet: every moved conversation is unassigned.
    assert_eq!(done.conversations_unassigned, done.conversations_moved);
    assert_eq!(d.inbox_detail(&s(), "Lobby").unwrap().number.as_deref(), Some("+15550100003"));
    assert_eq!(d.ledger(&s(), &LedgerQuery::default()).unwrap().total, ledger_before, "the same number, billed as before");
    clean(&mut d);
}

#[test]
fn an_empty_inbox_without_a_number_goes_at_once_but_not_one_awaiting_an_invite() {
    let mut d = demo();
    d.create_inbox(&s(), &NewInbox { name: "Spare".into(), number: None, quote_id: None }).unwrap();
    let done = d.delete_inbox(&s(), "Spare", &InboxDeletion::default()).unwrap();
    assert_eq!((done.conversations_moved, done.members_removed, done.number_released), (0, 0, None));
    d.buy_seats(&s(), 1, None).unwrap();
    let invite = InviteRequest { emails: vec!["new@example.com".into()], role: crate::domain::Role::Member, inbox: None, new_inbox: true, buy_shortfall_quote: None };
    d.invite(&s(), &invite).unwrap();
    assert!(d.preview_inbox_deletion(&s(), "new@example.com").unwrap().awaits_invite, "the preview says so first");
    assert_eq!(code(d.delete_inbox(&s(), "new@example.com", &InboxDeletion::default())), ErrorCode::EditInviteInstead);
    // The account's only inbox holding conversations: told to make another first.
    let all = InboxDeletion { move_conversations_to: Some("Sales".into()), number: Some(NumberChoice::Release) };
    d.delete_inbox(&s(), "Support", &all).unwrap();
    d.delete_inbox(&s(), "Billing", &all).unwrap();
    d.revoke_invite(&s(), "new@example.com").unwrap();
    let e = d.delete_inbox(&s(), "Sales", &InboxDeletion { move_conversations_to: None, number: Some(NumberChoice::Release) }).unwrap_err();
    assert_eq!(e.code, ErrorCode::InboxNotEmpty);
    assert!(e.message.contains("only inbox") && e.message.contains("create another inbox"), "{}", e.message);
    clean(&mut d);
}

#[test]
fn a_number_is_replaced_at_one_quote_releasing_the_old_one() {
    let mut d = demo();
    let renewal = d.seats(&s()).unwrap().renewal_total_cents;
    assert_eq!(code(d.quote_replace_number(&s(), "Support", "+15550100001")), ErrorCode::DuplicateNumber);
    let quote = d.quote_replace_number(&s(), "Support", "+1 555 010 0042").unwrap();
    assert!(!quote.included && quote.due_now_cents > 0, "{quote:?}");
    // Anything that moves the books in between makes the quote stale.
    d.buy_seats(&s(), 1, None).unwrap();
    assert_eq!(code(d.replace_number(&s(), "Support", "+15550100042", Some(&quote.quote_id))), ErrorCode::QuoteStale);
    assert_eq!(d.inbox_detail(&s(), "Support").unwrap().number.as_deref(), Some("+15550100002"), "nothing changed");
    let quote = d.quote_replace_number(&s(), "Support", "+15550100042").unwrap();
    let bought = d.replace_number(&s(), "Support", "+15550100042", Some(&quote.quote_id)).unwrap();
    assert_eq!(bought.charged_cents, quote.due_now_cents);
    assert_eq!(d.inbox_detail(&s(), "Support").unwrap().number.as_deref(), Some("+15550100042"));
    let kinds: Vec<_> = d.ledger(&s(), &LedgerQuery::default()).unwrap().rows.iter().take(2).map(|l| l.kind).collect();
    assert_eq!(kinds, [LedgerKind::NumberPurchase, LedgerKind::NumberRelease]);
    // As many numbers as before: the renewal is the seat bought above more.
    let seat = d.show_account(&s()).unwrap().seat_price_cents;
    assert_eq!(d.seats(&s()).unwrap().renewal_total_cents, renewal + seat);
    clean(&mut d);
}

#[test]
fn an_inboxs_conversations_are_seen_by_its_members_and_reassigned_all_or_nothing() {
    let mut d = demo();
    let owner = d.acting_member(&s()).unwrap().email;
    if d.inbox_detail(&s(), "Sales").unwrap().members.contains(&owner) {
        d.remove_inbox_member(&s(), "Sales", &owner, true).unwrap();
    }
    let all = ConversationQuery::default();
    // The Owner sees them only after adding themselves (rules §7).
    assert_eq!(code(d.inbox_conversations(&s(), "Sales", &all)), ErrorCode::NotInboxMember);
    d.add_me(&s(), "Sales").unwrap();
    let page = d.inbox_conversations(&s(), "Sales", &all).unwrap();
    assert!(page.total > 2 && !page.total_capped, "{}", page.total);
    assert!(page.rows.windows(2).all(|w| w[0].last_activity >= w[1].last_activity), "newest activity first");
    let unassigned = d.inbox_conversations(&s(), "Sales", &ConversationQuery { unassigned: true, ..Default::default() }).unwrap();
    assert!(unassigned.rows.iter().all(|r| r.assignee.is_none()));
    let worker = page.rows.iter().find_map(|r| r.assignee.clone()).unwrap();
    let theirs = d.inbox_conversations(&s(), "Sales", &ConversationQuery { assignee: Some(worker.clone()), ..Default::default() }).unwrap();
    assert!(theirs.total > 0 && theirs.rows.iter().all(|r| r.assignee.as_deref() == Some(worker.as_str())));
    // Two conversations to the Owner (a working member of Sales now).
    let ids: Vec<i64> = page.rows.iter().filter(|r| r.assignee.as_deref() != Some(owner.as_str())).take(2).map(|r| r.id).collect();
    assert_eq!(d.reassign_conversations(&s(), "Sales", &ids, Some(&owner)).unwrap(), 2);
    let mine = d.inbox_conversations(&s(), "Sales", &ConversationQuery { assignee: Some(owner.clone()), ..Default::default() }).unwrap();
    assert!(ids.iter().all(|id| mine.rows.iter().any(|r| r.id == *id)));
    assert_eq!(d.audit_log(&s(), 0, 1).unwrap().rows[0].action, "conversation.reassign");
    // All or nothing: an id of another inbox refuses the lot.
    let support = {
        d.add_me(&s(), "Support").unwrap();
        d.inbox_conversations(&s(), "Support", &all).unwrap().rows[0].id
    };
    let entries = d.verify_audit(&s(), None).unwrap().entries;
    assert_eq!(code(d.reassign_conversations(&s(), "Sales", &[ids[0], support], None)), ErrorCode::NotFound);
    assert_eq!(code(d.reassign_conversations(&s(), "Sales", &[], None)), ErrorCode::InvalidQuantity);
    assert_eq!(code(d.reassign_conversations(&s(), "Sales", &ids, Some("nobody@example.com"))), ErrorCode::NotFound);
    assert_eq!(d.verify_audit(&s(), None).unwrap().entries, entries, "nothing changed");
    // Unassigning is a reassignment to nobody.
    assert_eq!(d.reassign_conversations(&s(), "Sales", &ids[..1], None).unwrap(), 1);
    clean(&mut d);
}
