//! The SQLite implementation of [`crate::store::AccountStore`].

use crate::domain::text::name_key;
use crate::domain::{Account, AccountId, Plan, Scheduled, Terms};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row};
use crate::store::accounts::*;
use crate::store::AccountStore;

const COLUMNS: &str = "id, name, currency, billing_period, renews_on, seat_price_cents, number_price_cents,
                        purchased_seats, created_at, renewal_day, began_on, period_start, next_billing_period,
                        next_seat_price_cents, next_number_price_cents, next_currency, next_renews_on";

/// A stored date; one that does not read is an error, never 1970.
pub(crate) fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let raw: String = r.get(i)?;
    raw.parse::<NaiveDate>().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    let scheduled = match r.get::<_, Option<String>>(12)? {
        None => None,
        Some(_) => Some(Scheduled {
            terms: Terms { period: r.get(12)?, seat_price_cents: r.get(13)?, number_price_cents: r.get(14)?, currency: r.get(15)? },
            renews_on: match r.get::<_, Option<String>>(16)? {
                None => None,
                Some(_) => Some(date(r, 16)?),
            },
        }),
    };
    Ok(Account {
        id: AccountId(r.get(0)?),
        name: r.get(1)?,
        plan: Plan {
            currency: r.get(2)?,
            period: r.get(3)?,
            period_start: date(r, 11)?,
            renews_on: date(r, 4)?,
            renewal_day: r.get(9)?,
            seat_price_cents: r.get(5)?,
            number_price_cents: r.get(6)?,
            scheduled,
        },
        purchased_seats: r.get(7)?,
        created_at: r.get(8)?,
        began_on: date(r, 10)?,
    })
}

impl AccountStore for Connection {
    fn insert(&self, new: &NewAccountRow<'_>) -> Result<AccountId> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO account (name, name_key, currency, billing_period, renews_on, seat_price_cents,
                                  number_price_cents, purchased_seats, created_at, renewal_day, began_on, period_start)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            new.name,
            name_key(new.name),
            new.plan.currency,
            new.plan.period.as_str(),
            new.plan.renews_on.to_string(),
            new.plan.seat_price_cents,
            new.plan.number_price_cents,
            new.created_at,
            new.plan.renewal_day,
            new.began_on.to_string(),
            new.plan.period_start.to_string(),
        ])?;
        Ok(AccountId(conn.last_insert_rowid()))
    }

    fn exists_named(&self, name: &str) -> Result<bool> {
        let conn = self;
        Ok(conn.prepare_cached("SELECT 1 FROM account WHERE name_key = ?1")?.query_row([name_key(name)], |_| Ok(())).optional()?.is_some())
    }

    fn by_name(&self, name: &str) -> Result<Account> {
        let conn = self;
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM account WHERE name_key = ?1"))?
            .query_row([name_key(name)], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("account", name))
    }

    fn by_id(&self, id: AccountId) -> Result<Account> {
        let conn = self;
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM account WHERE id = ?1"))?
            .query_row([id.0], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("account", &id.0.to_string()))
    }

    fn list(&self) -> Result<Vec<Account>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM account ORDER BY name COLLATE NOCASE"))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn counts(&self, stale_before: &str, only: Option<AccountId>) -> Result<Vec<AccountCounts>> {
        let mut stmt = self.prepare_cached(
            "SELECT a.id, o.email, o.name,
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = a.id AND c.status = 'active'),
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = a.id AND c.status = 'pending'),
                    (SELECT count(*) FROM member m WHERE m.account_id = a.id AND m.status = 'pending'
                       AND coalesce(m.last_sent_at, m.invited_on) < ?1),
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = a.id AND c.role IN ('admin', 'manager', 'member')),
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = a.id AND c.role = 'observer'),
                    (SELECT count(*) FROM inbox i WHERE i.account_id = a.id AND i.number IS NOT NULL),
                    (SELECT e.at FROM audit e WHERE e.account_id = a.id ORDER BY e.id DESC LIMIT 1)
             FROM account a JOIN member o ON o.account_id = a.id AND o.role = 'owner'
             WHERE ?2 IS NULL OR a.id = ?2
             ORDER BY a.id",
        )?;
        let rows = stmt.query_map(params![stale_before, only.map(|a| a.0)], |r| {
            Ok(AccountCounts {
                account_id: AccountId(r.get(0)?),
                owner_email: r.get(1)?,
                owner_name: r.get(2)?,
                active: r.get(3)?,
                pending: r.get(4)?,
                pending_stale: r.get(5)?,
                assigned: r.get(6)?,
                observers: r.get(7)?,
                numbers: r.get(8)?,
                last_change: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn set_purchased_seats(&self, id: AccountId, purchased: i64) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE account SET purchased_seats = ?2 WHERE id = ?1")?.execute(params![id.0, purchased])?;
        Ok(())
    }

    fn kept_checks(&self) -> Result<Vec<KeptCheck>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT k.account_id, k.checked_at, k.problems,
                        k.audit_head = coalesce((SELECT e.hash FROM audit e WHERE e.account_id = k.account_id ORDER BY e.id DESC LIMIT 1), ?1)
                 FROM account_check k",
            )?
            .query_map([crate::store::audit::GENESIS], |r| {
                Ok(KeptCheck { account: AccountId(r.get(0)?), checked_at: r.get(1)?, problems: r.get(2)?, current: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn keep_check(&self, id: AccountId, checked_at: &str, head: &str, problems: &str) -> Result<()> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO account_check (account_id, checked_at, audit_head, problems) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (account_id) DO UPDATE SET checked_at = excluded.checked_at, audit_head = excluded.audit_head, problems = excluded.problems",
        )?
        .execute(params![id.0, checked_at, head, problems])?;
        Ok(())
    }

    fn set_plan(&self, id: AccountId, plan: &Plan) -> Result<()> {
        let conn = self;
        let next = plan.scheduled.as_ref();
        conn.prepare_cached(
            "UPDATE account SET billing_period = ?2, renews_on = ?3, renewal_day = ?4, seat_price_cents = ?5,
                                number_price_cents = ?6, currency = ?7, period_start = ?8, next_billing_period = ?9,
                                next_seat_price_cents = ?10, next_number_price_cents = ?11, next_currency = ?12,
                                next_renews_on = ?13
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            plan.period.as_str(),
            plan.renews_on.to_string(),
            plan.renewal_day,
            plan.seat_price_cents,
            plan.number_price_cents,
            plan.currency,
            plan.period_start.to_string(),
            next.map(|n| n.terms.period.as_str()),
            next.map(|n| n.terms.seat_price_cents),
            next.map(|n| n.terms.number_price_cents),
            next.map(|n| n.terms.currency.as_str()),
            next.and_then(|n| n.renews_on).map(|d| d.to_string()),
        ])?;
        Ok(())
    }
}
