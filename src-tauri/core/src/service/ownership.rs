//! Owner transfer and support mode (rules §6): support's actions, each
//! audited as the agent with the ticket and the member who asked.

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::accounts::seat_summary;
use super::billing::{no_free_seats, renew_due};
use super::{audit, resolve, Ctx, MemberView, Scope, Seatdesk};
use crate::domain::email::EmailKey;
use crate::domain::text::parse_name;
use crate::domain::{Member, Permission, Role, Status};
use crate::error::{Error, ErrorCode, Result};

/// A support agent's identity for support actions (owner transfer).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct SupportTicket {
    pub agent: String,
    pub ticket: String,
}

impl Seatdesk {
    /// Makes an Active member the Owner; the old Owner becomes an Admin.
    /// A support action: it needs the agent's name and a ticket reference.
    pub fn transfer_owner(&mut self, scope: &Scope, to: &str, support: &SupportTicket) -> Result<MemberView> {
        self.write(|tx, today| {
            let (agent, ticket) = (support.agent.trim(), support.ticket.trim());
            if agent.is_empty() || ticket.is_empty() {
                return Err(Error::new(
                    ErrorCode::SupportModeRequired,
                    "Owner transfer is a support action: switch on support mode with the agent's name and give the ticket reference.",
                ));
            }
            // The account asks (its Owner or an Admin acting); support carries it out.
            let asking = resolve(tx, scope, Permission::Read, "ask for an owner transfer")?.actor;
            if !matches!(asking.role, Role::Owner | Role::Admin) {
                return Err(Error::new(
                    ErrorCode::NotPermitted,
                    format!(
                        "{} cannot ask for an owner transfer: the account's Owner or an Admin must be acting.",
                        asking.role.with_article()
                    ),
                )
                .with_details(json!({ "role": asking.role.as_str(), "action": "transfer ownership" })));
            }
            let account = super::resolve_account(tx, scope)?;
            let account = renew_due(tx, account, today)?.0;
            let old = tx.members().owner(account.id)?;
            let new = tx.members().find_by_email(account.id, &EmailKey::of(to))?;
            let new = match new {
                Some(m) if m.status == Status::Active && m.role != Role::Owner => m,
                _ => {
                    return Err(Error::new(
                        ErrorCode::InvalidTransferTarget,
                        "The new Owner must already be an Active member (not the current Owner).",
                    )
                    .with_details(json!({ "to": to })))
                }
            };
            // The old Owner takes an Admin's paid seat; the new one leaves theirs (if any).
            if !new.role.takes_paid_seat() {
                let free = seat_summary(tx, &account)?.unassigned;
                if free < 1 {
                    return Err(no_free_seats(tx, &account, today, (1, free), "The old Owner becomes an Admin, a paid seat:", None)?);
                }
            }
            tx.members().set_role(old.id, Role::Admin)?;
            tx.members().set_role(new.id, Role::Owner)?;
            let ctx = Ctx {
                account,
                actor: Member { email: format!("support:{agent}"), name: format!("{agent} (support)"), ..old.clone() },
                via: None,
                support: None,
            };
            audit(
                tx,
                &ctx,
                today,
                "owner.transfer",
                &new.email,
                json!({ "from": old.email, "to": new.email, "support_agent": agent, "ticket": ticket,
                        "acting_member": { "email": asking.email, "name": asking.name, "role": asking.role.as_str() } }),
            )?;
            let inboxes = tx.inboxes().of_member(new.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(tx.members().by_id(new.id)?, inboxes))
        })
    }

    /// Refuses a support identity without the agent's name or the ticket.
    pub fn validate_support(&self, support: &SupportTicket) -> Result<()> {
        parse_name("support agent's", &support.agent)?;
        parse_name("ticket", &support.ticket)?;
        Ok(())
    }

    /// Support mode switched on (`on`) or off: audited as the support agent,
    /// with the ticket and the member acting. Switching on needs the agent's
    /// name and a ticket reference (`invalid_name` otherwise).
    pub fn record_support_mode(&mut self, scope: &Scope, support: &SupportTicket, on: bool) -> Result<()> {
        let agent = parse_name("support agent's", &support.agent)?;
        let ticket = parse_name("ticket", &support.ticket)?;
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "work with support")?;
            let acting = json!({ "email": ctx.actor.email, "name": ctx.actor.name, "role": ctx.actor.role.as_str() });
            let support_ctx = Ctx {
                actor: Member { email: format!("support:{agent}"), name: format!("{agent} (support)"), ..ctx.actor.clone() },
                account: ctx.account,
                via: None,
                support: None,
            };
            let action = if on { "support.enter" } else { "support.exit" };
            audit(tx, &support_ctx, today, action, &ticket, json!({ "support_agent": agent, "ticket": ticket, "acting_member": acting }))
        })
    }
}
