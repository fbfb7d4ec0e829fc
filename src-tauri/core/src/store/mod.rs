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
pub mod copy;
pub mod inboxes;
pub mod ledger;
pub mod members;
pub mod periods;
pub mod postgres;
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
    /// as (rule, message): a schema that is not the one this binary writes,
    /// and what an integrity check of the whole database finds, as `scan`
    /// asks. Empty when sound.
    fn storage_problems(&self, scan: FileScan) -> Result<Vec<(&'static str, String)>>;

    /// Who this connection acts as in `account`, when the store decides it:
    /// a shared server maps each login to a member or to support; the local
    /// file trusts whoever holds it.
    fn login_identity(&self, _account: crate::domain::AccountId) -> Result<LoginIdentity> {
        Ok(LoginIdentity::Trusted)
    }

    /// Whether this connection may use Seatdesk here at all: always on the
    /// local file; on a server, a login with a grant (or the administrator).
    fn has_access(&self) -> Result<bool> {
        Ok(true)
    }

    /// The server login this connection is (`None` for the local file).
    fn session_login(&self) -> Result<Option<String>> {
        Ok(None)
    }

    /// A shared server only: lets `login` connect, mapped to `to` (an
    /// account's member), or as a support agent when `to` is `None`; creates
    /// the login (without a password) when the server has none of that name.
    fn grant_access(&self, _login: &str, _to: Option<(crate::domain::AccountId, crate::domain::MemberId)>) -> Result<()> {
        Err(server_required())
    }

    /// A shared server only: takes `login`'s access to `account` (to every
    /// account, and support, when `None`); returns how many grants went.
    fn revoke_access(&self, _login: &str, _account: Option<crate::domain::AccountId>) -> Result<u64> {
        Err(server_required())
    }

    /// A shared server only: every grant, by login.
    fn access_list(&self) -> Result<Vec<AccessRow>> {
        Err(server_required())
    }
}

/// One login's access on a shared server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct AccessRow {
    pub login: String,
    /// The account and the member it acts as; both `None` for support.
    pub account: Option<String>,
    pub member: Option<String>,
    pub support: bool,
}

fn server_required() -> crate::error::Error {
    crate::error::Error::new(
        crate::error::ErrorCode::ServerRequired,
        "Logins and grants belong to a shared server; connect with --database postgres://… first.",
    )
}

/// Who a connection is, as far as the store knows (see
/// [`Store::login_identity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginIdentity {
    /// The local file's holder, or the server's administrator: acts as the
    /// account's Owner or as whom they choose.
    Trusted,
    /// A server login mapped to this member of the account: acts as them,
    /// and only as them.
    Member { login: String, member: crate::domain::MemberId },
    /// A server login granted support: sees every account; support actions
    /// still ask for a ticket.
    Support { login: String },
}

/// The handle every service function takes: the open transaction of one
/// service call, whichever backend holds it.
pub type Tx<'a> = dyn Store + 'a;

/// The open database the service works on, whichever backend holds it:
/// each call runs in one of its transactions ([`Db::write`], [`Db::read`]).
pub enum Db {
    /// The local file (the default).
    Sqlite(Connection),
    /// A shared PostgreSQL server.
    Postgres(self::postgres::PgConn),
}

impl Db {
    pub fn new(conn: Connection) -> Db {
        Db::Sqlite(conn)
    }

    /// Runs `f` in one write transaction. On SQLite it is taken at once
    /// (two writers queue on the busy timeout instead of failing half-way);
    /// on the server each account it resolves is locked for its duration.
    /// `before_commit` learns how many rows it changed (the test builds'
    /// kill hook).
    pub fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>, before_commit: impl FnOnce(u64)) -> Result<T> {
        match self {
            Db::Sqlite(conn) => {
                let changes_before = conn.total_changes();
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&*tx)?;
                sqlite::members::flush_search_index(&tx)?;
                before_commit(tx.total_changes() - changes_before);
                tx.commit()?;
                Ok(out)
            }
            Db::Postgres(pg) => pg.transaction_counted(true, f, before_commit),
        }
    }

    /// Runs `f` in a write transaction and rolls it back, whatever it
    /// returns: a preview that writes nothing.
    pub fn trial<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let out = f(&*tx);
                tx.rollback()?;
                out
            }
            Db::Postgres(pg) => pg.trial(f),
        }
    }

    /// Runs `f` on one consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match self {
            Db::Sqlite(conn) => {
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
                let out = f(&*tx)?;
                tx.finish()?;
                Ok(out)
            }
            Db::Postgres(pg) => pg.transaction(false, f),
        }
    }

    /// What `storage_problems(scan)` finds, as work that may run on another
    /// thread while this connection goes on: on a file, the schema is read
    /// now and the scan of its pages later, through a read-only connection
    /// of its own (a 3 GB desk's scan takes seconds of one core; its
    /// snapshot may be a commit later, which a check of pages does not
    /// mind). A server, or a database in memory, is looked at now.
    pub fn storage_problems_apart(&mut self, scan: FileScan) -> Result<Box<dyn FnOnce() -> Result<Vec<(&'static str, String)>> + Send>> {
        if let Db::Sqlite(conn) = self {
            if let Some(path) = sqlite::file_of(conn).filter(|_| scan != FileScan::Skip) {
                let pages = sqlite::scan_file_apart(path, scan);
                let schema = self.read(|tx| tx.storage_problems(FileScan::Skip))?;
                return Ok(Box::new(move || Ok(pages()?.into_iter().chain(schema).collect())));
            }
        }
        let found = self.read(|tx| tx.storage_problems(scan))?;
        Ok(Box::new(move || Ok(found)))
    }

    /// `read(f)`, and beside it (on a file, on the other core) what
    /// `storage_problems(scan)` finds: a whole desk's `check` takes the
    /// longer of the two, not their sum.
    pub fn read_scanning<T>(&mut self, scan: FileScan, f: impl FnOnce(&Tx) -> Result<T>) -> Result<(Vec<(&'static str, String)>, T)> {
        let problems = self.storage_problems_apart(scan)?;
        std::thread::scope(|threads| {
            let scanning = threads.spawn(problems);
            let out = self.read(f);
            let problems = scanning.join().map_err(|_| crate::error::Error::internal("the check of the file's pages stopped"))??;
            Ok((problems, out?))
        })
    }

    /// After a panic inside a call: rolls back what it left open (and on
    /// SQLite empties the search queue), so the next call starts clean.
    pub fn recover(&mut self) {
        match self {
            Db::Sqlite(conn) => {
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                let _ = conn.execute_batch("DELETE FROM temp.pending_search");
            }
            Db::Postgres(pg) => pg.recover(),
        }
    }

    /// The local file's connection; `None` on a shared server.
    pub fn sqlite(&self) -> Option<&Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    /// The local file's connection for `what` only a file can do (a backup,
    /// a restore): on a shared server that is the server's own business.
    pub fn local_file(&mut self, what: &str) -> Result<&mut Connection> {
        match self {
            Db::Sqlite(conn) => Ok(conn),
            Db::Postgres(pg) => Err(crate::error::Error::new(
                crate::error::ErrorCode::UnsupportedOnServer,
                format!(
                    "{what} is for a database on this computer; {} is a shared server, backed up by its administrator \
                     (pg_dump). `seatdesk migrate --from` copies an account into a local file.",
                    pg.shown
                ),
            )
            .with_details(serde_json::json!({ "server": pg.shown }))),
        }
    }

    /// Runs SQL statements as they are, outside any service call (tests
    /// that change the storage behind Seatdesk's back).
    pub fn execute_batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => Ok(pg.client().batch_execute(sql)?),
        }
    }
}

/// How much of the database file an integrity check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileScan {
    /// None of it: the schema only (`check --account`).
    Skip,
    /// Every page, not the indexes against their tables (SQLite's quick
    /// check; the overview's "check every account again").
    Quick,
    /// Every page and every index against its table (SQLite's full check,
    /// several times slower; `check`).
    Full,
}
