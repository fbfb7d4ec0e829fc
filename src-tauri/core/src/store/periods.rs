//! The append-only `plan_period` table: every period an account has had
//! and the terms it was paid at (README, "The books' calendar").

use crate::domain::plan::Renewal;
use crate::domain::{AccountId, Terms};
use crate::error::Result;
use chrono::NaiveDate;

/// One stored period `[starts_on, ends_on)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub renewal_day: u32,
    pub terms: Terms,
}

impl Period {
    pub fn as_renewal(&self) -> Renewal {
        Renewal { starts_on: self.starts_on, ends_on: self.ends_on, renewal_day: self.renewal_day, terms: self.terms.clone() }
    }
}

/// The periods part of a [`Store`](crate::store::Store).
pub trait PeriodStore {
    fn insert(&self, account: AccountId, r: &Renewal) -> Result<()>;

    /// Every period of the account, oldest first.
    fn all(&self, account: AccountId) -> Result<Vec<Period>>;
}
