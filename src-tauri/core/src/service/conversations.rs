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
