//! The service layer: the one API both the window (Tauri commands) and the
//! command line call. Each public method is one transaction: it resolves the
//! account and the acting member, checks permissions, applies the domain
//! rules, writes through the store, and appends its audit entry, all inside
//! that transaction.

mod accounts;
mod backup;
mod billing;
mod csv_io;
mod demo;
mod inboxes;
mod invites;
mod lifecycle;
mod routing;
mod members;
pub mod views;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde_json::{json, Value};

use crate::domain::role::require;
use crate::domain::{Account, Member, Permission};
use crate::error::{Error, ErrorCode, Result};
use crate::store;

pub use billing::{LedgerEntryView, LedgerPage, LedgerQuery, PlanChange, Purchase, SeatPoint};
pub use backup::{BackupInfo, RestoreInfo};
pub use csv_io::{ImportOptions, ImportOutcome, ImportReport, ImportRow};
pub use demo::{DemoOptions, DEMO_ACCOUNT_NAME};
pub use lifecycle::{AuditEntryView, AuditPage, AuditVerdict, Deletion, Holdings, SupportTicket, Violation};
pub use routing::{
    AssignmentChange, AssignmentView, DistributionInput, DistributionView, GroupInput, GroupView, InboxDetail, InboxMemberView,
    IvrInput, IvrOptionInput, IvrOptionView, IvrView, MembershipChange, RingGroupView,
};
pub use invites::{InviteCheck, InviteEdit, InviteOutcome, InvitePreview, InviteRequest, InviteResult, SeatChoice, MAX_BATCH};
pub use views::*;

/// Where "today" comes from: the system's local date, or a fixed date
/// (`--today`, `SEATDESK_TODAY`) for back-dated bookkeeping and tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub fixed: Option<NaiveDate>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    pub fn fixed(date: NaiveDate) -> Clock {
        Clock { fixed: Some(date) }
    }

    pub fn today(&self) -> NaiveDate {
        self.fixed.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// An open Seatdesk database.
pub struct Seatdesk {
    conn: Connection,
    clock: Clock,
    report: store::OpenReport,
}

/// The account and acting member a call works in.
pub(crate) struct Ctx {
    pub account: Account,
    pub actor: Member,
}

impl Seatdesk {
    /// Opens (creating and migrating as needed) the database in `data_dir`.
    /// Books any renewal that fell due while it was closed (SPEC §5).
    pub fn open(data_dir: &Path, clock: Clock) -> Result<Seatdesk> {
        let (conn, report) = store::open_in_dir(data_dir)?;
        let mut desk = Seatdesk { conn, clock, report };
        desk.run_renewals()?;
        Ok(desk)
    }

    /// A throwaway database in memory (tests and benchmarks).
    pub fn open_in_memory(clock: Clock) -> Result<Seatdesk> {
        let conn = store::open_in_memory()?;
        let report = store::OpenReport {
            path: None,
            found_version: 0,
            schema_version: store::SCHEMA_VERSION,
            backup: None,
        };
        Ok(Seatdesk { conn, clock, report })
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Moves the clock (tests; back-dated bookkeeping in one session).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn db_path(&self) -> Option<&PathBuf> {
        self.report.path.as_ref()
    }

    pub fn open_report(&self) -> &store::OpenReport {
        &self.report
    }

    /// Runs `f` in one write transaction (taken immediately, so two writers
    /// queue on `busy_timeout` instead of failing half-way).
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>, NaiveDate) -> Result<T>) -> Result<T> {
        let today = self.clock.today();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, today)?;
        store::members::flush_search_index(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on one consistent snapshot.
    pub(crate) fn read<T>(&mut self, f: impl FnOnce(&Transaction<'_>, NaiveDate) -> Result<T>) -> Result<T> {
        let today = self.clock.today();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx, today)?;
        tx.finish()?;
        Ok(out)
    }
}

/// Which account to work in and whom to act as. Both optional: the only
/// account, and its Owner, are the defaults.
#[derive(Debug, Clone, Default, serde::Deserialize, specta::Type)]
pub struct Scope {
    pub account: Option<String>,
    pub acting_as: Option<String>,
}

impl Scope {
    pub fn account(name: &str) -> Scope {
        Scope { account: Some(name.to_string()), acting_as: None }
    }

    pub fn acting_as(mut self, email: &str) -> Scope {
        self.acting_as = Some(email.to_string());
        self
    }
}

pub(crate) fn resolve_account(conn: &Connection, scope: &Scope) -> Result<Account> {
    if let Some(name) = scope.account.as_deref() {
        return store::accounts::by_name(conn, name);
    }
    let all = store::accounts::list(conn)?;
    match all.len() {
        0 => Err(Error::new(
            ErrorCode::NotFound,
            "There is no account yet: create one (`seatdesk account create …`) or open the demo (`seatdesk demo`).",
        )
        .with_details(json!({ "kind": "account" }))),
        1 => Ok(all.into_iter().next().expect("one")),
        _ => {
            let names: Vec<&str> = all.iter().map(|a| a.name.as_str()).collect();
            Err(Error::new(
                ErrorCode::AccountRequired,
                format!("This database holds {} accounts; say which one with --account.", names.len()),
            )
            .with_details(json!({ "accounts": names })))
        }
    }
}

/// Resolves the account and the acting member, and checks `permission`.
pub(crate) fn resolve(conn: &Connection, scope: &Scope, permission: Permission, action: &str) -> Result<Ctx> {
    let account = resolve_account(conn, scope)?;
    let actor = match scope.acting_as.as_deref() {
        Some(email) => {
            let key = email.trim().to_lowercase();
            store::members::find_by_email(conn, account.id, &key)?.ok_or_else(|| {
                Error::new(ErrorCode::NotFound, format!("No member {email:?} in {} to act as.", account.name))
                    .with_details(json!({ "kind": "member", "key": email }))
            })?
        }
        None => store::members::owner(conn, account.id)?,
    };
    require(actor.role, actor.status, permission, action)?;
    Ok(Ctx { account, actor })
}

pub(crate) fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Appends the audit entry for a change, inside the change's transaction.
pub(crate) fn audit(
    conn: &Connection,
    ctx: &Ctx,
    today: NaiveDate,
    action: &str,
    target: &str,
    details: Value,
) -> Result<()> {
    store::audit::append(
        conn,
        &store::audit::Entry {
            account_id: ctx.account.id,
            at: &now_stamp(),
            business_date: &today.to_string(),
            actor_email: &ctx.actor.email,
            actor_name: &ctx.actor.name,
            action,
            target,
            details: &details.to_string(),
        },
    )
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod billing_tests;
#[cfg(test)]
mod invite_tests;
#[cfg(test)]
mod routing_tests;
#[cfg(test)]
mod lifecycle_tests;
