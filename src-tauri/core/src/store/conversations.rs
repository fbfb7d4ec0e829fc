//! The `contact` and `conversation` tables, and reassigning what a member holds.

use crate::domain::{AccountId, InboxId, MemberId};
use crate::error::Result;

/// A conversation as an inbox's Conversations tab lists it.
pub struct ConversationRow {
    pub id: i64,
    pub contact_name: String,
    pub contact_phone: String,
    pub assignee_email: Option<String>,
    pub assignee_name: Option<String>,
    pub last_activity: String,
}

/// Whose conversations a page lists.
#[derive(Debug, Clone, Copy)]
pub enum AssigneeFilter {
    Anyone,
    Unassigned,
    Member(MemberId),
}

/// The conversations part of a [`Store`](crate::store::Store).
pub trait ConversationStore {
    fn insert_contact(&self, account: AccountId, name: &str, phone: &str, owner: MemberId, at: &str) -> Result<i64>;

    fn contact_by_phone(&self, account: AccountId, phone: &str) -> Result<Option<i64>>;

    fn insert_conversation(&self, account: AccountId, inbox: InboxId, contact: i64, assignee: Option<MemberId>, at: &str) -> Result<i64>;

    /// What a member holds: (conversations assigned, contacts owned, inboxes owned).
    fn holdings(&self, member: MemberId) -> Result<(i64, i64, i64)>;

    /// Moves conversations, contacts and inbox ownership from one member to another.
    fn reassign(&self, from: MemberId, to: MemberId) -> Result<(usize, usize, usize)>;

    /// The inboxes in which `member` holds conversations.
    fn inboxes_held_by(&self, member: MemberId) -> Result<Vec<crate::domain::Inbox>>;

    /// Whether `member` holds any conversation in the inbox.
    fn holds_in_inbox(&self, inbox: InboxId, member: MemberId) -> Result<bool>;

    /// Moves `from`'s conversations in one inbox to `to` (or unassigns them).
    fn move_in_inbox(&self, inbox: InboxId, from: MemberId, to: Option<MemberId>) -> Result<usize>;

    /// Conversations held by someone who is not a member of their inbox, as
    /// (inbox, holder, count): `check` flags them.
    fn held_outside_their_inbox(&self, account: AccountId) -> Result<Vec<(String, String, i64)>>;

    /// How many conversations (assigned or not) are in the inbox.
    fn count_in_inbox(&self, inbox: InboxId) -> Result<i64>;

    /// Moves every conversation of inbox `from` to inbox `to`; one whose
    /// assignee is not a working member of `to` (Active, not an Observer)
    /// becomes unassigned. Returns (moved, unassigned).
    fn move_to_inbox(&self, from: InboxId, to: InboxId) -> Result<(i64, i64)>;

    /// A page of an inbox's conversations, newest activity first, and how
    /// many match (counted up to `COUNT_CAP + 1`).
    fn page_in_inbox(&self, inbox: InboxId, filter: AssigneeFilter, offset: i64, limit: i64) -> Result<(Vec<ConversationRow>, i64)>;

    /// Assigns those of `ids` that are in `inbox` to `to` (or nobody);
    /// returns how many were.
    fn assign_in_inbox(&self, inbox: InboxId, ids: &[i64], to: Option<MemberId>) -> Result<usize>;

    /// Whether any conversation (assigned or not) is in the inbox.
    fn any_in_inbox(&self, inbox: crate::domain::InboxId) -> Result<bool>;

    /// Owners of contacts who hold no work (pending invitees, Observers), with
    /// how many contacts each owns: `check` flags them.
    fn contacts_of_idle_owners(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>>;

    /// Owners of the account's contacts who are members of another account
    /// (or of none), each as their address (`#id` when unseen), their
    /// account's name when seen, and how many of its contacts they own:
    /// `check`'s rule `one_account`.
    fn contacts_of_strangers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, Option<String>, i64)>>;

    /// Observers holding conversations, with how many each holds: `check`
    /// flags them (Observers hold no work).
    fn conversations_of_observers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>>;

    /// Observers who own inboxes: (email, how many). Observers hold no work.
    fn inboxes_of_observers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>>;

    /// The id of the account's first contact (a demo writes contacts in order).
    fn first_contact_id(&self, account: AccountId) -> Result<i64>;
}
