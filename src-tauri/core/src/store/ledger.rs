//! The append-only `ledger` table.

use rusqlite::{params, params_from_iter, types::Value, Connection, Row};

use crate::domain::billing::LedgerKind;
use crate::domain::AccountId;
use crate::error::Result;

pub struct NewEntry<'a> {
    pub account_id: AccountId,
    pub date: &'a str,
    pub kind: LedgerKind,
    pub quantity: i64,
    pub unit_cents: i64,
    pub amount_cents: i64,
    pub actor_email: &'a str,
    pub actor_name: &'a str,
    pub note: &'a str,
    pub seats_after: i64,
    pub assigned_after: i64,
    pub created_at: &'a str,
    pub currency: &'a str,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub date: String,
    pub kind: LedgerKind,
    pub quantity: i64,
    pub unit_cents: i64,
    pub amount_cents: i64,
    pub actor_email: String,
    pub actor_name: String,
    pub note: String,
    pub seats_after: i64,
    pub assigned_after: i64,
    pub currency: String,
}

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

pub fn append(conn: &Connection, e: &NewEntry<'_>) -> Result<i64> {
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

pub fn last_id(conn: &Connection, account: AccountId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM ledger WHERE account_id = ?1")?
        .query_row([account.0], |r| r.get(0))?)
}

/// The date of the latest line, when there is one.
pub fn last_date(conn: &Connection, account: AccountId) -> Result<Option<chrono::NaiveDate>> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT max(date) FROM ledger WHERE account_id = ?1")?
        .query_row([account.0], |r| r.get(0))?;
    raw.map(|d| d.parse().map_err(|e| crate::error::Error::internal(format!("a ledger date does not read: {e}")).caused_by(e))).transpose()
}

/// A page of entries, newest first, optionally of one kind; and the total.
pub fn page(
    conn: &Connection,
    account: AccountId,
    kind: Option<LedgerKind>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Entry>, i64)> {
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

/// Every entry in booking order (reconciliation, the chart).
pub fn all(conn: &Connection, account: AccountId) -> Result<Vec<Entry>> {
    let rows = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM ledger WHERE account_id = ?1 ORDER BY id"))?
        .query_map([account.0], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Seats bought minus seats removed, as the ledger tells it.
pub fn net_seats(conn: &Connection, account: AccountId) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(CASE kind WHEN 'seat_purchase' THEN quantity WHEN 'seat_removal' THEN -quantity ELSE 0 END), 0)
             FROM ledger WHERE account_id = ?1",
        )?
        .query_row([account.0], |r| r.get(0))?)
}
