//! The `account` table.

use crate::domain::{Account, AccountId, Plan};
use crate::error::Result;
use chrono::NaiveDate;

pub struct NewAccountRow<'a> {
    pub name: &'a str,
    pub plan: &'a Plan,
    pub created_at: &'a str,
    pub began_on: NaiveDate,
}

/// The accounts part of a [`Store`](crate::store::Store).
pub trait AccountStore {
    fn insert(&self, new: &NewAccountRow<'_>) -> Result<AccountId>;

    fn exists_named(&self, name: &str) -> Result<bool>;

    fn by_name(&self, name: &str) -> Result<Account>;

    fn by_id(&self, id: AccountId) -> Result<Account>;

    fn list(&self) -> Result<Vec<Account>>;

    fn set_purchased_seats(&self, id: AccountId, purchased: i64) -> Result<()>;

    /// Writes the plan: the current period and terms, and any scheduled change.
    fn set_plan(&self, id: AccountId, plan: &Plan) -> Result<()>;
}
