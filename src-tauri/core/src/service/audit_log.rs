//! Reading and verifying the audit log (rules §8).

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{resolve, Scope, Seatdesk};
use crate::domain::Permission;
use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditEntryView {
    pub at: String,
    pub date: String,
    pub actor_email: String,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub details: String,
    /// The shared server's login that wrote the entry (set by the server,
    /// which no login can choose); `None` for entries written on a
    /// computer's own file.
    pub login: Option<String>,
    /// The account the entry is filed under, in a list across accounts (a
    /// ticket's trail); `None` in one account's log.
    pub account: Option<String>,
}

impl From<crate::store::audit::Stored> for AuditEntryView {
    fn from(e: crate::store::audit::Stored) -> AuditEntryView {
        AuditEntryView {
            at: e.at,
            date: e.business_date,
            actor_email: e.actor_email,
            actor_name: e.actor_name,
            action: e.action,
            target: e.target,
            details: e.details,
            login: Some(e.login).filter(|l| !l.is_empty()),
            account: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditPage {
    pub rows: Vec<AuditEntryView>,
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditVerdict {
    pub ok: bool,
    #[specta(type = specta_typescript::Number)]
    pub entries: i64,
    /// The position (1-based, oldest first) of the first entry that does not match.
    #[specta(type = Option<specta_typescript::Number>)]
    pub first_broken: Option<i64>,
    /// The hash of the newest entry (the genesis value when there is none):
    /// note it to detect a chain later cut back (`--expect-head`).
    pub head: String,
    /// With `--expect-head`: whether that entry is still in the chain.
    pub expected_head_found: Option<bool>,
}

/// Refuses a page of the audit log outside offset ≥ 0 and 1 to 1 000 entries.
pub(crate) fn check_page(offset: i64, limit: i64) -> Result<()> {
    if offset < 0 || !(1..=1000).contains(&limit) {
        return Err(Error::new(ErrorCode::InvalidQuantity, format!("Pages of the audit log start at offset 0 or later and hold 1 to 1 000 entries (asked: offset {offset}, limit {limit})."))
            .with_details(json!({ "offset": offset, "limit": limit, "max_limit": 1000 })));
    }
    Ok(())
}

impl Seatdesk {
    /// The audit log, newest first.
    /// A page of the audit log, newest first: every role reads it.
    /// `offset` from 0, `limit` from 1 to 1 000 (`invalid_quantity` otherwise).
    pub fn audit_log(&mut self, scope: &Scope, offset: i64, limit: i64) -> Result<AuditPage> {
        check_page(offset, limit)?;
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read the audit log")?;
            let (rows, total) = tx.audit().page(ctx.account.id, offset, limit)?;
            Ok(AuditPage {
                rows: rows.into_iter().map(AuditEntryView::from).collect(),
                total,
            })
        })
    }

    /// Recomputes the account's hash chain. With `expect_head` (a head hash
    /// noted earlier: from `audit verify`, a backup or an export) it also
    /// proves the chain still holds that entry, so a chain cut back to an
    /// earlier point is detected.
    pub fn verify_audit(&mut self, scope: &Scope, expect_head: Option<&str>) -> Result<AuditVerdict> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "verify the audit log")?;
            let entries = tx.audit().count(ctx.account.id)?;
            let broken = tx.audit().first_broken_position(ctx.account.id)?;
            let head = tx.audit().head(ctx.account.id)?;
            let expected_head_found = match expect_head {
                Some(h) => Some(tx.audit().position_of(ctx.account.id, &h.trim().to_ascii_lowercase())?.is_some()),
                None => None,
            };
            let ok = broken.is_none() && expected_head_found != Some(false);
            Ok(AuditVerdict { ok, entries, first_broken: broken, head, expected_head_found })
        })
    }
}
