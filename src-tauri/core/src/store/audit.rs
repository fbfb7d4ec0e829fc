//! The append-only, hash-chained `audit` table (rules §8).

use crate::domain::AccountId;
use crate::error::Result;
use sha2::{Digest, Sha256};

/// One entry to append. Actor fields are copied as they are now.
pub struct Entry<'a> {
    pub account_id: AccountId,
    pub at: &'a str,
    pub business_date: &'a str,
    pub actor_email: &'a str,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub details: &'a str,
}

/// The actions filed under an inbox whose details name a member (the
/// partial index `audit_by_member` holds them, on either store).
pub const MEMBER_ACTIONS: &str = "'inbox.add_member', 'inbox.remove_member', 'routing.add', 'routing.remove'";

/// The chain's starting value for an account.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// sha256 over the previous hash and every field, each length-prefixed so
/// no two different entries can hash the same.
pub fn entry_hash(prev: &str, e: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    for field in [prev, e.at, e.business_date, e.actor_email, e.actor_name, e.action, e.target, e.details] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored entry.
pub struct Stored {
    pub account_id: AccountId,
    pub at: String,
    pub business_date: String,
    pub actor_email: String,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub details: String,
    /// The shared server's login that wrote it; empty when written on a
    /// computer's own file.
    pub login: String,
}

/// The audit part of a [`Store`](crate::store::Store).
pub trait AuditStore {
    fn append(&self, e: &Entry<'_>) -> Result<()>;

    /// Appends entries in order (one per invitee of a batch); a server
    /// takes them in one statement.
    fn append_many(&self, entries: &[Entry<'_>]) -> Result<()> {
        entries.iter().try_for_each(|e| self.append(e))
    }

    /// Recomputes the account's chain; returns the id of the first entry that
    /// does not match, if any.
    fn first_broken_link(&self, account: AccountId) -> Result<Option<i64>>;

    fn count(&self, account: AccountId) -> Result<i64>;

    /// A page of entries, newest first, and the total.
    fn page(&self, account: AccountId, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)>;

    /// The newest `limit` entries about the member with the address
    /// `email` (up to the entry `upto`, when given), newest first: those
    /// whose target it is, and those filed under an inbox that name them
    /// (`details.member`: joined or left the inbox or one of its routing
    /// lists).
    fn about(&self, account: AccountId, email: &str, upto: Option<i64>, limit: i64) -> Result<Vec<Stored>>;

    /// The newest change of a member's address to `email` (their own, or an
    /// invite's edit): the address before it and the change's entry id.
    fn address_change_to(&self, account: AccountId, email: &str) -> Result<Option<(String, i64)>>;

    /// A page of the entries written under the support ticket `ticket`
    /// (`details.ticket`), newest first, in `account` or in every account
    /// this connection sees; and how many there are.
    fn by_ticket(&self, ticket: &str, account: Option<AccountId>, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)>;

    /// The 1-based position (oldest first) of the first entry that breaks the chain.
    fn first_broken_position(&self, account: AccountId) -> Result<Option<i64>>;

    /// The hash of the account's newest entry ([`GENESIS`] when there is none).
    fn head(&self, account: AccountId) -> Result<String>;

    /// The 1-based position of the entry whose hash is `hash` (`Some(0)` for
    /// [`GENESIS`], the empty chain), or `None` when the chain does not hold it.
    fn position_of(&self, account: AccountId, hash: &str) -> Result<Option<i64>>;
}
