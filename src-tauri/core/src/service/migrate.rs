//! Moving an account between stores (issue #20): the local file to a
//! shared server (`seatdesk migrate --to`) and back (`--from`), every row
//! and the audit chain intact, checked on both sides.

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::{audit, resolve, Ctx, Scope, Seatdesk, Violation};
use crate::domain::{Member, Permission};
use crate::error::{Error, ErrorCode, Result};
use crate::store::copy::{self, TableCount};

/// What `migrate` moved, or would move (`dry_run`).
#[derive(Debug, Clone, Serialize, Type)]
pub struct MigrateReport {
    pub account: String,
    pub dry_run: bool,
    /// Rows per table.
    pub tables: Vec<TableCount>,
    /// The audit chain: its length and newest hash, the same on both sides.
    #[specta(type = specta_typescript::Number)]
    pub audit_entries: i64,
    pub audit_head: String,
    /// What `check` finds in the copy (empty: it holds).
    pub check: Vec<Violation>,
}

impl Seatdesk {
    /// Copies the account of `scope` (with its members, seats, ledger,
    /// periods, routing, contacts, conversations and audit chain) into
    /// `target`, which must not hold an account of that name. The source
    /// must pass `check` and verify its chain first; it is left as it was.
    /// The copy's chain verifies to the same head, and gets one more entry
    /// (`account.migrate`) saying where it came from.
    pub fn migrate_account(&mut self, scope: &Scope, target: &mut Seatdesk, dry_run: bool) -> Result<MigrateReport> {
        let (name, id, owner) = self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::ManageAccount, "move the account")?;
            Ok((ctx.account.name.clone(), ctx.account.id.0, tx.members().owner(ctx.account.id)?))
        })?;
        let found = self.check(Some(&name))?;
        if !found.is_empty() {
            return Err(Error::new(
                ErrorCode::CheckFailed,
                format!("`check` finds {} problem(s) in {name}; put them right before moving it. Nothing was copied.", found.len()),
            )
            .with_details(json!({ "violations": found })));
        }
        let source = Scope { account: Some(name.clone()), ..Scope::default() };
        let chain = self.verify_audit(&source, None)?;
        if !chain.ok {
            return Err(Error::new(ErrorCode::CheckFailed, format!("The audit chain of {name} does not verify; nothing was copied.")));
        }
        // A dry run makes the copy and rolls it back: the target's refusals
        // (an account of that name, a login that may not create accounts)
        // are the real run's.
        let (_, tables) = copy::copy_account(&mut self.conn, id, &mut target.conn, !dry_run)?;
        if dry_run {
            return Ok(MigrateReport { account: name, dry_run, tables, audit_entries: chain.entries, audit_head: chain.head, check: vec![] });
        }
        let copied = target.verify_audit(&source, Some(&chain.head))?;
        let from = self.describe_store();
        target.write(|tx, today| {
            let account = tx.accounts().by_name(&name)?;
            let login = tx.session_login()?.unwrap_or_else(crate::os_user);
            let actor = Member { email: format!("migrate:{login}"), name: format!("{login} (moving the account)"), ..owner.clone() };
            let ctx = Ctx { account, actor, via: None, support: None };
            audit(tx, &ctx, today, "account.migrate", &name, json!({ "from": from, "entries_before": copied.entries, "head_before": copied.head }))
        })?;
        target.run_renewals()?;
        let check = target.check(Some(&name))?;
        if !copied.ok || copied.expected_head_found != Some(true) || copied.entries != chain.entries {
            return Err(Error::internal(format!("the copied audit chain of {name} does not match the source's")));
        }
        Ok(MigrateReport { account: name, dry_run, tables, audit_entries: chain.entries, audit_head: chain.head, check })
    }

    /// Where this desk's data lives, for people: the file, or the server
    /// (without its password).
    pub fn describe_store(&self) -> String {
        match &self.conn {
            crate::store::Db::Sqlite(_) => self.db_path().map(|p| p.display().to_string()).unwrap_or_else(|| "a database in memory".into()),
            crate::store::Db::Postgres(pg) => pg.shown.clone(),
        }
    }
}
