//! The PostgreSQL implementation of [`crate::store::PeriodStore`].

use super::{get, Pg};
use crate::domain::plan::Renewal;
use crate::domain::{AccountId, Terms};
use crate::error::{Error, ErrorCode, Result};
use crate::store::periods::*;
use chrono::NaiveDate;
use postgres::Row;

/// A stored date; one that does not read is `database_corrupt`, never 1970
/// (as the SQLite store's `accounts::date`).
fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    let raw: &str = r.try_get(i)?;
    raw.parse::<NaiveDate>().map_err(|e| {
        Error::new(
            ErrorCode::DatabaseCorrupt,
            format!("A value on the server does not read ({raw:?}: {e}); it was changed outside Seatdesk. Nothing was changed."),
        )
        .with_details(serde_json::json!({ "column": i }))
    })
}

impl PeriodStore for Pg<'_> {
    fn insert(&self, account: AccountId, r: &Renewal) -> Result<()> {
        self.exec(
            "INSERT INTO plan_period (account_id, starts_on, ends_on, billing_period, renewal_day, seat_price_cents,
                                      number_price_cents, currency)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &account.0,
                &r.starts_on.to_string(),
                &r.ends_on.to_string(),
                &r.terms.period.as_str(),
                &i64::from(r.renewal_day),
                &r.terms.seat_price_cents,
                &r.terms.number_price_cents,
                &r.terms.currency,
            ],
        )?;
        Ok(())
    }

    fn all(&self, account: AccountId) -> Result<Vec<Period>> {
        self.rows(
            "SELECT starts_on, ends_on, billing_period, renewal_day, seat_price_cents, number_price_cents, currency
             FROM plan_period WHERE account_id = $1 ORDER BY starts_on",
            &[&account.0],
        )?
        .iter()
        .map(|r| {
            let day: i64 = get(r, 3)?;
            Ok(Period {
                starts_on: date(r, 0)?,
                ends_on: date(r, 1)?,
                renewal_day: u32::try_from(day).map_err(|_| {
                    Error::new(
                        ErrorCode::DatabaseCorrupt,
                        format!("A value on the server does not read (renewal day {day}); it was changed outside Seatdesk. Nothing was changed."),
                    )
                })?,
                terms: Terms { period: get(r, 2)?, seat_price_cents: get(r, 4)?, number_price_cents: get(r, 5)?, currency: get(r, 6)? },
            })
        })
        .collect()
    }
}
