//! Deleting a member (rules §6): what they hold goes to an heir, their seat
//! is kept or removed, in one transaction; a pending invite is revoked.

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::cannot_change_self;
use super::handover::{hand_over, holdings_of, reassign_heir, remove_freed_seat, HandOver, Holdings, InBulk, RoutedConversations};
use super::invite::{revoke_tx, SeatChoice};
use crate::domain::{Member, Permission, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::accounts::seat_summary;
use crate::service::billing::renew_due;
use crate::service::member_by_email;
use crate::service::{resolve, Ctx, Scope, Seatdesk};
use crate::store::Tx;
use chrono::NaiveDate;

/// The outcome of a deletion.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Deletion {
    pub deleted: String,
    pub reassigned_to: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub inboxes: i64,
    /// True when the target was a pending invite, which is revoked instead.
    pub revoked_invite: bool,
    pub seats: SeatSummary,
    /// Conversations in inboxes the heir is not in, which went where each
    /// inbox's Conversation Assignment sent them (not counted above).
    pub routed: Vec<RoutedConversations>,
    /// What else changed: inboxes whose default assignee this was, now
    /// round robin again.
    pub notes: Vec<String>,
}

impl Seatdesk {
    /// What a member holds (the Delete member wizard, `members show`).
    pub fn holdings(&mut self, scope: &Scope, email: &str) -> Result<Holdings> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read members")?;
            let member = member_by_email(tx, ctx.account.id, email)?;
            holdings_of(tx, &member)
        })
    }

    /// Deletes a member in one transaction: their conversations, contacts and
    /// inbox ownership go to `reassign_to` (the acting member by default),
    /// they leave every inbox and routing setting, and their seat is kept
    /// (unassigned) or removed. A pending invite is revoked instead.
    pub fn delete_member(&mut self, scope: &Scope, email: &str, reassign_to: Option<&str>, seat: SeatChoice) -> Result<Deletion> {
        self.write(|tx, today| {
            let mut ctx = resolve(tx, scope, Permission::ManageAccount, "delete members")?;
            ctx.account = renew_due(tx, ctx.account, today)?.0;
            let target = member_by_email(tx, ctx.account.id, email)?;
            let d = delete_tx(tx, &ctx, today, target, reassign_to, seat, None)?;
            let seats = seat_summary(tx, &tx.accounts().by_id(ctx.account.id)?)?;
            Ok(match d.handed {
                None => Deletion { deleted: d.email, reassigned_to: None, conversations: 0, contacts: 0, inboxes: 0, revoked_invite: true, seats, routed: vec![], notes: vec![] },
                Some(h) => Deletion {
                    deleted: d.email,
                    reassigned_to: d.heir,
                    conversations: h.conversations,
                    contacts: h.contacts,
                    inboxes: h.inboxes,
                    revoked_invite: false,
                    seats,
                    routed: h.routed,
                    notes: h.notes,
                },
            })
        })
    }
}

/// What [`delete_tx`] did: an invite revoked (`handed` none), or a member
/// deleted and their work handed to `heir`.
pub(crate) struct Deleted {
    pub email: String,
    pub heir: Option<String>,
    pub handed: Option<HandOver>,
}

/// Deletes `target` inside the caller's transaction (one member of a bulk
/// delete, or [`Seatdesk::delete_member`]).
pub(crate) fn delete_tx(
    tx: &Tx,
    ctx: &Ctx,
    today: NaiveDate,
    target: Member,
    reassign_to: Option<&str>,
    seat: SeatChoice,
    bulk: Option<&InBulk>,
) -> Result<Deleted> {
    if target.status == Status::Pending {
        // A pending invite is revoked, and its reserved seat removed
        // when asked, in this one transaction.
        revoke_tx(tx, ctx, today, &target, Some(seat))?;
        if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
            remove_freed_seat(tx, ctx, today, &target.email)?;
        }
        return Ok(Deleted { email: target.email, heir: None, handed: None });
    }
    if target.role == Role::Owner {
        return Err(Error::new(ErrorCode::OwnerProtected, "The Owner cannot be deleted; transfer ownership first (a support action).")
            .with_details(json!({ "email": target.email })));
    }
    if target.id == ctx.actor.id {
        return Err(cannot_change_self("delete themselves"));
    }
    let heir = reassign_heir(tx, ctx, &target, reassign_to)?;
    let handed = hand_over(tx, &target, &heir, bulk)?;
    match bulk {
        // The rows go together at the end of the step; a removed seat's
        // ledger line counts the members as they are, so not those.
        Some(b) if seat == SeatChoice::Keep => b.deleted.borrow_mut().push(target.id),
        _ => tx.members().delete(target.id)?,
    }
    if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
        remove_freed_seat(tx, ctx, today, &target.email)?;
    }
    let details = json!({ "name": target.name, "role": target.role.as_str(), "reassigned_to": heir.email, "handed_over": handed.audit_details(), "seat": seat });
    InBulk::audit(bulk, tx, ctx, today, "member.delete", &target.email, details)?;
    Ok(Deleted { email: target.email, heir: Some(heir.email), handed: Some(handed) })
}
