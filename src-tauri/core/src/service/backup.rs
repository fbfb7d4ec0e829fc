//! Backup and restore of the whole database.

use std::path::Path;

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{audit, resolve, resolve_account, Ctx, Scope, Seatdesk, SupportTicket};
use crate::domain::{Member, Permission, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::store;
use crate::store::Tx;

/// Where an account's audit chain stood: its entry count and head hash.
/// Backups and exports carry it, so a chain later cut back to an earlier
/// point is detected (`audit verify --expect-head`).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditHead {
    pub account: String,
    #[specta(type = specta_typescript::Number)]
    pub entries: i64,
    pub head: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct BackupInfo {
    pub path: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: i64,
    /// Each account's audit chain as it stands in the backup.
    pub audit: Vec<AuditHead>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RestoreInfo {
    pub restored_from: String,
    /// The copy of the database that was replaced.
    pub previous_saved_as: String,
    #[specta(type = specta_typescript::Number)]
    pub schema_version: i64,
    /// Each account's audit chain in the database that was replaced.
    pub replaced_audit: Vec<AuditHead>,
}

/// Every account's audit chain head, in account order.
pub(crate) fn audit_heads(conn: &Tx) -> Result<Vec<AuditHead>> {
    conn.accounts()
        .list()?
        .into_iter()
        .map(|a| Ok(AuditHead { entries: conn.audit().count(a.id)?, head: conn.audit().head(a.id)?, account: a.name }))
        .collect()
}

impl Seatdesk {
    /// "Back up now": a consistent copy written to `target` (0600).
    pub fn backup(&mut self, target: &Path) -> Result<BackupInfo> {
        self.conn.local_file("A backup")?;
        let audit = self.read(|tx, _| audit_heads(tx))?;
        let bytes = store::backup_into(self.conn.local_file("A backup")?, target)?;
        Ok(BackupInfo { path: target.display().to_string(), bytes: bytes as i64, audit })
    }

    /// Refuses unless the member acting is the Owner: only they may replace
    /// the books. A database holding other accounts, owned by someone else,
    /// is replaced only in support mode (`support`), since their books go
    /// back too. Returns the Owner.
    pub fn check_may_restore(&mut self, scope: &Scope, support: Option<&SupportTicket>) -> Result<Member> {
        if let Some(support) = support {
            self.validate_support(support)?;
        }
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "restore a backup")?;
            if ctx.actor.role != Role::Owner {
                return Err(Error::new(
                    ErrorCode::NotPermitted,
                    format!("{} cannot restore a backup: only the account's Owner may replace the books.", ctx.actor.role.with_article()),
                )
                .with_details(json!({ "role": ctx.actor.role.as_str(), "action": "restore a backup" })));
            }
            let mut others = Vec::new();
            for account in tx.accounts().list()? {
                if account.id != ctx.account.id && tx.members().owner(account.id)?.email != ctx.actor.email {
                    others.push(account.name);
                }
            }
            if !others.is_empty() && support.is_none() {
                return Err(Error::new(
                    ErrorCode::SupportModeRequired,
                    format!(
                        "This database also holds {} other account(s) with other Owners, whose books a restore replaces too: \
                         restore it in support mode (the agent's name and a ticket).",
                        others.len()
                    ),
                )
                .with_details(json!({ "accounts": others })));
            }
            Ok(ctx.actor)
        })
    }

    /// Replaces everything with the backup at `source`. Only the Owner (of
    /// the account in `scope`) may rewind the books. The file is checked
    /// first (schema version, integrity, and a schema equal to what that
    /// version holds: no extra trigger, view or index), the current
    /// database is kept beside it, and every account of the restored
    /// database gets a `db.restore` audit entry naming what was replaced.
    /// Renewals due are booked afterwards, as on opening.
    pub fn restore(&mut self, scope: &Scope, source: &Path, support: Option<&SupportTicket>) -> Result<RestoreInfo> {
        self.conn.local_file("A restore")?;
        let actor = self.check_may_restore(scope, support)?;
        let (account, replaced_audit) = self.read(|tx, _| Ok((resolve_account(tx, scope)?.name, audit_heads(tx)?)))?;
        let version = store::validate_backup(source)?;
        // The restore is recorded in the restored books of the account it
        // was made for: a backup without that account is refused.
        if !store::account_names_in(source)?.contains(&account) {
            return Err(Error::new(
                ErrorCode::NotFound,
                format!(
                    "The backup holds no account named {account:?}; restoring it would replace its books unrecorded. Nothing was changed."
                ),
            )
            .with_details(json!({ "kind": "account in the backup", "key": account })));
        }
        // The replaced database is kept beside it (an in-memory one, in
        // tests, beside the backup).
        let here = self.db_path().cloned().unwrap_or_else(|| source.to_path_buf());
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let keep = here.with_file_name(format!("seatdesk.db.before-restore-{stamp}.bak"));
        let conn = self.conn.local_file("A restore")?;
        store::backup_into(conn, &keep)?;
        store::restore_from(conn, source)?;
        let (from, saved) = (source.display().to_string(), keep.display().to_string());
        self.write(|tx, today| {
            for account in tx.accounts().list()? {
                let replaced = replaced_audit.iter().find(|h| h.account == account.name);
                let ctx = Ctx { account, actor: actor.clone(), via: None, support: None };
                let details = json!({
                    "support_agent": support.map(|s| s.agent.trim()),
                    "ticket": support.map(|s| s.ticket.trim()),
                    "restored_from": from,
                    "replaced_saved_as": saved,
                    "replaced_entries": replaced.map(|h| h.entries),
                    "replaced_head": replaced.map(|h| h.head.clone()),
                    "replaced_accounts": replaced_audit,
                });
                audit(tx, &ctx, today, "db.restore", &from, details)?;
            }
            Ok(())
        })?;
        self.run_renewals()?;
        Ok(RestoreInfo { restored_from: from, previous_saved_as: saved, schema_version: version, replaced_audit })
    }
}
