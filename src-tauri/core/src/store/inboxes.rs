//! The `inbox` and `inbox_member` tables.

use crate::domain::{AccountId, Inbox, InboxId, MemberId, Role, Status};
use crate::error::{Error, Result};
use crate::store::routing::List;

/// A page of an inbox's members, or of one of its routing lists, by name.
pub struct MemberPageQuery<'a> {
    /// Only the members of this routing list.
    pub list: Option<List>,
    /// Only Active members who hold work (not Observers): those routing may name.
    pub routable: bool,
    /// Matched against name and address, anywhere, case-insensitively.
    pub search: Option<&'a str>,
    pub offset: i64,
    pub limit: i64,
}

/// An inbox with its owner's email and its member count, for lists.
pub struct ListedInbox {
    pub inbox: Inbox,
    pub owner_email: String,
    pub owner_name: String,
    pub member_count: i64,
}

/// The inboxes part of a [`Store`](crate::store::Store).
pub trait InboxStore {
    fn insert(&self, account: AccountId, name: &str, number: Option<&str>, owner: MemberId, created_at: &str) -> Result<InboxId>;

    fn find_by_name(&self, account: AccountId, name: &str) -> Result<Option<Inbox>>;

    fn by_id(&self, id: InboxId) -> Result<Inbox>;

    /// The inbox named `name` (compared as names are), or `not_found`.
    fn by_name(&self, account: AccountId, name: &str) -> Result<Inbox> {
        self.find_by_name(account, name)?.ok_or_else(|| Error::not_found("inbox", name))
    }

    fn number_in_use(&self, account: AccountId, number: &str) -> Result<Option<String>>;

    fn count_numbers(&self, account: AccountId) -> Result<i64>;

    fn list(&self, account: AccountId) -> Result<Vec<ListedInbox>>;

    /// Adds a member to an inbox; returns false when they were there already.
    fn add_member(&self, inbox: InboxId, member: MemberId) -> Result<bool>;

    /// Adds members who are not in the inbox yet (a batch just invited).
    fn add_new_members(&self, inbox: InboxId, members: &[MemberId]) -> Result<()> {
        members.iter().try_for_each(|m| self.add_member(inbox, *m).map(drop))
    }

    /// An inbox's members (pending invites holding a place included), by name.
    fn members(&self, inbox: InboxId) -> Result<Vec<crate::domain::Member>>;

    /// The ids of an inbox's Active members, in id order (no sort, no row decoding).
    /// The inbox's Active members who hold work (not Observers): those the
    /// demo gives contacts and conversations.
    fn active_worker_ids(&self, inbox: InboxId) -> Result<Vec<MemberId>>;

    /// An inbox's members as the inbox page shows them: (email, name, role,
    /// status), by name; only the four columns are read.
    fn member_summaries(&self, inbox: InboxId) -> Result<Vec<(String, String, Role, Status)>>;

    /// The emails of an inbox's members, in alphabetical order of name.
    fn member_emails(&self, inbox: InboxId) -> Result<Vec<String>>;

    fn set_number(&self, inbox: InboxId, number: &str) -> Result<()>;

    /// Gives the number up: the inbox awaits one again.
    fn clear_number(&self, inbox: InboxId) -> Result<()>;

    fn rename(&self, inbox: InboxId, name: &str) -> Result<()>;

    /// Whether the inbox was made for a New Inbox invite still pending.
    fn awaits_invite(&self, inbox: InboxId) -> Result<bool>;

    /// The inboxes a member holds a place in, by name.
    fn of_member(&self, member: MemberId) -> Result<Vec<Inbox>>;

    /// Removes a member's place in an inbox; returns false when they had none.
    fn remove_member(&self, inbox: InboxId, member: MemberId) -> Result<bool>;

    /// How many members the inbox holds (a count its triggers keep).
    fn member_count(&self, inbox: InboxId) -> Result<i64>;

    /// The inbox's kept counts and its account's member totals, in one
    /// statement (the inbox page reads them all).
    fn counts(&self, inbox: InboxId) -> Result<InboxCounts>;

    /// Where a kept count of the account's inboxes differs from a recount:
    /// (inbox, "members" / "pending" / "assignment" / "ring_group", kept, counted).
    fn count_mismatches(&self, account: AccountId) -> Result<Vec<(String, String, i64, i64)>>;

    /// Members of the account's inboxes, and owners of them, who belong to
    /// another account: (inbox, "member" / "owner", their address or `#id`,
    /// their account's name where the store shows it), by inbox.
    fn foreign_members(&self, account: AccountId) -> Result<Vec<(String, String, String, Option<String>)>>;

    /// A page of members as the inbox page shows them: (email, name, role,
    /// status), by name, and how many match in all (a search counts up to
    /// [`COUNT_CAP`](crate::store::members::COUNT_CAP) + 1).
    fn member_page(&self, inbox: InboxId, q: &MemberPageQuery<'_>) -> Result<(Vec<(String, String, Role, Status)>, i64)>;

    /// Marks an inbox as made for a pending invite (or clears the mark).
    fn set_created_for(&self, inbox: InboxId, member: Option<MemberId>) -> Result<()>;

    /// The inbox a "New Inbox" invite created for `member`, if any.
    fn created_for(&self, member: MemberId) -> Result<Option<Inbox>>;

    fn set_owner(&self, inbox: InboxId, owner: MemberId) -> Result<()>;

    /// Deletes an inbox that has no members and no number.
    fn delete_empty(&self, inbox: InboxId) -> Result<()>;
}

/// An inbox's kept counts, and how many Active and Pending members its
/// account holds (what [`page_arms`] weighs them against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxCounts {
    pub account: AccountId,
    pub members: i64,
    pub pending: i64,
    pub assignment: i64,
    pub ring_group: i64,
    pub account_active: i64,
    pub account_pending: i64,
}

impl InboxCounts {
    /// The members of the inbox, or of one of its routing lists.
    pub fn of(&self, list: Option<List>) -> i64 {
        match list {
            None => self.members,
            Some(List::Assignment) => self.assignment,
            Some(List::RingGroup) => self.ring_group,
        }
    }

    /// The arms of an unfiltered page of `list` up to `wanted` rows (a
    /// routing list holds Active members only).
    pub fn arms(&self, list: Option<List>, wanted: i64) -> Option<Vec<PageArm>> {
        let pending = if list.is_some() { 0 } else { self.pending };
        page_arms(wanted, (self.of(list) - pending, pending), (self.account_active, self.account_pending))
    }
}

/// How one status's members of an unfiltered inbox page are read: walking
/// the account's members of that status in name order and keeping those in
/// the inbox (`walk`), or reading the inbox's own and sorting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageArm {
    pub status: &'static str,
    pub walk: bool,
}

/// The arms of an unfiltered page up to `wanted` rows (offset + limit),
/// from the kept counts: (Active, Pending) in the inbox and in the account.
/// The walk reads about `wanted × in_account / in_inbox` members, the sort
/// `in_inbox`: each status takes the shorter. `None` when no status walks
/// (the ordinary sorted query is as good). A status the inbox holds none of
/// has no arm.
pub fn page_arms(wanted: i64, in_inbox: (i64, i64), in_account: (i64, i64)) -> Option<Vec<PageArm>> {
    let arms: Vec<PageArm> = [("active", in_inbox.0, in_account.0), ("pending", in_inbox.1, in_account.1)]
        .into_iter()
        .filter(|(_, here, _)| *here > 0)
        .map(|(status, here, all)| PageArm { status, walk: wanted.saturating_mul(all) / here <= here })
        .collect();
    arms.iter().any(|a| a.walk).then_some(arms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn arm(status: &'static str, walk: bool) -> PageArm {
        PageArm { status, walk }
    }

    #[test]
    fn each_status_takes_the_shorter_read() {
        let account = (600_000, 250_000);
        // A big inbox: both statuses walk the account by name.
        assert_eq!(page_arms(100, (400_000, 80_000), account), Some(vec![arm("active", true), arm("pending", true)]));
        // Many Active, a few Pending among many elsewhere: the few are sorted.
        assert_eq!(page_arms(100, (400_000, 3), account), Some(vec![arm("active", true), arm("pending", false)]));
        // Far into the pages the walk grows with the offset, and stops paying.
        assert_eq!(page_arms(400_000, (400_000, 80_000), account), None);
        // A small inbox: nothing walks; a status it holds none of has no arm.
        assert_eq!(page_arms(100, (50, 2), account), None);
        assert_eq!(page_arms(100, (1_000, 0), (1_000, 10)), Some(vec![arm("active", true)]));
        assert_eq!(page_arms(100, (0, 0), account), None);
    }
}
