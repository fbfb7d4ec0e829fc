//! Quotes and ledger kinds (rules §3, §4, §5). A quote is a pure function of
//! the account's state and the date; its id is a digest of exactly those
//! inputs, so confirming it later succeeds only while nothing it depends on
//! has changed (`quote_stale` otherwise).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use specta::Type;

use super::plan::prorate;
use super::Plan;
use crate::error::{Error, ErrorCode, Result};

/// The most units one purchase or removal may name.
pub const MAX_QUANTITY: i64 = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum LedgerKind {
    // The command line takes `seat-purchase` and, as JSON prints it, `seat_purchase`.
    #[cfg_attr(feature = "clap", value(alias = "seat_purchase"))]
    SeatPurchase,
    #[cfg_attr(feature = "clap", value(alias = "seat_removal"))]
    SeatRemoval,
    #[cfg_attr(feature = "clap", value(alias = "number_purchase"))]
    NumberPurchase,
    #[cfg_attr(feature = "clap", value(alias = "seat_renewal"))]
    SeatRenewal,
    #[cfg_attr(feature = "clap", value(alias = "number_renewal"))]
    NumberRenewal,
    /// A number given up: no refund; renewals stop billing it.
    #[cfg_attr(feature = "clap", value(alias = "number_release"))]
    NumberRelease,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 6] = [
        LedgerKind::SeatPurchase,
        LedgerKind::SeatRemoval,
        LedgerKind::NumberPurchase,
        LedgerKind::SeatRenewal,
        LedgerKind::NumberRenewal,
        LedgerKind::NumberRelease,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(raw: &str) -> Option<LedgerKind> {
        raw.trim().parse().ok()
    }
}

/// What is being bought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum QuoteItem {
    Seats,
    Number { inbox: String, number: String },
}

/// The state a quote depends on. Any change here changes the quote id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteBasis<'a> {
    pub account_id: i64,
    pub today: NaiveDate,
    pub plan: &'a Plan,
    pub purchased_seats: i64,
    /// Inbox numbers in use now (the first is included in the plan).
    pub numbers: i64,
    /// The id of the account's latest ledger entry (0 when none).
    pub last_ledger_id: i64,
}

/// A price quote: what is due now (prorated) and the new renewal total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Quote {
    pub item: QuoteItem,
    #[specta(type = specta_typescript::Number)]
    pub quantity: i64,
    #[specta(type = specta_typescript::Number)]
    pub unit_cents: i64,
    #[specta(type = specta_typescript::Number)]
    pub due_now_cents: i64,
    #[specta(type = specta_typescript::Number)]
    pub renewal_total_cents: i64,
    pub quote_id: String,
    pub currency: String,
    pub period_start: String,
    pub renews_on: String,
    #[specta(type = specta_typescript::Number)]
    pub days_remaining: i64,
    #[specta(type = specta_typescript::Number)]
    pub period_days: i64,
    /// True when the unit is free (the plan's included number).
    pub included: bool,
}

/// Refuses quantities of 0, below 0, or above [`MAX_QUANTITY`].
pub fn check_quantity(quantity: i64) -> Result<()> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidQuantity,
            format!("{quantity} is not a quantity Seatdesk accepts: use 1 to {MAX_QUANTITY}."),
        )
        .with_details(json!({ "quantity": quantity, "min": 1, "max": MAX_QUANTITY })))
    }
}

/// Parses a quantity typed as text (the CLI and forms), then checks it.
pub fn parse_quantity(raw: &str) -> Result<i64> {
    let q: i64 = raw.trim().parse().map_err(|_| {
        Error::new(ErrorCode::InvalidQuantity, format!("{raw:?} is not a whole number."))
            .with_details(json!({ "quantity": raw }))
    })?;
    check_quantity(q)?;
    Ok(q)
}

/// What the next renewal books for a given number of purchased seats and
/// numbers in use: at the terms in force from it, for the period it pays.
pub fn renewal_total(plan: &Plan, purchased_seats: i64, numbers: i64) -> i64 {
    let r = plan.next_renewal_period();
    r.charge(purchased_seats, r.terms.seat_price_cents)
        + r.charge(super::seats::billable_numbers(numbers), r.terms.number_price_cents)
}

fn quote_id(basis: &QuoteBasis<'_>, item: &QuoteItem, quantity: i64) -> String {
    let item_key = match item {
        QuoteItem::Seats => "seats".to_string(),
        QuoteItem::Number { inbox, number } => format!("number:{}:{number}", inbox.to_lowercase()),
    };
    let scheduled = basis.plan.scheduled.as_ref().map_or_else(String::new, |s| {
        format!(
            "{}/{}/{}/{}/{}",
            s.terms.period.as_str(),
            s.terms.seat_price_cents,
            s.terms.number_price_cents,
            s.terms.currency,
            s.renews_on.map_or_else(String::new, |d| d.to_string())
        )
    });
    let canonical = format!(
        "v2|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        basis.account_id,
        basis.today,
        basis.plan.period.as_str(),
        basis.plan.period_start,
        scheduled,
        basis.plan.renews_on,
        basis.plan.renewal_day,
        basis.plan.seat_price_cents,
        basis.plan.number_price_cents,
        basis.plan.currency,
        basis.purchased_seats,
        basis.numbers,
        basis.last_ledger_id,
        item_key,
        quantity
    );
    let digest = Sha256::digest(canonical.as_bytes());
    let hex: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    format!("q_{hex}")
}

/// Quotes `quantity` more seats.
pub fn quote_seats(basis: &QuoteBasis<'_>, quantity: i64) -> Result<Quote> {
    check_quantity(quantity)?;
    let plan = basis.plan;
    Ok(build(basis, QuoteItem::Seats, quantity, plan.seat_price_cents, false, renewal_total(plan, basis.purchased_seats + quantity, basis.numbers)))
}

/// Quotes one more inbox number; free while the plan's included number is unused.
pub fn quote_number(basis: &QuoteBasis<'_>, inbox: &str, number: &str) -> Quote {
    let plan = basis.plan;
    let included = basis.numbers == 0;
    let unit = if included { 0 } else { plan.number_price_cents };
    let item = QuoteItem::Number { inbox: inbox.to_string(), number: number.to_string() };
    build(basis, item, 1, unit, included, renewal_total(plan, basis.purchased_seats, basis.numbers + 1))
}

fn build(basis: &QuoteBasis<'_>, item: QuoteItem, quantity: i64, unit_cents: i64, included: bool, renewal_total_cents: i64) -> Quote {
    // Priced per day of a whole period; the account may have begun
    // within it (README, "The books' calendar": a period never starts before the account).
    let (start, renews) = basis.plan.current_period();
    let whole = basis.plan.nominal_start();
    let period_days = (renews - whole).num_days();
    let days_remaining = (renews - basis.today.max(start)).num_days().clamp(0, period_days.max(0));
    Quote {
        quote_id: quote_id(basis, &item, quantity),
        item,
        quantity,
        unit_cents,
        due_now_cents: prorate(quantity, unit_cents, whole, renews, basis.today.max(start)),
        renewal_total_cents,
        currency: basis.plan.currency.clone(),
        period_start: start.to_string(),
        renews_on: renews.to_string(),
        days_remaining,
        period_days,
        included,
    }
}

/// Refuses a confirmation whose quote id no longer matches the current one.
pub fn check_fresh(expected: Option<&str>, current: &Quote) -> Result<()> {
    match expected.map(str::trim) {
        Some(id) if id != current.quote_id => Err(Error::new(
            ErrorCode::QuoteStale,
            "The account changed since this quote (a purchase, a price, the plan or the date). Nothing was charged; review the new quote.",
        )
        .with_details(json!({ "quote_id": id, "current": current }))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::BillingPeriod;
    use chrono::Datelike;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn plan(period: BillingPeriod, renews: &str, seat: i64, number: i64) -> Plan {
        let renews_on = d(renews);
        Plan {
            period,
            period_start: crate::domain::plan::nominal_start(period, renews_on, renews_on.day()),
            renews_on,
            renewal_day: renews_on.day(),
            seat_price_cents: seat,
            number_price_cents: number,
            currency: "USD".into(),
            scheduled: None,
        }
    }

    fn basis<'a>(plan: &'a Plan, today: &str) -> QuoteBasis<'a> {
        QuoteBasis { account_id: 1, today: d(today), plan, purchased_seats: 2, numbers: 1, last_ledger_id: 7 }
    }

    /// (period, renews on, seat price, quantity, bought on, expected cents)
    const CASES: &[(BillingPeriod, &str, i64, i64, &str, i64)] = &[
        // rules §5: a $5.00/month unit bought on the 16th of a 30-day month renewing on the 1st.
        (BillingPeriod::Monthly, "2026-07-01", 500, 1, "2026-06-16", 250),
        // 31-day month (July): 16 of 31 days left.
        (BillingPeriod::Monthly, "2026-08-01", 1000, 1, "2026-07-16", 516),
        // 28-day February: half left exactly.
        (BillingPeriod::Monthly, "2027-03-01", 1000, 1, "2027-02-15", 500),
        // 29-day February (leap year): 14 of 29 days → 482.76 → 483.
        (BillingPeriod::Monthly, "2028-03-01", 1000, 1, "2028-02-16", 483),
        // First day of the period: the full price.
        (BillingPeriod::Monthly, "2026-12-01", 1000, 3, "2026-11-01", 3000),
        // Last day of the period: one day of thirty.
        (BillingPeriod::Monthly, "2026-12-01", 1000, 3, "2026-11-30", 100),
        // Renewing on the 31st after a 30-day month: the period runs Apr 30 → May 31 (31 days).
        (BillingPeriod::Monthly, "2027-05-31", 1000, 1, "2027-05-16", 484),
        // Round half up: 1 cent for 15 of 30 days is 0.5 → 1.
        (BillingPeriod::Monthly, "2026-07-01", 1, 1, "2026-06-16", 1),
        // Annual, 365-day year: 200 days left of $100.00 → 5479.45 → 5479.
        (BillingPeriod::Annual, "2027-07-01", 10_000, 1, "2026-12-13", 5479),
        // Annual across a leap day (366 days): 183 days left → exactly half.
        (BillingPeriod::Annual, "2028-07-01", 10_000, 2, "2027-12-31", 10_000),
    ];

    #[test]
    fn proration_table() {
        for &(period, renews, price, qty, day, expected) in CASES {
            let p = plan(period, renews, price, 500);
            let q = quote_seats(&basis(&p, day), qty).unwrap();
            assert_eq!(q.due_now_cents, expected, "{period:?} renewing {renews}, {qty} × {price} bought {day}");
            assert_eq!(q.renewal_total_cents, (2 + qty) * price);
        }
    }

    #[test]
    fn the_included_number_is_free_and_later_ones_are_prorated() {
        let p = plan(BillingPeriod::Monthly, "2026-07-01", 1000, 500);
        let mut b = basis(&p, "2026-06-16");
        b.numbers = 0;
        let first = quote_number(&b, "Sales", "+15551234567");
        assert!(first.included);
        assert_eq!((first.due_now_cents, first.renewal_total_cents), (0, 2000));
        b.numbers = 1;
        let second = quote_number(&b, "Support", "+15557654321");
        assert_eq!((second.due_now_cents, second.renewal_total_cents), (250, 2500));
    }

    #[test]
    fn any_change_to_the_basis_changes_the_quote_id() {
        let p = plan(BillingPeriod::Monthly, "2026-07-01", 1000, 500);
        let b = basis(&p, "2026-06-16");
        let q = quote_seats(&b, 3).unwrap();
        assert_eq!(q.quote_id, quote_seats(&b, 3).unwrap().quote_id, "deterministic");
        let mut changed = vec![
            quote_seats(&QuoteBasis { today: d("2026-06-17"), ..b.clone() }, 3).unwrap(),
            quote_seats(&QuoteBasis { purchased_seats: 3, ..b.clone() }, 3).unwrap(),
            quote_seats(&QuoteBasis { last_ledger_id: 8, ..b.clone() }, 3).unwrap(),
            quote_seats(&QuoteBasis { numbers: 2, ..b.clone() }, 3).unwrap(),
            quote_seats(&b, 4).unwrap(),
        ];
        let repriced = plan(BillingPeriod::Monthly, "2026-07-01", 1100, 500);
        changed.push(quote_seats(&basis(&repriced, "2026-06-16"), 3).unwrap());
        for other in changed {
            assert_ne!(other.quote_id, q.quote_id);
            assert_eq!(check_fresh(Some(&q.quote_id), &other).unwrap_err().code, ErrorCode::QuoteStale);
        }
        assert!(check_fresh(Some(&q.quote_id), &q).is_ok());
        assert!(check_fresh(None, &q).is_ok());
    }

    #[test]
    fn quantities_are_bounded() {
        for bad in [0, -1, MAX_QUANTITY + 1, i64::MIN, i64::MAX] {
            assert_eq!(check_quantity(bad).unwrap_err().code, ErrorCode::InvalidQuantity);
        }
        assert_eq!(parse_quantity("12").unwrap(), 12);
        for bad in ["", "1.5", "ten", "-3", "0", "100001"] {
            assert_eq!(parse_quantity(bad).unwrap_err().code, ErrorCode::InvalidQuantity, "{bad:?}");
        }
    }
}
