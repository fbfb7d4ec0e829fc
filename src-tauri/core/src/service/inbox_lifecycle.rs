//! An inbox's later life (issue #21): renaming it, giving its number up
//! (a `number_release` ledger line: no refund, renewals stop billing it),
//! and deleting it once its conversations and its number have somewhere to
//! go. Each is one transaction and one audit entry (two when a deletion
//! releases the number).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::billing::{apply_number_purchase, book, check_new_number, replacement_quote, resolve_billing, Purchase};
use crate::domain::billing::{check_fresh, Quote};
use super::{audit, resolve, Ctx, Scope, Seatdesk};
use crate::domain::role::require;
use crate::domain::billing::LedgerKind;
use crate::domain::{Inbox, Permission};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Tx;

/// What deleting an inbox would touch: the wizard's first step.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxDeletionPreview {
    pub inbox: String,
    pub number: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub members: i64,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    /// The account's other inboxes, which may take the conversations.
    pub other_inboxes: Vec<String>,
    /// Of those, the ones without a number, which may take this one's.
    pub awaiting_number: Vec<String>,
    /// Made for a New Inbox invite still pending: revoke or edit the
    /// invite instead (a deletion is refused).
    pub awaits_invite: bool,
}

/// Where a deleted inbox's number goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "choice")]
pub enum NumberChoice {
    /// Given up: a `number_release` ledger line, no refund.
    Release,
    /// To another inbox of the account that has none (no ledger line: the
    /// same number, still billed as before).
    MoveTo { inbox: String },
}

/// The choices a deletion needs: where the conversations go (when there are
/// any) and what becomes of the number (when there is one).
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct InboxDeletion {
    pub move_conversations_to: Option<String>,
    pub number: Option<NumberChoice>,
}

/// What a deletion did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxDeleted {
    pub inbox: String,
    #[specta(type = specta_typescript::Number)]
    pub conversations_moved: i64,
    /// Moved conversations whose assignee does not work in the new inbox.
    #[specta(type = specta_typescript::Number)]
    pub conversations_unassigned: i64,
    pub conversations_to: Option<String>,
    pub number_released: Option<String>,
    pub number_moved_to: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub members_removed: i64,
}

/// Gives `inbox`'s number up inside the caller's transaction.
fn release_tx(tx: &Tx, ctx: &Ctx, today: NaiveDate, inbox: &Inbox, number: &str) -> Result<()> {
    // Billing counts numbers: releasing one of several takes one billed
    // number off the renewal (its unit price); releasing the only one, the
    // plan's included number, takes nothing off (unit 0).
    let unit = if tx.inboxes().count_numbers(ctx.account.id)? > 1 { ctx.account.plan.number_price_cents } else { 0 };
    tx.inboxes().clear_number(inbox.id)?;
    let note = format!("{number} of {} released; no refund", inbox.name);
    book(tx, ctx, today, LedgerKind::NumberRelease, 1, unit, 0, &note)?;
    audit(tx, ctx, today, "inbox.release_number", &inbox.name, json!({ "number": number }))
}

fn no_number(inbox: &Inbox) -> Error {
    Error::new(ErrorCode::InboxHasNoNumber, format!("{} has no number to give up: it awaits one.", inbox.name))
        .with_details(json!({ "inbox": inbox.name }))
}

/// Another inbox of the account, named by the caller, for `what` of `from`.
fn other_inbox(tx: &Tx, ctx: &Ctx, from: &Inbox, name: &str, what: &str) -> Result<Inbox> {
    let to = tx.inboxes().by_name(ctx.account.id, name)?;
    if to.id == from.id {
        return Err(Error::new(ErrorCode::InvalidMoveTarget, format!("{what} of {} cannot go to {} itself: name another inbox.", from.name, from.name))
            .with_details(json!({ "inbox": from.name, "to": to.name })));
    }
    Ok(to)
}

impl Seatdesk {
    /// Renames an inbox (names compare without regard to case, as when
    /// creating one; a change of case only is a rename too).
    pub fn rename_inbox(&mut self, scope: &Scope, inbox: &str, new_name: &str) -> Result<crate::service::InboxView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "rename inboxes")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let name = super::inboxes::new_inbox_name(tx, ctx.account.id, new_name, Some(inbox.id))?;
            if name != inbox.name {
                tx.inboxes().rename(inbox.id, &name)?;
                audit(tx, &ctx, today, "inbox.rename", &name, json!({ "from": inbox.name, "to": name }))?;
            }
            let listed = tx.inboxes().list(ctx.account.id)?.into_iter().find(|l| l.inbox.id == inbox.id);
            listed.map(crate::service::InboxView::from).ok_or_else(|| Error::internal("a renamed inbox is missing"))
        })
    }

    /// Gives an inbox's number up (rules §4, issue #21): no refund, and the
    /// renewals stop billing it; its routing stays, awaiting a number.
    pub fn release_number(&mut self, scope: &Scope, inbox: &str) -> Result<crate::domain::SeatSummary> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "release numbers")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let number = inbox.number.clone().ok_or_else(|| no_number(&inbox))?;
            release_tx(tx, &ctx, today, &inbox, &number)?;
            crate::service::accounts::seat_summary(tx, &ctx.account)
        })
    }

    /// The quote for replacing `inbox`'s number with `number` (the old one
    /// released, the new one bought, in one step).
    pub fn quote_replace_number(&mut self, scope: &Scope, inbox: &str, number: &str) -> Result<Quote> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "replace numbers")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            inbox.number.as_ref().ok_or_else(|| no_number(&inbox))?;
            let number = check_new_number(tx, &ctx.account, None, number)?;
            replacement_quote(tx, &ctx.account, today, &inbox.name, &number)
        })
    }

    /// Replaces an inbox's number: the old one released (no refund), the new
    /// one bought at `quote_id` (from [`Seatdesk::quote_replace_number`]),
    /// in one transaction.
    pub fn replace_number(&mut self, scope: &Scope, inbox: &str, number: &str, quote_id: Option<&str>) -> Result<Purchase> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "replace numbers")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let old = inbox.number.clone().ok_or_else(|| no_number(&inbox))?;
            let number = check_new_number(tx, &ctx.account, None, number)?;
            let quote = replacement_quote(tx, &ctx.account, today, &inbox.name, &number)?;
            check_fresh(quote_id, &quote)?;
            release_tx(tx, &ctx, today, &inbox, &old)?;
            let inbox = tx.inboxes().by_id(inbox.id)?;
            apply_number_purchase(tx, &ctx, today, &inbox, &number, &quote)?;
            Ok(Purchase { charged_cents: quote.due_now_cents, seats: crate::service::accounts::seat_summary(tx, &ctx.account)?, quote })
        })
    }

    /// What deleting `inbox` would touch.
    pub fn preview_inbox_deletion(&mut self, scope: &Scope, inbox: &str) -> Result<InboxDeletionPreview> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "delete inboxes")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let others: Vec<_> = tx.inboxes().list(ctx.account.id)?.into_iter().map(|l| l.inbox).filter(|i| i.id != inbox.id).collect();
            Ok(InboxDeletionPreview {
                members: tx.inboxes().member_count(inbox.id)?,
                conversations: tx.conversations().count_in_inbox(inbox.id)?,
                other_inboxes: others.iter().map(|i| i.name.clone()).collect(),
                awaiting_number: others.iter().filter(|i| i.number.is_none()).map(|i| i.name.clone()).collect(),
                awaits_invite: tx.inboxes().awaits_invite(inbox.id)?,
                number: inbox.number,
                inbox: inbox.name,
            })
        })
    }

    /// Deletes an inbox in one step: its conversations move to another
    /// inbox, its number is released or moved, its members and routing go
    /// with it. Refused (`inbox_not_empty`) until each is chosen.
    pub fn delete_inbox(&mut self, scope: &Scope, inbox: &str, how: &InboxDeletion) -> Result<InboxDeleted> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageInboxes, "delete inboxes")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let conversations = tx.conversations().count_in_inbox(inbox.id)?;
            let mut missing = Vec::new();
            if conversations > 0 && how.move_conversations_to.is_none() {
                missing.push("move_conversations_to");
            }
            if inbox.number.is_some() && how.number.is_none() {
                missing.push("number");
            }
            if conversations > 0 && tx.inboxes().list(ctx.account.id)?.len() == 1 {
                return Err(Error::new(
                    ErrorCode::InboxNotEmpty,
                    format!("{} is the account's only inbox and holds {conversations} conversations: create another inbox to take them first. Nothing was changed.", inbox.name),
                )
                .with_details(json!({ "inbox": inbox.name, "conversations": conversations, "missing": ["another_inbox"] })));
            }
            if !missing.is_empty() {
                return Err(Error::new(
                    ErrorCode::InboxNotEmpty,
                    format!(
                        "{} holds {conversations} conversations{}: say where {} go before deleting it. Nothing was changed.",
                        inbox.name,
                        inbox.number.as_deref().map(|n| format!(" and the number {n}")).unwrap_or_default(),
                        if missing.len() == 2 { "they and the number" } else if missing[0] == "number" { "the number should" } else { "they should" },
                    ),
                )
                .with_details(json!({ "inbox": inbox.name, "conversations": conversations, "number": inbox.number, "missing": missing })));
            }
            if tx.inboxes().awaits_invite(inbox.id)? {
                return Err(Error::new(
                    ErrorCode::EditInviteInstead,
                    format!("{} was made for a pending New Inbox invite: revoke or edit that invite first.", inbox.name),
                )
                .with_details(json!({ "inbox": inbox.name })));
            }
            let (mut moved, mut unassigned, mut conversations_to) = (0, 0, None);
            if let Some(to) = how.move_conversations_to.as_deref().filter(|_| conversations > 0) {
                let to = other_inbox(tx, &ctx, &inbox, to, "The conversations")?;
                (moved, unassigned) = tx.conversations().move_to_inbox(inbox.id, to.id)?;
                conversations_to = Some(to.name);
            }
            let (mut number_released, mut number_moved_to) = (None, None);
            if let (Some(number), Some(choice)) = (inbox.number.as_deref(), &how.number) {
                // The number is billing: an Owner's or Admin's to give up or move.
                require(ctx.actor.role, ctx.actor.status, Permission::ManageAccount, "release or move numbers")?;
                match choice {
                    NumberChoice::Release => {
                        release_tx(tx, &ctx, today, &inbox, number)?;
                        number_released = Some(number.to_string());
                    }
                    NumberChoice::MoveTo { inbox: to } => {
                        let to = other_inbox(tx, &ctx, &inbox, to, "The number")?;
                        if let Some(has) = &to.number {
                            return Err(Error::new(ErrorCode::InboxHasNumber, format!("{} has its number ({has}) already.", to.name))
                                .with_details(json!({ "inbox": to.name, "number": has })));
                        }
                        tx.inboxes().clear_number(inbox.id)?;
                        tx.inboxes().set_number(to.id, number)?;
                        number_moved_to = Some(to.name);
                    }
                }
            }
            let members_removed = tx.inboxes().member_count(inbox.id)?;
            tx.inboxes().delete_empty(inbox.id)?;
            audit(
                tx,
                &ctx,
                today,
                "inbox.delete",
                &inbox.name,
                json!({
                    "conversations_moved": moved, "conversations_unassigned": unassigned, "conversations_to": conversations_to,
                    "number_released": number_released, "number_moved_to": number_moved_to, "members_removed": members_removed,
                }),
            )?;
            Ok(InboxDeleted {
                inbox: inbox.name,
                conversations_moved: moved,
                conversations_unassigned: unassigned,
                conversations_to,
                number_released,
                number_moved_to,
                members_removed,
            })
        })
    }
}
