//! Contacts and conversations (rules §7): who owns or holds them.

use serde_json::json;

use super::{audit, now_stamp, resolve, Scope, Seatdesk};
use crate::domain::email::EmailKey;
use crate::domain::phone::parse_e164;
use crate::domain::text::parse_name;
use crate::domain::{Member, Permission, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::member_by_email;

impl Seatdesk {
    /// Adds a contact owned by a member.
    pub fn add_contact(&mut self, scope: &Scope, name: &str, phone: &str, owner: &str) -> Result<()> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "add contacts")?;
            let name = parse_name("contact", name)?;
            let phone = parse_e164(phone)?;
            let owner = member_by_email(tx, ctx.account.id, owner)?;
            if owner.status != Status::Active || !(owner.role == Role::Owner || owner.role.takes_paid_seat()) {
                return Err(Error::new(
                    ErrorCode::InvalidContactOwner,
                    format!("{} cannot own contacts: only an Active member with a paid role, or the Owner, holds work.", owner.email),
                )
                .with_details(json!({ "owner": owner.email, "role": owner.role.as_str(), "status": owner.status.as_str() })));
            }
            if tx.conversations().contact_by_phone(ctx.account.id, &phone)?.is_some() {
                return Err(Error::new(ErrorCode::DuplicateNumber, format!("A contact with {phone} exists already."))
                    .with_details(json!({ "number": phone })));
            }
            tx.conversations().insert_contact(ctx.account.id, &name, &phone, owner.id, &now_stamp())?;
            audit(tx, &ctx, today, "contact.add", &phone, json!({ "name": name, "owner": owner.email }))
        })
    }

    /// Adds an inbound conversation. Without an assignee it follows the
    /// inbox's Conversation Assignment (default assignee or round robin).
    pub fn add_conversation(&mut self, scope: &Scope, inbox: &str, contact_phone: &str, assignee: Option<&str>) -> Result<Option<String>> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "add conversations")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let phone = parse_e164(contact_phone)?;
            let contact =
                tx.conversations().contact_by_phone(ctx.account.id, &phone)?.ok_or_else(|| Error::not_found("contact", &phone))?;
            // Only the members involved are read, never the whole inbox.
            let in_inbox = |m: &Member| -> Result<bool> { Ok(tx.inboxes().of_member(m.id)?.iter().any(|i| i.id == inbox.id)) };
            let assignee = match assignee.map(str::trim).filter(|a| !a.is_empty()) {
                Some(email) => {
                    let found = tx.members().find_by_email(ctx.account.id, &EmailKey::of(email))?;
                    match found {
                        Some(m) if m.status == Status::Active && in_inbox(&m)? => {
                            if m.role == Role::Observer {
                                return Err(super::routing::observer_holds_no_work(&m, "conversations"));
                            }
                            Some(m)
                        }
                        _ => {
                            return Err(Error::new(
                                ErrorCode::NotInboxMember,
                                format!("{email} is not an active member of {}.", inbox.name),
                            ))
                        }
                    }
                }
                None => super::routing::assignment_target(tx, &inbox)?,
            };
            tx.conversations().insert_conversation(ctx.account.id, inbox.id, contact, assignee.as_ref().map(|m| m.id), &now_stamp())?;
            audit(
                tx,
                &ctx,
                today,
                "conversation.add",
                &inbox.name,
                json!({ "contact": phone, "assignee": assignee.as_ref().map(|m| &m.email) }),
            )?;
            Ok(assignee.map(|m| m.email))
        })
    }
}

/// Which of an inbox's conversations a page lists.
#[derive(Debug, Clone, Default, serde::Deserialize, specta::Type)]
pub struct ConversationQuery {
    /// Only this member's (an address).
    pub assignee: Option<String>,
    /// Only those assigned to nobody.
    #[serde(default)]
    pub unassigned: bool,
    #[specta(type = Option<specta_typescript::Number>)]
    pub offset: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub limit: Option<i64>,
}

/// One conversation on an inbox's Conversations tab.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct ConversationView {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    pub last_activity: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct ConversationPage {
    pub rows: Vec<ConversationView>,
    /// Matching conversations (at most 10 000: then `total_capped`).
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
    pub total_capped: bool,
    #[specta(type = specta_typescript::Number)]
    pub offset: i64,
}

/// The acting member must be in the inbox to see its conversations (rules
/// §7: the Owner and Admins add themselves first).
fn require_in_inbox(tx: &crate::store::Tx, ctx: &super::Ctx, inbox: &crate::domain::Inbox) -> Result<()> {
    if tx.inboxes().of_member(ctx.actor.id)?.iter().any(|i| i.id == inbox.id) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::NotInboxMember,
        format!("{} is not in {}: add yourself to the inbox (Add me) to see and reassign its conversations.", ctx.actor.email, inbox.name),
    )
    .with_details(json!({ "inbox": inbox.name, "member": ctx.actor.email })))
}

impl Seatdesk {
    /// A page of an inbox's conversations, newest activity first; for the
    /// inbox's members only.
    pub fn inbox_conversations(&mut self, scope: &Scope, inbox: &str, q: &ConversationQuery) -> Result<ConversationPage> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read conversations")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            require_in_inbox(tx, &ctx, &inbox)?;
            let filter = match (q.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty()), q.unassigned) {
                (Some(email), _) => crate::store::conversations::AssigneeFilter::Member(member_by_email(tx, ctx.account.id, email)?.id),
                (None, true) => crate::store::conversations::AssigneeFilter::Unassigned,
                (None, false) => crate::store::conversations::AssigneeFilter::Anyone,
            };
            let offset = q.offset.unwrap_or(0).max(0);
            let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
            let (rows, total) = tx.conversations().page_in_inbox(inbox.id, filter, offset, limit)?;
            let cap = crate::store::members::COUNT_CAP;
            Ok(ConversationPage {
                rows: rows
                    .into_iter()
                    .map(|r| ConversationView {
                        id: r.id,
                        contact_name: r.contact_name,
                        contact_phone: r.contact_phone,
                        assignee: r.assignee_email,
                        assignee_name: r.assignee_name,
                        last_activity: r.last_activity,
                    })
                    .collect(),
                total_capped: total > cap,
                total: total.min(cap),
                offset,
            })
        })
    }

    /// Assigns conversations of an inbox to one of its working members (or
    /// nobody), all or nothing: an id not in the inbox refuses the lot.
    pub fn reassign_conversations(&mut self, scope: &Scope, inbox: &str, ids: &[i64], to: Option<&str>) -> Result<usize> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "reassign conversations")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            require_in_inbox(tx, &ctx, &inbox)?;
            if ids.is_empty() {
                return Err(Error::new(ErrorCode::InvalidQuantity, "Choose at least one conversation.").with_details(json!({ "quantity": 0 })));
            }
            let target = match to.map(str::trim).filter(|t| !t.is_empty()) {
                None => None,
                Some(email) => {
                    let m = member_by_email(tx, ctx.account.id, email)?;
                    let works_here = m.status == Status::Active && tx.inboxes().of_member(m.id)?.iter().any(|i| i.id == inbox.id);
                    if !works_here {
                        return Err(Error::new(ErrorCode::NotInboxMember, format!("{} is not an Active member of {}.", m.email, inbox.name))
                            .with_details(json!({ "inbox": inbox.name, "member": m.email })));
                    }
                    if m.role == Role::Observer {
                        return Err(super::routing::observer_holds_no_work(&m, "conversations"));
                    }
                    Some(m)
                }
            };
            let mut unique = ids.to_vec();
            unique.sort_unstable();
            unique.dedup();
            let changed = tx.conversations().assign_in_inbox(inbox.id, &unique, target.as_ref().map(|m| m.id))?;
            if changed != unique.len() {
                return Err(Error::new(
                    ErrorCode::NotFound,
                    format!("{} of the {} conversations are not in {}; nothing was reassigned.", unique.len() - changed, unique.len(), inbox.name),
                )
                .with_details(json!({ "kind": "conversation", "inbox": inbox.name })));
            }
            let to_email = target.as_ref().map(|m| m.email.clone());
            audit(tx, &ctx, today, "conversation.reassign", &inbox.name, json!({ "count": changed, "to": to_email }))?;
            Ok(changed)
        })
    }
}
