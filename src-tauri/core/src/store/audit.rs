//! The append-only, hash-chained `audit` table (rules §8).

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::domain::AccountId;
use crate::error::Result;

/// One entry to append. Actor fields are copied as they are now.
pub struct Entry<'a> {
    pub account_id: AccountId,
    pub at: &'a str,
    pub business_date: &'a str,
    pub actor_email: &'a str,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub details: &'a str,
}

/// The chain's starting value for an account.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// sha256 over the previous hash and every field, each length-prefixed so
/// no two different entries can hash the same.
pub fn entry_hash(prev: &str, e: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    for field in [prev, e.at, e.business_date, e.actor_email, e.actor_name, e.action, e.target, e.details] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn append(conn: &Connection, e: &Entry<'_>) -> Result<()> {
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit WHERE account_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([e.account_id.0], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = entry_hash(&prev, e);
    conn.prepare_cached(
        "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.account_id.0,
        e.at,
        e.business_date,
        e.actor_email,
        e.actor_name,
        e.action,
        e.target,
        e.details,
        prev,
        hash
    ])?;
    Ok(())
}

/// Recomputes the account's chain; returns the id of the first entry that
/// does not match, if any.
pub fn first_broken_link(conn: &Connection, account: AccountId) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash
         FROM audit WHERE account_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([account.0])?;
    let mut expected_prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        let (id, at, date, email, name, action, target, details, prev, hash): (
            i64, String, String, String, String, String, String, String, String, String,
        ) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?);
        let entry = Entry {
            account_id: account,
            at: &at,
            business_date: &date,
            actor_email: &email,
            actor_name: &name,
            action: &action,
            target: &target,
            details: &details,
        };
        if prev != expected_prev || entry_hash(&prev, &entry) != hash {
            return Ok(Some(id));
        }
        expected_prev = hash;
    }
    Ok(None)
}

/// A stored entry.
pub struct Stored {
    pub at: String,
    pub business_date: String,
    pub actor_email: String,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub details: String,
}

pub fn count(conn: &Connection, account: AccountId) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1")?.query_row([account.0], |r| r.get(0))?)
}

/// A page of entries, newest first, and the total.
pub fn page(conn: &Connection, account: AccountId, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)> {
    let rows = conn
        .prepare_cached(
            "SELECT at, business_date, actor_email, actor_name, action, target, details FROM audit
             WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
        )?
        .query_map(params![account.0, limit, offset], |r| {
            Ok(Stored {
                at: r.get(0)?,
                business_date: r.get(1)?,
                actor_email: r.get(2)?,
                actor_name: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                details: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, count(conn, account)?))
}

/// The 1-based position (oldest first) of the first entry that breaks the chain.
pub fn first_broken_position(conn: &Connection, account: AccountId) -> Result<Option<i64>> {
    let Some(id) = first_broken_link(conn, account)? else { return Ok(None) };
    Ok(Some(conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1 AND id <= ?2")?.query_row(params![account.0, id], |r| r.get(0))?))
}

/// The hash of the account's newest entry ([`GENESIS`] when there is none).
pub fn head(conn: &Connection, account: AccountId) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT hash FROM audit WHERE account_id = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([account.0], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string()))
}

/// The 1-based position of the entry whose hash is `hash` (`Some(0)` for
/// [`GENESIS`], the empty chain), or `None` when the chain does not hold it.
pub fn position_of(conn: &Connection, account: AccountId, hash: &str) -> Result<Option<i64>> {
    if hash == GENESIS {
        return Ok(Some(0));
    }
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM audit WHERE account_id = ?1 AND hash = ?2")?
        .query_row(params![account.0, hash], |r| r.get(0))
        .optional()?;
    let Some(id) = id else { return Ok(None) };
    Ok(Some(conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1 AND id <= ?2")?.query_row(params![account.0, id], |r| r.get(0))?))
}
