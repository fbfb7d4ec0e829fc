//! Deleting a member (rules §6): what they hold goes to an heir, their seat
//! is kept or removed, in one transaction; a pending invite is revoked.

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::cannot_change_self;
use super::handover::{hand_over, holdings_of, reassign_heir, remove_freed_seat, Holdings, RoutedConversations};
use super::invite::{revoke_tx, SeatChoice};
use crate::domain::{Member, Permission, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::accounts::seat_summary;
use crate::service::billing::renew_due;
use crate::service::member_by_email;
use crate::service::{audit, resolve, Ctx, Scope, Seatdesk};
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
            delete_tx(tx, &ctx, today, target, reassign_to, seat)
        })
    }
}

/// Deletes `target` inside the caller's transaction (one member of a bulk
/// delete, or [`Seatdesk::delete_member`]).
pub(crate) fn delete_tx(tx: &Tx, ctx: &Ctx, today: NaiveDate, target: Member, reassign_to: Option<&str>, seat: SeatChoice) -> Result<Deletion> {
    if target.status == Status::Pending {
        // A pending invite is revoked, and its reserved seat removed
        // when asked, in this one transaction.
        revoke_tx(tx, ctx, today, &target, Some(seat))?;
        if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
            remove_freed_seat(tx, ctx, today, &target.email)?;
        }
        // The seats as they are now, after any removal.
        let seats = seat_summary(tx, &tx.accounts().by_id(ctx.account.id)?)?;
        return Ok(Deletion { deleted: target.email, reassigned_to: None, conversations: 0, contacts: 0, inboxes: 0, revoked_invite: true, seats, routed: vec![], notes: vec![] });
    }
    if target.role == Role::Owner {
        return Err(Error::new(ErrorCode::OwnerProtected, "The Owner cannot be deleted; transfer ownership first (a support action).")
            .with_details(json!({ "email": target.email })));
    }
    if target.id == ctx.actor.id {
        return Err(cannot_change_self("delete themselves"));
    }
    let heir = reassign_heir(tx, ctx, &target, reassign_to)?;
    let handed = hand_over(tx, &target, &heir)?;
    tx.members().delete(target.id)?;
    if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
        remove_freed_seat(tx, ctx, today, &target.email)?;
    }
    audit(
        tx,
        ctx,
        today,
        "member.delete",
        &target.email,
        json!({ "name": target.name, "role": target.role.as_str(), "reassigned_to": heir.email, "handed_over": handed.audit_details(), "seat": seat }),
    )?;
    let account = tx.accounts().by_id(ctx.account.id)?;
    Ok(Deletion {
        deleted: target.email,
        reassigned_to: Some(heir.email),
        conversations: handed.conversations,
        contacts: handed.contacts,
        inboxes: handed.inboxes,
        revoked_invite: false,
        seats: seat_summary(tx, &account)?,
        routed: handed.routed,
        notes: handed.notes,
    })
}
