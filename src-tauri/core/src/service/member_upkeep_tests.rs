//! Members over time (issue #21): invites that have waited, resent in one
//! step, and an Active member's name corrected.

use super::invite_tests::{acme, req, s};
use super::*;
use crate::domain::Role;

#[test]
fn invites_that_have_waited_are_listed_and_resent_in_one_step() {
    let mut d = acme(4);
    d.invite(&s(), &req(&["old@example.com", "older@example.com", "new@example.com"], Role::Member, Some("Sales"))).unwrap();
    d.invite(&s(), &req(&["ada@example.com"], Role::Admin, Some("Sales"))).unwrap();
    d.accept_invite(&s(), "ada@example.com", None).unwrap();
    // Age two invites (their sending time is the computer's clock).
    let days_ago = |n: i64| (chrono::Utc::now() - chrono::Duration::days(n)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    d.sql(&format!("UPDATE member SET last_sent_at = '{}' WHERE email = 'old@example.com'", days_ago(10)));
    d.sql(&format!("UPDATE member SET last_sent_at = '{}' WHERE email = 'older@example.com'", days_ago(40)));
    let waiting = |d: &mut Seatdesk, days: i64| -> Vec<String> {
        d.all_members(&s(), &MemberQuery { pending_days: Some(days), ..Default::default() }).unwrap().into_iter().map(|m| m.email).collect()
    };
    assert_eq!(waiting(&mut d, 30), ["older@example.com"]);
    assert_eq!(waiting(&mut d, 7), ["old@example.com", "older@example.com"]);
    let page = d.members(&s(), &MemberQuery { pending_days: Some(7), ..Default::default() }).unwrap();
    assert_eq!((page.total, page.pending_count), (2, 3), "the total counts the filter; the tabs still count all");
    assert_eq!(d.members(&s(), &MemberQuery { pending_days: Some(-1), ..Default::default() }).unwrap_err().code, ErrorCode::InvalidQuantity);
    // A Member may not resend; the Owner resends the two in one step.
    let member = Scope { acting_as: Some("ada@example.com".into()), ..Default::default() };
    d.change_role(&s(), "ada@example.com", Role::Member, SeatChoice::Keep).unwrap();
    assert_eq!(d.resend_stale(&member, 7).unwrap_err().code, ErrorCode::NotPermitted);
    let resent = d.resend_stale(&s(), 7).unwrap();
    assert_eq!(resent, ["old@example.com", "older@example.com"]);
    assert!(waiting(&mut d, 7).is_empty(), "sent again just now");
    let old = d.member(&s(), "older@example.com").unwrap();
    assert_eq!(old.resend_count, 1);
    let actions: Vec<_> = d.audit_log(&s(), 0, 2).unwrap().rows.into_iter().map(|r| (r.action, r.target)).collect();
    assert_eq!(actions, [("member.resend".to_string(), "older@example.com".to_string()), ("member.resend".into(), "old@example.com".into())]);
    assert!(d.resend_stale(&s(), 7).unwrap().is_empty(), "nothing left to resend");
    assert!(d.check(None).unwrap().is_empty());
}

#[test]
fn an_active_members_name_is_corrected_and_searched_by_it() {
    let mut d = acme(2);
    d.invite(&s(), &req(&["ana@example.com", "ben@example.com"], Role::Member, Some("Sales"))).unwrap();
    d.accept_invite(&s(), "ana@example.com", Some("Anna Lopes")).unwrap();
    let fixed = d.rename_member(&s(), "ANA@example.com", "  Ana López ").unwrap();
    assert_eq!(fixed.name, "Ana López");
    let found = d.members(&s(), &MemberQuery { search: Some("lópez".into()), ..Default::default() }).unwrap();
    assert_eq!(found.rows.iter().map(|m| m.email.as_str()).collect::<Vec<_>>(), ["ana@example.com"]);
    assert!(d.members(&s(), &MemberQuery { search: Some("lopes".into()), ..Default::default() }).unwrap().rows.is_empty());
    let entry = &d.audit_log(&s(), 0, 1).unwrap().rows[0];
    assert_eq!((entry.action.as_str(), entry.target.as_str()), ("member.rename", "ana@example.com"));
    assert_eq!(d.rename_member(&s(), "ben@example.com", "Ben").unwrap_err().code, ErrorCode::EditInviteInstead);
    assert_eq!(d.rename_member(&s(), "ana@example.com", " ").unwrap_err().code, ErrorCode::InvalidName);
    let ana = Scope { acting_as: Some("ana@example.com".into()), ..Default::default() };
    assert_eq!(d.rename_member(&ana, "ana@example.com", "Me").unwrap_err().code, ErrorCode::NotPermitted);
    assert!(d.check(None).unwrap().is_empty());
}
