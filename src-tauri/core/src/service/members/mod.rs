//! Members (rules §2, §3, §6): the list, invites, role changes, deletion and
//! the hand-over of a leaver's work. Helpers shared by those live here.

use chrono::NaiveDate;
use serde_json::json;

use super::{resolve, Ctx, MemberView, Scope};
use crate::domain::{Member, Permission, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::billing::renew_due;
use crate::store::Tx;

mod bulk;
mod delete;
mod handover;
mod invite;
mod list;
mod role;
mod story;

pub use bulk::{BulkAction, BulkOutcome, Selection, MAX_BULK};
pub use delete::Deletion;
pub use handover::{Holdings, RoutedConversations};
pub(crate) use handover::InBulk;
pub(crate) use invite::invite_tx;
pub(crate) use list::sent_before;
pub use invite::{InviteCheck, InviteEdit, InviteOutcome, InvitePreview, InviteRequest, InviteResult, SeatChoice, MAX_BATCH};
pub use role::RoleChange;
pub use story::{MemberInbox, MemberStory, SeatHeld, STORY_ENTRIES};

fn email_taken(email: &str) -> Error {
    Error::new(ErrorCode::DuplicateEmail, format!("{email} is already a member of this account.")).with_details(json!({ "email": email }))
}

/// Refuses unless `target` is a pending invite.
fn require_pending(target: &Member) -> Result<()> {
    if target.status == Status::Pending {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::NotPending, format!("{} has accepted already; this applies to pending invites only.", target.email))
            .with_details(json!({ "email": target.email, "status": target.status.as_str() })))
    }
}

/// Nobody deletes themselves or changes their own role.
pub(crate) fn cannot_change_self(what: &str) -> Error {
    Error::new(ErrorCode::CannotChangeSelf, format!("Nobody can {what}: ask the Owner or another Admin, who can do it for you."))
}

fn view(conn: &Tx, member: &Member) -> Result<MemberView> {
    let inboxes = conn.inboxes().of_member(member.id)?.into_iter().map(|i| i.name).collect();
    Ok(MemberView::new(conn.members().by_id(member.id)?, inboxes))
}

fn resolve_target(conn: &Tx, ctx: &Ctx, email: &str) -> Result<Member> {
    crate::service::member_by_email(conn, ctx.account.id, email)
}

fn resolve_manage(conn: &Tx, scope: &Scope, today: NaiveDate, action: &str) -> Result<Ctx> {
    let mut ctx = resolve(conn, scope, Permission::ManageAccount, action)?;
    ctx.account = renew_due(conn, ctx.account, today)?.0;
    Ok(ctx)
}
