//! The SQLite implementation of [`crate::store::AuditStore`].

use crate::domain::AccountId;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use crate::store::audit::*;
use crate::store::AuditStore;

impl AuditStore for Connection {
    fn append(&self, e: &Entry<'_>) -> Result<()> {
        let conn = self;
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

    fn first_broken_link(&self, account: AccountId) -> Result<Option<i64>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "SELECT id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash
             FROM audit WHERE account_id = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([account.0])?;
        let mut expected_prev = GENESIS.to_string();
        while let Some(r) = rows.next()? {
            let (id, at, date, email, name, action, target, details, prev, hash): (
                i64,
                String,
                String,
                String,
                String,
                String,
                String,
                String,
                String,
                String,
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

    fn count(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1")?.query_row([account.0], |r| r.get(0))?)
    }

    fn page(&self, account: AccountId, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)> {
        let rows = stored(
            self,
            &format!("SELECT {COLUMNS} FROM audit WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"),
            params![account.0, limit, offset],
        )?;
        Ok((rows, AuditStore::count(self, account)?))
    }

    fn about(&self, account: AccountId, email: &str, upto: Option<i64>, limit: i64) -> Result<Vec<Stored>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM (
                 SELECT * FROM audit WHERE account_id = ?1 AND target = ?2
                 UNION ALL
                 SELECT * FROM audit WHERE account_id = ?1 AND json_extract(details, '$.member') = ?2
                   AND action IN ({MEMBER_ACTIONS})
             ) WHERE ?4 IS NULL OR id <= ?4 ORDER BY id DESC LIMIT ?3"
        );
        stored(self, &sql, params![account.0, email, limit, upto])
    }

    fn address_change_to(&self, account: AccountId, email: &str) -> Result<Option<(String, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT coalesce(json_extract(details, '$.from'), json_extract(details, '$.email.from')), id FROM audit
                 WHERE account_id = ?1 AND action IN ('member.set_email', 'member.edit_invite')
                   AND coalesce(json_extract(details, '$.to'), json_extract(details, '$.email.to')) = ?2
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![account.0, email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn by_ticket(&self, ticket: &str, account: Option<AccountId>, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)> {
        const WHERE: &str = "WHERE json_extract(details, '$.ticket') = ?1 AND (?2 IS NULL OR account_id = ?2)";
        let account = account.map(|a| a.0);
        let rows = stored(self, &format!("SELECT {COLUMNS} FROM audit {WHERE} ORDER BY id DESC LIMIT ?3 OFFSET ?4"), params![ticket, account, limit, offset])?;
        let total = self.prepare_cached(&format!("SELECT count(*) FROM audit {WHERE}"))?.query_row(params![ticket, account], |r| r.get(0))?;
        Ok((rows, total))
    }

    fn first_broken_position(&self, account: AccountId) -> Result<Option<i64>> {
        let conn = self;
        let Some(id) = AuditStore::first_broken_link(conn, account)? else { return Ok(None) };
        Ok(Some(
            conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1 AND id <= ?2")?
                .query_row(params![account.0, id], |r| r.get(0))?,
        ))
    }

    fn head(&self, account: AccountId) -> Result<String> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT hash FROM audit WHERE account_id = ?1 ORDER BY id DESC LIMIT 1")?
            .query_row([account.0], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string()))
    }

    fn position_of(&self, account: AccountId, hash: &str) -> Result<Option<i64>> {
        let conn = self;
        if hash == GENESIS {
            return Ok(Some(0));
        }
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM audit WHERE account_id = ?1 AND hash = ?2")?
            .query_row(params![account.0, hash], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        Ok(Some(
            conn.prepare_cached("SELECT count(*) FROM audit WHERE account_id = ?1 AND id <= ?2")?
                .query_row(params![account.0, id], |r| r.get(0))?,
        ))
    }
}

const COLUMNS: &str = "at, business_date, actor_email, actor_name, action, target, details, login, account_id";

/// Entries read by a query selecting [`COLUMNS`].
fn stored(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Stored>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map(params, |r| {
            Ok(Stored {
                at: r.get(0)?,
                business_date: r.get(1)?,
                actor_email: r.get(2)?,
                actor_name: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                details: r.get(6)?,
                login: r.get(7)?,
                account_id: AccountId(r.get(8)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
