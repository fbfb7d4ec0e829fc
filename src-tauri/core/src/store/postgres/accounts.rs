//! The PostgreSQL implementation of [`crate::store::AccountStore`].

use super::{get, Pg};
use crate::domain::text::name_key;
use crate::domain::{Account, AccountId, BillingPeriod, Plan, Scheduled, Terms};
use crate::error::{Error, ErrorCode, Result};
use crate::store::accounts::*;
use crate::store::AccountStore;
use chrono::NaiveDate;
use postgres::Row;

const COLUMNS: &str = "id, name, currency, billing_period, renews_on, seat_price_cents, number_price_cents,
                        purchased_seats, created_at, renewal_day, began_on, period_start, next_billing_period,
                        next_seat_price_cents, next_number_price_cents, next_currency, next_renews_on";

/// A stored date (ISO text) read from column `column`; one that does not
/// read is `database_corrupt`, never 1970.
pub(crate) fn parse_date(column: usize, raw: &str) -> Result<NaiveDate> {
    raw.parse::<NaiveDate>().map_err(|e| {
        Error::new(
            ErrorCode::DatabaseCorrupt,
            format!(
                "A value on the server does not read ({raw:?} is not a date: {e}); it was changed outside Seatdesk. Nothing was changed."
            ),
        )
        .with_details(serde_json::json!({ "column": column }))
    })
}

/// The date in column `i` of `r`.
pub(crate) fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    parse_date(i, &get::<String>(r, i)?)
}

fn from_row(r: &Row) -> Result<Account> {
    let scheduled = match get::<Option<BillingPeriod>>(r, 12)? {
        None => None,
        Some(period) => Some(Scheduled {
            terms: Terms {
                period,
                seat_price_cents: get::<i64>(r, 13)?,
                number_price_cents: get::<i64>(r, 14)?,
                currency: get::<String>(r, 15)?,
            },
            renews_on: match get::<Option<String>>(r, 16)? {
                None => None,
                Some(raw) => Some(parse_date(16, &raw)?),
            },
        }),
    };
    let renewal_day = get::<i64>(r, 9)?;
    Ok(Account {
        id: AccountId(get::<i64>(r, 0)?),
        name: get::<String>(r, 1)?,
        plan: Plan {
            currency: get::<String>(r, 2)?,
            period: get::<BillingPeriod>(r, 3)?,
            period_start: date(r, 11)?,
            renews_on: date(r, 4)?,
            renewal_day: u32::try_from(renewal_day).map_err(|_| {
                Error::new(
                    ErrorCode::DatabaseCorrupt,
                    format!("A value on the server does not read ({renewal_day} is not a renewal day); it was changed outside Seatdesk. Nothing was changed."),
                )
                .with_details(serde_json::json!({ "column": 9 }))
            })?,
            seat_price_cents: get::<i64>(r, 5)?,
            number_price_cents: get::<i64>(r, 6)?,
            scheduled,
        },
        purchased_seats: get::<i64>(r, 7)?,
        created_at: get::<String>(r, 8)?,
        began_on: date(r, 10)?,
    })
}

impl AccountStore for Pg<'_> {
    fn insert(&self, new: &NewAccountRow<'_>) -> Result<AccountId> {
        let id: i64 = self.value(
            "INSERT INTO account (name, name_key, currency, billing_period, renews_on, seat_price_cents,
                                  number_price_cents, purchased_seats, created_at, renewal_day, began_on, period_start)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11) RETURNING id",
            &[
                &new.name,
                &name_key(new.name),
                &new.plan.currency,
                &new.plan.period.as_str(),
                &new.plan.renews_on.to_string(),
                &new.plan.seat_price_cents,
                &new.plan.number_price_cents,
                &new.created_at,
                &i64::from(new.plan.renewal_day),
                &new.began_on.to_string(),
                &new.plan.period_start.to_string(),
            ],
        )?;
        Ok(AccountId(id))
    }

    fn exists_named(&self, name: &str) -> Result<bool> {
        self.value("SELECT EXISTS (SELECT 1 FROM account WHERE name_key = $1)", &[&name_key(name)])
    }

    fn by_name(&self, name: &str) -> Result<Account> {
        self.opt(&format!("SELECT {COLUMNS} FROM account WHERE name_key = $1{}", self.lock()), &[&name_key(name)])?
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or_else(|| Error::not_found("account", name))
    }

    fn by_id(&self, id: AccountId) -> Result<Account> {
        self.opt(&format!("SELECT {COLUMNS} FROM account WHERE id = $1{}", self.lock()), &[&id.0])?
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or_else(|| Error::not_found("account", &id.0.to_string()))
    }

    fn list(&self) -> Result<Vec<Account>> {
        // lower() of a COLLATE "C" column folds ASCII only: SQLite's NOCASE.
        self.rows(&format!("SELECT {COLUMNS} FROM account ORDER BY lower(name){}", self.lock()), &[])?.iter().map(from_row).collect()
    }

    fn counts(&self, stale_before: &str, only: Option<AccountId>) -> Result<Vec<AccountCounts>> {
        self.rows(
            "SELECT a.id, o.email, o.name,
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = a.id AND c.status = 'active'),
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = a.id AND c.status = 'pending'),
                    (SELECT count(*)::bigint FROM member m WHERE m.account_id = a.id AND m.status = 'pending'
                       AND coalesce(m.last_sent_at, m.invited_on) < $1),
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = a.id AND c.role IN ('admin', 'manager', 'member')),
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = a.id AND c.role = 'observer'),
                    (SELECT count(*)::bigint FROM inbox i WHERE i.account_id = a.id AND i.number IS NOT NULL),
                    (SELECT e.at FROM audit e WHERE e.account_id = a.id ORDER BY e.id DESC LIMIT 1)
             FROM account a JOIN member o ON o.account_id = a.id AND o.role = 'owner'
             WHERE $2::bigint IS NULL OR a.id = $2
             ORDER BY a.id",
            &[&stale_before, &only.map(|a| a.0)],
        )?
        .iter()
        .map(|r| {
            Ok(AccountCounts {
                account_id: AccountId(get(r, 0)?),
                owner_email: get(r, 1)?,
                owner_name: get(r, 2)?,
                active: get(r, 3)?,
                pending: get(r, 4)?,
                pending_stale: get(r, 5)?,
                assigned: get(r, 6)?,
                observers: get(r, 7)?,
                numbers: get(r, 8)?,
                last_change: get(r, 9)?,
            })
        })
        .collect()
    }

    fn set_purchased_seats(&self, id: AccountId, purchased: i64) -> Result<()> {
        self.exec("UPDATE account SET purchased_seats = $2 WHERE id = $1", &[&id.0, &purchased])?;
        Ok(())
    }

    fn kept_checks(&self) -> Result<Vec<KeptCheck>> {
        self.rows(
            "SELECT k.account_id, k.checked_at, k.problems,
                    k.audit_head = coalesce((SELECT e.hash FROM audit e WHERE e.account_id = k.account_id ORDER BY e.id DESC LIMIT 1), $1)
             FROM account_check k WHERE k.login = session_user",
            &[&crate::store::audit::GENESIS],
        )?
        .iter()
        .map(|r| Ok(KeptCheck { account: AccountId(get(r, 0)?), checked_at: get(r, 1)?, problems: get(r, 2)?, current: get(r, 3)? }))
        .collect()
    }

    fn keep_check(&self, id: AccountId, checked_at: &str, head: &str, problems: &str) -> Result<()> {
        self.exec(
            "INSERT INTO account_check (account_id, login, checked_at, audit_head, problems) VALUES ($1, session_user, $2, $3, $4)
             ON CONFLICT (account_id, login) DO UPDATE SET checked_at = EXCLUDED.checked_at, audit_head = EXCLUDED.audit_head, problems = EXCLUDED.problems",
            &[&id.0, &checked_at, &head, &problems],
        )?;
        Ok(())
    }

    fn set_plan(&self, id: AccountId, plan: &Plan) -> Result<()> {
        let next = plan.scheduled.as_ref();
        self.exec(
            "UPDATE account SET billing_period = $2, renews_on = $3, renewal_day = $4, seat_price_cents = $5,
                                number_price_cents = $6, currency = $7, period_start = $8, next_billing_period = $9,
                                next_seat_price_cents = $10, next_number_price_cents = $11, next_currency = $12,
                                next_renews_on = $13
             WHERE id = $1",
            &[
                &id.0,
                &plan.period.as_str(),
                &plan.renews_on.to_string(),
                &i64::from(plan.renewal_day),
                &plan.seat_price_cents,
                &plan.number_price_cents,
                &plan.currency,
                &plan.period_start.to_string(),
                &next.map(|n| n.terms.period.as_str()),
                &next.map(|n| n.terms.seat_price_cents),
                &next.map(|n| n.terms.number_price_cents),
                &next.map(|n| n.terms.currency.as_str()),
                &next.and_then(|n| n.renews_on).map(|d| d.to_string()),
            ],
        )?;
        Ok(())
    }
}
