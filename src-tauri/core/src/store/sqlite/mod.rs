//! The SQLite store (the default: one file per desktop): opening a
//! database safely, migrations, backups, and one module per table, each
//! implementing its part of [`crate::store::Store`] on a connection.

mod accounts;
mod audit;
mod conversations;
#[cfg(any(test, feature = "test-hooks"))]
pub mod damage;
mod inboxes;
mod integrity;
mod ledger;
pub(crate) mod members;
mod periods;
mod routing;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use serde_json::json;

use crate::error::{Error, ErrorCode, Result};
use crate::store::Store;

/// `PRAGMA application_id` of a Seatdesk database ("SEAT").
pub const APPLICATION_ID: i64 = 0x5345_4154;

/// How long a writer waits for another process (the window, a script)
/// before giving up with `database_locked`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The file name inside the data directory.
pub const DB_FILE_NAME: &str = "seatdesk.db";

const MIGRATION_STEPS: &[M<'static>] = &[
    M::up(include_str!("migrations/001_foundation.sql")),
    M::up(include_str!("migrations/002_billing.sql")),
    M::up(include_str!("migrations/003_invites.sql")),
    M::up(include_str!("migrations/004_member_search.sql")),
    M::up(include_str!("migrations/005_inbox_count.sql")),
    M::up(include_str!("migrations/006_routing.sql")),
    M::up(include_str!("migrations/007_conversations.sql")),
    M::up(include_str!("migrations/008_member_counts.sql")),
    M::up(include_str!("migrations/009_search_index_by_store.sql")),
    M::up(include_str!("migrations/010_member_counts_by_role.sql")),
    M::up(include_str!("migrations/011_member_created_at.sql")),
    M::up(include_str!("migrations/012_plan_periods.sql")),
    M::up(include_str!("migrations/013_one_normal_form.sql")),
    M::up(include_str!("migrations/014_name_order.sql")),
    M::up(include_str!("migrations/015_audit_login.sql")),
    M::up(include_str!("migrations/016_number_release.sql")),
    M::up(include_str!("migrations/017_conversation_pages.sql")),
    M::up(include_str!("migrations/018_member_pages.sql")),
    M::up(include_str!("migrations/019_support_desk.sql")),
    M::up(include_str!("migrations/020_inbox_counts.sql")),
    M::up(include_str!("migrations/021_kept_checks.sql")),
    M::up(include_str!("migrations/022_search_by_account.sql")),
    M::up(include_str!("migrations/023_contact_owners.sql")),
    M::up(include_str!("migrations/024_search_shown_address.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATION_STEPS.len() as i64;

/// What `open` found and did, for the About box and the logs.
#[derive(Debug, Clone)]
pub struct OpenReport {
    pub path: Option<PathBuf>,
    pub found_version: i64,
    pub schema_version: i64,
    /// The copy taken before migrating an existing database.
    pub backup: Option<PathBuf>,
    /// What opening changed on disk besides the data (permissions
    /// tightened), for the log.
    pub notes: Vec<String>,
}

/// The default data directory: the OS data directory + `seatdesk`
/// (`~/.local/share/seatdesk` on Linux).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("seatdesk")
}

/// Opens (creating if needed) the database in `data_dir`, refusing anything
/// it must not touch, and migrates it to [`SCHEMA_VERSION`] in one
/// transaction after taking a copy.
///
/// The folder is private to its user (0700) and the database files 0600:
/// a folder or file found looser is tightened, and the report says so.
pub fn open_in_dir(data_dir: &Path) -> Result<(Connection, OpenReport)> {
    let mut notes = prepare_data_dir(data_dir)?;
    let (conn, mut report) = open_file(&data_dir.join(DB_FILE_NAME))?;
    notes.append(&mut report.notes);
    report.notes = notes;
    Ok((conn, report))
}

/// Permissions of the data folder and of every file Seatdesk writes in it:
/// the member list and the books are for the account's people only.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
pub const PRIVATE_FILE_MODE: u32 = 0o600;

fn prepare_data_dir(dir: &Path) -> Result<Vec<String>> {
    let refuse = |reason: String| {
        Error::new(ErrorCode::DataDirUnwritable, format!("Cannot use the data directory {}: {reason}.", dir.display()))
            .with_details(json!({ "data_dir": dir.display().to_string(), "reason": reason }))
    };
    if !dir.exists() {
        fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR_MODE).create(dir).map_err(|e| refuse(e.to_string()))?;
    }
    let meta = fs::metadata(dir).map_err(|e| refuse(e.to_string()))?;
    if !meta.is_dir() {
        return Err(refuse("it is not a directory".into()));
    }
    if meta.permissions().readonly() {
        return Err(refuse("it is read-only".into()));
    }
    let mut notes = Vec::new();
    tighten(dir, PRIVATE_DIR_MODE, &mut notes);
    // Copies an older Seatdesk left (pre-migration, before-restore).
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(DB_FILE_NAME) && name.ends_with(".bak") && entry.file_type().is_ok_and(|t| t.is_file()) {
                tighten(&entry.path(), PRIVATE_FILE_MODE, &mut notes);
            }
        }
    }
    Ok(notes)
}

/// Takes group and other permissions off `path` when it has any, noting
/// the change. (A folder or file we may not change is left as it is.)
fn tighten(path: &Path, mode: u32, notes: &mut Vec<String>) {
    let Ok(meta) = fs::metadata(path) else { return };
    let current = meta.permissions().mode() & 0o777;
    if current & 0o077 != 0 && fs::set_permissions(path, fs::Permissions::from_mode(mode)).is_ok() {
        notes.push(format!("{}: permissions {current:o} tightened to {mode:o}", path.display()));
    }
}

/// Creates `path`, which must not exist, as an empty file only its user
/// may read (0600).
fn create_private(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).mode(PRIVATE_FILE_MODE).open(path)
}

/// Writes `bytes` to `path` (created or replaced) readable by its user
/// only: exports of members and the ledger.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).create(true).truncate(true).mode(PRIVATE_FILE_MODE).open(path)?;
    file.set_permissions(fs::Permissions::from_mode(PRIVATE_FILE_MODE))?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Opens the database file at `path` (see [`open_in_dir`]).
pub fn open_file(path: &Path) -> Result<(Connection, OpenReport)> {
    open_file_with(path, MIGRATION_STEPS)
}

/// [`open_file`] against a given list of migration steps (tests replay
/// upgrade paths with longer or broken lists).
fn open_file_with(path: &Path, steps: &'static [M<'static>]) -> Result<(Connection, OpenReport)> {
    let latest = steps.len() as i64;
    let shown = path.display().to_string();
    // Creating and migrating happen under a lock on the folder, so that two
    // processes opening a new folder at once do not both create the schema.
    let _opening = OpenLock::take(path)?;
    let exists = path.exists();
    let mut notes = Vec::new();
    if !exists {
        // SQLite gives the WAL and shared-memory files the database's mode.
        create_private(path).map_err(|e| {
            Error::new(ErrorCode::DataDirUnwritable, format!("Cannot create {shown}: {e}")).with_details(json!({ "path": shown }))
        })?;
    }
    if exists {
        let meta = fs::metadata(path).map_err(|e| Error::internal(format!("cannot read {shown}: {e}")).caused_by(e))?;
        if meta.permissions().readonly() {
            return Err(Error::new(
                ErrorCode::DatabaseReadOnly,
                format!("The database {shown} is read-only; Seatdesk needs to write to it. Nothing was changed."),
            )
            .with_details(json!({ "path": shown })));
        }
        check_header(path)?;
        for file in [path.to_path_buf(), sidecar(path, "-wal"), sidecar(path, "-shm")] {
            tighten(&file, PRIVATE_FILE_MODE, &mut notes);
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| storage_error(&shown, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let found_version = guard_version(&conn, &shown, latest)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| storage_error(&shown, e))?;
    apply_connection_pragmas(&conn)?;
    let backup =
        if found_version > 0 && found_version < latest { Some(backup_before_migration(&conn, path, found_version, latest)?) } else { None };
    let mut conn = conn;
    migrate(&mut conn, steps)?;
    Ok((conn, OpenReport { path: Some(path.to_path_buf()), found_version, schema_version: latest, backup, notes }))
}

/// Seatdesk's kinds are stored as their names ([`Role::as_str`] and the
/// like) and read back through their `FromStr` (strum): a name Seatdesk never
/// wrote is an error naming the column (`database_corrupt`), never a default.
macro_rules! stored_by_name {
    ($($kind:ty),*) => {$(
        impl rusqlite::ToSql for $kind {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
        impl rusqlite::types::FromSql for $kind {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let raw = value.as_str()?;
                raw.parse().map_err(|_| rusqlite::types::FromSqlError::Other(format!("{raw:?} is not a value Seatdesk wrote").into()))
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

/// A stored value that must read as one of Seatdesk's kinds (a role, a
/// status, a ledger kind, a strategy): one that does not is an error naming
/// the column, never a silent default (an unknown role is not an Observer).
pub(crate) fn decoded<T>(column: usize, raw: &str, parsed: Option<T>) -> rusqlite::Result<T> {
    parsed.ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("{raw:?} is not a value Seatdesk wrote").into(),
        )
    })
}

/// An exclusive `flock` on the database's folder, held while a process
/// creates or migrates the database (SQLite's own locks cannot cover
/// creating the file and reading its version before the first write).
/// Released when dropped; another opener waits up to [`BUSY_TIMEOUT`].
struct OpenLock {
    _held: fs::File,
}

impl OpenLock {
    fn take(path: &Path) -> Result<OpenLock> {
        use std::os::fd::AsRawFd;
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let file = fs::File::open(dir).map_err(|e| {
            Error::new(ErrorCode::DataDirUnwritable, format!("Cannot open the data directory {}: {e}", dir.display()))
                .with_details(json!({ "data_dir": dir.display().to_string() }))
        })?;
        let started = std::time::Instant::now();
        loop {
            // SAFETY: flock on a descriptor this function owns.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(OpenLock { _held: file });
            }
            if started.elapsed() > BUSY_TIMEOUT {
                return Err(Error::new(
                    ErrorCode::DatabaseLocked,
                    format!("Another Seatdesk is still opening the database in {}; try again.", dir.display()),
                )
                .with_details(json!({ "data_dir": dir.display().to_string() })));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// A fresh in-memory database at the latest schema (tests, benchmarks).
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    apply_connection_pragmas(&conn)?;
    migrate(&mut conn, MIGRATION_STEPS)?;
    Ok(conn)
}

fn apply_connection_pragmas(conn: &Connection) -> Result<()> {
    // Every statement Seatdesk runs stays prepared (rusqlite keeps 16 by
    // default, fewer than the service uses, so they were re-parsed).
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Up to 64 MiB of pages (grown on demand; SQLite's default is 2 MiB):
    // the indexes of a 100 000-member, 1 000 000-conversation account stay
    // in memory during bulk writes (demo load 14.8 s -> 11.2 s).
    conn.pragma_update(None, "cache_size", -65_536)?;
    // Reads through a memory map (up to 1 GiB of the file) instead of a copy
    // per page read: `check` at 100 000 members, whose floor is SQLite's
    // own quick_check, reads the whole file.
    conn.pragma_update(None, "mmap_size", 1_i64 << 30)?;
    // Statement journals (opened by every write that fires a trigger) and
    // sorts stay in memory instead of temporary files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The queue of members waiting for the search index (see
    // members::flush_search_index); private to this connection.
    conn.execute_batch("CREATE TEMP TABLE IF NOT EXISTS pending_search (id INTEGER PRIMARY KEY)")?;
    Ok(())
}

fn migrate(conn: &mut Connection, steps: &'static [M<'static>]) -> Result<()> {
    register_functions(conn)?;
    // `to_latest` applies every pending step and sets user_version in one
    // transaction; step 1 sets application_id inside it too.
    Migrations::from_slice(steps).to_latest(conn)?;
    Ok(())
}

/// Functions the migrations and searches call to compute in Rust what SQL
/// cannot (the normal forms of addresses and names, Unicode lower case).
fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("seatdesk_email_key", 1, flags, |ctx| Ok(crate::domain::email::key_of(&ctx.get::<String>(0)?)))?;
    conn.create_scalar_function("seatdesk_name_key", 1, flags, |ctx| Ok(crate::domain::text::name_key(&ctx.get::<String>(0)?)))?;
    conn.create_scalar_function("seatdesk_sort_key", 1, flags, |ctx| Ok(crate::domain::text::sort_key(&ctx.get::<String>(0)?)))?;
    // Lower case for every script (SQLite's own `lower` and LIKE fold ASCII
    // only): searches too short for the trigram index compare through it.
    conn.create_scalar_function("seatdesk_fold", 1, flags, |ctx| Ok(ctx.get::<String>(0)?.to_lowercase()))?;
    Ok(())
}

fn corrupt(shown: &str, reason: &str) -> Error {
    Error::new(ErrorCode::DatabaseCorrupt, format!("{shown} is not a usable Seatdesk database ({reason}). It was left untouched."))
        .with_details(json!({ "path": shown, "reason": reason }))
}

fn storage_error(shown: &str, e: rusqlite::Error) -> Error {
    let mapped = Error::from(e);
    if mapped.code == ErrorCode::DatabaseCorrupt {
        corrupt(shown, "SQLite cannot read it")
    } else {
        mapped
    }
}

/// Refuses a non-empty file that does not start with the SQLite header,
/// before SQLite is allowed anywhere near it.
fn check_header(path: &Path) -> Result<()> {
    let shown = path.display().to_string();
    let mut file = fs::File::open(path).map_err(|e| Error::internal(format!("cannot read {shown}: {e}")).caused_by(e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Ok(());
    }
    let mut header = [0u8; 16];
    if len < 100 || file.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
        return Err(corrupt(&shown, "not an SQLite database"));
    }
    Ok(())
}

/// Reads the versions without writing anything; refuses newer and foreign
/// databases.
fn guard_version(conn: &Connection, shown: &str, latest: i64) -> Result<i64> {
    let read = |pragma: &str| -> Result<i64> {
        conn.pragma_query_value(None, pragma, |r| r.get::<_, i64>(0)).map_err(|e| storage_error(shown, e))
    };
    let version = read("user_version")?;
    let app_id = read("application_id")?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(|e| storage_error(shown, e))?;
    if app_id != APPLICATION_ID && (app_id != 0 || version != 0 || tables != 0) {
        return Err(corrupt(shown, "it belongs to another application"));
    }
    if version > latest {
        return Err(Error::new(
            ErrorCode::DatabaseTooNew,
            format!(
                "{shown} was written by a newer Seatdesk (schema {version}; this one knows up to {latest}). \
                 Update Seatdesk; the file was left untouched."
            ),
        )
        .with_details(json!({ "path": shown, "found": version, "supported": latest })));
    }
    Ok(version)
}

/// Takes a consistent copy beside the database before migrating it.
fn backup_before_migration(conn: &Connection, path: &Path, from_version: i64, to_version: i64) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let file =
        format!("{}.pre-v{to_version}-from-v{from_version}-{stamp}.bak", path.file_name().and_then(|n| n.to_str()).unwrap_or(DB_FILE_NAME));
    let target = path.with_file_name(file);
    vacuum_into_private(conn, &target).map_err(|(_, e)| Error::internal(format!("could not back up before migrating: {e}")))?;
    Ok(target)
}

#[cfg(test)]
mod tests;

/// Writes a consistent copy of the open database to `target` (which must
/// not exist yet), through `VACUUM INTO`.
pub fn backup_into(conn: &Connection, target: &Path) -> Result<u64> {
    let shown = target.display().to_string();
    if target.exists() {
        return Err(Error::new(ErrorCode::FileExists, format!("{shown} exists already; choose a new file name."))
            .with_details(json!({ "path": shown })));
    }
    vacuum_into_private(conn, target).map_err(|(code, e)| {
        // A page of this database that does not read is its damage, not the
        // target folder's (found by trying: it said `data_dir_unwritable`).
        let message = if code == ErrorCode::DatabaseCorrupt {
            format!("The database is damaged and cannot be copied whole into {shown} ({e}); `seatdesk check` says where.")
        } else {
            format!("Could not write the backup {shown}: {e}")
        };
        Error::new(code, message).with_details(json!({ "path": shown }))
    })?;
    Ok(fs::metadata(target).map(|m| m.len()).unwrap_or(0))
}

/// `VACUUM INTO` a new file created 0600 first (SQLite accepts an empty
/// file as the target); the empty file is removed if the copy fails.
/// A failure says whether the source is damaged (`database_corrupt`) or
/// the target could not be written (`data_dir_unwritable`).
fn vacuum_into_private(conn: &Connection, target: &Path) -> std::result::Result<(), (ErrorCode, String)> {
    create_private(target).map_err(|e| (ErrorCode::DataDirUnwritable, e.to_string()))?;
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()]).map(|_| ()).map_err(|e| {
        let _ = fs::remove_file(target);
        let code = if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) { ErrorCode::DatabaseCorrupt } else { ErrorCode::DataDirUnwritable };
        (code, e.to_string())
    })
}

/// Checks that `path` is a Seatdesk database this binary can use, without
/// writing to it: header, application id, schema version, integrity.
pub fn validate_backup(path: &Path) -> Result<i64> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(Error::not_found("backup file", &shown));
    }
    check_header(path)?;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| storage_error(&shown, e))?;
    let version = guard_version(&conn, &shown, SCHEMA_VERSION)?;
    if version == 0 {
        return Err(corrupt(&shown, "it holds no Seatdesk data"));
    }
    if !integrity_ok(&conn).map_err(|_| corrupt(&shown, "its integrity check fails"))? {
        return Err(corrupt(&shown, "its integrity check fails"));
    }
    let found = schema_of(&conn).map_err(|_| corrupt(&shown, "its schema cannot be read"))?;
    let expected = expected_schema(version)?;
    if found != expected {
        let extra: Vec<String> = found.iter().filter(|o| !expected.contains(o)).map(|o| format!("{} {}", o.0, o.1)).collect();
        let missing: Vec<String> = expected.iter().filter(|o| !found.contains(o)).map(|o| format!("{} {}", o.0, o.1)).collect();
        return Err(Error::new(
            ErrorCode::DatabaseCorrupt,
            format!(
                "{shown} is not a usable Seatdesk database: its schema is not what schema version {version} holds \
                 (unexpected or changed: {}; missing: {}). Nothing was changed.",
                if extra.is_empty() { "none".to_string() } else { extra.join(", ") },
                if missing.is_empty() { "none".to_string() } else { missing.join(", ") },
            ),
        )
        .with_details(json!({ "path": shown, "reason": "schema differs", "unexpected": extra, "missing": missing })));
    }
    Ok(version)
}

/// The names of the accounts a (validated) backup holds.
pub fn account_names_in(path: &Path) -> Result<Vec<String>> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let names =
        conn.prepare("SELECT name FROM account ORDER BY name")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// One schema object: type, name, table and its SQL.
pub type SchemaObject = (String, String, String, Option<String>);

/// Every table, index, view and trigger a database holds, in a stable
/// order. Only SQLite's statistics tables (written by `ANALYZE`) are left
/// out: any other object named `sqlite_…` (which only a tool writing the
/// schema by hand can make) counts, and so differs.
pub fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE NOT (type = 'table' AND name LIKE 'sqlite\\_stat%' ESCAPE '\\') ORDER BY type, name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect()
}

/// The schema a database at `version` holds: the first `version`
/// migrations applied to an empty database.
pub fn expected_schema(version: i64) -> Result<Vec<SchemaObject>> {
    // The latest is asked for by every `check`: built once.
    static LATEST: std::sync::OnceLock<Vec<SchemaObject>> = std::sync::OnceLock::new();
    if version == SCHEMA_VERSION {
        if let Some(latest) = LATEST.get() {
            return Ok(latest.clone());
        }
        let built = build_schema(version)?;
        return Ok(LATEST.get_or_init(|| built).clone());
    }
    build_schema(version)
}

fn build_schema(version: i64) -> Result<Vec<SchemaObject>> {
    let steps =
        usize::try_from(version).ok().filter(|v| *v <= MIGRATION_STEPS.len()).ok_or_else(|| Error::internal("unknown schema version"))?;
    let mut conn = Connection::open_in_memory()?;
    register_functions(&conn)?;
    Migrations::from_slice(&MIGRATION_STEPS[..steps]).to_latest(&mut conn)?;
    Ok(schema_of(&conn)?)
}

/// Replaces the open database's content with the backup at `source` (after
/// `validate_backup`), then brings it to the latest schema.
pub fn restore_from(conn: &mut Connection, source: &Path) -> Result<()> {
    conn.restore(rusqlite::MAIN_DB, source, None::<fn(rusqlite::backup::Progress)>)
        .map_err(|e| Error::internal(format!("restore failed: {e}")).caused_by(e))?;
    migrate(conn, MIGRATION_STEPS)
}

use crate::store::FileScan;
pub use integrity::integrity_ok;
pub(crate) use integrity::{file_of, scan_file_apart};

impl Store for Connection {
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

    fn storage_problems(&self, scan: FileScan) -> Result<Vec<(&'static str, String)>> {
        integrity::storage_problems(self, scan)
    }
}
