//! Call Distribution and IVR: saved whole (with the version they were
//! opened at) or a piece at a time, each in one transaction.

use chrono::NaiveDate;
use serde_json::json;

use super::routing::MAX_GREETING_CHARS;
use super::routing::{
    detail, resolve_inbox, routing_member, DistributionInput, GroupInput, InboxDetail, IvrInput, IvrOptionInput, MembershipChange,
};
use super::{audit, Ctx, Scope, Seatdesk};
use crate::domain::routing::{check_group_count, check_group_size, check_ring_time, Fallthrough, IvrTarget};
use crate::domain::{check_version, Inbox, Permission};
use crate::error::{Error, ErrorCode, Result};
use crate::service::member_by_email;
use crate::store;
use crate::store::Tx;

impl Seatdesk {
    /// Replaces Call Distribution: at most five ordered groups of inbox
    /// members, and what happens after the last.
    pub fn set_distribution(&mut self, scope: &Scope, inbox: &str, input: &DistributionInput) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            save_distribution(tx, &ctx, today, &inbox, input)
        })
    }

    /// Changes what is given of Call Distribution (the groups, what happens
    /// after the last) and keeps the rest, in one transaction
    /// (`inboxes distribution NAME --group … | --fallthrough F | --clear`).
    pub fn edit_distribution(
        &mut self,
        scope: &Scope,
        inbox: &str,
        groups: Option<Vec<GroupInput>>,
        fallthrough: Option<Fallthrough>,
    ) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let current = detail(tx, &ctx, &inbox)?.distribution;
            let groups = groups.unwrap_or_else(|| {
                current
                    .groups
                    .into_iter()
                    .map(|g| GroupInput { members: g.members, strategy: g.strategy, ring_seconds: g.ring_seconds, was: None })
                    .collect()
            });
            let input = DistributionInput { groups, fallthrough: fallthrough.unwrap_or(current.fallthrough), version: None };
            save_distribution(tx, &ctx, today, &inbox, &input)
        })
    }

    /// Replaces the IVR: a greeting and digit options 0–9.
    pub fn set_ivr(&mut self, scope: &Scope, inbox: &str, input: &IvrInput) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            save_ivr(tx, &ctx, today, &inbox, input)
        })
    }

    /// Changes what is given of the IVR (greeting, options) and keeps the
    /// rest, in one transaction (`inboxes ivr NAME --greeting … | --option … | --clear`).
    pub fn edit_ivr(
        &mut self,
        scope: &Scope,
        inbox: &str,
        greeting: Option<String>,
        options: Option<Vec<IvrOptionInput>>,
    ) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let current = detail(tx, &ctx, &inbox)?.ivr;
            let options = options
                .unwrap_or_else(|| current.options.into_iter().map(|o| IvrOptionInput { digit: o.digit, target: o.target }).collect());
            let input = IvrInput { greeting: greeting.unwrap_or(current.greeting), options, version: None };
            save_ivr(tx, &ctx, today, &inbox, &input)
        })
    }

    /// Adds a member to, or removes them from, one Call Distribution group,
    /// in one transaction (`inboxes distribution NAME add|remove EMAIL --group N`).
    pub fn set_distribution_member(
        &mut self,
        scope: &Scope,
        inbox: &str,
        position: i64,
        email: &str,
        present: bool,
    ) -> Result<MembershipChange> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let groups = tx.routing().groups(inbox.id)?;
            let Some(group) = groups.iter().find(|g| g.position == position) else {
                return Err(Error::new(ErrorCode::NotFound, format!("Call Distribution of {} has no group {position}.", inbox.name))
                    .with_details(json!({ "kind": "distribution_group", "key": position })));
            };
            let member = if present {
                routing_member(tx, &ctx, &inbox, email, "Call Distribution")?
            } else {
                member_by_email(tx, ctx.account.id, email)?
            };
            if present && !group.members.iter().any(|m| m.id == member.id) {
                check_group_size(group.strategy, group.members.len() + 1, &format!("Group {position}"))?;
            }
            if !present && group.members.len() == 1 && group.members[0].id == member.id {
                return Err(empty_group(&inbox, position));
            }
            let changed = tx.routing().set_group_member(inbox.id, position, member.id, present)?;
            if changed {
                let action = if present { "routing.distribution_add" } else { "routing.distribution_remove" };
                audit(tx, &ctx, today, action, &inbox.name, json!({ "group": position, "member": member.email }))?;
            }
            let message = match (changed, present) {
                (true, true) => format!("{} is in group {position} of {}'s Call Distribution.", member.email, inbox.name),
                (true, false) => format!("{} left group {position} of {}'s Call Distribution.", member.email, inbox.name),
                (false, true) => format!("{} was in group {position} already; nothing changed.", member.email),
                (false, false) => format!("{} was not in group {position}; nothing changed.", member.email),
            };
            Ok(MembershipChange { changed, message, removed_from: vec![] })
        })
    }

    /// Sets one IVR digit, or with `None` clears it, in one transaction
    /// (`inboxes ivr NAME set-option D TARGET`, `clear-option D`).
    pub fn set_ivr_option(&mut self, scope: &Scope, inbox: &str, digit: i32, target: Option<&IvrTarget>) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let row = target.map(|t| ivr_row(tx, &ctx, &inbox, &IvrOptionInput { digit, target: t.clone() })).transpose()?;
            if row.is_none() && !(0..=9).contains(&digit) {
                return Err(Error::new(ErrorCode::InvalidIvrOption, format!("Digit {digit} is not a digit 0–9."))
                    .with_details(json!({ "digit": digit })));
            }
            let current = tx.routing().ivr_options(inbox.id)?.into_iter().find(|o| o.0 == i64::from(digit));
            if current != row {
                tx.routing().set_ivr_option(inbox.id, i64::from(digit), row.as_ref())?;
                audit(tx, &ctx, today, "routing.ivr_option", &inbox.name, json!({ "digit": digit, "target": row.as_ref().map(|r| &r.1) }))?;
            }
            detail(tx, &ctx, &inbox)
        })
    }
}

/// A distribution group would be left with nobody in it (found by trying
/// the window: "2 group(s), 40 s in all" rang into nothing).
fn empty_group(inbox: &Inbox, position: i64) -> Error {
    Error::new(
        ErrorCode::InvalidDistribution,
        format!("Group {position} of {}'s Call Distribution would have nobody in it, so callers would ring into nothing: add a member to it, or remove the group.", inbox.name),
    )
    .with_details(json!({ "inbox": inbox.name, "group": position }))
}

/// One IVR option as stored, its digit and target checked: a member must
/// be an Active member of the inbox who holds work, a group must exist.
fn ivr_row(tx: &Tx, ctx: &Ctx, inbox: &Inbox, o: &IvrOptionInput) -> Result<store::routing::IvrRow> {
    if !(0..=9).contains(&o.digit) {
        return Err(Error::new(ErrorCode::InvalidIvrOption, format!("Digit {} is not a free digit 0–9.", o.digit))
            .with_details(json!({ "digit": o.digit })));
    }
    let digit = i64::from(o.digit);
    Ok(match &o.target {
        IvrTarget::Member { email } => (digit, "member".to_string(), Some(routing_member(tx, ctx, inbox, email, "an IVR digit")?.id), None),
        IvrTarget::RingGroup => (digit, "ring_group".to_string(), None, None),
        IvrTarget::DistributionGroup { position } => {
            if !tx.routing().groups(inbox.id)?.iter().any(|g| g.position == i64::from(*position)) {
                return Err(Error::new(ErrorCode::NotFound, format!("Call Distribution has no group {position}."))
                    .with_details(json!({ "kind": "distribution_group", "key": position })));
            }
            (digit, "distribution_group".to_string(), None, Some(i64::from(*position)))
        }
        IvrTarget::Voicemail => (digit, "voicemail".to_string(), None, None),
        IvrTarget::None => (digit, "none".to_string(), None, None),
    })
}

fn save_distribution(tx: &Tx, ctx: &Ctx, today: NaiveDate, inbox: &Inbox, input: &DistributionInput) -> Result<InboxDetail> {
    check_version(
        input.version.as_deref(),
        &detail(tx, ctx, inbox)?.distribution.version,
        &format!("Call Distribution of {}", inbox.name),
    )?;
    check_group_count(input.groups.len())?;
    let mut groups = Vec::with_capacity(input.groups.len());
    for (i, g) in input.groups.iter().enumerate() {
        check_ring_time(g.ring_seconds)?;
        let mut ids = Vec::new();
        for email in &g.members {
            let id = routing_member(tx, ctx, inbox, email, "Call Distribution")?.id;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.is_empty() {
            return Err(empty_group(inbox, i as i64 + 1));
        }
        check_group_size(g.strategy, ids.len(), &format!("Group {}", i + 1))?;
        groups.push((g.strategy, g.ring_seconds, ids));
    }
    // IVR digits follow their group when the save says where each came from
    // (read before the groups are replaced, which renumbers them).
    let follow = input.groups.iter().any(|g| g.was.is_some());
    let ivr_before = if follow { tx.routing().ivr_options(inbox.id)? } else { Vec::new() };
    tx.routing().replace_groups(inbox.id, &groups)?;
    if follow {
        let moved: Vec<(i64, i64)> = input.groups.iter().enumerate().filter_map(|(i, g)| g.was.map(|was| (was, i as i64 + 1))).collect();
        for (digit, target, _, position) in ivr_before {
            let Some(old) = position.filter(|_| target == "distribution_group") else { continue };
            let row = match moved.iter().find(|(was, _)| *was == old) {
                Some(&(_, new)) if new == old => continue,
                Some(&(_, new)) => (digit, "distribution_group".to_string(), None, Some(new)),
                None => (digit, "none".to_string(), None, None),
            };
            tx.routing().set_ivr_option(inbox.id, digit, Some(&row))?;
        }
    }
    let mut s = tx.routing().settings(inbox.id)?;
    s.fallthrough = input.fallthrough;
    tx.routing().save_settings(inbox.id, &s)?;
    audit(
        tx,
        ctx,
        today,
        "routing.distribution",
        &inbox.name,
        json!({ "groups": input.groups.len(), "fallthrough": input.fallthrough.as_str() }),
    )?;
    detail(tx, ctx, inbox)
}

fn save_ivr(tx: &Tx, ctx: &Ctx, today: NaiveDate, inbox: &Inbox, input: &IvrInput) -> Result<InboxDetail> {
    check_version(input.version.as_deref(), &detail(tx, ctx, inbox)?.ivr.version, &format!("The IVR of {}", inbox.name))?;
    let greeting = input.greeting.trim();
    if greeting.chars().count() > MAX_GREETING_CHARS {
        return Err(Error::new(ErrorCode::InvalidIvrOption, format!("The greeting is longer than {MAX_GREETING_CHARS} characters.")));
    }
    let mut rows = Vec::new();
    for o in &input.options {
        if rows.iter().any(|(d, ..): &store::routing::IvrRow| *d == i64::from(o.digit)) {
            return Err(Error::new(ErrorCode::InvalidIvrOption, format!("Digit {} is not a free digit 0–9.", o.digit))
                .with_details(json!({ "digit": o.digit })));
        }
        rows.push(ivr_row(tx, ctx, inbox, o)?);
    }
    tx.routing().replace_ivr_options(inbox.id, &rows)?;
    let mut s = tx.routing().settings(inbox.id)?;
    s.ivr_greeting = greeting.to_string();
    tx.routing().save_settings(inbox.id, &s)?;
    audit(tx, ctx, today, "routing.ivr", &inbox.name, json!({ "options": rows.len() }))?;
    detail(tx, ctx, inbox)
}
