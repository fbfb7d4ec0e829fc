//! Where "today" comes from, and the guard on a clock set far ahead.

use chrono::NaiveDate;
use serde_json::json;

use crate::error::{Error, ErrorCode, Result};

/// Where "today" comes from: the system's local date, or a fixed date
/// (`--today`, `SEATDESK_TODAY`) for back-dated bookkeeping and tests.
///
/// A fixed date more than one billing period past the computer's clock is
/// refused (`invalid_date`) unless `allow_future` is set: renewals booked by
/// a typo cannot be undone (see [`crate::Seatdesk::open`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub fixed: Option<NaiveDate>,
    pub allow_future: bool,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { fixed: None, allow_future: false }
    }

    /// A fixed date, with no limit on how far ahead it lies (tests).
    pub fn fixed(date: NaiveDate) -> Clock {
        Clock { fixed: Some(date), allow_future: true }
    }

    /// A fixed date as a person gives it (`--today`): checked against the
    /// computer's clock unless `allow_future`.
    pub fn fixed_checked(date: NaiveDate, allow_future: bool) -> Clock {
        Clock { fixed: Some(date), allow_future }
    }

    pub fn today(&self) -> NaiveDate {
        self.fixed.unwrap_or_else(Clock::computer_date)
    }

    pub fn computer_date() -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    /// Refuses a fixed date more than one `period` past the computer's date.
    pub fn check_horizon(&self, period: crate::domain::BillingPeriod) -> Result<()> {
        let Some(fixed) = self.fixed else {
            return Ok(());
        };
        if self.allow_future {
            return Ok(());
        }
        let computer = Clock::computer_date();
        let latest = period.forward_one(computer);
        if fixed <= latest {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::InvalidDate,
            format!(
                "The date given as today ({fixed}) is more than one {} billing period past this computer's date ({computer}); \
                 renewals booked from it could not be undone. Give --allow-future-date if it is meant. Nothing was changed.",
                period.as_str()
            ),
        )
        .with_details(json!({ "today": fixed.to_string(), "computer_date": computer.to_string(), "latest": latest.to_string() })))
    }
}
