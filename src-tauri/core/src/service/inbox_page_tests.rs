//! The window's inbox page: settings with counts and the people they name,
//! members a page at a time, and the same answers as `inboxes show`.

use super::*;
use crate::domain::routing::{Fallthrough, IvrTarget, RingStrategy};
use crate::domain::Role;

fn s() -> Scope {
    Scope::default()
}

/// Acme with Sales holding the Owner, 30 Active Members (P00…P29), an
/// Observer and a pending invite.
fn sales() -> Seatdesk {
    let mut d = Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    d.create_account(&NewAccount { name: "Acme".into(), owner_email: "olivia@acme.example.com".into(), owner_name: "Olivia".into(), ..Default::default() })
        .unwrap();
    d.create_inbox(&s(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    d.buy_seats(&s(), 31, None).unwrap();
    let emails: Vec<String> = (0..30).map(|i| format!("p{i}@example.com")).collect();
    let invite = |emails: Vec<String>, role| InviteRequest { emails, role, inbox: Some("Sales".into()), new_inbox: false, buy_shortfall_quote: None };
    d.invite(&s(), &invite(emails.clone(), Role::Member)).unwrap();
    for (i, e) in emails.iter().enumerate() {
        d.accept_invite(&s(), e, Some(&format!("P{i:02}"))).unwrap();
    }
    d.invite(&s(), &invite(vec!["obs@example.com".into()], Role::Observer)).unwrap();
    d.accept_invite(&s(), "obs@example.com", Some("Oscar Observer")).unwrap();
    d.invite(&s(), &invite(vec!["pending@example.com".into()], Role::Member)).unwrap();
    d.add_me(&s(), "Sales").unwrap();
    d
}

#[test]
fn the_page_counts_and_names_what_the_settings_hold_without_sending_every_member() {
    let mut d = sales();
    d.set_distribution(
        &s(),
        "Sales",
        &DistributionInput {
            groups: vec![GroupInput { members: vec!["p3@example.com".into()], strategy: RingStrategy::RoundRobin, ring_seconds: 20, was: None }],
            fallthrough: Fallthrough::Voicemail,
            version: None,
        },
    )
    .unwrap();
    d.set_ivr_option(&s(), "Sales", 1, Some(&IvrTarget::Member { email: "p7@example.com".into() })).unwrap();
    let page = d.inbox_page(&s(), "Sales").unwrap();
    let show = d.inbox_detail(&s(), "Sales").unwrap();
    // The same answers as inboxes show, in counts.
    assert_eq!(page.member_count, show.members.len() as i64);
    assert_eq!(page.member_count, 33, "the Owner, 30 Members, the Observer and the pending invite");
    assert_eq!(page.conversation_assignment.count, show.conversation_assignment.members.len() as i64);
    assert_eq!(page.conversation_assignment.next, show.conversation_assignment.next);
    assert_eq!(page.ring_group.count, show.ring_group.members.len() as i64);
    assert_eq!(page.ring_group.first, show.ring_group.members[..2]);
    assert_eq!((page.distribution.clone(), page.ivr.clone()), (show.distribution, show.ivr));
    assert!(page.acting_member_is_in);
    // Everyone the settings name has a name; nobody else is sent.
    let named: Vec<&str> = page.people.iter().map(|p| p.email.as_str()).collect();
    for email in page.conversation_assignment.next.iter().chain(&page.ring_group.first).map(String::as_str).chain(["p3@example.com", "p7@example.com"]) {
        assert!(named.contains(&email), "{email} has no name in {named:?}");
    }
    assert!(page.people.len() <= 5 + 2 + 1 + 1, "{} people sent", page.people.len());
    assert_eq!(page.people.iter().find(|p| p.email == "p7@example.com").unwrap().name, "P07");

    // The next five follow the round robin as it turns, wrapping at its end,
    // and as members leave it: always what inboxes show says.
    d.add_contact(&s(), "Carl", "+15550001111", "olivia@acme.example.com").unwrap();
    for turn in 0..40 {
        d.add_conversation(&s(), "Sales", "+15550001111", None).unwrap();
        if turn % 9 == 4 {
            d.set_routing_member(&s(), "Sales", false, &format!("p{}@example.com", turn % 30), false).unwrap();
        }
        let show = d.inbox_detail(&s(), "Sales").unwrap().conversation_assignment;
        let page = d.inbox_page(&s(), "Sales").unwrap().conversation_assignment;
        assert_eq!((page.next, page.count), (show.next, show.members.len() as i64), "after turn {turn}");
    }
    // A round robin shorter than five repeats; a default assignee takes all.
    for i in 0..30 {
        let _ = d.set_routing_member(&s(), "Sales", false, &format!("p{i}@example.com"), false);
    }
    let page = d.inbox_page(&s(), "Sales").unwrap().conversation_assignment;
    assert_eq!(page.next, d.inbox_detail(&s(), "Sales").unwrap().conversation_assignment.next);
    assert_eq!(page.next.len(), 5);
    d.set_assignment(&s(), "Sales", &AssignmentChange { round_robin: None, default_assignee: Some("p3@example.com".into()) }).unwrap();
    assert_eq!(d.inbox_page(&s(), "Sales").unwrap().conversation_assignment.next, vec!["p3@example.com"; 5]);
}

#[test]
fn members_come_a_page_at_a_time_searched_and_filtered() {
    let mut d = sales();
    let q = |list: Option<RoutingList>, routable: bool, search: Option<&str>, offset: i64, limit: i64| InboxMemberQuery {
        list,
        routable,
        search: search.map(String::from),
        offset,
        limit,
    };
    let all = d.inbox_members(&s(), "Sales", &q(None, false, None, 0, 10)).unwrap();
    assert_eq!((all.total, all.rows.len()), (33, 10));
    assert_eq!(all.rows[0].name, "Olivia", "by name");
    let next = d.inbox_members(&s(), "Sales", &q(None, false, None, 10, 10)).unwrap();
    assert_ne!(next.rows[0].email, all.rows[0].email);
    // Routing may name Active members who hold work: not the Observer, not the invite.
    let routable = d.inbox_members(&s(), "Sales", &q(None, true, None, 0, 100)).unwrap();
    assert_eq!(routable.total, 31);
    assert!(routable.rows.iter().all(|m| m.email != "obs@example.com" && m.email != "pending@example.com"));
    // Search by name or address, any case; a wildcard is a literal.
    assert_eq!(d.inbox_members(&s(), "Sales", &q(None, false, Some("p1"), 0, 100)).unwrap().total, 11, "P01, P10…P19");
    assert_eq!(d.inbox_members(&s(), "Sales", &q(None, false, Some("OSCAR"), 0, 100)).unwrap().rows[0].email, "obs@example.com");
    assert_eq!(d.inbox_members(&s(), "Sales", &q(None, false, Some("%"), 0, 100)).unwrap().total, 0);
    // Three characters or more go through the trigram index: the same answers.
    assert_eq!(d.inbox_members(&s(), "Sales", &q(None, false, Some("P1@"), 0, 100)).unwrap().rows.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(), ["p1@example.com"]);
    let everyone = d.inbox_members(&s(), "Sales", &q(None, false, Some("example.com"), 0, 100)).unwrap();
    assert_eq!((everyone.total, everyone.total_capped, everyone.rows[0].name.as_str()), (33, false, "Olivia"));
    // One routing list.
    d.set_routing_member(&s(), "Sales", true, "p5@example.com", false).unwrap();
    let ring = d.inbox_members(&s(), "Sales", &q(Some(RoutingList::RingGroup), false, None, 0, 100)).unwrap();
    assert_eq!(ring.total, d.inbox_detail(&s(), "Sales").unwrap().ring_group.members.len() as i64);
    assert!(ring.rows.iter().all(|m| m.email != "p5@example.com"));
    // A page is at most MAX_INBOX_PAGE and at least one.
    assert_eq!(d.inbox_members(&s(), "Sales", &q(None, false, None, 0, 0)).unwrap().rows.len(), 1);
    assert_eq!(d.inbox_members(&s(), "Nowhere", &q(None, false, None, 0, 10)).unwrap_err().code, ErrorCode::NotFound);
}

/// The Call Distribution dialog's save says where each group came from: an
/// IVR digit follows its group to its new place, and a digit whose group was
/// removed points nowhere (flagged), never at the group that took its number
/// (found by trying the window).
#[test]
fn ivr_digits_follow_their_group_when_groups_are_removed_or_reordered() {
    let mut d = sales();
    let group = |m: &str, was: Option<i64>| GroupInput { members: vec![m.into()], strategy: RingStrategy::RoundRobin, ring_seconds: 20, was };
    let save = |d: &mut Seatdesk, groups: Vec<GroupInput>| {
        d.set_distribution(&s(), "Sales", &DistributionInput { groups, fallthrough: Fallthrough::Voicemail, version: None }).unwrap()
    };
    save(&mut d, vec![group("p1@example.com", None), group("p2@example.com", None), group("p3@example.com", None)]);
    for (digit, position) in [(1, 1), (2, 2), (3, 3)] {
        d.set_ivr_option(&s(), "Sales", digit, Some(&IvrTarget::DistributionGroup { position })).unwrap();
    }
    // Group 1 removed, groups 2 and 3 swapped.
    let after = save(&mut d, vec![group("p3@example.com", Some(3)), group("p2@example.com", Some(2))]);
    let target = |digit: i32| after.ivr.options.iter().find(|o| o.digit == digit).map(|o| (o.target.clone(), o.points_nowhere)).unwrap();
    assert_eq!(target(1), (IvrTarget::None, true), "its group was removed");
    assert_eq!(target(2), (IvrTarget::DistributionGroup { position: 2 }, false), "group 2 stayed second");
    assert_eq!(target(3), (IvrTarget::DistributionGroup { position: 1 }, false), "group 3 moved first");
    assert_eq!(after.distribution.groups[0].members, ["p3@example.com"]);
    // A save that says nothing of where groups came from (the CLI) keeps the numbers.
    let plain = save(&mut d, vec![group("p2@example.com", None), group("p3@example.com", None)]);
    assert_eq!(plain.ivr.options.iter().find(|o| o.digit == 3).unwrap().target, IvrTarget::DistributionGroup { position: 1 });
    assert_eq!(d.check(None).unwrap(), vec![]);
}

/// A big inbox is paged by walking the account's members in name order, a
/// small one by sorting its own few (issue #23): both give the pages
/// `inboxes show` gives, at every offset. The counts the page shows are
/// kept by the store; they follow every change, and `check` recounts them.
#[test]
fn both_ways_of_paging_agree_and_kept_counts_follow_every_change() {
    let mut d = sales();
    d.create_inbox(&s(), &NewInbox { name: "Tiny".into(), number: None, quote_id: None }).unwrap();
    for e in ["p3@example.com", "p17@example.com", "obs@example.com"] {
        d.add_inbox_member(&s(), "Tiny", e).unwrap();
    }
    d.set_routing_member(&s(), "Sales", true, "p5@example.com", false).unwrap();
    let q = |list: Option<RoutingList>, offset: i64| InboxMemberQuery { list, routable: false, search: None, offset, limit: 3 };
    for inbox in ["Sales", "Tiny"] {
        let show = d.inbox_detail(&s(), inbox).unwrap();
        let everyone: Vec<String> = show.member_details.iter().map(|m| m.email.clone()).collect();
        for (list, expected) in [(None, everyone), (Some(RoutingList::RingGroup), show.ring_group.members.clone())] {
            for offset in 0..=expected.len() as i64 {
                let page = d.inbox_members(&s(), inbox, &q(list, offset)).unwrap();
                let got: Vec<String> = page.rows.into_iter().map(|m| m.email).collect();
                let want: Vec<String> = expected.iter().skip(offset as usize).take(3).cloned().collect();
                assert_eq!((page.total, got), (expected.len() as i64, want), "{inbox} {list:?} at {offset}");
            }
        }
    }
    let counts = |d: &mut Seatdesk, inbox: &str| {
        let p = d.inbox_page(&s(), inbox).unwrap();
        (p.member_count, p.conversation_assignment.count, p.ring_group.count)
    };
    let recount = |d: &mut Seatdesk, inbox: &str| {
        let show = d.inbox_detail(&s(), inbox).unwrap();
        (show.members.len() as i64, show.conversation_assignment.members.len() as i64, show.ring_group.members.len() as i64)
    };
    assert_eq!(counts(&mut d, "Sales"), recount(&mut d, "Sales"));
    d.remove_inbox_member(&s(), "Sales", "p9@example.com", true).unwrap();
    d.set_routing_member(&s(), "Sales", false, "p11@example.com", false).unwrap();
    assert_eq!(counts(&mut d, "Sales"), recount(&mut d, "Sales"));
    assert_eq!(counts(&mut d, "Tiny").0, recount(&mut d, "Tiny").0);
    d.delete_inbox(&s(), "Tiny", &InboxDeletion { move_conversations_to: None, number: None }).unwrap();
    assert!(d.check(None).unwrap().is_empty(), "{:?}", d.check(None).unwrap());
    d.sql("UPDATE inbox_count SET n = n + 2 WHERE list = 'ring_group'; UPDATE member SET inbox_count = 0 WHERE email = 'p3@example.com'");
    let found: Vec<String> = d.check(None).unwrap().into_iter().filter(|v| v.rule == "counters").map(|v| v.message).collect();
    assert!(found.iter().any(|m| m.contains("Sales") && m.contains("Ring Group")), "{found:?}");
    assert!(found.iter().any(|m| m.contains("p3@example.com is kept as in 0 inbox(es) but is in 1")), "{found:?}");
}

/// Only a counted total (a search, an age filter) stops at 10 000: a tab's,
/// a role's or an inbox's own total is kept whole, and says so (found by trying the
/// window: "1–50 of 10,000+ members (refine the search)" on an unsearched
/// inbox of 15 524).
#[test]
fn only_searches_cap_their_totals() {
    let mut d = Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    d.demo(&DemoOptions { members: Some(20_000), conversations: Some(0), ..Default::default() }, |_, _| {}).unwrap();
    let s = Scope::default();
    // Every Active member into Sales, a role at a time (a bulk step takes
    // at most 10 000): an inbox of more than 10 000.
    for role in [Role::Admin, Role::Manager, Role::Member, Role::Observer] {
        let active = Selection { emails: vec![], matching: Some(MemberQuery { status: Some(Status::Active), role: Some(role), ..Default::default() }) };
        d.bulk(&s, &active, &BulkAction::AddToInbox { inbox: "Sales".into() }, None).unwrap();
    }
    let tab = d.members(&s, &MemberQuery { status: Some(Status::Active), ..Default::default() }).unwrap();
    let everyone = d.members(&s, &MemberQuery::default()).unwrap();
    assert!(everyone.active_count + everyone.pending_count > 10_000);
    assert_eq!((everyone.total, everyone.total_capped), (everyone.active_count + everyone.pending_count, false));
    assert_eq!((tab.total, tab.total_capped), (tab.active_count, false));
    let searched = d.members(&s, &MemberQuery { search: Some("acme-demo".into()), ..Default::default() }).unwrap();
    assert_eq!((searched.total, searched.total_capped), (10_000, true));
    // A role's total is kept by the store, so it is whole past 10 000 too
    // (found by trying `members --role member --limit 10`: "10000+").
    let members = d.all_members(&s, &MemberQuery { role: Some(Role::Member), ..Default::default() }).unwrap().len() as i64;
    assert!(members > 10_000, "{members}");
    let role = d.members(&s, &MemberQuery { role: Some(Role::Member), limit: Some(5), ..Default::default() }).unwrap();
    assert_eq!((role.total, role.total_capped), (members, false));
    let active = d.all_members(&s, &MemberQuery { role: Some(Role::Member), status: Some(Status::Active), ..Default::default() }).unwrap().len() as i64;
    let role = d.members(&s, &MemberQuery { role: Some(Role::Member), status: Some(Status::Active), limit: Some(5), ..Default::default() }).unwrap();
    assert_eq!((role.total, role.total_capped), (active, false));
    // The inbox: whole when not searched, capped when searched.
    let inbox = d.inboxes(&s).unwrap().into_iter().find(|i| i.name == "Sales").unwrap();
    assert!(inbox.member_count > 10_000, "{}", inbox.member_count);
    let page = |search: Option<&str>| InboxMemberQuery { search: search.map(String::from), limit: 50, ..Default::default() };
    let plain = d.inbox_members(&s, &inbox.name, &page(None)).unwrap();
    assert_eq!((plain.total, plain.total_capped), (inbox.member_count, false));
    let all = d.inbox_members(&s, &inbox.name, &page(Some("acme-demo"))).unwrap();
    assert_eq!((all.total, all.total_capped), (10_000, true));
}
