//! The server's schema: versioned migrations in a table of their own
//! (`seatdesk_migration`), applied by one opener at a time, and the checks
//! `check` runs on the storage itself.

use postgres::Client;
use serde_json::json;

use super::Pg;
use crate::error::{Error, ErrorCode, Result};

const STEPS: &[&str] = &[include_str!("migrations/001_schema.sql"), include_str!("migrations/002_access.sql"),
    include_str!("migrations/003_live.sql"),
    include_str!("migrations/004_chain.sql"),
    include_str!("migrations/005_roles.sql"),
    include_str!("migrations/006_hardening.sql"),
    include_str!("migrations/007_batches.sql"),
    include_str!("migrations/008_number_release.sql"),
    include_str!("migrations/009_conversation_pages.sql"),
    include_str!("migrations/010_member_pages.sql"),
    include_str!("migrations/011_support_desk.sql"),
    include_str!("migrations/012_inbox_counts.sql"),
    include_str!("migrations/013_kept_checks.sql"),
    include_str!("migrations/014_account_follows.sql"),
    include_str!("migrations/015_contact_owners.sql"),
    include_str!("migrations/016_search_shown_address.sql"),
];

/// The schema version this binary writes on a server.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// The advisory lock taken while migrating ("SEAT" in ASCII): two desktops
/// opening a new server at once do not both create the schema.
const MIGRATION_LOCK: i64 = 0x5345_4154;

/// The schema version the server holds (0: none yet), read without
/// writing anything (any Seatdesk login may).
pub fn version(client: &mut Client) -> Result<i64> {
    let exists: bool = client.query_one("SELECT to_regclass('seatdesk_migration') IS NOT NULL", &[])?.try_get(0)?;
    if !exists {
        return Ok(0);
    }
    match client.query_one("SELECT coalesce(max(version), 0) FROM seatdesk_migration", &[]) {
        Ok(row) => Ok(row.try_get(0)?),
        Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => Err(no_access()),
        Err(e) => Err(e.into()),
    }
}

/// A login the server knows but has not granted Seatdesk (or whose grants
/// were all revoked).
pub fn no_access() -> Error {
    Error::new(
        ErrorCode::NotPermitted,
        "This login has no access to Seatdesk on the shared server. Ask its administrator to grant it \
         (`seatdesk server grant LOGIN --account NAME --member EMAIL`). Nothing was changed.",
    )
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, returning
/// the version found; refuses a schema written by a newer Seatdesk. Only
/// the server's administrator (who may create tables and roles) migrates:
/// a login that may not is told to ask for `seatdesk server init`.
pub fn migrate(client: &mut Client) -> Result<i64> {
    let found = version(client)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(found));
    }
    if found == SCHEMA_VERSION {
        return Ok(found);
    }
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let steps = (|| -> std::result::Result<i64, postgres::Error> {
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS seatdesk_migration (
                 version     BIGINT PRIMARY KEY,
                 applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )?;
        // Another opener may have migrated while this one waited.
        let found: i64 = tx.query_one("SELECT coalesce(max(version), 0) FROM seatdesk_migration", &[])?.try_get(0)?;
        for (i, step) in STEPS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
            tx.batch_execute(step)?;
            tx.execute("INSERT INTO seatdesk_migration (version) VALUES ($1)", &[&(i as i64 + 1)])?;
        }
        Ok(found)
    })();
    match steps {
        Ok(found) if found > SCHEMA_VERSION => Err(too_new(found)),
        Ok(_) => {
            tx.commit()?;
            Ok(found)
        }
        Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => Err(Error::new(
            ErrorCode::ServerUnavailable,
            format!(
                "The shared server's Seatdesk schema is at version {found}, and this login may not bring it to version \
                 {SCHEMA_VERSION}: its administrator runs `seatdesk server init` first. Nothing was changed."
            ),
        )
        .with_details(json!({ "found": found, "supported": SCHEMA_VERSION }))),
        Err(e) => Err(e.into()),
    }
}

fn too_new(found: i64) -> Error {
    Error::new(
        ErrorCode::DatabaseTooNew,
        format!(
            "The shared server's schema was written by a newer Seatdesk (version {found}; this one knows up to \
             {SCHEMA_VERSION}). Update Seatdesk; nothing was changed."
        ),
    )
    .with_details(json!({ "found": found, "supported": SCHEMA_VERSION }))
}

/// The triggers that keep the counts and the append-only books: a schema
/// missing one (dropped by hand) no longer guards what Seatdesk relies on.
const TRIGGERS: &[(&str, &str)] = &[
    ("audit", "audit_append_only"),
    ("ledger", "ledger_append_only"),
    ("plan_period", "plan_period_append_only"),
    ("inbox_member", "inbox_member_count_insert"),
    ("inbox_member", "inbox_member_count_delete"),
    ("member", "member_count_insert"),
    ("member", "member_count_delete"),
    ("member", "member_count_change"),
    ("audit", "audit_login"),
    ("audit", "audit_chain"),
    ("inbox_member", "inbox_member_account"),
    ("routing", "routing_account"),
    ("assignment_member", "assignment_member_account"),
    ("assignment_member", "assignment_member_place"),
    ("member", "member_place"),
    ("ring_group_member", "ring_group_member_account"),
    ("distribution_group", "distribution_group_account"),
    ("ivr_option", "ivr_option_account"),
    ("distribution_member", "distribution_member_account"),
    ("audit", "audit_notify"),
    ("member", "member_role_change"),
    ("account", "account_role_change"),
    ("inbox", "inbox_number_change"),
    ("inbox_member", "inbox_count_members_insert"),
    ("inbox_member", "inbox_count_members_delete"),
    ("inbox_member", "inbox_count_pending_insert"),
    ("inbox_member", "inbox_count_pending_delete"),
    ("member", "inbox_count_pending_status"),
    ("assignment_member", "inbox_count_assignment_insert"),
    ("assignment_member", "inbox_count_assignment_delete"),
    ("ring_group_member", "inbox_count_ring_group_insert"),
    ("ring_group_member", "inbox_count_ring_group_delete"),
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
