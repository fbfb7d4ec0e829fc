//! The plan (SPEC §1) and proration (SPEC §5).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::error::{Error, ErrorCode, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum BillingPeriod {
    Monthly,
    Annual,
}

impl BillingPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            BillingPeriod::Monthly => "monthly",
            BillingPeriod::Annual => "annual",
        }
    }

    pub fn parse(raw: &str) -> Result<BillingPeriod> {
        match raw.trim().to_lowercase().as_str() {
            "monthly" | "month" => Ok(BillingPeriod::Monthly),
            "annual" | "annually" | "yearly" | "year" => Ok(BillingPeriod::Annual),
            _ => Err(Error::new(ErrorCode::InvalidPlan, format!("{raw:?} is not a plan; use monthly or annual."))
                .with_details(json!({ "plan": raw }))),
        }
    }

    pub fn months(self) -> u32 {
        match self {
            BillingPeriod::Monthly => 1,
            BillingPeriod::Annual => 12,
        }
    }

    /// Default seat price per period: $10.00/month or $100.00/year.
    pub fn default_seat_price_cents(self) -> i64 {
        match self {
            BillingPeriod::Monthly => 1_000,
            BillingPeriod::Annual => 10_000,
        }
    }

    /// Default number price per period: $5.00/month or $50.00/year.
    pub fn default_number_price_cents(self) -> i64 {
        match self {
            BillingPeriod::Monthly => 500,
            BillingPeriod::Annual => 5_000,
        }
    }

    /// The date one period before `date` (the start of the period that
    /// renews on `date`).
    pub fn back_one(self, date: NaiveDate) -> NaiveDate {
        date.checked_sub_months(Months::new(self.months())).unwrap_or(date)
    }

    /// The date one period after `date`.
    pub fn forward_one(self, date: NaiveDate) -> NaiveDate {
        date.checked_add_months(Months::new(self.months())).unwrap_or(date)
    }
}

/// `date` moved to day `day` of its month, or the month's last day when
/// the month is shorter (a plan renewing on the 31st renews on Feb 28/29).
pub fn on_day(date: NaiveDate, day: u32) -> NaiveDate {
    let mut d = day.clamp(1, 31);
    loop {
        if let Some(x) = date.with_day(d) {
            return x;
        }
        d -= 1;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub period: BillingPeriod,
    pub renews_on: NaiveDate,
    /// The day of the month the plan renews on; `renews_on` is this day, or
    /// the month's last day when the month is shorter.
    pub renewal_day: u32,
    pub seat_price_cents: i64,
    pub number_price_cents: i64,
    pub currency: String,
}

impl Plan {
    /// The current period `[start, renews_on)`.
    pub fn current_period(&self) -> (NaiveDate, NaiveDate) {
        (on_day(self.period.back_one(self.renews_on), self.renewal_day), self.renews_on)
    }

    /// The renewal date after `renews_on`.
    pub fn next_renewal(&self) -> NaiveDate {
        on_day(self.period.forward_one(self.renews_on), self.renewal_day)
    }
}

/// A currency code: three ASCII letters, stored in capitals.
pub fn parse_currency(raw: &str) -> Result<String> {
    let c = raw.trim().to_uppercase();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(Error::new(ErrorCode::InvalidCurrency, format!("{raw:?} is not a currency code such as USD."))
            .with_details(json!({ "currency": raw })))
    }
}

/// `round_half_up(quantity × unit_cents × (R − D) / (R − S))` in calendar
/// days, in integer arithmetic (SPEC §5). `day` is clamped into the period.
pub fn prorate(quantity: i64, unit_cents: i64, start: NaiveDate, renews: NaiveDate, day: NaiveDate) -> i64 {
    let period_days = (renews - start).num_days();
    if period_days <= 0 {
        return 0;
    }
    let remaining = (renews - day).num_days().clamp(0, period_days);
    let numerator = i128::from(quantity) * i128::from(unit_cents) * i128::from(remaining);
    let denominator = i128::from(period_days);
    // Round half up for a non-negative numerator.
    let rounded = (2 * numerator + denominator) / (2 * denominator);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn spec_example_half_a_month_of_a_five_dollar_number() {
        // A 30-day month (June) renewing on July 1st; bought on the 16th.
        assert_eq!(prorate(1, 500, d("2026-06-01"), d("2026-07-01"), d("2026-06-16")), 250);
    }

    #[test]
    fn rounds_half_up_and_clamps() {
        // 1000 × 1/3 = 333.33 → 333; 1000 × 2/3 = 666.67 → 667.
        let (s, r) = (d("2026-01-01"), d("2026-01-04"));
        assert_eq!(prorate(1, 1000, s, r, d("2026-01-03")), 333);
        assert_eq!(prorate(1, 1000, s, r, d("2026-01-02")), 667);
        // 1 cent × half a period = 0.5 → 1.
        assert_eq!(prorate(1, 1, d("2026-01-01"), d("2026-01-03"), d("2026-01-02")), 1);
        assert_eq!(prorate(3, 1000, s, r, s), 3000);
        assert_eq!(prorate(3, 1000, s, r, r), 0);
        assert_eq!(prorate(3, 1000, s, r, d("2025-12-01")), 3000);
    }

    fn plan(period: BillingPeriod, renews: &str) -> Plan {
        let renews_on = d(renews);
        Plan {
            period,
            renews_on,
            renewal_day: renews_on.day(),
            seat_price_cents: 1000,
            number_price_cents: 500,
            currency: "USD".into(),
        }
    }

    #[test]
    fn a_plan_renewing_on_the_31st_comes_back_to_it_after_short_months() {
        let mut p = plan(BillingPeriod::Monthly, "2027-01-31");
        let mut seen = vec![];
        for _ in 0..4 {
            p.renews_on = p.next_renewal();
            seen.push(p.renews_on.to_string());
        }
        assert_eq!(seen, ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]);
        p.renews_on = d("2028-02-29");
        assert_eq!(p.current_period(), (d("2028-01-31"), d("2028-02-29")));
        assert_eq!(p.next_renewal(), d("2028-03-31"));
        let leap = plan(BillingPeriod::Annual, "2028-02-29");
        assert_eq!(leap.next_renewal(), d("2029-02-28"));
        assert_eq!(leap.current_period().0, d("2027-02-28"));
    }

    #[test]
    fn periods_step_by_calendar_months() {
        assert_eq!(BillingPeriod::Monthly.back_one(d("2026-03-31")), d("2026-02-28"));
        assert_eq!(BillingPeriod::Annual.forward_one(d("2026-07-01")), d("2027-07-01"));
        assert_eq!(parse_currency("usd").unwrap(), "USD");
        assert_eq!(parse_currency("US$").unwrap_err().code, ErrorCode::InvalidCurrency);
    }
}
