//! The SQLite implementation of [`crate::store::LedgerStore`].

use crate::domain::billing::LedgerKind;
use crate::domain::AccountId;
use crate::error::Result;
use rusqlite::{params, params_from_iter, types::Value, Connection, Row};
use crate::store::ledger::*;
use crate::store::LedgerStore;

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        date: r.get(1)?,
        kind: r.get(2)?,
        quantity: r.get(3)?,
        unit_cents: r.get(4)?,
        amount_cents: r.get(5)?,
        actor_email: r.get(6)?,
        actor_name: r.get(7)?,
        note: r.get(8)?,
        seats_after: r.get(9)?,
        assigned_after: r.get(10)?,
        currency: r.get(11)?,
    })
}

const COLUMNS: &str =
    "id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, note, seats_after, assigned_after, currency";

impl LedgerStore for Connection {
    fn append(&self, e: &NewEntry<'_>) -> Result<i64> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name,
                                 note, seats_after, assigned_after, created_at, currency)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            e.account_id.0,
            e.date,
            e.kind.as_str(),
            e.quantity,
            e.unit_cents,
            e.amount_cents,
            e.actor_email,
            e.actor_name,
            e.note,
            e.seats_after,
            e.assigned_after,
            e.created_at,
            e.currency
        ])?;
        Ok(conn.last_insert_rowid())
    }

    fn last_id(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn.prepare_cached("SELECT coalesce(max(id), 0) FROM ledger WHERE account_id = ?1")?.query_row([account.0], |r| r.get(0))?)
    }

    fn last_date(&self, account: AccountId) -> Result<Option<chrono::NaiveDate>> {
        let conn = self;
        let raw: Option<String> =
            conn.prepare_cached("SELECT max(date) FROM ledger WHERE account_id = ?1")?.query_row([account.0], |r| r.get(0))?;
        raw.map(|d| d.parse().map_err(|e| crate::error::Error::internal(format!("a ledger date does not read: {e}")).caused_by(e)))
            .transpose()
    }

    fn page(&self, account: AccountId, kind: Option<LedgerKind>, offset: i64, limit: i64) -> Result<(Vec<Entry>, i64)> {
        let conn = self;
        let mut filter = String::from("WHERE account_id = ?");
        let mut args: Vec<Value> = vec![Value::Integer(account.0)];
        if let Some(k) = kind {
            filter.push_str(" AND kind = ?");
            args.push(Value::Text(k.as_str().into()));
        }
        let total: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM ledger {filter}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let rows = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM ledger {filter} ORDER BY id DESC LIMIT ? OFFSET ?"))?
            .query_map(params_from_iter(args.iter()), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    fn all(&self, account: AccountId) -> Result<Vec<Entry>> {
        let conn = self;
        let rows = conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM ledger WHERE account_id = ?1 ORDER BY id"))?
            .query_map([account.0], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn net_seats(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT coalesce(sum(CASE kind WHEN 'seat_purchase' THEN quantity WHEN 'seat_removal' THEN -quantity ELSE 0 END), 0)
                 FROM ledger WHERE account_id = ?1",
            )?
            .query_row([account.0], |r| r.get(0))?)
    }
}
