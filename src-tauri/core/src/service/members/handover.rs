//! What a member leaving their work hands over, and to whom: used by a
//! deletion and by a move to Observer (rules §2, §6).

use serde::Serialize;
use serde_json::json;
use specta::Type;

use crate::domain::billing::LedgerKind;
use crate::domain::email::EmailKey;
use crate::domain::{Member, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::routing::{group_removed_note, route_held_away};
use crate::service::{Ctx, MemberView};
use crate::store::Tx;

/// What a member holds, for the Delete member wizard and `members show`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Holdings {
    pub member: MemberView,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub owned_inboxes: i64,
    /// Routing settings they are in: "Inbox: setting".
    pub routing: Vec<String>,
}

/// How a bulk step runs each member's change: every leaver left routing
/// before the first hand-over, and the audit entries are gathered and
/// appended at the end, in order, in one batch.
#[derive(Default)]
pub(crate) struct InBulk {
    pub entries: std::cell::RefCell<Vec<(String, serde_json::Value)>>,
    /// The inboxes of the heir (one for the whole step), read once.
    heir_inboxes: std::cell::RefCell<Option<(crate::domain::MemberId, Vec<crate::domain::InboxId>)>>,
    /// Members deleted, whose rows go in one batch at the end.
    pub deleted: std::cell::RefCell<Vec<crate::domain::MemberId>>,
    /// Each inbox's routing row as round robin moved on, written at the end.
    pub settings: std::cell::RefCell<std::collections::BTreeMap<crate::domain::InboxId, crate::store::routing::Settings>>,
}

impl InBulk {
    fn inboxes_of(&self, conn: &Tx, heir: &Member) -> Result<Vec<crate::domain::InboxId>> {
        let mut cached = self.heir_inboxes.borrow_mut();
        if let Some((_, inboxes)) = cached.as_ref().filter(|(id, _)| *id == heir.id) {
            return Ok(inboxes.clone());
        }
        let inboxes: Vec<_> = conn.inboxes().of_member(heir.id)?.into_iter().map(|i| i.id).collect();
        *cached = Some((heir.id, inboxes.clone()));
        Ok(inboxes)
    }

    /// Appends `details` about `target` now, or (in a bulk step) with the rest.
    pub fn audit(bulk: Option<&InBulk>, tx: &Tx, ctx: &Ctx, today: chrono::NaiveDate, action: &str, target: &str, details: serde_json::Value) -> Result<()> {
        match bulk {
            Some(b) => {
                b.entries.borrow_mut().push((target.to_string(), details));
                Ok(())
            }
            None => crate::service::audit(tx, ctx, today, action, target, details),
        }
    }
}

/// Conversations of an inbox that went to its Conversation Assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RoutedConversations {
    pub inbox: String,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    /// `None`: nobody is in the assignment; they are unassigned.
    pub to: Option<String>,
}

/// What [`hand_over`] moved, and where.
pub(crate) struct HandOver {
    /// Conversations, contacts and inboxes that went to the heir.
    pub conversations: i64,
    pub contacts: i64,
    pub inboxes: i64,
    pub routed: Vec<RoutedConversations>,
    pub notes: Vec<String>,
}

impl HandOver {
    pub fn audit_details(&self) -> serde_json::Value {
        json!({ "conversations": self.conversations, "contacts": self.contacts, "inboxes": self.inboxes, "routed": self.routed, "notes": self.notes })
    }
}

pub(crate) fn holdings_of(conn: &Tx, member: &Member) -> Result<Holdings> {
    let (conversations, contacts, owned_inboxes) = conn.conversations().holdings(member.id)?;
    let routing = conn
        .routing()
        .settings_of_member(member.id)?
        .into_iter()
        .map(|(inbox, setting)| format!("{inbox}: {}", setting.replace('_', " ")))
        .collect();
    let inboxes = conn.inboxes().of_member(member.id)?.into_iter().map(|i| i.name).collect();
    Ok(Holdings { member: MemberView::new(member.clone(), inboxes), conversations, contacts, owned_inboxes, routing })
}

/// Active members with a paid role (or the Owner), other than `leaving`.
pub(crate) fn reassign_heir(conn: &Tx, ctx: &Ctx, leaving: &Member, to: Option<&str>) -> Result<Member> {
    let target = match to.map(str::trim).filter(|t| !t.is_empty()) {
        Some(email) => conn.members().find_by_email(ctx.account.id, &EmailKey::of(email))?,
        None => Some(ctx.actor.clone()),
    };
    match target {
        Some(t) if t.id != leaving.id && t.status == Status::Active && (t.role == Role::Owner || t.role.takes_paid_seat()) => Ok(t),
        _ => Err(Error::new(
            ErrorCode::InvalidReassignTarget,
            "Reassign to yourself or another Active member with a paid role (never the member leaving, never a pending invite or an Observer).",
        )
        .with_details(json!({ "reassign_to": to, "leaving": leaving.email }))),
    }
}

/// Takes `leaving` off every routing setting and moves what they hold to
/// `heir`: contacts and inbox ownership, and their conversations in every
/// inbox `heir` belongs to. In an inbox `heir` does not belong to, their
/// conversations go where its Conversation Assignment sends the next one
/// (or stay unassigned), so that a conversation is only ever held by a
/// member of its inbox.
pub(crate) fn hand_over(conn: &Tx, leaving: &Member, heir: &Member, bulk: Option<&InBulk>) -> Result<HandOver> {
    // A bulk step took every leaver off routing first ([`leave_routing`]).
    let notes = if bulk.is_some() { Vec::new() } else { leave_routing(conn, leaving)? };
    let heirs_inboxes = match bulk {
        Some(b) => b.inboxes_of(conn, heir)?,
        None => conn.inboxes().of_member(heir.id)?.into_iter().map(|i| i.id).collect(),
    };
    let mut routed = Vec::new();
    for inbox in conn.conversations().inboxes_held_by(leaving.id)? {
        if !heirs_inboxes.contains(&inbox.id) {
            let (n, to) = route_held_away(conn, &inbox, leaving, bulk)?;
            routed.push(RoutedConversations { inbox: inbox.name, conversations: n as i64, to: to.map(|m| m.email) });
        }
    }
    let (conversations, contacts, inboxes) = conn.conversations().reassign(leaving.id, heir.id)?;
    Ok(HandOver { conversations: conversations as i64, contacts: contacts as i64, inboxes: inboxes as i64, routed, notes })
}

/// Takes `leaving` off every routing setting; what that changed, in words.
/// A bulk step takes every leaver off first, so that no leaver's
/// conversations are routed to another who leaves with them (and on, one
/// after the other: quadratic in the leavers).
pub(crate) fn leave_routing(conn: &Tx, leaving: &Member) -> Result<Vec<String>> {
    let left = conn.routing().remove_member_everywhere(leaving.id)?;
    let mut notes: Vec<String> = left
        .back_to_round_robin
        .iter()
        .map(|i| format!("{} was the default assignee of {i}: its Conversation Assignment is round robin again.", leaving.email))
        .collect();
    notes.extend(left.groups_removed.iter().map(|(inbox, position)| group_removed_note(&leaving.email, inbox, *position)));
    notes.extend(left.ivr_unlinked.iter().map(|(inbox, digit)| {
        format!(
            "IVR digit {digit} of {inbox} rang {}: it stays, pointing nowhere (flagged) until it is given another target.",
            leaving.email
        )
    }));
    Ok(notes)
}

/// Books the removal of one seat freed by `who` (no refund).
pub(crate) fn remove_freed_seat(conn: &Tx, ctx: &Ctx, today: chrono::NaiveDate, who: &str) -> Result<()> {
    let account = conn.accounts().by_id(ctx.account.id)?;
    conn.accounts().set_purchased_seats(account.id, account.purchased_seats - 1)?;
    let note = format!("seat of {who}; no refund");
    crate::service::billing::book(conn, ctx, today, LedgerKind::SeatRemoval, 1, account.plan.seat_price_cents, 0, &note)
}
