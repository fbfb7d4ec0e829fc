//! Inboxes (rules §4, §7): create, list and show them, and who is in them
//! (add, "Add me", remove with the routing guard). Numbers past the included
//! one are bought through a quote, never silently.

use chrono::NaiveDate;
use serde_json::json;

use super::billing::{apply_number_purchase, check_new_number, number_quote};
use super::routing::{
    detail, group_removed_note, join_routing, resolve_inbox, route_away, settings_with, InboxDetail, MembershipChange, StillAssigned,
};
use super::{audit, now_stamp, resolve, Ctx, InboxView, NewInbox, Scope, Seatdesk};
use crate::domain::billing::check_fresh;
use crate::domain::money::format_cents;
use crate::domain::routing::MAX_SIMULTANEOUS;
use crate::domain::text::parse_name;
use crate::domain::{Inbox, Member, Permission, Role, Status};
use crate::error::{to_details, Error, ErrorCode, Result};
use crate::service::member_by_email;
use crate::store::routing::List;
use crate::store::Tx;

impl Seatdesk {
    pub fn inboxes(&mut self, scope: &Scope) -> Result<Vec<InboxView>> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "list inboxes")?;
            Ok(tx
                .inboxes()
                .list(ctx.account.id)?
                .into_iter()
                .map(InboxView::from)
                .collect())
        })
    }

    /// Creates an inbox owned by the acting member. A number may be given
    /// only while it is the account's included one.
    pub fn create_inbox(&mut self, scope: &Scope, new: &NewInbox) -> Result<InboxView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "create inboxes")?;
            let name = new_inbox_name(tx, ctx.account.id, &new.name, None)?;
            let number = match new.number.as_deref().map(str::trim) {
                Some(n) if !n.is_empty() => Some(check_new_number(tx, &ctx.account, None, n)?),
                _ => None,
            };
            let quote = match &number {
                Some(n) => {
                    let quote = number_quote(tx, &ctx.account, today, &name, n)?;
                    if !quote.included && new.quote_id.is_none() {
                        return Err(Error::new(
                            ErrorCode::QuoteRequired,
                            format!(
                                "The plan's included number is in use, so {n} is billed: {} {cur} now, then {} {cur} per period. Confirm with this quote to create the inbox and buy it.",
                                format_cents(quote.due_now_cents),
                                format_cents(quote.unit_cents),
                                cur = quote.currency
                            ),
                        )
                        .with_details(json!({ "number": n, "quote": quote })));
                    }
                    check_fresh(new.quote_id.as_deref().filter(|_| !quote.included), &quote)?;
                    Some(quote)
                }
                None => None,
            };
            let id = tx.inboxes().insert(ctx.account.id, &name, None, ctx.actor.id, &now_stamp())?;
            audit(tx, &ctx, today, "inbox.create", &name, json!({ "number": number }))?;
            if let (Some(n), Some(quote)) = (&number, &quote) {
                let inbox = tx.inboxes().by_id(id)?;
                apply_number_purchase(tx, &ctx, today, &inbox, n, quote)?;
            }
            Ok(InboxView {
                name,
                awaiting_number: number.is_none(),
                number,
                owner: ctx.actor.email.clone(),
                owner_name: ctx.actor.name.clone(),
                member_count: 0,
            })
        })
    }
}

impl Seatdesk {
    /// One inbox with its members and all four settings.
    pub fn inbox_detail(&mut self, scope: &Scope, inbox: &str) -> Result<InboxDetail> {
        self.read(|tx, _| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::Read, "read inboxes", inbox)?;
            detail(tx, &ctx, &inbox)
        })
    }

    /// Adds an Active member to the inbox, its Conversation Assignment and
    /// its Ring Group. Adding someone already there changes nothing.
    pub fn add_inbox_member(&mut self, scope: &Scope, inbox: &str, email: &str) -> Result<MembershipChange> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "manage inbox members", inbox)?;
            let member = member_by_email(tx, ctx.account.id, email)?;
            join_inbox(tx, &ctx, today, &inbox, &member)
        })
    }

    /// "Add me": an Owner or Admin joins an inbox to see its conversations.
    pub fn add_me(&mut self, scope: &Scope, inbox: &str) -> Result<MembershipChange> {
        self.write(|tx, today| {
            resolve(tx, scope, Permission::ManageAccount, "add themselves to inboxes")?;
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "manage inbox members", inbox)?;
            let me = ctx.actor.clone();
            join_inbox(tx, &ctx, today, &inbox, &me)
        })
    }

    /// Takes a member out of an inbox (they stay in the account). Refused
    /// with `member_still_assigned`, naming each setting, while a setting
    /// references them, unless `everywhere`: then they leave all four first,
    /// in the same transaction.
    pub fn remove_inbox_member(&mut self, scope: &Scope, inbox: &str, email: &str, everywhere: bool) -> Result<MembershipChange> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "manage inbox members", inbox)?;
            let member = member_by_email(tx, ctx.account.id, email)?;
            if !tx.inboxes().of_member(member.id)?.iter().any(|i| i.id == inbox.id) {
                return Ok(MembershipChange { changed: false, message: format!("{} is not a member of {}; nothing changed.", member.email, inbox.name), removed_from: vec![] });
            }
            if member.status == Status::Pending {
                return Err(Error::new(
                    ErrorCode::EditInviteInstead,
                    format!("{} is invited to {}: edit the invite to change its inbox, or revoke it.", member.email, inbox.name),
                )
                .with_details(json!({ "email": member.email, "inbox": inbox.name })));
            }
            let settings = settings_with(tx, &inbox, &member)?;
            if !settings.is_empty() && !everywhere {
                let labels: Vec<&str> = settings.iter().map(|s| s.label.as_str()).collect();
                return Err(Error::new(
                    ErrorCode::MemberStillAssigned,
                    format!("{} is still in {} of {}: take them out of {} first.", member.email, labels.join(", "), inbox.name, if labels.len() == 1 { "it" } else { "each" }),
                )
                .with_details(to_details(&StillAssigned { email: member.email.clone(), inbox: inbox.name.clone(), settings })?));
            }
            let removed_from: Vec<String> = settings.into_iter().map(|s| s.setting).collect();
            tx.routing().remove(inbox.id, List::Assignment, member.id)?;
            tx.routing().remove(inbox.id, List::RingGroup, member.id)?;
            tx.routing().remove_from_groups(inbox.id, member.id)?;
            let groups_removed = tx.routing().drop_empty_groups(inbox.id)?;
            tx.routing().unlink_ivr_member(inbox.id, member.id)?;
            let mut s = tx.routing().settings(inbox.id)?;
            let mut message = format!("{} left {}.", member.email, inbox.name);
            for position in &groups_removed {
                message.push(' ');
                message.push_str(&group_removed_note(&member.email, &inbox.name, *position));
            }
            if s.default_assignee == Some(member.id) {
                // Conversation Assignment needs a target: back to round robin.
                s.default_assignee = None;
                s.round_robin = true;
                message.push_str(" They were its default assignee: Conversation Assignment is round robin again.");
            }
            tx.routing().save_settings(inbox.id, &s)?;
            tx.inboxes().remove_member(inbox.id, member.id)?;
            let (moved, to) = route_away(tx, &inbox, &member)?;
            if moved > 0 {
                message.push_str(&match &to {
                    Some(m) => format!(" Their {moved} conversation(s) here went to {} (Conversation Assignment).", m.email),
                    None => format!(" Their {moved} conversation(s) here are unassigned: nobody is in Conversation Assignment."),
                });
            }
            audit(
                tx,
                &ctx,
                today,
                "inbox.remove_member",
                &inbox.name,
                json!({ "member": member.email, "removed_from": removed_from, "groups_removed": groups_removed, "conversations": moved, "conversations_to": to.as_ref().map(|m| &m.email) }),
            )?;
            Ok(MembershipChange { changed: true, message, removed_from })
        })
    }
}

/// An Active member joins an inbox, and (holding work) its Conversation
/// Assignment and Ring Group; audited.
pub(crate) fn join_inbox(tx: &Tx, ctx: &Ctx, today: NaiveDate, inbox: &Inbox, member: &Member) -> Result<MembershipChange> {
    if member.status != Status::Active {
        // Not a matter of the acting member's role: edit the invite instead.
        return Err(Error::new(
            ErrorCode::EditInviteInstead,
            format!("{} has not accepted their invite yet; an invitee joins the inbox named in the invite (edit the invite to change it).", member.email),
        )
        .with_details(json!({ "email": member.email, "status": "pending" })));
    }
    if !tx.inboxes().add_member(inbox.id, member.id)? {
        return Ok(MembershipChange {
            changed: false,
            message: format!("{} is already a member of {}; nothing changed.", member.email, inbox.name),
            removed_from: vec![],
        });
    }
    let works = member.role != Role::Observer;
    let rang = works && join_routing(tx, inbox, member.id)?;
    audit(tx, ctx, today, "inbox.add_member", &inbox.name, json!({ "member": member.email, "ring_group": rang }))?;
    let message = if !works {
        format!(
            "{} joined {} to read its conversations (Observers hold no work, so no routing setting names them).",
            member.email, inbox.name
        )
    } else if rang {
        format!("{} joined {} and its Conversation Assignment and Ring Group.", member.email, inbox.name)
    } else {
        format!(
            "{} joined {} and its Conversation Assignment; the Ring Group rings simultaneously and is full ({MAX_SIMULTANEOUS}).",
            member.email, inbox.name
        )
    };
    Ok(MembershipChange { changed: true, message, removed_from: vec![] })
}

/// An inbox name as typed, checked: a name (`;` separates a member's
/// inboxes in a members export) no other inbox of the account holds in any
/// case (`except`: the inbox being renamed).
pub(crate) fn new_inbox_name(tx: &Tx, account: crate::domain::AccountId, typed: &str, except: Option<crate::domain::InboxId>) -> Result<String> {
    let name = parse_name("inbox", typed)?;
    if name.contains(';') {
        return Err(Error::new(ErrorCode::InvalidName, format!("The inbox name {name:?} is not valid: it cannot hold ';' (exports list inboxes as \"Sales; Support\")."))
            .with_details(json!({ "field": "inbox", "name": name, "reason": "contains ;" })));
    }
    if let Some(existing) = tx.inboxes().find_by_name(account, &name)?.filter(|e| Some(e.id) != except) {
        return Err(Error::new(ErrorCode::DuplicateInbox, format!("An inbox named {:?} exists already.", existing.name))
            .with_details(json!({ "name": existing.name })));
    }
    Ok(name)
}
