//! The file's own checks: SQLite's scans of its pages and the schema it
//! holds, for `check`, restore and the About box.

use std::path::PathBuf;

use rusqlite::Connection;

use super::{expected_schema, schema_of, SCHEMA_VERSION};
use crate::error::Result;
use crate::store::FileScan;

/// Integrity check of the file (used by `check`, restore, and the About box).
pub fn integrity_ok(conn: &Connection) -> Result<bool> {
    Ok(integrity_problems(conn)?.is_empty())
}

/// What SQLite's full integrity check finds (at most the first 10): pages,
/// and every index against its table. Its quicker check skips the indexes,
/// and an index that disagrees with its table answers queries wrongly
/// (found by trying: a ledger index rebuilt on other columns went unseen).
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    Ok(scan_problems(conn, "integrity_check")?)
}

/// What SQLite's own check of the file's pages finds, as `storage_problems`.
fn page_problems(conn: &Connection, scan: FileScan) -> Result<Vec<(&'static str, String)>> {
    let pragma = match scan {
        FileScan::Skip => return Ok(Vec::new()),
        FileScan::Quick => "quick_check",
        FileScan::Full => "integrity_check",
    };
    let named = |found: Vec<String>| found.into_iter().map(|problem| ("integrity", format!("SQLite's integrity check: {problem}")));
    match scan_problems(conn, pragma) {
        Ok(found) => Ok(named(found).collect()),
        // Some damage stops SQLite's check itself: that is its finding, with
        // what the quicker check (which reads no index against its table)
        // finds past it (found by trying: `check` named no page where
        // `accounts --recheck` did).
        // Where even that stops, the tables and indexes whose pages do not
        // all read are named (found by trying: a damaged leaf of `member`
        // was named nowhere).
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            let mut out = vec![("integrity", format!("SQLite's integrity check stopped at a damaged page ({e})"))];
            if scan == FileScan::Full {
                out.extend(scan_problems(conn, "quick_check").map(named).into_iter().flatten());
            }
            out.extend(unreadable_objects(conn).into_iter().map(|(kind, name)| ("integrity", format!("the {kind} {name} does not read to its end: a page of it is damaged"))));
            Ok(out)
        }
        Err(e) => Err(e.into()),
    }
}

/// The tables and indexes of the file (type, name) whose pages do not all
/// read, each read whole on its own; none when even the schema does not
/// read.
fn unreadable_objects(conn: &Connection) -> Vec<(String, String)> {
    let objects = conn
        .prepare("SELECT type, name, tbl_name FROM sqlite_schema WHERE rootpage > 0 ORDER BY name")
        .and_then(|mut stmt| stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<(String, String, String)>>>())
        .unwrap_or_default();
    let damaged = |kind: &str, name: &str, table: &str| {
        let quote = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
        let read = if kind == "index" { format!("{} INDEXED BY {}", quote(table), quote(name)) } else { format!("{} NOT INDEXED", quote(name)) };
        let counted = conn.query_row(&format!("SELECT count(*) FROM {read}"), [], |r| r.get::<_, i64>(0));
        counted.is_err_and(|e| e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt))
    };
    objects.into_iter().filter(|(kind, name, table)| damaged(kind, name, table)).map(|(kind, name, _)| (kind, name)).collect()
}

/// The file of `conn`, when it has one (not a database in memory).
pub(crate) fn file_of(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// `page_problems` of the file at `path`, read through a read-only
/// connection of its own (so on a thread of its own): the scan of a 3 GB
/// desk takes seconds of one core. It maps as much of the file into memory
/// as SQLite allows (2 GiB: pages read without a copy each; 6.1 -> 5.3 s on
/// that desk), and the map ends with the scan.
pub(crate) fn scan_file_apart(path: PathBuf, scan: FileScan) -> impl FnOnce() -> Result<Vec<(&'static str, String)>> + Send {
    move || {
        let own = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        own.pragma_update(None, "mmap_size", i64::MAX)?;
        page_problems(&own, scan)
    }
}

/// What one of SQLite's checks (`integrity_check`, `quick_check`) finds.
fn scan_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let found = conn.prepare(&format!("PRAGMA {pragma}(10)"))?.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found.into_iter().filter(|f| f != "ok").collect())
}

/// What `check` finds in the file itself: SQLite's scan of its pages, and
/// any table, index, trigger or view the schema does not hold.
pub(super) fn storage_problems(conn: &Connection, scan: FileScan) -> Result<Vec<(&'static str, String)>> {
    let mut out = page_problems(conn, scan)?;
    // No table, index, trigger or view beyond what the schema holds
    // (another tool, or a crafted file, could have added one).
    let (found, expected) = (schema_of(conn)?, expected_schema(SCHEMA_VERSION)?);
    for object in found.iter().filter(|o| !expected.contains(o)) {
        out.push(("schema", format!("unexpected or changed {} {}", object.0, object.1)));
    }
    for object in expected.iter().filter(|o| !found.contains(o)) {
        out.push(("schema", format!("missing {} {}", object.0, object.1)));
    }
    Ok(out)
}
