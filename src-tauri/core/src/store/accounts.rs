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

/// What the accounts overview shows of one account besides its plan: its
/// Owner and counts, read for every account in one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCounts {
    pub account_id: AccountId,
    pub owner_email: String,
    pub owner_name: String,
    pub active: i64,
    pub pending: i64,
    /// Pending invitations last sent before the day given.
    pub pending_stale: i64,
    /// Members holding a paid seat (Admin, Manager, Member; Active or Pending).
    pub assigned: i64,
    pub observers: i64,
    pub numbers: i64,
    /// When the newest audit entry was written (`None`: no entry).
    pub last_change: Option<String>,
}

/// What `check` last found in an account.
pub struct KeptCheck {
    pub account: AccountId,
    pub checked_at: String,
    /// What it found, as a JSON array of messages.
    pub problems: String,
    /// No audit entry was written in the account since: the verdict still
    /// describes it.
    pub current: bool,
}

/// The accounts part of a [`Store`](crate::store::Store).
pub trait AccountStore {
    fn insert(&self, new: &NewAccountRow<'_>) -> Result<AccountId>;

    fn exists_named(&self, name: &str) -> Result<bool>;

    fn by_name(&self, name: &str) -> Result<Account>;

    fn by_id(&self, id: AccountId) -> Result<Account>;

    fn list(&self) -> Result<Vec<Account>>;

    /// The Owner and counts of every account this connection sees (or of
    /// account `only`), in one statement; pending invitations last sent
    /// before the day `stale_before` (`YYYY-MM-DD`) are counted apart too.
    fn counts(&self, stale_before: &str, only: Option<AccountId>) -> Result<Vec<AccountCounts>>;

    fn set_purchased_seats(&self, id: AccountId, purchased: i64) -> Result<()>;

    /// The verdicts `check` kept, one per account checked.
    fn kept_checks(&self) -> Result<Vec<KeptCheck>>;

    /// Keeps what `check` found in the account when its audit log ended at
    /// `head` (replacing what it kept before).
    fn keep_check(&self, id: AccountId, checked_at: &str, head: &str, problems: &str) -> Result<()>;

    /// Writes the plan: the current period and terms, and any scheduled change.
    fn set_plan(&self, id: AccountId, plan: &Plan) -> Result<()>;
}
