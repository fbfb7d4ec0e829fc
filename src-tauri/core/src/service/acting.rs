//! Who is acting (rules §2): the member a scope acts as, its pin, and the
//! audited switch.

use serde_json::json;

use super::{audit, resolve, MemberView, Scope, Seatdesk};
use crate::domain::Permission;
use crate::error::Result;

impl Seatdesk {
    /// A pin of the member a scope acts as, which a later member given the
    /// same address does not match: the window holds the member it confirmed.
    pub fn acting_member_pin(&mut self, scope: &Scope) -> Result<String> {
        self.read(|tx, _| super::member_pin(tx, &resolve(tx, scope, Permission::Read, "act in this account")?.actor))
    }

    /// The member a scope acts as (the Owner by default), who must be able
    /// to act (Active).
    pub fn acting_member(&mut self, scope: &Scope) -> Result<MemberView> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "act in this account")?;
            let inboxes = tx.inboxes().of_member(ctx.actor.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(ctx.actor, inboxes))
        })
    }

    /// Records that changes in this account are now made as
    /// `scope.acting_as` (the window after its native confirmation, the
    /// CLI's `--as`). The entry is written as the member now acting.
    pub fn switch_acting(&mut self, scope: &Scope, from: Option<&str>, via: &str) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "act in this account")?;
            let os_user = crate::os_user();
            audit(tx, &ctx, today, "acting.switch", &ctx.actor.email, json!({ "from": from, "via": via, "os_user": os_user }))?;
            let inboxes = tx.inboxes().of_member(ctx.actor.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(ctx.actor, inboxes))
        })
    }
}
