//! The store interface: what the service may ask of a database, table by
//! table, and the one open database a service call runs in. It knows SQL,
//! not rules. Each table's part is a trait ([`MemberStore`], [`InboxStore`],
//! ...) next to the rows it reads and writes; [`sqlite`] implements them on a
//! SQLite connection (the default, one file per desktop). A second backend
//! implements the same traits and nothing in the service changes.
//!
//! Every method works inside the transaction of one service call, which the
//! service opens through [`Db::write`] or [`Db::read`]: the service decides
//! what is atomic, the store only how it is written.

pub mod accounts;
pub mod audit;
pub mod conversations;
pub mod inboxes;
pub mod ledger;
pub mod members;
pub mod periods;
pub mod routing;
pub mod sqlite;

pub use accounts::AccountStore;
pub use audit::AuditStore;
pub use conversations::ConversationStore;
pub use inboxes::InboxStore;
pub use ledger::LedgerStore;
pub use members::MemberStore;
pub use periods::PeriodStore;
pub use routing::RoutingStore;
pub use sqlite::{
    account_names_in, backup_into, default_data_dir, expected_schema, integrity_ok, open_file, open_in_dir, open_in_memory, restore_from,
    schema_of, validate_backup, write_private, OpenReport, SchemaObject, APPLICATION_ID, BUSY_TIMEOUT, DB_FILE_NAME, PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE, SCHEMA_VERSION,
};

use std::path::Path;

use rusqlite::Connection;

use crate::error::Result;

/// One open transaction, table by table: `tx.members().by_id(id)`.
pub trait Store {
    fn accounts(&self) -> &dyn AccountStore;
    fn audit(&self) -> &dyn AuditStore;
    fn conversations(&self) -> &dyn ConversationStore;
    fn inboxes(&self) -> &dyn InboxStore;
    fn ledger(&self) -> &dyn LedgerStore;
    fn members(&self) -> &dyn MemberStore;
    fn periods(&self) -> &dyn PeriodStore;
    fn routing(&self) -> &dyn RoutingStore;

    /// What is wrong with the storage itself, whatever the accounts hold,
    /// as (rule, message): a failed integrity check, a schema that is not
    /// the one this binary writes. Empty when sound.
    fn storage_problems(&self) -> Result<Vec<(&'static str, String)>>;
}

/// The handle every service function takes: the open transaction of one
/// service call, whichever backend holds it.
pub type Tx = dyn Store;

/// The open database the service works on: each call runs in one of its
/// transactions ([`Db::write`], [`Db::read`]). It reads as its connection
/// (`Deref`) for the store's own needs: backups, restores, tests.
pub struct Db(Connection);

impl Db {
    pub fn new(conn: Connection) -> Db {
        Db(conn)
    }

    /// Runs `f` in one write transaction, taken at once (two writers queue
    /// on the busy timeout instead of failing half-way); `before_commit`
    /// learns how many rows it changed (the test builds' kill hook).
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>, before_commit: impl FnOnce(u64)) -> Result<T> {
        let changes_before = self.0.total_changes();
        let tx = self.0.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&*tx)?;
        sqlite::members::flush_search_index(&tx)?;
        before_commit(tx.total_changes() - changes_before);
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on one consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = self.0.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
        let out = f(&*tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// After a panic inside a call: rolls back what it left open and empties
    /// the search queue, so the next call starts clean.
    pub fn recover(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("ROLLBACK");
        }
        let _ = self.0.execute_batch("DELETE FROM temp.pending_search");
    }

    /// Replaces the database with a backup (checked first; see [`restore_from`]).
    pub fn restore_from(&mut self, source: &Path) -> Result<()> {
        restore_from(&mut self.0, source)
    }
}

impl std::ops::Deref for Db {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.0
    }
}
