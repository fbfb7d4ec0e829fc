//! The SQLite implementation of [`crate::store::PeriodStore`].

use super::accounts::date;
use crate::domain::plan::Renewal;
use crate::domain::{AccountId, Terms};
use crate::error::Result;
use rusqlite::{params, Connection};
use crate::store::periods::*;
use crate::store::PeriodStore;

impl PeriodStore for Connection {
    fn insert(&self, account: AccountId, r: &Renewal) -> Result<()> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO plan_period (account_id, starts_on, ends_on, billing_period, renewal_day, seat_price_cents,
                                      number_price_cents, currency)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            account.0,
            r.starts_on.to_string(),
            r.ends_on.to_string(),
            r.terms.period.as_str(),
            r.renewal_day,
            r.terms.seat_price_cents,
            r.terms.number_price_cents,
            r.terms.currency
        ])?;
        Ok(())
    }

    fn all(&self, account: AccountId) -> Result<Vec<Period>> {
        let conn = self;
        let rows = conn
            .prepare_cached(
                "SELECT starts_on, ends_on, billing_period, renewal_day, seat_price_cents, number_price_cents, currency
                 FROM plan_period WHERE account_id = ?1 ORDER BY starts_on",
            )?
            .query_map([account.0], |r| {
                Ok(Period {
                    starts_on: date(r, 0)?,
                    ends_on: date(r, 1)?,
                    renewal_day: r.get(3)?,
                    terms: Terms { period: r.get(2)?, seat_price_cents: r.get(4)?, number_price_cents: r.get(5)?, currency: r.get(6)? },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
