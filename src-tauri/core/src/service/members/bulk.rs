//! Work on many members at once (issue #21): resend or revoke invites,
//! change a role, add to an inbox, delete. One transaction for the whole
//! selection, each member's change made and audited as the one-member
//! action makes it: all or nothing. A preview runs the same transaction
//! and rolls it back, so what it shows is what applying does.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use specta::Type;

use super::delete::delete_tx;
use super::handover::{leave_routing, InBulk};
use super::invite::{resend_tx, revoke_tx, SeatChoice};
use super::list::matching;
use super::{require_pending, resolve_manage};
use super::role::change_role_tx;
use crate::domain::text::count;
use crate::domain::{Member, Permission, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::accounts::seat_summary;
use crate::domain::billing::check_fresh;
use crate::service::billing::{apply_seat_purchase, no_free_seats, seats_quote};
use crate::service::inboxes::join_inbox;
use crate::domain::email::EmailKey;
use crate::service::{audit_many, resolve, Ctx, MemberQuery, Purchase, Scope, Seatdesk};
use crate::store::Tx;

/// The most members one bulk action takes.
pub const MAX_BULK: usize = 10_000;

/// What to do to every selected member.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkAction {
    /// Record a resend of each pending invite.
    Resend,
    /// Withdraw each pending invite (reserved seats become unassigned).
    Revoke,
    /// Give each the role; seats freed by a move to Observer are kept or
    /// removed, and their work goes to `reassign_to` (you by default).
    ChangeRole { role: Role, seat: SeatChoice, reassign_to: Option<String> },
    /// Add each Active member to the inbox (those in it already stay).
    AddToInbox { inbox: String },
    /// Delete each (a pending invite is revoked): their work goes to
    /// `reassign_to` (you by default), their seats are kept or removed.
    Delete { seat: SeatChoice, reassign_to: Option<String> },
}

/// Which members: those named, or every member matching a filter.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct Selection {
    /// Addresses chosen one by one.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Every member matching these filters (status, role, search, pending
    /// days; its paging is ignored), instead of `emails`.
    #[serde(default)]
    pub matching: Option<MemberQuery>,
}

/// What a bulk action did (or, previewed, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BulkOutcome {
    /// False for a preview: nothing was kept.
    pub applied: bool,
    /// The members selected, in order.
    pub members: Vec<String>,
    /// How many changed (the others were that way already).
    #[specta(type = specta_typescript::Number)]
    pub changed: i64,
    pub seats_before: SeatSummary,
    pub seats: SeatSummary,
    /// Seats bought first at the `no_free_seats` quote.
    pub purchase: Option<Purchase>,
    /// Work handed over by deletions and moves to Observer.
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub inboxes: i64,
    /// Where conversations were routed, defaults gone back to round robin.
    pub notes: Vec<String>,
}

/// Says which member an error is about (the whole selection was refused).
fn about(mut e: Error, email: &str) -> Error {
    e.message = format!("{email}: {} Nothing was changed.", e.message.trim_end_matches(" Nothing was changed."));
    let mut details = e.details.take().unwrap_or_else(|| json!({}));
    if let Value::Object(map) = &mut details {
        map.insert("member".into(), json!(email));
    }
    e.details = Some(details);
    e
}

fn selected(tx: &Tx, ctx: &Ctx, selection: &Selection) -> Result<Vec<Member>> {
    let members = match &selection.matching {
        Some(query) => matching(tx, ctx.account.id, query, MAX_BULK + 1)?,
        None => {
            let keys: Vec<EmailKey> = selection.emails.iter().map(|e| EmailKey::of(e)).collect();
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for (found, typed) in tx.members().find_many(ctx.account.id, &keys)?.into_iter().zip(&selection.emails) {
                let m = found.ok_or_else(|| Error::not_found("member", typed.trim()))?;
                if seen.insert(m.id) {
                    out.push(m);
                }
            }
            out
        }
    };
    if members.is_empty() {
        return Err(Error::new(ErrorCode::InvalidQuantity, "Choose at least one member.").with_details(json!({ "selected": 0 })));
    }
    if members.len() > MAX_BULK {
        return Err(Error::new(ErrorCode::InvalidQuantity, format!("At most {MAX_BULK} members at once: narrow the filter."))
            .with_details(json!({ "max": MAX_BULK })));
    }
    Ok(members)
}

/// Buys the seats a change to a paid role lacks (at the refusal's quote),
/// or refuses with that quote.
fn seats_for_roles(tx: &Tx, ctx: &mut Ctx, today: NaiveDate, members: &[Member], role: Role, quote_id: Option<&str>) -> Result<Option<Purchase>> {
    if !role.takes_paid_seat() {
        return Ok(None);
    }
    let needed = members.iter().filter(|m| !m.role.takes_paid_seat() && m.role != Role::Owner).count() as i64;
    let free = seat_summary(tx, &ctx.account)?.unassigned;
    if needed <= free {
        return Ok(None);
    }
    let Some(quote_id) = quote_id else {
        return Err(no_free_seats(tx, &ctx.account, today, (needed, free), "Those roles take paid seats:", None)?);
    };
    let quote = seats_quote(tx, &ctx.account, today, needed - free)?;
    check_fresh(Some(quote_id), &quote)?;
    apply_seat_purchase(tx, ctx, today, &quote, "bought for a role change")?;
    ctx.account = tx.accounts().by_id(ctx.account.id)?;
    Ok(Some(Purchase { charged_cents: quote.due_now_cents, seats: seat_summary(tx, &ctx.account)?, quote }))
}

fn bulk_tx(tx: &Tx, scope: &Scope, today: NaiveDate, selection: &Selection, action: &BulkAction, quote_id: Option<&str>) -> Result<BulkOutcome> {
    // Adding to an inbox is the inbox managers' (a Manager too), as one at a time.
    let mut ctx = match action {
        BulkAction::AddToInbox { .. } => resolve(tx, scope, Permission::ManageInboxes, "manage inbox members")?,
        _ => resolve_manage(tx, scope, today, "change members")?,
    };
    let members = selected(tx, &ctx, selection)?;
    let seats_before = seat_summary(tx, &ctx.account)?;
    let mut out = BulkOutcome {
        applied: false,
        members: members.iter().map(|m| m.email.clone()).collect(),
        changed: 0,
        seats: seats_before.clone(),
        seats_before,
        purchase: None,
        conversations: 0,
        contacts: 0,
        inboxes: 0,
        notes: vec![],
    };
    if let BulkAction::ChangeRole { role, .. } = action {
        out.purchase = seats_for_roles(tx, &mut ctx, today, &members, *role, quote_id)?;
    }
    let inbox = match action {
        BulkAction::AddToInbox { inbox } => Some(tx.inboxes().by_name(ctx.account.id, inbox)?),
        _ => None,
    };
    // Everyone whose work is handed over leaves routing first: the
    // Conversation Assignment then sends their conversations to those who
    // stay, never from one leaver to the next.
    let leaving = |m: &Member| match action {
        BulkAction::Delete { .. } => m.status == Status::Active && m.role != Role::Owner && m.id != ctx.actor.id,
        BulkAction::ChangeRole { role, .. } => m.status == Status::Active && m.role.takes_paid_seat() && !role.takes_paid_seat() && *role != Role::Owner,
        _ => false,
    };
    for m in members.iter().filter(|m| leaving(m)) {
        out.notes.extend(leave_routing(tx, m)?);
    }
    let mut routed = BTreeMap::new();
    let bulk = InBulk::default();
    for m in &members {
        let changed = one(tx, &ctx, today, m, action, inbox.as_ref(), &bulk, &mut out, &mut routed).map_err(|e| about(e, &m.email))?;
        out.changed += changed as i64;
    }
    tx.members().delete_many(&bulk.deleted.borrow())?;
    for (inbox, settings) in bulk.settings.borrow().iter() {
        tx.routing().save_settings(*inbox, settings)?;
    }
    let entries = bulk.entries.into_inner();
    audit_many(tx, &ctx, today, "member.delete", entries.iter().map(|(target, details)| (target.as_str(), details.clone())))?;
    // Where conversations ended up: a leaver's conversations routed to
    // another leaver went on with that one's (so are counted there).
    let leaving: HashSet<&String> = out.members.iter().collect();
    let mut notes: Vec<String> = routed
        .into_iter()
        .filter(|((_, to), _)| match to {
            Some(to) => !leaving.contains(to),
            None => true,
        })
        .map(|((inbox, to), n)| {
            // Said alike in a preview and after: where they end, and why not with the heir.
            let what = count(n, "conversation", "conversations");
            match to {
                Some(to) => format!("{what} of {inbox}: to {to}, by its Conversation Assignment (the heir is not in {inbox})."),
                None => format!("{what} of {inbox}: unassigned (the heir is not in {inbox}, and nobody is in its Conversation Assignment)."),
            }
        })
        .collect();
    notes.append(&mut out.notes);
    out.notes = notes;
    out.seats = seat_summary(tx, &tx.accounts().by_id(ctx.account.id)?)?;
    Ok(out)
}

/// Conversations routed away, by (inbox, to whom), summed.
type Routed = BTreeMap<(String, Option<String>), i64>;

/// The action on one member; whether it changed anything.
#[allow(clippy::too_many_arguments)]
fn one(
    tx: &Tx,
    ctx: &Ctx,
    today: NaiveDate,
    m: &Member,
    action: &BulkAction,
    inbox: Option<&crate::domain::Inbox>,
    bulk: &InBulk,
    out: &mut BulkOutcome,
    routed: &mut Routed,
) -> Result<bool> {
    let mut handed = |conversations, contacts, inboxes, moved: Vec<super::RoutedConversations>, notes: Vec<String>| {
        out.conversations += conversations;
        out.contacts += contacts;
        out.inboxes += inboxes;
        for r in moved {
            *routed.entry((r.inbox, r.to)).or_default() += r.conversations;
        }
        out.notes.extend(notes);
    };
    match action {
        BulkAction::Resend => resend_tx(tx, ctx, today, m).map(|()| true),
        BulkAction::Revoke => {
            require_pending(m)?;
            revoke_tx(tx, ctx, today, m, None).map(|()| true)
        }
        BulkAction::ChangeRole { role, seat, reassign_to } => {
            let r = change_role_tx(tx, ctx, today, m, *role, *seat, reassign_to.as_deref())?;
            handed(r.conversations, r.contacts, r.inboxes, r.routed, r.notes);
            Ok(r.changed)
        }
        BulkAction::AddToInbox { .. } => Ok(join_inbox(tx, ctx, today, inbox.expect("resolved above"), m)?.changed),
        BulkAction::Delete { seat, reassign_to } => {
            if let Some(h) = delete_tx(tx, ctx, today, m.clone(), reassign_to.as_deref(), *seat, Some(bulk))?.handed {
                handed(h.conversations, h.contacts, h.inboxes, h.routed, h.notes);
            }
            Ok(true)
        }
    }
}

impl Seatdesk {
    /// Applies `action` to every selected member in one transaction, or
    /// refuses the whole selection naming the member it stopped at. A
    /// change to a paid role that lacks seats is refused with the quote
    /// (`no_free_seats`); `buy_shortfall_quote` buys them first.
    pub fn bulk(&mut self, scope: &Scope, selection: &Selection, action: &BulkAction, buy_shortfall_quote: Option<&str>) -> Result<BulkOutcome> {
        let mut out = self.write(|tx, today| bulk_tx(tx, scope, today, selection, action, buy_shortfall_quote))?;
        out.applied = true;
        Ok(out)
    }

    /// What [`Seatdesk::bulk`] would do, or the refusal it would meet:
    /// the same transaction, rolled back.
    /// With `buy_shortfall_quote`, the purchase is part of what is shown.
    pub fn preview_bulk(&mut self, scope: &Scope, selection: &Selection, action: &BulkAction, buy_shortfall_quote: Option<&str>) -> Result<BulkOutcome> {
        self.trial(|tx, today| bulk_tx(tx, scope, today, selection, action, buy_shortfall_quote))
    }
}
