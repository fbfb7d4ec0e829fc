//! Inboxes (rules §4, §7): create and list. Numbers past the included one
//! are bought through a quote (the seats-and-billing work), never silently.

use serde_json::json;

use super::{audit, now_stamp, resolve, InboxView, NewInbox, Scope, Seatdesk};
use super::billing::{apply_number_purchase, check_new_number, number_quote};
use crate::domain::text::parse_name;
use crate::domain::Permission;
use crate::error::{Error, ErrorCode, Result};
use crate::store;

impl Seatdesk {
    pub fn inboxes(&mut self, scope: &Scope) -> Result<Vec<InboxView>> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "list inboxes")?;
            Ok(store::inboxes::list(tx, ctx.account.id)?
                .into_iter()
                .map(|l| InboxView {
                    awaiting_number: l.inbox.number.is_none(),
                    name: l.inbox.name,
                    number: l.inbox.number,
                    owner: l.owner_email,
                    member_count: l.member_count,
                })
                .collect())
        })
    }

    /// Creates an inbox owned by the acting member. A number may be given
    /// only while it is the account's included one.
    pub fn create_inbox(&mut self, scope: &Scope, new: &NewInbox) -> Result<InboxView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "create inboxes")?;
            let name = parse_name("inbox", &new.name)?;
            // `;` separates a member's inboxes in a members export.
            if name.contains(';') {
                return Err(Error::new(ErrorCode::InvalidName, format!("The inbox name {name:?} is not valid: it cannot hold ';' (exports list inboxes as \"Sales; Support\")."))
                    .with_details(json!({ "field": "inbox", "name": name, "reason": "contains ;" })));
            }
            if let Some(existing) = store::inboxes::find_by_name(tx, ctx.account.id, &name)? {
                return Err(Error::new(ErrorCode::DuplicateInbox, format!("An inbox named {:?} exists already.", existing.name))
                    .with_details(json!({ "name": existing.name })));
            }
            let number = match new.number.as_deref().map(str::trim) {
                Some(n) if !n.is_empty() => Some(check_new_number(tx, &ctx.account, None, n)?),
                _ => None,
            };
            let quote = match &number {
                Some(n) => {
                    let quote = number_quote(tx, &ctx.account, today, &name, n)?;
                    if !quote.included {
                        return Err(Error::new(
                            ErrorCode::QuoteRequired,
                            "The plan's included number is in use, so this one is billed: create the inbox without a number, then buy it with a quote.",
                        )
                        .with_details(json!({ "number": n, "quote": quote })));
                    }
                    Some(quote)
                }
                None => None,
            };
            let id = store::inboxes::insert(tx, ctx.account.id, &name, None, ctx.actor.id, &now_stamp())?;
            audit(tx, &ctx, today, "inbox.create", &name, json!({ "number": number }))?;
            if let (Some(n), Some(quote)) = (&number, &quote) {
                let inbox = store::inboxes::by_id(tx, id)?;
                apply_number_purchase(tx, &ctx, today, &inbox, n, quote)?;
            }
            Ok(InboxView {
                name,
                awaiting_number: number.is_none(),
                number,
                owner: ctx.actor.email.clone(),
                member_count: 0,
            })
        })
    }
}
