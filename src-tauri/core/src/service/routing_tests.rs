//! Inbox membership and routing settings.

use super::*;
use crate::domain::routing::{Fallthrough, IvrTarget, RingStrategy};
use crate::domain::Role;

fn s() -> Scope {
    Scope::default()
}

/// Acme with the inbox Sales and `n` active members p0..p{n-1}@example.com
/// (named P00, P01, … so that alphabetical order is predictable), not yet in Sales.
fn acme(n: usize) -> Seatdesk {
    let mut d = Seatdesk::open_scratch(Clock::fixed(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    d.create_account(&NewAccount {
        name: "Acme".into(),
        owner_email: "olivia@acme.example.com".into(),
        owner_name: "Olivia".into(),
        ..Default::default()
    })
    .unwrap();
    d.create_inbox(&s(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    d.create_inbox(&s(), &NewInbox { name: "Lobby".into(), number: None, quote_id: None }).unwrap();
    if n > 0 {
        d.buy_seats(&s(), n as i64, None).unwrap();
        let emails: Vec<String> = (0..n).map(|i| format!("p{i}@example.com")).collect();
        d.invite(
            &s(),
            &InviteRequest {
                emails: emails.clone(),
                role: Role::Member,
                inbox: Some("Lobby".into()),
                new_inbox: false,
                buy_shortfall_quote: None,
            },
        )
        .unwrap();
        for (i, e) in emails.iter().enumerate() {
            d.accept_invite(&s(), e, Some(&format!("P{i:02}"))).unwrap();
        }
    }
    d
}

fn add(d: &mut Seatdesk, who: &str) -> MembershipChange {
    d.add_inbox_member(&s(), "Sales", who).unwrap()
}

#[test]
fn joining_an_inbox_joins_its_assignment_and_ring_group_once() {
    let mut d = acme(2);
    let first = add(&mut d, "p0@example.com");
    assert!(first.changed);
    let again = add(&mut d, "P0@example.com");
    assert!(!again.changed && again.message.contains("nothing changed"));
    let inbox = d.inbox_detail(&s(), "sales").unwrap();
    assert_eq!(inbox.members, ["p0@example.com"]);
    assert_eq!(inbox.conversation_assignment.members, ["p0@example.com"]);
    assert_eq!(inbox.ring_group.members, ["p0@example.com"]);
    assert_eq!((inbox.ring_group.strategy, inbox.ring_group.ring_seconds), (RingStrategy::RoundRobin, 30));
    let gone = d.remove_inbox_member(&s(), "Sales", "p1@example.com", false).unwrap();
    assert!(!gone.changed, "removing someone absent changes nothing");
}

#[test]
fn invitees_join_on_acceptance_not_before() {
    let mut d = acme(0);
    d.buy_seats(&s(), 1, None).unwrap();
    d.invite(
        &s(),
        &InviteRequest {
            emails: vec!["ana@example.com".into()],
            role: Role::Member,
            inbox: Some("Sales".into()),
            new_inbox: false,
            buy_shortfall_quote: None,
        },
    )
    .unwrap();
    let before = d.inbox_detail(&s(), "Sales").unwrap();
    assert_eq!(before.members, ["ana@example.com"], "the pending invite holds its place");
    assert!(before.conversation_assignment.members.is_empty());
    assert_eq!(d.add_inbox_member(&s(), "Lobby", "ana@example.com").unwrap_err().code, ErrorCode::EditInviteInstead, "the invite names its inbox");
    d.accept_invite(&s(), "ana@example.com", None).unwrap();
    let after = d.inbox_detail(&s(), "Sales").unwrap();
    assert_eq!(after.conversation_assignment.members, ["ana@example.com"]);
    assert_eq!(after.ring_group.members, ["ana@example.com"]);
}

#[test]
fn every_person_a_setting_names_must_be_in_the_inbox() {
    let mut d = acme(2);
    add(&mut d, "p0@example.com");
    let outsider = "p1@example.com";
    let codes = [
        d.set_routing_member(&s(), "Sales", false, outsider, true).unwrap_err().code,
        d.set_routing_member(&s(), "Sales", true, outsider, true).unwrap_err().code,
        d.set_assignment(&s(), "Sales", &AssignmentChange { default_assignee: Some(outsider.into()), ..Default::default() })
            .unwrap_err()
            .code,
        d.set_distribution(
            &s(),
            "Sales",
            &DistributionInput {
                groups: vec![GroupInput {
                    members: vec![outsider.into()],
                    strategy: RingStrategy::RoundRobin,
                    ring_seconds: 20,
                    was: None,
                }],
                fallthrough: Fallthrough::Voicemail,
                version: None,
            },
        )
        .unwrap_err()
        .code,
        d.set_ivr(
            &s(),
            "Sales",
            &IvrInput {
                greeting: "Hi".into(),
                options: vec![IvrOptionInput { digit: 1, target: IvrTarget::Member { email: outsider.into() } }],
                version: None,
            },
        )
        .unwrap_err()
        .code,
    ];
    assert!(codes.iter().all(|c| *c == ErrorCode::NotInboxMember), "{codes:?}");
}

#[test]
fn a_simultaneous_ring_takes_at_most_ten_and_ring_times_are_bounded() {
    let mut d = acme(11);
    for i in 0..10 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    d.set_ring_group(&s(), "Sales", Some(RingStrategy::Simultaneous), Some(20)).unwrap();
    // An eleventh member joins the inbox and its assignment, but not the full ring group.
    let eleventh = add(&mut d, "p10@example.com");
    assert!(eleventh.changed && eleventh.message.contains("full"));
    let inbox = d.inbox_detail(&s(), "Sales").unwrap();
    assert_eq!((inbox.ring_group.members.len(), inbox.conversation_assignment.members.len()), (10, 11));
    assert_eq!(d.set_routing_member(&s(), "Sales", true, "p10@example.com", true).unwrap_err().code, ErrorCode::RingGroupFull);
    d.set_ring_group(&s(), "Sales", Some(RingStrategy::LinearRoundRobin), Some(60)).unwrap();
    d.set_routing_member(&s(), "Sales", true, "p10@example.com", true).unwrap();
    assert_eq!(d.set_ring_group(&s(), "Sales", Some(RingStrategy::Simultaneous), Some(20)).unwrap_err().code, ErrorCode::RingGroupFull);
    for bad in [0, 61, -1] {
        assert_eq!(
            d.set_ring_group(&s(), "Sales", Some(RingStrategy::RoundRobin), Some(bad)).unwrap_err().code,
            ErrorCode::InvalidRingTime
        );
    }
    assert_eq!(d.inbox_detail(&s(), "Sales").unwrap().ring_group.strategy, RingStrategy::LinearRoundRobin, "refusals changed nothing");
}

#[test]
fn call_distribution_holds_five_ordered_groups() {
    let mut d = acme(3);
    for i in 0..3 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    let group = |members: &[&str], secs: i64| GroupInput {
        members: members.iter().map(|m| m.to_string()).collect(),
        strategy: RingStrategy::RoundRobin,
        ring_seconds: secs,
        was: None,
    };
    let six: Vec<GroupInput> = (0..6).map(|_| group(&["p0@example.com"], 10)).collect();
    assert_eq!(
        d.set_distribution(&s(), "Sales", &DistributionInput { groups: six, fallthrough: Fallthrough::Drop, version: None })
            .unwrap_err()
            .code,
        ErrorCode::TooManyGroups
    );
    let inbox = d
        .set_distribution(
            &s(),
            "Sales",
            &DistributionInput {
                groups: vec![group(&["p0@example.com", "p1@example.com"], 15), group(&["p2@example.com"], 25)],
                fallthrough: Fallthrough::Drop,
                version: None,
            },
        )
        .unwrap();
    assert_eq!(inbox.distribution.total_ring_seconds, 40);
    assert_eq!(inbox.distribution.groups[1].members, ["p2@example.com"]);
    assert_eq!(inbox.distribution.fallthrough, Fallthrough::Drop);
    // Reordered: the groups swap positions.
    let swapped = d
        .set_distribution(
            &s(),
            "Sales",
            &DistributionInput {
                groups: vec![group(&["p2@example.com"], 25), group(&["p0@example.com", "p1@example.com"], 15)],
                fallthrough: Fallthrough::Voicemail,
                version: None,
            },
        )
        .unwrap();
    assert_eq!(
        (swapped.distribution.groups[0].position, swapped.distribution.groups[0].members.clone()),
        (1, vec!["p2@example.com".to_string()])
    );
    assert_eq!(
        d.set_distribution(
            &s(),
            "Sales",
            &DistributionInput { groups: vec![group(&["p0@example.com"], 0)], fallthrough: Fallthrough::Voicemail, version: None }
        )
        .unwrap_err()
        .code,
        ErrorCode::InvalidRingTime
    );
}

#[test]
fn the_removal_guard_names_each_setting_and_everywhere_clears_them_in_one_step() {
    let mut d = acme(2);
    add(&mut d, "p0@example.com");
    add(&mut d, "p1@example.com");
    d.set_distribution(
        &s(),
        "Sales",
        &DistributionInput {
            groups: vec![GroupInput {
                members: vec!["p0@example.com".into()],
                strategy: RingStrategy::Simultaneous,
                ring_seconds: 20,
                was: None,
            }],
            fallthrough: Fallthrough::Voicemail,
            version: None,
        },
    )
    .unwrap();
    d.set_ivr(
        &s(),
        "Sales",
        &IvrInput {
            greeting: "Thanks for calling".into(),
            options: vec![
                IvrOptionInput { digit: 1, target: IvrTarget::Member { email: "p0@example.com".into() } },
                IvrOptionInput { digit: 2, target: IvrTarget::DistributionGroup { position: 1 } },
                IvrOptionInput { digit: 0, target: IvrTarget::Voicemail },
            ],
            version: None,
        },
    )
    .unwrap();
    let before = d.inbox_detail(&s(), "Sales").unwrap();
    let err = d.remove_inbox_member(&s(), "Sales", "p0@example.com", false).unwrap_err();
    assert_eq!(err.code, ErrorCode::MemberStillAssigned);
    let settings: Vec<String> =
        err.details.unwrap()["settings"].as_array().unwrap().iter().map(|s| s["setting"].as_str().unwrap().to_string()).collect();
    assert_eq!(settings, ["conversation_assignment", "ring_group", "call_distribution", "ivr"]);
    assert_eq!(d.inbox_detail(&s(), "Sales").unwrap(), before, "the refusal changed nothing");

    let done = d.remove_inbox_member(&s(), "Sales", "p0@example.com", true).unwrap();
    assert_eq!(done.removed_from.len(), 4);
    let after = d.inbox_detail(&s(), "Sales").unwrap();
    assert_eq!(after.members, ["p1@example.com"]);
    assert_eq!(after.conversation_assignment.members, ["p1@example.com"]);
    assert_eq!(after.ring_group.members, ["p1@example.com"]);
    assert!(after.distribution.groups.is_empty(), "the group p0 was alone in went with them");
    let one = after.ivr.options.iter().find(|o| o.digit == 1).unwrap();
    assert!(one.points_nowhere && one.target == IvrTarget::None, "the option stays, flagged");
    assert!(after.ivr.options.iter().find(|o| o.digit == 2).unwrap().points_nowhere, "it rang the group that went");
    assert!(!after.ivr.options.iter().find(|o| o.digit == 0).unwrap().points_nowhere);
    // Out of the settings by hand, then the inbox: no guard.
    d.set_routing_member(&s(), "Sales", false, "p1@example.com", false).unwrap();
    d.set_routing_member(&s(), "Sales", true, "p1@example.com", false).unwrap();
    assert!(d.remove_inbox_member(&s(), "Sales", "p1@example.com", false).unwrap().changed);
}

#[test]
fn default_assignee_turns_round_robin_off_and_the_preview_follows() {
    let mut d = acme(3);
    for i in [2, 0, 1] {
        add(&mut d, &format!("p{i}@example.com"));
    }
    let inbox = d.inbox_detail(&s(), "Sales").unwrap();
    assert_eq!(inbox.conversation_assignment.members, ["p0@example.com", "p1@example.com", "p2@example.com"], "alphabetical by name");
    assert_eq!(
        inbox.conversation_assignment.next,
        ["p0@example.com", "p1@example.com", "p2@example.com", "p0@example.com", "p1@example.com"]
    );
    let with_default = d
        .set_assignment(&s(), "Sales", &AssignmentChange { default_assignee: Some("p1@example.com".into()), ..Default::default() })
        .unwrap();
    assert!(!with_default.conversation_assignment.round_robin);
    assert_eq!(with_default.conversation_assignment.next, vec!["p1@example.com".to_string(); 5]);
    let back = d.set_assignment(&s(), "Sales", &AssignmentChange { round_robin: Some(true), ..Default::default() }).unwrap();
    assert_eq!((back.conversation_assignment.round_robin, back.conversation_assignment.default_assignee.clone()), (true, None));
    // Off needs a default assignee: conversations always have somewhere to go.
    let off = d.set_assignment(&s(), "Sales", &AssignmentChange { round_robin: Some(false), ..Default::default() }).unwrap_err();
    assert_eq!(off.code, ErrorCode::InvalidAssignment);
    assert!(d.inbox_detail(&s(), "Sales").unwrap().conversation_assignment.round_robin, "nothing changed");
}

#[test]
fn ivr_digits_are_unique_and_groups_must_exist() {
    let mut d = acme(1);
    add(&mut d, "p0@example.com");
    let opt = |digit: i32, target: IvrTarget| IvrOptionInput { digit, target };
    let set = |d: &mut Seatdesk, options: Vec<IvrOptionInput>| {
        d.set_ivr(&s(), "Sales", &IvrInput { greeting: "Hello".into(), options, version: None })
    };
    assert_eq!(set(&mut d, vec![opt(10, IvrTarget::Voicemail)]).unwrap_err().code, ErrorCode::InvalidIvrOption);
    assert_eq!(
        set(&mut d, vec![opt(1, IvrTarget::Voicemail), opt(1, IvrTarget::RingGroup)]).unwrap_err().code,
        ErrorCode::InvalidIvrOption
    );
    assert_eq!(set(&mut d, vec![opt(3, IvrTarget::DistributionGroup { position: 1 })]).unwrap_err().code, ErrorCode::NotFound);
    let ok = set(&mut d, vec![opt(0, IvrTarget::Voicemail), opt(5, IvrTarget::RingGroup), opt(9, IvrTarget::None)]).unwrap();
    assert_eq!(ok.ivr.options.iter().map(|o| (o.digit, o.points_nowhere)).collect::<Vec<_>>(), [(0, false), (5, false), (9, true)]);
    assert_eq!(ok.ivr.greeting, "Hello");
}

#[test]
fn add_me_is_for_owners_and_admins() {
    let mut d = acme(1);
    let me = d.add_me(&s(), "Sales").unwrap();
    assert!(me.changed);
    assert!(d.inbox_detail(&s(), "Sales").unwrap().acting_member_is_in);
    assert_eq!(d.add_me(&s().acting_as("p0@example.com"), "Sales").unwrap_err().code, ErrorCode::NotPermitted);
    assert_eq!(
        d.add_inbox_member(&s().acting_as("p0@example.com"), "Sales", "p0@example.com").unwrap_err().code,
        ErrorCode::NotPermitted,
        "a Member manages no inbox"
    );
}

/// Whole saves name the version they were made from: a save made from a
/// version that changed meanwhile is refused and changes nothing.
#[test]
fn a_stale_whole_save_is_refused_and_changes_nothing() {
    let mut d = acme(2);
    add(&mut d, "p0@example.com");
    add(&mut d, "p1@example.com");
    let group = |m: &str| GroupInput { members: vec![m.to_string()], strategy: RingStrategy::RoundRobin, ring_seconds: 20, was: None };
    let opened = d.inbox_detail(&s(), "Sales").unwrap();
    // Another window saves first, from the same version.
    let first = DistributionInput {
        groups: vec![group("p0@example.com")],
        fallthrough: Fallthrough::Drop,
        version: Some(opened.distribution.version.clone()),
    };
    let saved = d.set_distribution(&s(), "Sales", &first).unwrap();
    assert_ne!(saved.distribution.version, opened.distribution.version);
    let late = DistributionInput {
        groups: vec![group("p1@example.com")],
        fallthrough: Fallthrough::Voicemail,
        version: Some(opened.distribution.version.clone()),
    };
    assert_eq!(d.set_distribution(&s(), "Sales", &late).unwrap_err().code, ErrorCode::StaleEdit);
    assert_eq!(d.inbox_detail(&s(), "Sales").unwrap().distribution, saved.distribution, "nothing changed");
    // The same for the IVR.
    let ivr = |v: &str, digit: i32| IvrInput {
        greeting: "Hi".into(),
        options: vec![IvrOptionInput { digit, target: IvrTarget::Voicemail }],
        version: Some(v.into()),
    };
    let v0 = d.inbox_detail(&s(), "Sales").unwrap().ivr.version;
    d.set_ivr(&s(), "Sales", &ivr(&v0, 1)).unwrap();
    assert_eq!(d.set_ivr(&s(), "Sales", &ivr(&v0, 2)).unwrap_err().code, ErrorCode::StaleEdit);
    // And the plan.
    let plan_v = d.show_account(&s()).unwrap().plan_version;
    d.update_plan(&s(), &PlanChange { seat_price: Some("12.00".into()), version: Some(plan_v.clone()), ..Default::default() }).unwrap();
    let stale =
        d.update_plan(&s(), &PlanChange { seat_price: Some("15.00".into()), version: Some(plan_v), ..Default::default() }).unwrap_err();
    assert_eq!(stale.code, ErrorCode::StaleEdit);
    assert_eq!(d.show_account(&s()).unwrap().scheduled.unwrap().seat_price_cents, 1200);
}

/// Partial edits: one member in or out of a distribution group, one IVR
/// digit set or cleared; the rest stays. A group that goes away takes the
/// IVR digits that rang it with it (they point nowhere), so `check` stays clean.
#[test]
fn one_distribution_member_or_one_ivr_digit_changes_alone() {
    let mut d = acme(3);
    for i in 0..3 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    let group = |m: &[&str]| GroupInput {
        members: m.iter().map(|x| x.to_string()).collect(),
        strategy: RingStrategy::Simultaneous,
        ring_seconds: 20,
        was: None,
    };
    d.set_distribution(
        &s(),
        "Sales",
        &DistributionInput {
            groups: vec![group(&["p0@example.com"]), group(&["p1@example.com"])],
            fallthrough: Fallthrough::Drop,
            version: None,
        },
    )
    .unwrap();
    assert!(d.set_distribution_member(&s(), "Sales", 2, "p2@example.com", true).unwrap().changed);
    assert!(!d.set_distribution_member(&s(), "Sales", 2, "p2@example.com", true).unwrap().changed, "already there");
    assert_eq!(
        d.set_distribution_member(&s(), "Sales", 1, "p0@example.com", false).unwrap_err().code,
        ErrorCode::InvalidDistribution,
        "not the last one"
    );
    assert!(d.set_distribution_member(&s(), "Sales", 1, "p2@example.com", true).unwrap().changed);
    assert!(d.set_distribution_member(&s(), "Sales", 1, "p0@example.com", false).unwrap().changed);
    assert_eq!(d.set_distribution_member(&s(), "Sales", 3, "p2@example.com", true).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(d.set_distribution_member(&s(), "Sales", 1, "olivia@acme.example.com", true).unwrap_err().code, ErrorCode::NotInboxMember);
    let groups: Vec<Vec<String>> = d.inbox_detail(&s(), "Sales").unwrap().distribution.groups.into_iter().map(|g| g.members).collect();
    assert_eq!(groups, [vec!["p2@example.com".to_string()], vec!["p1@example.com".to_string(), "p2@example.com".to_string()]]);
    // A whole save with an empty group is refused too.
    let empty = DistributionInput { groups: vec![group(&["p1@example.com"]), group(&[])], fallthrough: Fallthrough::Drop, version: None };
    assert_eq!(d.set_distribution(&s(), "Sales", &empty).unwrap_err().code, ErrorCode::InvalidDistribution);

    d.set_ivr_option(&s(), "Sales", 1, Some(&IvrTarget::Member { email: "p1@example.com".into() })).unwrap();
    d.set_ivr_option(&s(), "Sales", 2, Some(&IvrTarget::DistributionGroup { position: 2 })).unwrap();
    d.set_ivr_option(&s(), "Sales", 3, Some(&IvrTarget::Voicemail)).unwrap();
    let shown = d.set_ivr_option(&s(), "Sales", 3, None).unwrap();
    assert_eq!(shown.ivr.options.iter().map(|o| o.digit).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(d.set_ivr_option(&s(), "Sales", 10, Some(&IvrTarget::Voicemail)).unwrap_err().code, ErrorCode::InvalidIvrOption);
    assert_eq!(
        d.set_ivr_option(&s(), "Sales", 4, Some(&IvrTarget::DistributionGroup { position: 5 })).unwrap_err().code,
        ErrorCode::NotFound
    );
    // Down to one group: digit 2 rang group 2, which is gone.
    d.set_distribution(
        &s(),
        "Sales",
        &DistributionInput { groups: vec![group(&["p1@example.com"])], fallthrough: Fallthrough::Drop, version: None },
    )
    .unwrap();
    let ivr = d.inbox_detail(&s(), "Sales").unwrap().ivr;
    assert!(ivr.options.iter().any(|o| o.digit == 2 && o.points_nowhere), "{ivr:?}");
    assert_eq!(d.check(None).unwrap(), vec![]);
}

/// A member leaving an inbox or the account never leaves a distribution
/// group with nobody in it: the group goes, the later groups move up, and
/// IVR digits follow their group (or point nowhere when theirs went).
#[test]
fn a_group_whose_last_member_leaves_goes_and_the_ivr_follows() {
    let mut d = acme(3);
    for i in 0..3 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    let group = |m: &[&str]| GroupInput {
        members: m.iter().map(|x| x.to_string()).collect(),
        strategy: RingStrategy::Simultaneous,
        ring_seconds: 20,
        was: None,
    };
    let groups = vec![group(&["p0@example.com"]), group(&["p1@example.com"]), group(&["p0@example.com", "p2@example.com"])];
    d.set_distribution(&s(), "Sales", &DistributionInput { groups, fallthrough: Fallthrough::Drop, version: None }).unwrap();
    for digit in 1..=3 {
        d.set_ivr_option(&s(), "Sales", digit, Some(&IvrTarget::DistributionGroup { position: digit })).unwrap();
    }
    let shape = |d: &mut Seatdesk| {
        let detail = d.inbox_detail(&s(), "Sales").unwrap();
        let groups: Vec<(i64, Vec<String>)> = detail.distribution.groups.into_iter().map(|g| (g.position, g.members)).collect();
        let ivr: Vec<(i32, IvrTarget)> = detail.ivr.options.into_iter().map(|o| (o.digit, o.target)).collect();
        (groups, ivr)
    };

    let left = d.remove_inbox_member(&s(), "Sales", "p0@example.com", true).unwrap();
    assert!(left.message.contains("group 1 of Sales's Call Distribution: the group is removed"), "{}", left.message);
    let (groups, ivr) = shape(&mut d);
    assert_eq!(groups, [(1, vec!["p1@example.com".to_string()]), (2, vec!["p2@example.com".to_string()])]);
    assert_eq!(
        ivr,
        [(1, IvrTarget::None), (2, IvrTarget::DistributionGroup { position: 1 }), (3, IvrTarget::DistributionGroup { position: 2 })]
    );
    assert_eq!(d.check(None).unwrap(), vec![]);

    let deletion = d.delete_member(&s(), "p1@example.com", None, SeatChoice::Keep).unwrap();
    assert!(deletion.notes.iter().any(|n| n.contains("last member of group 1 of Sales")), "{:?}", deletion.notes);
    let (groups, ivr) = shape(&mut d);
    assert_eq!(groups, [(1, vec!["p2@example.com".to_string()])]);
    assert_eq!(ivr, [(1, IvrTarget::None), (2, IvrTarget::None), (3, IvrTarget::DistributionGroup { position: 1 })]);
    assert_eq!(d.check(None).unwrap(), vec![]);
    // An empty group written behind the service's back is named by `check`.
    d.sql("DELETE FROM distribution_member");
    let found = d.check(None).unwrap();
    assert!(found.iter().any(|v| v.rule == "routing" && v.message.contains("group 1 of Sales has nobody in it")), "{found:?}");
}

/// An Observer joins an inbox to read: the message says so (it once said
/// the Ring Group was full), and no routing setting names them.
#[test]
fn an_observer_joins_an_inbox_to_read_only() {
    let mut d = acme(1);
    d.change_role(&s(), "p0@example.com", Role::Observer, SeatChoice::Keep).unwrap();
    let joined = add(&mut d, "p0@example.com");
    assert!(joined.changed && joined.message.contains("to read its conversations"), "{}", joined.message);
    let sales = d.inbox_detail(&s(), "Sales").unwrap();
    assert!(sales.members.contains(&"p0@example.com".to_string()));
    assert!(sales.conversation_assignment.members.is_empty() && sales.ring_group.members.is_empty());
    // "Add me" as the Owner: one step, and the Owner is then in the rotation.
    assert!(d.add_me(&s(), "Sales").unwrap().changed);
    assert_eq!(d.inbox_detail(&s(), "Sales").unwrap().conversation_assignment.members, ["olivia@acme.example.com"]);
}

/// A full simultaneous group (10) still lets a member leave it one at a time.
#[test]
fn a_full_simultaneous_group_still_lets_one_member_leave() {
    let mut d = acme(11);
    for i in 0..11 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    let ten: Vec<String> = (0..10).map(|i| format!("p{i}@example.com")).collect();
    let group = GroupInput { members: ten, strategy: RingStrategy::Simultaneous, ring_seconds: 20, was: None };
    d.set_distribution(&s(), "Sales", &DistributionInput { groups: vec![group], fallthrough: Fallthrough::Drop, version: None }).unwrap();
    assert_eq!(d.set_distribution_member(&s(), "Sales", 1, "p10@example.com", true).unwrap_err().code, ErrorCode::RingGroupFull);
    assert!(
        !d.set_distribution_member(&s(), "Sales", 1, "p10@example.com", false).unwrap().changed,
        "not in it: nothing to remove, no limit met"
    );
    assert!(d.set_distribution_member(&s(), "Sales", 1, "p3@example.com", false).unwrap().changed);
    assert_eq!(d.inbox_detail(&s(), "Sales").unwrap().distribution.groups[0].members.len(), 9);
}

/// A move to Observer says what its hand-over did, as a deletion does: the
/// inbox whose default assignee they were is round robin again, and the
/// distribution group they were alone in went (found by trying the CLI).
#[test]
fn a_move_to_observer_says_what_it_handed_over() {
    let mut d = acme(2);
    add(&mut d, "p0@example.com");
    add(&mut d, "p1@example.com");
    let group = |m: &str| GroupInput { members: vec![m.to_string()], strategy: RingStrategy::Simultaneous, ring_seconds: 20, was: None };
    d.set_distribution(
        &s(),
        "Sales",
        &DistributionInput {
            groups: vec![group("p1@example.com"), group("p0@example.com")],
            fallthrough: Fallthrough::Drop,
            version: None,
        },
    )
    .unwrap();
    d.set_assignment(&s(), "Sales", &AssignmentChange { round_robin: None, default_assignee: Some("p0@example.com".into()) }).unwrap();
    d.set_ivr_option(&s(), "Sales", 3, Some(&IvrTarget::Member { email: "p0@example.com".into() })).unwrap();
    let r = d.change_role_reassigning(&s(), "p0@example.com", Role::Observer, SeatChoice::Keep, None).unwrap();
    assert!(r.changed);
    assert!(r.notes.iter().any(|n| n.starts_with("IVR digit 3 of Sales rang p0@example.com")), "{:?}", r.notes);
    assert!(
        !d.change_role_reassigning(&s(), "p0@example.com", Role::Observer, SeatChoice::Remove, None).unwrap().changed,
        "an Observer already"
    );
    assert_eq!((r.member.role, r.reassigned_to.as_deref()), (Role::Observer, Some("olivia@acme.example.com")));
    assert!(r.notes.iter().any(|n| n.contains("default assignee of Sales")), "{:?}", r.notes);
    assert!(r.notes.iter().any(|n| n.contains("last member of group 2 of Sales")), "{:?}", r.notes);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["role"], "observer", "the member's own fields stay at the top level");
}

/// A full simultaneous Ring Group (10) refuses an eleventh, but adding
/// someone already in it, or to the Conversation Assignment, is no
/// business of its limit; `check` names a group over the limit.
#[test]
fn the_ring_groups_limit_counts_only_newcomers_to_it() {
    let mut d = acme(11);
    for i in 0..10 {
        add(&mut d, &format!("p{i}@example.com"));
    }
    d.set_ring_group(&s(), "Sales", Some(RingStrategy::Simultaneous), Some(20)).unwrap();
    d.add_inbox_member(&s(), "Sales", "p10@example.com").unwrap();
    assert!(
        !d.inbox_detail(&s(), "Sales").unwrap().ring_group.members.contains(&"p10@example.com".to_string()),
        "the full ring group was left as it was"
    );
    assert_eq!(d.set_routing_member(&s(), "Sales", true, "p10@example.com", true).unwrap_err().code, ErrorCode::RingGroupFull);
    assert!(!d.set_routing_member(&s(), "Sales", true, "p3@example.com", true).unwrap().changed, "already in it");
    d.set_routing_member(&s(), "Sales", false, "p3@example.com", false).unwrap();
    assert!(d.set_routing_member(&s(), "Sales", false, "p3@example.com", true).unwrap().changed, "the assignment has no such limit");
    d.sql(
        "INSERT INTO ring_group_member (inbox_id, member_id)
         SELECT (SELECT id FROM inbox WHERE name = 'Sales'), id FROM member WHERE email = 'p10@example.com'",
    );
    let found = d.check(None).unwrap();
    assert!(found.iter().any(|v| v.message.contains("simultaneous Ring Group of Sales has more than 10")), "{found:?}");
}
