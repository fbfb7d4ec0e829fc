//! The service layer: the one API both the window (Tauri commands) and the
//! command line call. Each public method is one transaction: it resolves the
//! account and the acting member, checks permissions, applies the domain
//! rules, writes through the store, and appends its audit entry, all inside
//! that transaction.

mod accounts;
mod acting;
mod audit_log;
mod backup;
mod billing;
mod books;
mod call_routing;
mod check;
mod clock;
mod conversations;
mod csv_io;
mod import;
mod demo;
mod desk;
mod inbox_lifecycle;
mod inbox_page;
mod inboxes;
mod members;
mod migrate;
mod ownership;
mod routing;
mod server;
pub mod views;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::domain::email::EmailKey;
use crate::domain::role::require;
use crate::domain::{Account, Member, Permission, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::store;
use crate::store::Tx;

pub use audit_log::{AuditEntryView, AuditPage, AuditVerdict};
pub use backup::{AuditHead, BackupInfo, RestoreInfo};
pub use billing::{LedgerEntryView, LedgerPage, LedgerQuery, PlanChange, Purchase, SeatPoint, SeatShortfall};
pub use check::Violation;
pub use clock::Clock;
pub use import::{AccountImport, ImportOptions, ImportOutcome, ImportReport, ImportRow, Progress};
pub use demo::{DemoOptions, DEMO_ACCOUNT_NAME};
pub use desk::{Desk, DeskAccount, DeskCheck, DeskQuery, DeskTotals, FoundMember, FoundMembers, FIND_LIMIT, STALE_INVITE_DAYS, TICKET_LIMIT};
pub use conversations::{ConversationPage, ConversationQuery, ConversationView};
pub use inbox_lifecycle::{InboxDeleted, InboxDeletion, InboxDeletionPreview, NumberChoice};
pub use inbox_page::{AssignmentSummary, InboxMemberPage, InboxMemberQuery, InboxPage, RingGroupSummary, RoutingList, MAX_INBOX_PAGE};
pub use members::{BulkAction, BulkOutcome, Selection, MAX_BULK};
pub use members::{Deletion, Holdings, MemberInbox, MemberStory, RoleChange, RoutedConversations, SeatHeld, STORY_ENTRIES};
pub use members::{InviteCheck, InviteEdit, InviteOutcome, InvitePreview, InviteRequest, InviteResult, SeatChoice, MAX_BATCH};
pub use migrate::MigrateReport;
pub use ownership::SupportTicket;
pub use server::parse_login;
pub use routing::{
    AssignmentChange, AssignmentView, DistributionInput, DistributionView, GroupInput, GroupView, InboxDetail, InboxMemberView, IvrInput,
    IvrOptionInput, IvrOptionView, IvrView, MembershipChange, RingGroupView, SettingRef, StillAssigned,
};
pub use views::*;

/// An open Seatdesk database.
pub struct Seatdesk {
    conn: store::Db,
    clock: Clock,
    report: store::OpenReport,
    /// Set once opening (and its renewals) is done: test builds pause the
    /// writes that come after it (see [`pause`]).
    opened: bool,
}

/// The account and acting member a call works in, how the member came
/// to be acting when it was not the default (`"cli --as"`), and the support
/// agent and ticket when the call is made in support mode: the last two are
/// written into every audit entry the call makes.
pub(crate) struct Ctx {
    pub account: Account,
    pub actor: Member,
    pub via: Option<String>,
    pub support: Option<SupportTicket>,
}

impl Seatdesk {
    /// Opens (creating and migrating as needed) the database in `data_dir`.
    /// Books any renewal that fell due while it was closed (rules §5).
    /// A fixed clock too far ahead of the computer's is refused before
    /// anything is booked.
    pub fn open(data_dir: &Path, clock: Clock) -> Result<Seatdesk> {
        Seatdesk::open_as(data_dir, clock, false)
    }

    /// [`Seatdesk::open`] for `check` alone: where the accounts or their
    /// books do not read (a damaged page), no renewal is booked and the file
    /// is opened anyway, so that `check` can say where the damage is (found
    /// by trying: a damaged `account` page made `check` fail whole).
    pub fn open_to_check(data_dir: &Path, clock: Clock) -> Result<Seatdesk> {
        Seatdesk::open_as(data_dir, clock, true)
    }

    fn open_as(data_dir: &Path, clock: Clock, to_check: bool) -> Result<Seatdesk> {
        let (conn, report) = store::open_in_dir(data_dir)?;
        let mut desk = Seatdesk { conn: store::Db::new(conn), clock, report, opened: false };
        match desk.check_clock().and_then(|()| desk.run_renewals()) {
            Err(e) if to_check && e.code == ErrorCode::DatabaseCorrupt => desk.report.notes.push(format!("renewals not booked: {}", e.message)),
            done => drop(done?),
        }
        desk.opened = true;
        Ok(desk)
    }

    /// Refuses the clock when it lies more than one billing period (of any
    /// account in the database) past the computer's date.
    fn check_clock(&mut self) -> Result<()> {
        if self.clock.fixed.is_none() || self.clock.allow_future {
            return Ok(());
        }
        let clock = self.clock;
        self.read(|tx, _| {
            for account in tx.accounts().list()? {
                clock.check_horizon(account.plan.period)?;
            }
            Ok(())
        })
    }

    /// The id of the account `name` names (the only one when `None`): the
    /// window keys its per-account state on it.
    pub fn account_id(&mut self, name: Option<&str>) -> Result<i64> {
        let scope = Scope { account: name.map(String::from), ..Scope::default() };
        self.read(|tx, _| Ok(resolve_account(tx, &scope)?.id.0))
    }

    /// After a panic inside a call: rolls back whatever transaction it left
    /// open and empties the search queue, so the next call starts clean.
    pub fn recover_after_panic(&mut self) {
        self.conn.recover();
    }

    /// Test hook: creates an inbox named `name` inside a write transaction,
    /// then panics before committing.
    #[cfg(feature = "test-hooks")]
    pub fn panic_inside_a_write(&mut self, name: &str) -> Result<()> {
        self.write(|tx, _| {
            let account = tx.accounts().list()?.into_iter().next().expect("an account");
            let owner = tx.members().owner(account.id)?;
            tx.inboxes().insert(account.id, name, None, owner.id, &now_stamp())?;
            panic!("test hook: a panic inside a write")
        })
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// A throwaway database in memory (tests and benchmarks).
    pub fn open_in_memory(clock: Clock) -> Result<Seatdesk> {
        let conn = store::Db::new(store::open_in_memory()?);
        let report =
            store::OpenReport { path: None, found_version: 0, schema_version: store::SCHEMA_VERSION, backup: None, notes: Vec::new() };
        Ok(Seatdesk { conn, clock, report, opened: true })
    }

    /// Opens the shared PostgreSQL server at `url` (creating or migrating
    /// its schema as needed) and books any renewal that fell due.
    pub fn connect(url: &str, clock: Clock) -> Result<Seatdesk> {
        Self::connect_with(url, None, None, clock)
    }

    /// [`Seatdesk::connect`] with a password typed by the person (kept in
    /// memory for this session only; never stored).
    pub fn connect_with_password(url: &str, password: Option<&str>, clock: Clock) -> Result<Seatdesk> {
        Self::connect_with(url, password, None, clock)
    }

    fn connect_in_schema(url: &str, schema: Option<&str>, clock: Clock) -> Result<Seatdesk> {
        Self::connect_with(url, None, schema, clock)
    }

    fn connect_with(url: &str, password: Option<&str>, schema: Option<&str>, clock: Clock) -> Result<Seatdesk> {
        let pg = store::postgres::PgConn::connect_with(url, password, schema)?;
        let report = store::OpenReport {
            path: None,
            found_version: store::postgres::SCHEMA_VERSION,
            schema_version: store::postgres::SCHEMA_VERSION,
            backup: None,
            notes: Vec::new(),
        };
        let mut desk = Seatdesk { conn: store::Db::Postgres(pg), clock, report, opened: false };
        desk.check_clock()?;
        // Renewals that fell due are booked by the first desktop whose login
        // may book them (an Owner's, an Admin's, support's); a Member's
        // login opens the account as it is.
        match desk.run_renewals() {
            Err(e) if e.code == ErrorCode::NotPermitted => {}
            other => {
                other?;
            }
        }
        desk.opened = true;
        Ok(desk)
    }

    /// A throwaway database for tests and benchmarks: in memory, or, when
    /// `SEATDESK_TEST_STORE=postgres`, a fresh schema of its own on the
    /// server `SEATDESK_TEST_DATABASE_URL` names (the same tests run on
    /// both stores).
    pub fn open_scratch(clock: Clock) -> Result<Seatdesk> {
        if std::env::var("SEATDESK_TEST_STORE").as_deref() != Ok("postgres") {
            return Self::open_in_memory(clock);
        }
        let url = std::env::var("SEATDESK_TEST_DATABASE_URL")
            .map_err(|_| Error::internal("SEATDESK_TEST_STORE=postgres needs SEATDESK_TEST_DATABASE_URL (scripts/pg.sh)"))?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let schema = format!("scratch_{}_{n}_{}", std::process::id(), fastrand::u32(..));
        Self::connect_in_schema(&url, Some(&schema), clock)
    }

    /// On a shared server: starts listening for the changes other desktops
    /// make, calling `changed` with each changed account's name; `None` on
    /// the local file (whose other writers are seen on the next refresh).
    pub fn listen(&self, changed: impl Fn(String) + Send + 'static) -> Result<Option<store::postgres::Listener>> {
        match &self.conn {
            store::Db::Postgres(pg) => pg.listen(changed).map(Some),
            store::Db::Sqlite(_) => Ok(None),
        }
    }

    /// The shared server's address without its password; `None` on the
    /// local file.
    pub fn server_shown(&self) -> Option<String> {
        match &self.conn {
            store::Db::Postgres(pg) => Some(pg.shown.clone()),
            store::Db::Sqlite(_) => None,
        }
    }

    /// For a process that stays open (the window): the file is read through
    /// SQLite's own page cache (at most 64 MiB) instead of a memory map, so
    /// that what a check reads does not stay in the process's memory (after
    /// checking a 3 GB desk's accounts the window held 1.3 GB, nearly all of
    /// it the file's mapped pages). A command that reads and exits keeps the
    /// map. Nothing to do on a server.
    pub fn without_memory_map(self) -> Result<Seatdesk> {
        if let store::Db::Sqlite(conn) = &self.conn {
            conn.pragma_update(None, "mmap_size", 0)?;
        }
        Ok(self)
    }

    /// Whether this is a shared server (else the local file).
    pub fn is_shared(&self) -> bool {
        matches!(self.conn, store::Db::Postgres(_))
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

    /// Runs `f` in one write transaction of the store ([`store::Db::write`]).
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Tx, NaiveDate) -> Result<T>) -> Result<T> {
        let today = self.clock.today();
        #[cfg(feature = "test-hooks")]
        pause::before_write(self.opened);
        #[cfg(feature = "test-hooks")]
        let (opened, mut bulk) = (self.opened, false);
        let out = self.conn.write(
            |tx| f(tx, today),
            |_changed| {
                #[cfg(feature = "test-hooks")]
                {
                    bulk = opened && _changed >= pause::BULK_ROWS;
                    pause::inside_write(bulk);
                }
            },
        )?;
        #[cfg(feature = "test-hooks")]
        pause::after_write(bulk);
        Ok(out)
    }

    /// Runs `f` in a write transaction that is always rolled back
    /// ([`store::Db::trial`]): a preview of exactly what `f` would do.
    pub(crate) fn trial<T>(&mut self, f: impl FnOnce(&Tx, NaiveDate) -> Result<T>) -> Result<T> {
        let today = self.clock.today();
        self.conn.trial(|tx| f(tx, today))
    }

    /// Runs `f` on one consistent snapshot ([`store::Db::read`]).
    pub(crate) fn read<T>(&mut self, f: impl FnOnce(&Tx, NaiveDate) -> Result<T>) -> Result<T> {
        let today = self.clock.today();
        self.conn.read(|tx| f(tx, today))
    }
}

/// Test helpers: reach behind the service, on either store.
#[cfg(test)]
impl Seatdesk {
    /// Runs `sql` behind the service's back (what another tool could do);
    /// `on_server` is the server's spelling where it differs from SQLite's.
    pub(crate) fn tamper(&mut self, sqlite: &str, on_server: &str) {
        let sql = if self.is_shared() { on_server } else { sqlite };
        self.conn.execute_batch(sql).unwrap();
    }

    /// [`Seatdesk::tamper`] with SQL both stores read alike.
    pub(crate) fn sql(&mut self, sql: &str) {
        self.tamper(sql, sql);
    }

    /// Runs `f` on the store in one write transaction.
    pub(crate) fn in_tx<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> T {
        self.write(|tx, _| f(tx)).unwrap()
    }
}

#[cfg(feature = "test-hooks")]
mod pause;

/// Which account to work in and whom to act as. Both optional: the only
/// account, and its Owner, are the defaults. Built in Rust only: the window
/// keeps the acting member as its own state and never takes it from the page.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Scope {
    pub account: Option<String>,
    pub acting_as: Option<String>,
    /// The pin (see [`Seatdesk::acting_member_pin`]) `acting_as` must still
    /// match: the window holds the member it confirmed, not an address
    /// someone else may take later.
    #[serde(skip)]
    pub acting_pin: Option<String>,
    /// How the acting member was chosen (`"cli --as"`), recorded in each
    /// audit entry the call writes.
    #[serde(skip)]
    pub via: Option<String>,
    /// Support mode: the agent and ticket every audit entry the call writes
    /// carries (the window's support mode, the CLI's `--support-agent` and
    /// `--ticket`), so `audit --ticket` finds what was done under a ticket.
    #[serde(skip)]
    pub support: Option<SupportTicket>,
}

impl Scope {
    pub fn account(name: &str) -> Scope {
        Scope { account: Some(name.to_string()), ..Scope::default() }
    }

    pub fn acting_as(mut self, email: &str) -> Scope {
        self.acting_as = Some(email.to_string());
        self
    }
}

pub(crate) fn resolve_account(conn: &Tx, scope: &Scope) -> Result<Account> {
    if let Some(name) = scope.account.as_deref() {
        return conn.accounts().by_name(name);
    }
    let all = conn.accounts().list()?;
    match all.len() {
        // On a server, a login whose grants were revoked sees nothing: it is
        // told so, not that there is no account.
        0 if !conn.has_access()? => Err(store::postgres::no_access()),
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

/// The member with the address `typed` (any case or form), or `not_found`
/// naming it as typed.
pub(crate) fn member_by_email(conn: &Tx, account: crate::domain::AccountId, typed: &str) -> Result<Member> {
    conn.members().find_by_email(account, &EmailKey::of(typed))?.ok_or_else(|| Error::not_found("member", typed.trim()))
}

/// Resolves the account and the acting member, and checks `permission`.
pub(crate) fn resolve(conn: &Tx, scope: &Scope, permission: Permission, action: &str) -> Result<Ctx> {
    let account = resolve_account(conn, scope)?;
    // On a shared server a login mapped to a member acts as that member,
    // and only as them (whatever the caller asks).
    if let store::LoginIdentity::Member { login, member } = conn.login_identity(account.id)? {
        let own = conn.members().by_id(member)?;
        if let Some(email) = scope.acting_as.as_deref().filter(|e| EmailKey::of(e) != EmailKey::of(&own.email)) {
            return Err(Error::new(
                ErrorCode::NotPermitted,
                format!("On the shared server the login {login} acts as {}; it cannot act as {email}.", own.email),
            )
            .with_details(json!({ "login": login, "member": own.email, "asked": email })));
        }
        if own.status != Status::Active {
            return Err(Error::new(ErrorCode::NotAMember, format!("{} has not accepted the invitation yet, so cannot act.", own.email))
                .with_details(json!({ "kind": "member", "key": own.email, "status": "pending" })));
        }
        require(own.role, own.status, permission, action)?;
        return Ok(Ctx { account, actor: own, via: None, support: scope.support.clone() });
    }
    let actor = match scope.acting_as.as_deref() {
        Some(email) => {
            let found = conn.members().find_by_email(account.id, &EmailKey::of(email))?;
            let found = match (found, &scope.acting_pin) {
                (Some(m), Some(pin)) if *pin != member_pin(conn, &m)? => None,
                (found, _) => found,
            };
            match found {
                Some(m) if m.status == Status::Active => m,
                Some(m) => {
                    return Err(Error::new(
                        ErrorCode::NotAMember,
                        format!("{} is invited to {} but has not accepted yet; a pending invitee cannot act.", m.email, account.name),
                    )
                    .with_details(json!({ "kind": "member", "key": email, "status": "pending" })))
                }
                None => {
                    return Err(Error::new(
                        ErrorCode::NotAMember,
                        format!("{email:?} is not a member of {}, so Seatdesk cannot act as them.", account.name),
                    )
                    .with_details(json!({ "kind": "member", "key": email })))
                }
            }
        }
        None => conn.members().owner(account.id)?,
    };
    require(actor.role, actor.status, permission, action)?;
    let via = scope.acting_as.as_ref().and(scope.via.clone());
    Ok(Ctx { account, actor, via, support: scope.support.clone() })
}

/// What tells one member from a later one with the same address: the row
/// id (SQLite may reuse the id of a deleted last row) and when the row was
/// made.
pub(crate) fn member_pin(conn: &Tx, m: &Member) -> Result<String> {
    Ok(format!("{}/{}", m.id.0, conn.members().created_at(m.id)?))
}

/// Adds how the acting member was chosen, and the support agent and ticket
/// in support mode, to an entry's details.
fn attributed(mut details: Value, ctx: &Ctx) -> Value {
    if let Value::Object(map) = &mut details {
        if let Some(via) = &ctx.via {
            map.insert("acting_via".into(), Value::String(via.clone()));
        }
        if let Some(support) = &ctx.support {
            map.insert("support_agent".into(), Value::String(support.agent.trim().to_string()));
            map.insert("ticket".into(), Value::String(support.ticket.trim().to_string()));
        }
    }
    details
}

pub(crate) fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Appends the audit entry for a change, inside the change's transaction.
pub(crate) fn audit(conn: &Tx, ctx: &Ctx, today: NaiveDate, action: &str, target: &str, details: Value) -> Result<()> {
    conn.audit().append(&store::audit::Entry {
        account_id: ctx.account.id,
        at: &now_stamp(),
        business_date: &today.to_string(),
        actor_email: &ctx.actor.email,
        actor_name: &ctx.actor.name,
        action,
        target,
        details: &attributed(details, ctx).to_string(),
    })
}

/// Appends one entry per `(target, details)` for the same action, in
/// order, inside the change's transaction (a batch: one statement on a server).
pub(crate) fn audit_many<'a>(
    conn: &Tx,
    ctx: &Ctx,
    today: NaiveDate,
    action: &str,
    items: impl Iterator<Item = (&'a str, Value)>,
) -> Result<()> {
    let (at, business_date) = (now_stamp(), today.to_string());
    let owned: Vec<(&str, String)> = items.map(|(target, details)| (target, attributed(details, ctx).to_string())).collect();
    let entries: Vec<store::audit::Entry> = owned
        .iter()
        .map(|(target, details)| store::audit::Entry {
            account_id: ctx.account.id,
            at: &at,
            business_date: &business_date,
            actor_email: &ctx.actor.email,
            actor_name: &ctx.actor.name,
            action,
            target,
            details,
        })
        .collect();
    conn.audit().append_many(&entries)
}

#[cfg(test)]
mod billing_tests;
#[cfg(test)]
mod bulk_tests;
#[cfg(test)]
mod deletion_tests;
#[cfg(test)]
mod desk_tests;
#[cfg(test)]
mod inbox_lifecycle_tests;
#[cfg(test)]
mod inbox_page_tests;
#[cfg(test)]
mod invite_tests;
#[cfg(test)]
mod member_upkeep_tests;
#[cfg(test)]
mod routing_tests;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trust_tests;
