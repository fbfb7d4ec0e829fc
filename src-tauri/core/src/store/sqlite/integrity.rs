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
    Ok(scan_problems(conn, "integrity_check(10)")?)
}

/// What SQLite's own check of the file's pages finds, as `storage_problems`.
fn page_problems(conn: &Connection, scan: FileScan) -> Result<Vec<(&'static str, String)>> {
    let pragma = match scan {
        FileScan::Skip => return Ok(Vec::new()),
        FileScan::Quick => "quick_check(10)",
        FileScan::Full => "integrity_check(10)",
    };
    let named = |found: Vec<String>| {
        let trees = trees(conn, &found);
        found.into_iter().map(move |problem| ("integrity", format!("SQLite's integrity check: {}", with_names(&problem, &trees))))
    };
    match scan_problems(conn, pragma) {
        Ok(found) => Ok(named(found).collect()),
        // Some damage stops SQLite's check itself: that is its finding, with
        // what the quicker check finds table by table, each table checked
        // with its indexes on its own; one it stops at again is named
        // (found by trying: `check` named no page where `accounts --recheck`
        // did, then nothing at all for a damaged leaf of `member`).
        Err(e) if is_corrupt(&e) => {
            let mut out = vec![("integrity", format!("SQLite's integrity check met a page it cannot read ({e})"))];
            for table in tables(conn) {
                match scan_problems(conn, &format!("quick_check({})", quoted(&table))) {
                    Ok(found) => out.extend(named(found)),
                    Err(e) if is_corrupt(&e) => out.push(("integrity", format!("the table {table} or an index of it does not read to its end: a page is damaged"))),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(out)
        }
        Err(e) => Err(e.into()),
    }
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt)
}

/// The table or index each B-tree SQLite's findings name ("Tree 6") is,
/// by its root page, when any finding names one.
fn trees(conn: &Connection, found: &[String]) -> Vec<(String, String)> {
    if !found.iter().any(|f| f.contains("Tree ")) {
        return Vec::new();
    }
    conn.prepare("SELECT 'Tree ' || rootpage, type || ' ' || name FROM sqlite_schema WHERE rootpage > 0")
        .and_then(|mut stmt| stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<(String, String)>>>())
        .unwrap_or_default()
}

/// `problem` with each "Tree N" followed by what it is: "Tree 6 (index
/// member_one_owner)" (found by trying: a damaged index was named by its
/// root page alone).
fn with_names(problem: &str, trees: &[(String, String)]) -> String {
    let mut out = problem.to_string();
    for (tree, what) in trees {
        let mut at = 0;
        while let Some(i) = out[at..].find(tree.as_str()).map(|i| i + at) {
            let end = i + tree.len();
            // "Tree 6" and not the start of "Tree 61".
            if out[end..].starts_with(|c: char| c.is_ascii_digit()) {
                at = end;
                continue;
            }
            let named = format!(" ({what})");
            out.insert_str(end, &named);
            at = end + named.len();
        }
    }
    out
}

/// `name` as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the file, by name; none when even the schema does not read.
fn tables(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>())
        .unwrap_or_default()
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
/// At most the first 10 (one argument names a table or a count, not both).
fn scan_problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let found = conn.prepare(&format!("PRAGMA {pragma}"))?.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found.into_iter().filter(|f| f != "ok").take(10).collect())
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
