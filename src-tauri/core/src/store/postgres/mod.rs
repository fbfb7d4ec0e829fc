//! The PostgreSQL store (a shared server for a support team): connecting,
//! its versioned migrations, and one module per table implementing its part
//! of [`crate::store::Store`] on one open transaction ([`Pg`]).
//!
//! Same rules, same rows as the SQLite store; PostgreSQL's own tools where
//! they matter: `pg_trgm` indexes for member search, triggers for the kept
//! counts, and the account's row locked (`SELECT … FOR UPDATE`) by every
//! write transaction that resolves it, so two desktops booking seats on one
//! account queue instead of double-booking. Dates stay ISO text, as in the
//! SQLite file, so both stores hold, compare and print them alike.

mod access;
mod accounts;
mod audit;
mod conversations;
mod inboxes;
mod ledger;
mod listen;
mod members;
mod periods;
mod pgpass;
mod routing;
mod schema;

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::{FromSqlOwned, ToSql};
use postgres::{Client, Row, Statement};

use crate::error::{Error, ErrorCode, Result};
use crate::store::Store;

pub use listen::Listener;
pub use schema::{migrate, no_access, SCHEMA_VERSION};

/// One statement parameter.
pub type Param<'a> = &'a (dyn ToSql + Sync);

/// An open connection to the server and the statements prepared on it
/// (prepared once per connection, then reused by every transaction).
pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
    /// The URL it was opened with, password removed (for the header).
    pub shown: String,
    /// The server process serving this connection (its own changes are
    /// not news to it).
    pub backend_pid: i32,
    /// How to connect again (for the listener): in memory only.
    dial: (String, Option<String>, Option<String>),
}

impl PgConn {
    /// Connects to `url` (`postgres://…`, `postgresql://…` or a key=value
    /// string), with TLS when the URL asks for it (`sslmode=require`) and
    /// over a Unix socket when `host` is a folder, and migrates the schema.
    pub fn connect(url: &str) -> Result<PgConn> {
        Self::connect_with(url, None, None)
    }

    /// [`PgConn::connect`] with `schema` first on the search path (tests
    /// keep one schema each on one throwaway server), created if missing.
    pub fn connect_with(url: &str, password: Option<&str>, schema: Option<&str>) -> Result<PgConn> {
        let shown = without_password(url);
        let mut config: postgres::Config = url.parse().map_err(|e| {
            Error::new(
                ErrorCode::InvalidDatabaseUrl,
                format!("{shown} is not a PostgreSQL address ({e}); write postgres://LOGIN@HOST/DATABASE."),
            )
            .with_details(serde_json::json!({ "url": shown }))
        })?;
        if let Some(schema) = schema {
            config.options(&format!("-c search_path={schema},public"));
        }
        config.application_name("seatdesk");
        match password.filter(|p| !p.is_empty()) {
            Some(password) => {
                config.password(password);
            }
            None => pgpass::fill_password(&mut config),
        }
        let tls = native_tls::TlsConnector::new().map_err(|e| Error::internal(format!("TLS is not available: {e}")))?;
        let mut client = config.connect(postgres_native_tls::MakeTlsConnector::new(tls)).map_err(|e| unreachable(&shown, e))?;
        if let Some(schema) = schema {
            let exists: bool = client.query_one("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", &[&schema])?.try_get(0)?;
            if !exists {
                client.batch_execute(&format!("CREATE SCHEMA {schema}"))?;
            }
        }
        migrate(&mut client)?;
        // A login the server knows but has not granted (or no longer grants).
        if !client.query_one("SELECT seatdesk_has_access()", &[])?.try_get::<_, bool>(0)? {
            return Err(no_access());
        }
        let backend_pid = client.query_one("SELECT pg_backend_pid()", &[])?.try_get(0)?;
        let dial = (url.to_string(), password.map(String::from), schema.map(String::from));
        Ok(PgConn { client, statements: HashMap::new(), shown, backend_pid, dial })
    }

    /// Starts listening for changes other connections make (see
    /// [`Listener`]): `changed` gets each changed account's name.
    pub fn listen(&self, changed: impl Fn(String) + Send + 'static) -> Result<Listener> {
        let (url, password, schema) = &self.dial;
        Listener::start(url, password.as_deref(), schema.as_deref(), self.backend_pid, changed)
    }

    /// The raw client, for the store's own needs (migrations, tests).
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// Runs `f` in one transaction: `write` transactions lock each account
    /// they resolve. A serialization failure or a deadlock (two desktops
    /// crossing) is `database_locked`: nothing was written.
    pub fn transaction<T>(&mut self, write: bool, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.transaction_counted(write, f, |_| {})
    }

    /// [`PgConn::transaction`], telling `before_commit` how many rows the
    /// transaction's own statements changed (the test builds' kill hook).
    pub fn transaction_counted<T>(&mut self, write: bool, f: impl FnOnce(&Tx) -> Result<T>, before_commit: impl FnOnce(u64)) -> Result<T> {
        self.client.batch_execute(if write { "BEGIN" } else { "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" })?;
        let out = {
            let tx = Pg { conn: RefCell::new(self), write, changed: std::cell::Cell::new(0), heads: RefCell::new(HashMap::new()) };
            f(&tx).map(|value| (value, tx.changed.get()))
        };
        match out {
            Ok((value, changed)) => {
                before_commit(changed);
                self.client.batch_execute("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }

    /// A write transaction rolled back whatever `f` returns (a preview).
    pub fn trial<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.client.batch_execute("BEGIN")?;
        let out = {
            let tx = Pg { conn: RefCell::new(self), write: true, changed: std::cell::Cell::new(0), heads: RefCell::new(HashMap::new()) };
            f(&tx)
        };
        self.client.batch_execute("ROLLBACK")?;
        out
    }

    /// After a panic inside a call: rolls back what it left open.
    pub fn recover(&mut self) {
        let _ = self.client.batch_execute("ROLLBACK");
    }
}

use crate::store::Tx;

/// One open transaction on the server: what the table modules run their
/// statements through.
pub struct Pg<'c> {
    conn: RefCell<&'c mut PgConn>,
    /// A write transaction: account rows are read `FOR UPDATE`.
    pub(crate) write: bool,
    /// Rows written so far (what `exec` changed, what a writing statement
    /// returned).
    changed: std::cell::Cell<u64>,
    /// Each account's audit chain head as this transaction last wrote it.
    pub(crate) heads: RefCell<HashMap<i64, String>>,
}

impl Pg<'_> {
    fn statement(conn: &mut PgConn, sql: &str) -> Result<Statement> {
        if let Some(s) = conn.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = conn.client.prepare(sql)?;
        conn.statements.insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }

    /// Counts the rows a writing statement returned.
    fn count_written(&self, sql: &str, returned: usize) {
        let verb = sql.trim_start().get(..6).unwrap_or("").to_ascii_uppercase();
        if ["INSERT", "UPDATE", "DELETE"].contains(&verb.as_str()) {
            self.changed.set(self.changed.get() + returned as u64);
        }
    }

    /// Every row `sql` returns.
    pub(crate) fn rows(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>> {
        let mut conn = self.conn.borrow_mut();
        let statement = Self::statement(&mut conn, sql)?;
        let rows = conn.client.query(&statement, params)?;
        self.count_written(sql, rows.len());
        Ok(rows)
    }

    /// The row `sql` returns, if any.
    pub(crate) fn opt(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>> {
        let mut conn = self.conn.borrow_mut();
        let statement = Self::statement(&mut conn, sql)?;
        let row = conn.client.query_opt(&statement, params)?;
        self.count_written(sql, usize::from(row.is_some()));
        Ok(row)
    }

    /// The one row `sql` returns.
    pub(crate) fn one(&self, sql: &str, params: &[Param<'_>]) -> Result<Row> {
        let mut conn = self.conn.borrow_mut();
        let statement = Self::statement(&mut conn, sql)?;
        let row = conn.client.query_one(&statement, params)?;
        self.count_written(sql, 1);
        Ok(row)
    }

    /// The first column of the one row `sql` returns.
    pub(crate) fn value<T: FromSqlOwned>(&self, sql: &str, params: &[Param<'_>]) -> Result<T> {
        Ok(self.one(sql, params)?.try_get(0)?)
    }

    /// Runs `sql`, returning how many rows it changed.
    pub(crate) fn exec(&self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let mut conn = self.conn.borrow_mut();
        let statement = Self::statement(&mut conn, sql)?;
        let changed = conn.client.execute(&statement, params)?;
        self.changed.set(self.changed.get() + changed);
        Ok(changed)
    }

    /// `" FOR UPDATE"` in a write transaction, else nothing: appended to
    /// the reads of an account row, so that writers to one account queue on
    /// it (rules §5: a seat is never booked twice).
    pub(crate) fn lock(&self) -> &'static str {
        if self.write {
            " FOR UPDATE"
        } else {
            ""
        }
    }
}

/// Reads column `i` of `r`; a value that does not read is `database_corrupt`.
pub(crate) fn get<T: FromSqlOwned>(r: &Row, i: usize) -> Result<T> {
    Ok(r.try_get(i)?)
}

/// Seatdesk's kinds are stored as their names, as in the SQLite store, and
/// read back through their `FromStr`: a name Seatdesk never wrote is
/// `database_corrupt`, never a default.
macro_rules! stored_by_name {
    ($($kind:ty),*) => {$(
        impl ToSql for $kind {
            fn to_sql(&self, ty: &postgres::types::Type, out: &mut postgres::types::private::BytesMut)
                -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
                self.as_str().to_sql(ty, out)
            }
            fn accepts(ty: &postgres::types::Type) -> bool {
                <&str as ToSql>::accepts(ty)
            }
            postgres::types::to_sql_checked!();
        }
        impl<'a> postgres::types::FromSql<'a> for $kind {
            fn from_sql(ty: &postgres::types::Type, raw: &'a [u8])
                -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
                let text = <&str as postgres::types::FromSql>::from_sql(ty, raw)?;
                text.parse().map_err(|_| format!("{text:?} is not a value Seatdesk wrote").into())
            }
            fn accepts(ty: &postgres::types::Type) -> bool {
                <&str as postgres::types::FromSql>::accepts(ty)
            }
        }
    )*};
}
stored_by_name!(
    crate::domain::Role,
    crate::domain::Status,
    crate::domain::billing::LedgerKind,
    crate::domain::routing::RingStrategy,
    crate::domain::routing::Fallthrough,
    crate::domain::BillingPeriod
);

/// `url` with every password in it taken out: what Seatdesk shows and
/// keeps in its preferences. Handles the URL form (`user:pw@`, `?password=`,
/// `sslpassword=`, any case) and the key=value form libpq also reads
/// (`password = 'a b'`, spaces around `=`, quotes and backslashes).
pub fn without_password(url: &str) -> String {
    let secret = |key: &str| {
        let key = key.trim().to_ascii_lowercase();
        key == "password" || key == "sslpassword"
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return without_password_keywords(url, secret);
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or(user)),
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query.split('&').filter(|kv| !secret(kv.split('=').next().unwrap_or(""))).collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// The key=value form without its secret pairs (values may be quoted, with
/// `\'` and `\\` escapes, and `=` may have spaces around it).
fn without_password_keywords(text: &str, secret: impl Fn(&str) -> bool) -> String {
    let mut kept = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() {
            break;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let quoted = chars.peek() == Some(&'\'');
            if quoted {
                value.push(chars.next().unwrap_or('\''));
            }
            while let Some(c) = chars.next() {
                if c == '\\' {
                    value.push(c);
                    if let Some(next) = chars.next() {
                        value.push(next);
                    }
                    continue;
                }
                if quoted && c == '\'' {
                    value.push(c);
                    break;
                }
                if !quoted && c.is_whitespace() {
                    break;
                }
                value.push(c);
            }
        }
        if !secret(&key) {
            kept.push(format!("{key}={value}"));
        }
    }
    kept.join(" ")
}

fn unreachable(shown: &str, e: postgres::Error) -> Error {
    let reason = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_else(|| e.to_string()),
    };
    Error::new(ErrorCode::ServerUnavailable, format!("Cannot connect to the shared server {shown}: {reason}."))
        .with_details(serde_json::json!({ "url": shown, "reason": reason }))
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        if let Some(source) = std::error::Error::source(&e) {
            if source.to_string().contains("is not a value Seatdesk wrote") {
                return Error::new(
                    ErrorCode::DatabaseCorrupt,
                    format!("A value on the server does not read ({source}); it was changed outside Seatdesk. Nothing was changed."),
                );
            }
        }
        match e.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                Error::new(ErrorCode::DatabaseLocked, "The shared server is busy with another desktop's change to this account. Try again.")
            }
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => Error::new(
                ErrorCode::NotPermitted,
                format!(
                    "The shared server refused: {}. Nothing was changed.",
                    e.as_db_error().map(|d| d.message()).unwrap_or("not permitted")
                ),
            ),
            // Seatdesk's tables out of sight: the login's last grant was revoked.
            Some(c) if *c == SqlState::UNDEFINED_TABLE || (*c == SqlState::INSUFFICIENT_PRIVILEGE && e.as_db_error().is_some_and(|d| d.message().contains("seatdesk_migration"))) => Error::new(
                ErrorCode::NotPermitted,
                "This login no longer has access to Seatdesk on the shared server; ask its administrator for a grant \
                 (`seatdesk server grant`). Nothing was changed.",
            ),
            Some(c) if *c == SqlState::DISK_FULL => {
                Error::new(ErrorCode::DiskFull, "The shared server's disk is full; nothing was changed.")
            }
            None if e.is_closed() => {
                Error::new(ErrorCode::ServerUnavailable, "The connection to the shared server was lost; nothing was changed.")
            }
            _ => {
                let said = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string());
                Error::internal(format!("server error: {said}")).caused_by(e)
            }
        }
    }
}

impl Store for Pg<'_> {
    fn accounts(&self) -> &dyn crate::store::AccountStore {
        self
    }
    fn audit(&self) -> &dyn crate::store::AuditStore {
        self
    }
    fn conversations(&self) -> &dyn crate::store::ConversationStore {
        self
    }
    fn inboxes(&self) -> &dyn crate::store::InboxStore {
        self
    }
    fn ledger(&self) -> &dyn crate::store::LedgerStore {
        self
    }
    fn members(&self) -> &dyn crate::store::MemberStore {
        self
    }
    fn periods(&self) -> &dyn crate::store::PeriodStore {
        self
    }
    fn routing(&self) -> &dyn crate::store::RoutingStore {
        self
    }

    fn storage_problems(&self, _scan: crate::store::FileScan) -> Result<Vec<(&'static str, String)>> {
        // The server keeps its own pages sound (checksums, WAL): the schema
        // is what Seatdesk checks.
        schema::problems(self)
    }

    fn has_access(&self) -> Result<bool> {
        self.value("SELECT seatdesk_has_access()", &[])
    }

    fn session_login(&self) -> Result<Option<String>> {
        Ok(Some(Pg::session_login(self)?))
    }

    fn grant_access(&self, login: &str, to: Option<(crate::domain::AccountId, crate::domain::MemberId)>) -> Result<()> {
        Pg::grant_access(self, login, to)
    }

    fn revoke_access(&self, login: &str, account: Option<crate::domain::AccountId>) -> Result<u64> {
        Pg::revoke_access(self, login, account)
    }

    fn access_list(&self) -> Result<Vec<crate::store::AccessRow>> {
        Pg::access_list(self)
    }

    fn login_identity(&self, account: crate::domain::AccountId) -> Result<crate::store::LoginIdentity> {
        use crate::store::LoginIdentity;
        let row = self.opt("SELECT member_id, support, session_user::text FROM seatdesk_login_member($1)", &[&account.0])?;
        Ok(match row {
            None => LoginIdentity::Trusted,
            Some(r) if get::<bool>(&r, 1)? => LoginIdentity::Support { login: get(&r, 2)? },
            Some(r) => LoginIdentity::Member { login: get(&r, 2)?, member: crate::domain::MemberId(get(&r, 0)?) },
        })
    }
}

#[cfg(test)]
mod tests;
