//! The append-only `ledger` table.

use crate::domain::billing::LedgerKind;
use crate::domain::AccountId;
use crate::error::Result;

pub struct NewEntry<'a> {
    pub account_id: AccountId,
    pub date: &'a str,
    pub kind: LedgerKind,
    pub quantity: i64,
    pub unit_cents: i64,
    pub amount_cents: i64,
    pub actor_email: &'a str,
    pub actor_name: &'a str,
    pub note: &'a str,
    pub seats_after: i64,
    pub assigned_after: i64,
    pub created_at: &'a str,
    pub currency: &'a str,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub date: String,
    pub kind: LedgerKind,
    pub quantity: i64,
    pub unit_cents: i64,
    pub amount_cents: i64,
    pub actor_email: String,
    pub actor_name: String,
    pub note: String,
    pub seats_after: i64,
    pub assigned_after: i64,
    pub currency: String,
}

/// The ledger part of a [`Store`](crate::store::Store).
pub trait LedgerStore {
    fn append(&self, e: &NewEntry<'_>) -> Result<i64>;

    fn last_id(&self, account: AccountId) -> Result<i64>;

    /// The date of the latest line, when there is one.
    fn last_date(&self, account: AccountId) -> Result<Option<chrono::NaiveDate>>;

    /// A page of entries, newest first, optionally of one kind; and the total.
    fn page(&self, account: AccountId, kind: Option<LedgerKind>, offset: i64, limit: i64) -> Result<(Vec<Entry>, i64)>;

    /// Every entry in booking order (reconciliation, the chart).
    fn all(&self, account: AccountId) -> Result<Vec<Entry>>;

    /// Seats bought minus seats removed, as the ledger tells it.
    fn net_seats(&self, account: AccountId) -> Result<i64>;
}
