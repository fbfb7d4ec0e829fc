//! The PostgreSQL implementation of [`crate::store::LedgerStore`].

use super::{get, Pg};
use crate::domain::billing::LedgerKind;
use crate::domain::AccountId;
use crate::error::{Error, Result};
use crate::store::ledger::*;
use postgres::Row;

/// The columns [`from_row`] reads, in its order (a macro, so that the
/// statements stay `&'static str`).
macro_rules! columns {
    () => {
        "id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, note, seats_after, assigned_after, currency"
    };
}

fn from_row(r: &Row) -> Result<Entry> {
    Ok(Entry {
        id: get(r, 0)?,
        date: get(r, 1)?,
        kind: get(r, 2)?,
        quantity: get(r, 3)?,
        unit_cents: get(r, 4)?,
        amount_cents: get(r, 5)?,
        actor_email: get(r, 6)?,
        actor_name: get(r, 7)?,
        note: get(r, 8)?,
        seats_after: get(r, 9)?,
        assigned_after: get(r, 10)?,
        currency: get(r, 11)?,
    })
}

impl LedgerStore for Pg<'_> {
    fn append(&self, e: &NewEntry<'_>) -> Result<i64> {
        self.value::<i64>(
            "INSERT INTO ledger (account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name,
                                 note, seats_after, assigned_after, created_at, currency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            &[
                &e.account_id.0,
                &e.date,
                &e.kind.as_str(),
                &e.quantity,
                &e.unit_cents,
                &e.amount_cents,
                &e.actor_email,
                &e.actor_name,
                &e.note,
                &e.seats_after,
                &e.assigned_after,
                &e.created_at,
                &e.currency,
            ],
        )
    }

    fn last_id(&self, account: AccountId) -> Result<i64> {
        self.value::<i64>("SELECT coalesce(max(id), 0) FROM ledger WHERE account_id = $1", &[&account.0])
    }

    fn last_date(&self, account: AccountId) -> Result<Option<chrono::NaiveDate>> {
        let raw: Option<String> = self.value("SELECT max(date) FROM ledger WHERE account_id = $1", &[&account.0])?;
        raw.map(|d| d.parse().map_err(|e| Error::internal(format!("a ledger date does not read: {e}")).caused_by(e))).transpose()
    }

    /// Two statement texts, with and without the kind, each with its own plan
    /// (the kind's goes through `ledger_by_kind`).
    fn page(&self, account: AccountId, kind: Option<LedgerKind>, offset: i64, limit: i64) -> Result<(Vec<Entry>, i64)> {
        let (rows, total) = match kind {
            None => (
                self.rows(
                    concat!("SELECT ", columns!(), " FROM ledger WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"),
                    &[&account.0, &limit, &offset],
                )?,
                self.value::<i64>("SELECT count(*) FROM ledger WHERE account_id = $1", &[&account.0])?,
            ),
            Some(k) => {
                let k = k.as_str();
                (
                    self.rows(
                        concat!(
                            "SELECT ",
                            columns!(),
                            " FROM ledger WHERE account_id = $1 AND kind = $2 ORDER BY id DESC LIMIT $3 OFFSET $4"
                        ),
                        &[&account.0, &k, &limit, &offset],
                    )?,
                    self.value::<i64>("SELECT count(*) FROM ledger WHERE account_id = $1 AND kind = $2", &[&account.0, &k])?,
                )
            }
        };
        Ok((rows.iter().map(from_row).collect::<Result<Vec<_>>>()?, total))
    }

    fn all(&self, account: AccountId) -> Result<Vec<Entry>> {
        self.rows(concat!("SELECT ", columns!(), " FROM ledger WHERE account_id = $1 ORDER BY id"), &[&account.0])?
            .iter()
            .map(from_row)
            .collect()
    }

    fn net_seats(&self, account: AccountId) -> Result<i64> {
        self.value::<i64>(
            "SELECT coalesce(sum(CASE kind WHEN 'seat_purchase' THEN quantity WHEN 'seat_removal' THEN -quantity ELSE 0 END), 0)::bigint
             FROM ledger WHERE account_id = $1",
            &[&account.0],
        )
    }
}
