//! The `member` table and its queries, including the paged members list.

use crate::domain::email::EmailKey;
use crate::domain::{AccountId, Member, MemberId, Role, Status};
use crate::error::{Error, Result};
use chrono::NaiveDate;

pub struct NewMemberRow<'a> {
    pub account_id: AccountId,
    pub email: &'a str,
    pub email_key: &'a EmailKey,
    pub name: &'a str,
    pub role: Role,
    pub status: Status,
    pub invited_on: Option<NaiveDate>,
    pub joined_on: Option<NaiveDate>,
    pub invited_by: Option<&'a str>,
    /// When the invite was sent (RFC 3339), as a resend stamps it.
    pub sent_at: Option<&'a str>,
}

/// Counting matches stops here; a larger total is reported as "at least".
pub const COUNT_CAP: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Email,
    Role,
    Inboxes,
    Joined,
}

/// A page of the members list, filtered and sorted in SQL.
pub struct ListQuery<'a> {
    pub status: Option<Status>,
    pub role: Option<Role>,
    /// Matched against name and email, case-insensitively, anywhere.
    pub search: Option<&'a str>,
    /// Only invites last sent before this day (YYYY-MM-DD): pending ones
    /// that have waited long.
    pub sent_before: Option<&'a str>,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

impl ListQuery<'_> {
    /// Whether the page is filtered beyond its tab and a role: then its
    /// total is counted, up to [`COUNT_CAP`] + 1 (a tab's own total, and a
    /// role's, are kept by the store).
    pub fn counted(&self) -> bool {
        self.sent_before.is_some() || self.search.is_some_and(|t| !t.trim().is_empty())
    }
}

/// A listed member with the names of their inboxes.
pub struct ListedMember {
    pub member: Member,
    pub inboxes: Vec<String>,
}

/// The members part of a [`Store`](crate::store::Store).
pub trait MemberStore {
    fn insert(&self, m: &NewMemberRow<'_>) -> Result<MemberId>;

    /// Which of `keys` are addresses of the account's members already.
    fn taken(&self, account: AccountId, keys: &[&EmailKey]) -> Result<std::collections::HashSet<EmailKey>> {
        let mut taken = std::collections::HashSet::new();
        for key in keys {
            if self.find_by_email(account, key)?.is_some() {
                taken.insert((*key).clone());
            }
        }
        Ok(taken)
    }

    /// Inserts a batch (an invite of 1 000), returning the ids in order.
    /// A server does it in one statement; the file, row by row.
    fn insert_many(&self, rows: &[NewMemberRow<'_>]) -> Result<Vec<MemberId>> {
        rows.iter().map(|m| self.insert(m)).collect()
    }

    /// The member with the address `key`, or `not_found`.
    fn by_email(&self, account: AccountId, key: &EmailKey) -> Result<Member> {
        self.find_by_email(account, key)?.ok_or_else(|| Error::not_found("member", key.as_str()))
    }

    /// The member with the address `email` as typed (compared in its one
    /// normal form, [`crate::domain::email::key_of`]).
    fn find_by_email(&self, account: AccountId, key: &EmailKey) -> Result<Option<Member>>;

    /// The members with the addresses `keys`, in order (`None` where the
    /// account has none): a bulk step's selection. A server reads them in
    /// one statement.
    fn find_many(&self, account: AccountId, keys: &[EmailKey]) -> Result<Vec<Option<Member>>> {
        keys.iter().map(|k| self.find_by_email(account, k)).collect()
    }

    fn owner(&self, account: AccountId) -> Result<Member>;

    /// Non-Owner members with a paid role, Active or Pending (rules §3), from
    /// the counts the triggers keep.
    fn assigned_seats(&self, account: AccountId) -> Result<i64>;

    /// Observers, Active or Pending (they hold no seat), from the counts the
    /// triggers keep.
    fn observers(&self, account: AccountId) -> Result<i64>;

    /// Members per status: (active, pending), from the counts the triggers keep.
    fn status_counts(&self, account: AccountId) -> Result<(i64, i64)>;

    /// The kept counts per (status, role), and the same counted row by row
    /// (for `check`); zero counts left out of both.
    fn kept_and_counted(&self, account: AccountId) -> Result<(Vec<(String, String, i64)>, Vec<(String, String, i64)>)>;

    /// Members whose kept count of inboxes differs from their places:
    /// (email, kept, counted).
    fn inbox_count_mismatches(&self, account: AccountId) -> Result<Vec<(String, i64, i64)>>;

    /// Members of every account this connection sees (or of `account`) whose
    /// name or address holds `text` (three characters or more): the first
    /// `limit` the index finds, in no particular order (the caller sorts
    /// them; a sort of every match would read them all).
    fn find_anywhere(&self, text: &str, account: Option<AccountId>, limit: i64) -> Result<Vec<Member>>;

    /// A page of members and the number matching (capped at [`COUNT_CAP`] for
    /// searches and role filters; the plain tab total comes from `counts`).
    fn list(&self, account: AccountId, q: &ListQuery<'_>, counts: (i64, i64)) -> Result<(Vec<ListedMember>, i64)>;

    fn by_id(&self, id: MemberId) -> Result<Member>;

    /// Marks an invite accepted: Active from `joined_on`, with the name given.
    fn activate(&self, id: MemberId, name: &str, joined_on: NaiveDate) -> Result<()>;

    fn set_email(&self, id: MemberId, email: &str, email_key: &EmailKey) -> Result<()>;

    /// A corrected name (and the order it sorts in).
    fn set_name(&self, id: MemberId, name: &str) -> Result<()>;

    fn set_role(&self, id: MemberId, role: Role) -> Result<()>;

    /// Counts a resend and stamps its time.
    fn mark_resent(&self, id: MemberId, at: &str) -> Result<()>;

    /// Deletes a member row and their inbox places (the caller has dealt with
    /// anything they own).
    fn delete(&self, id: MemberId) -> Result<()>;

    /// [`MemberStore::delete`] of many (a bulk delete's, at its end); a
    /// server takes them in one statement per table.
    fn delete_many(&self, ids: &[MemberId]) -> Result<()> {
        ids.iter().try_for_each(|id| self.delete(*id))
    }

    /// Active members who may act for the account (Owner, Admin, Manager),
    /// matching `search`, by name; at most `limit`.
    fn actors(&self, account: AccountId, search: &str, limit: i64) -> Result<Vec<Member>>;

    fn count_role(&self, account: AccountId, role: Role) -> Result<i64>;

    /// When the member's row was made ('' before schema version 11).
    fn created_at(&self, id: MemberId) -> Result<String>;

    /// The address of whoever sent the invite (`None` for the Owner, a demo
    /// member, or one who came by import before it was recorded).
    fn invited_by(&self, id: MemberId) -> Result<Option<String>>;
}
