//! The server's schema: versioned migrations in a table of their own
//! (`seatdesk_migration`), applied by one opener at a time, and the checks
//! `check` runs on the storage itself.

use postgres::Client;
use serde_json::json;

use super::Pg;
use crate::error::{Error, ErrorCode, Result};

const STEPS: &[&str] = &[include_str!("migrations/001_schema.sql")];

/// The schema version this binary writes on a server.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// The advisory lock taken while migrating ("SEAT" in ASCII): two desktops
/// opening a new server at once do not both create the schema.
const MIGRATION_LOCK: i64 = 0x5345_4154;

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction; refuses a
/// schema written by a newer Seatdesk.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS seatdesk_migration (
             version     BIGINT PRIMARY KEY,
             applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )?;
    let found: i64 = tx.query_one("SELECT coalesce(max(version), 0) FROM seatdesk_migration", &[])?.try_get(0)?;
    if found > SCHEMA_VERSION {
        return Err(Error::new(
            ErrorCode::DatabaseTooNew,
            format!(
                "The shared server's schema was written by a newer Seatdesk (version {found}; this one knows up to \
                 {SCHEMA_VERSION}). Update Seatdesk; nothing was changed."
            ),
        )
        .with_details(json!({ "found": found, "supported": SCHEMA_VERSION })));
    }
    for (i, step) in STEPS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        tx.batch_execute(step)?;
        tx.execute("INSERT INTO seatdesk_migration (version) VALUES ($1)", &[&(i as i64 + 1)])?;
    }
    tx.commit()?;
    Ok(found)
}

/// The triggers that keep the counts and the append-only books: a schema
/// missing one (dropped by hand) no longer guards what Seatdesk relies on.
const TRIGGERS: &[(&str, &str)] = &[
    ("audit", "audit_append_only"),
    ("ledger", "ledger_append_only"),
    ("plan_period", "plan_period_append_only"),
    ("inbox_member", "inbox_member_count"),
    ("member", "member_count_insert_delete"),
    ("member", "member_count_change"),
];

/// What is wrong with the server's schema: a version other than this
/// binary's, a guarding trigger missing or disabled, or a trigger Seatdesk
/// did not write.
pub(super) fn problems(tx: &Pg<'_>) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    let version: i64 = tx.value("SELECT coalesce(max(version), 0) FROM seatdesk_migration", &[])?;
    if version != SCHEMA_VERSION {
        out.push(("schema", format!("the server's schema is version {version}, this Seatdesk writes {SCHEMA_VERSION}")));
    }
    let present = tx.rows(
        "SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
        &[],
    )?;
    let present: Vec<(String, String)> = present.iter().map(|r| Ok((super::get(r, 0)?, super::get(r, 1)?))).collect::<Result<_>>()?;
    for (table, trigger) in TRIGGERS {
        if !present.iter().any(|(t, g)| t == table && g == trigger) {
            out.push(("schema", format!("missing or disabled trigger {trigger} on {table}")));
        }
    }
    // A trigger Seatdesk did not write (one that quietly drops audit rows).
    for (table, trigger) in &present {
        if !TRIGGERS.iter().any(|(t, g)| t == table && g == trigger) {
            out.push(("schema", format!("unexpected trigger {trigger} on {table}")));
        }
    }
    Ok(out)
}
