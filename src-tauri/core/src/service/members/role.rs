//! Role changes (rules §2) and a member's own email.

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::handover::{hand_over, reassign_heir, remove_freed_seat, RoutedConversations};
use super::invite::SeatChoice;
use super::{cannot_change_self, email_taken, resolve_manage, resolve_target, view};
use crate::domain::email::EmailKey;
use crate::domain::text::parse_name;
use crate::domain::{Email, Member, Permission, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::accounts::seat_summary;
use crate::service::billing::no_free_seats;
use crate::service::{audit, resolve, Ctx, MemberView, Scope, Seatdesk};
use crate::store::Tx;
use chrono::NaiveDate;

/// A role change and what it handed over (a move to Observer, as a
/// deletion does): the counts, conversations routed elsewhere, and notes
/// (an inbox back to round robin, a distribution group gone).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RoleChange {
    /// The member as they are now (their fields at the top level in JSON).
    #[serde(flatten)]
    pub member: MemberView,
    /// False when the member had that role already (nothing changed).
    pub changed: bool,
    pub reassigned_to: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub inboxes: i64,
    pub routed: Vec<RoutedConversations>,
    pub notes: Vec<String>,
}

impl Seatdesk {
    /// Changes a member's role. Observer → paid role needs a free seat. A
    /// paid role → Observer frees one (kept unassigned or removed) and, as a
    /// deletion would, hands their conversations, contacts and inbox
    /// ownership to `reassign_to` (the acting member by default) and takes
    /// them off every routing setting; they stay in their inboxes to read.
    pub fn change_role(&mut self, scope: &Scope, email: &str, role: Role, seat: SeatChoice) -> Result<MemberView> {
        Ok(self.change_role_reassigning(scope, email, role, seat, None)?.member)
    }

    /// [`Seatdesk::change_role`], handing over to `reassign_to`, and saying
    /// what the hand-over did.
    pub fn change_role_reassigning(
        &mut self,
        scope: &Scope,
        email: &str,
        role: Role,
        seat: SeatChoice,
        reassign_to: Option<&str>,
    ) -> Result<RoleChange> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "change roles")?;
            let target = resolve_target(tx, &ctx, email)?;
            change_role_tx(tx, &ctx, today, &target, role, seat, reassign_to)
        })
    }

    /// The acting member changes their own email (Personal settings).
    pub fn set_my_email(&mut self, scope: &Scope, new_email: &str) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "change their email")?;
            let new = Email::parse(new_email)?;
            if new.key != EmailKey::of(&ctx.actor.email) {
                if tx.members().find_by_email(ctx.account.id, &new.key)?.is_some() {
                    return Err(email_taken(&new.display));
                }
            }
            tx.members().set_email(ctx.actor.id, &new.display, &new.key)?;
            audit(tx, &ctx, today, "member.set_email", &ctx.actor.email, json!({ "from": ctx.actor.email, "to": new.display }))?;
            view(tx, &ctx.actor)
        })
    }

    /// Corrects an Active member's name (a pending invitee's comes with
    /// their acceptance); the Owner's and Admins' to do (issue #21).
    pub fn rename_member(&mut self, scope: &Scope, email: &str, name: &str) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "correct members' names")?;
            let target = resolve_target(tx, &ctx, email)?;
            if target.status != Status::Active {
                return Err(Error::new(ErrorCode::EditInviteInstead, format!("{} has not accepted yet: their name comes with the acceptance.", target.email))
                    .with_details(json!({ "email": target.email, "status": "pending" })));
            }
            let name = parse_name("member", name)?;
            if name != target.name {
                tx.members().set_name(target.id, &name)?;
                audit(tx, &ctx, today, "member.rename", &target.email, json!({ "from": target.name, "to": name }))?;
            }
            let now = tx.members().by_id(target.id)?;
            view(tx, &now)
        })
    }
}

/// Changes `target`'s role inside the caller's transaction (one member of a
/// bulk change, or [`Seatdesk::change_role_reassigning`]).
pub(crate) fn change_role_tx(
    tx: &Tx,
    ctx: &Ctx,
    today: NaiveDate,
    target: &Member,
    role: Role,
    seat: SeatChoice,
    reassign_to: Option<&str>,
) -> Result<RoleChange> {
    if target.role == Role::Owner || role == Role::Owner {
        return Err(Error::new(
            ErrorCode::OwnerProtected,
            "The Owner's role changes only by an owner transfer (a support action).",
        )
        .with_details(json!({ "email": target.email })));
    }
    let unchanged = |member, changed| RoleChange {
        member,
        changed,
        reassigned_to: None,
        conversations: 0,
        contacts: 0,
        inboxes: 0,
        routed: vec![],
        notes: vec![],
    };
    if role == target.role {
        return Ok(unchanged(view(tx, &target)?, false));
    }
    if target.id == ctx.actor.id {
        return Err(cannot_change_self("change their own role"));
    }
    let summary = seat_summary(tx, &ctx.account)?;
    if role.takes_paid_seat() && !target.role.takes_paid_seat() && summary.unassigned < 1 {
        return Err(no_free_seats(tx, &ctx.account, today, (1, summary.unassigned), "That role takes a paid seat:", None)?);
    }
    // Observers hold no work: a pending invite that owns its New
    // Inbox cannot become an Observer's (found by trying the CLI;
    // an edit of the invite already refused it).
    if role == Role::Observer && target.status == Status::Pending && tx.conversations().holdings(target.id)?.2 > 0 {
        return Err(crate::service::routing::observer_holds_no_work(
            &target,
            "no inbox of their own: move the invite to an existing inbox first",
        ));
    }
    let freed = target.role.takes_paid_seat() && !role.takes_paid_seat();
    let mut handed = None;
    if freed && target.status == Status::Active {
        let heir = reassign_heir(tx, ctx, &target, reassign_to)?;
        handed = Some((heir.email.clone(), hand_over(tx, &target, &heir, None)?));
    }
    tx.members().set_role(target.id, role)?;
    if freed && seat == SeatChoice::Remove {
        remove_freed_seat(tx, ctx, today, &target.email)?;
    }
    audit(
        tx,
        ctx,
        today,
        "member.role",
        &target.email,
        json!({
            "from": target.role.as_str(),
            "to": role.as_str(),
            "seat": if freed { Some(seat) } else { None },
            "reassigned_to": handed.as_ref().map(|h| &h.0),
            "handed_over": handed.as_ref().map(|h| h.1.audit_details()),
        }),
    )?;
    let member = view(tx, &target)?;
    Ok(match handed {
        Some((heir, h)) => RoleChange {
            member,
            changed: true,
            reassigned_to: Some(heir),
            conversations: h.conversations,
            contacts: h.contacts,
            inboxes: h.inboxes,
            routed: h.routed,
            notes: h.notes,
        },
        None => unchanged(member, true),
    })
}
