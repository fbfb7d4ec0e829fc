//! The plan (rules §1) and proration (rules §5).

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::error::{Error, ErrorCode, Result};

/// Stored and sent as `monthly` or `annual`; typed also as month, year,
/// yearly or annually.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "lowercase")]
#[strum(ascii_case_insensitive)]
pub enum BillingPeriod {
    #[strum(to_string = "monthly", serialize = "month")]
    Monthly,
    #[strum(to_string = "annual", serialize = "annually", serialize = "yearly", serialize = "year")]
    Annual,
}

impl BillingPeriod {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(raw: &str) -> Result<BillingPeriod> {
        raw.trim().parse().map_err(|_| {
            Error::new(ErrorCode::InvalidPlan, format!("{raw:?} is not a plan; use monthly or annual.")).with_details(json!({ "plan": raw }))
        })
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

/// The terms a period is billed on: its length, its prices and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub period: BillingPeriod,
    pub seat_price_cents: i64,
    pub number_price_cents: i64,
    pub currency: String,
}

/// A plan change waiting for the next renewal (README, "Plan changes take effect at the
/// next renewal": the current period keeps its dates and prices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    /// The terms from the next renewal on.
    pub terms: Terms,
    /// When the renewal date moves: the end of the period that starts at
    /// the next renewal (a shorter period, charged pro rata, that brings
    /// the renewals to the new day). `None` keeps the anchor day.
    pub renews_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub period: BillingPeriod,
    /// The first day of the current period: the previous renewal, or the
    /// day the account began (never before it).
    pub period_start: NaiveDate,
    /// The end of the current period: the next renewal, which is paid to.
    pub renews_on: NaiveDate,
    /// The day of the month the plan renews on; `renews_on` is this day, or
    /// the month's last day when the month is shorter.
    pub renewal_day: u32,
    pub seat_price_cents: i64,
    pub number_price_cents: i64,
    pub currency: String,
    /// A change that takes effect at `renews_on`.
    pub scheduled: Option<Scheduled>,
}

/// The start of the whole period of `period` that ends on `end` with
/// renewals on `day`: the denominator of proration.
pub fn nominal_start(period: BillingPeriod, end: NaiveDate, day: u32) -> NaiveDate {
    on_day(period.back_one(end), day)
}

/// What the renewal on `renews_on` books: the period it pays for and the
/// terms it is paid at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renewal_day: u32,
    pub terms: Terms,
}

impl Renewal {
    /// The charge for `quantity` units at `unit_cents` for this period: a
    /// whole period costs exactly the price; a shorter one (moving the
    /// renewal day) its share of the whole period that ends with it.
    pub fn charge(&self, quantity: i64, unit_cents: i64) -> i64 {
        let whole = nominal_start(self.terms.period, self.ends_on, self.renewal_day);
        prorate(quantity, unit_cents, whole, self.ends_on, self.starts_on)
    }

    pub fn is_whole(&self) -> bool {
        nominal_start(self.terms.period, self.ends_on, self.renewal_day) == self.starts_on
    }
}

impl Plan {
    pub fn terms(&self) -> Terms {
        Terms {
            period: self.period,
            seat_price_cents: self.seat_price_cents,
            number_price_cents: self.number_price_cents,
            currency: self.currency.clone(),
        }
    }

    /// The current period `[start, renews_on)`.
    pub fn current_period(&self) -> (NaiveDate, NaiveDate) {
        (self.period_start, self.renews_on)
    }

    /// The whole period that ends on `renews_on` (it starts before
    /// `period_start` when the account began mid-period).
    pub fn nominal_start(&self) -> NaiveDate {
        nominal_start(self.period, self.renews_on, self.renewal_day)
    }

    /// The terms from the next renewal on (the scheduled ones, or these).
    pub fn next_terms(&self) -> Terms {
        self.scheduled.as_ref().map_or_else(|| self.terms(), |s| s.terms.clone())
    }

    /// The renewal due on `renews_on`.
    pub fn next_renewal_period(&self) -> Renewal {
        let terms = self.next_terms();
        match self.scheduled.as_ref().and_then(|s| s.renews_on) {
            Some(moved) => Renewal { starts_on: self.renews_on, ends_on: moved, renewal_day: moved.day(), terms },
            None => Renewal {
                starts_on: self.renews_on,
                ends_on: on_day(terms.period.forward_one(self.renews_on), self.renewal_day),
                renewal_day: self.renewal_day,
                terms,
            },
        }
    }

    /// The renewal date after `renews_on`.
    pub fn next_renewal(&self) -> NaiveDate {
        self.next_renewal_period().ends_on
    }

    /// The plan once the renewal on `renews_on` is booked.
    pub fn renewed(&self) -> Plan {
        let r = self.next_renewal_period();
        Plan {
            period: r.terms.period,
            period_start: r.starts_on,
            renews_on: r.ends_on,
            renewal_day: r.renewal_day,
            seat_price_cents: r.terms.seat_price_cents,
            number_price_cents: r.terms.number_price_cents,
            currency: r.terms.currency,
            scheduled: None,
        }
    }

    /// Schedules `terms` and a renewal date for the next renewal; a change
    /// back to the plan as it is clears the schedule.
    pub fn schedule(&self, terms: Terms, renews_on: Option<NaiveDate>) -> Plan {
        // The current date or the date the renewals reach anyway is no move.
        let natural = on_day(terms.period.forward_one(self.renews_on), self.renewal_day);
        let renews_on = renews_on.filter(|d| *d != self.renews_on && *d != natural);
        let scheduled = (terms != self.terms() || renews_on.is_some()).then_some(Scheduled { terms, renews_on });
        Plan { scheduled, ..self.clone() }
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
/// days, in integer arithmetic (rules §5). `day` is clamped into the period.
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
        let renewal_day = renews_on.day();
        Plan {
            period,
            period_start: nominal_start(period, renews_on, renewal_day),
            renews_on,
            renewal_day,
            seat_price_cents: 1000,
            number_price_cents: 500,
            currency: "USD".into(),
            scheduled: None,
        }
    }

    #[test]
    fn a_plan_renewing_on_the_31st_comes_back_to_it_after_short_months() {
        let mut p = plan(BillingPeriod::Monthly, "2027-01-31");
        let mut seen = vec![];
        for _ in 0..4 {
            p = p.renewed();
            seen.push(p.renews_on.to_string());
        }
        assert_eq!(seen, ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]);
        p.renews_on = d("2028-02-29");
        assert_eq!(p.nominal_start(), d("2028-01-31"));
        assert_eq!(p.next_renewal(), d("2028-03-31"));
        let mut leap = plan(BillingPeriod::Annual, "2028-02-29");
        assert_eq!(leap.next_renewal(), d("2029-02-28"));
        assert_eq!(leap.nominal_start(), d("2027-02-28"));
        for _ in 0..4 {
            leap = leap.renewed();
        }
        assert_eq!(leap.renews_on, d("2032-02-29"), "the leap day comes back");
    }

    /// Every anchor day, both periods, ten years of renewals from every
    /// day of a year: each whole period starts where the one before ended
    /// and costs exactly its price.
    #[test]
    fn whole_periods_are_contiguous_and_cost_their_price() {
        for period in [BillingPeriod::Monthly, BillingPeriod::Annual] {
            let mut start = d("2027-01-01");
            while start < d("2028-01-01") {
                let mut p = plan(period, &period.forward_one(start).to_string());
                p.renewal_day = start.day();
                p.renews_on = on_day(period.forward_one(start), start.day());
                p.period_start = start;
                assert_eq!(p.nominal_start(), start, "{period:?} from {start}");
                for _ in 0..(if period == BillingPeriod::Monthly { 120 } else { 10 }) {
                    let r = p.next_renewal_period();
                    assert!(r.is_whole(), "{period:?} {r:?}");
                    assert_eq!(r.charge(3, 1000), 3000, "{period:?} {r:?}");
                    let next = p.renewed();
                    assert_eq!(next.period_start, p.renews_on);
                    assert!(next.renews_on > next.period_start);
                    assert!(next.renews_on.day() == start.day() || next.renews_on.succ_opt().unwrap().day() == 1);
                    p = next;
                }
                start = start.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn a_moved_renewal_date_is_a_shorter_period_charged_pro_rata() {
        // Paid to 2027-01-01; from then on renew on the 15th.
        let p = plan(BillingPeriod::Monthly, "2027-01-01").schedule(plan(BillingPeriod::Monthly, "2027-01-01").terms(), Some(d("2027-01-15")));
        let r = p.next_renewal_period();
        assert_eq!((r.starts_on, r.ends_on, r.renewal_day), (d("2027-01-01"), d("2027-01-15"), 15));
        assert!(!r.is_whole(), "a shorter period is not whole");
        // 14 of the 31 days of Dec 15 -> Jan 15.
        assert_eq!(r.charge(1, 1000), 452);
        let after = p.renewed();
        assert_eq!((after.period_start, after.renews_on, after.scheduled.clone()), (d("2027-01-01"), d("2027-01-15"), None));
        assert_eq!(after.next_renewal(), d("2027-02-15"));
        // Scheduling the date it renews on anyway, or today's terms, schedules nothing.
        let q = plan(BillingPeriod::Monthly, "2027-01-01");
        assert_eq!(q.schedule(q.terms(), Some(d("2027-02-01"))).scheduled, None);
        assert_eq!(q.schedule(q.terms(), Some(d("2027-01-01"))).scheduled, None);
    }

    #[test]
    fn periods_step_by_calendar_months() {
        assert_eq!(BillingPeriod::Monthly.back_one(d("2026-03-31")), d("2026-02-28"));
        assert_eq!(BillingPeriod::Annual.forward_one(d("2026-07-01")), d("2027-07-01"));
        assert_eq!(parse_currency("usd").unwrap(), "USD");
        assert_eq!(parse_currency("US$").unwrap_err().code, ErrorCode::InvalidCurrency);
    }
}
