//! The routing tables of an inbox: settings, Conversation Assignment and
//! Ring Group members, Call Distribution groups, IVR options.

use crate::domain::routing::{Fallthrough, RingStrategy};
use crate::domain::{InboxId, Member, MemberId};
use crate::error::Result;

/// The per-inbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub round_robin: bool,
    pub default_assignee: Option<MemberId>,
    /// Where round robin stands: the place in the rotation's order (a
    /// member's [`rotation`] key) of whoever had the last turn. The next
    /// turn goes to the first member after that place, whoever left or
    /// joined since.
    pub rr_after: Option<String>,
    pub ring_strategy: RingStrategy,
    pub ring_seconds: i64,
    pub fallthrough: Fallthrough,
    pub ivr_greeting: String,
}

/// The two member lists kept per inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Assignment,
    RingGroup,
}

/// A Call Distribution group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub position: i64,
    pub strategy: RingStrategy,
    pub ring_seconds: i64,
    pub members: Vec<Member>,
}

/// A stored IVR option: (digit, target kind, member, group position).
pub type IvrRow = (i64, String, Option<MemberId>, Option<i64>);

/// What taking a member out of every routing setting changed beyond them.
#[derive(Debug, Default)]
pub struct LeftEverywhere {
    /// Inboxes whose default assignee they were: round robin again.
    pub back_to_round_robin: Vec<String>,
    /// (inbox, position as it was) of distribution groups left with nobody.
    pub groups_removed: Vec<(String, i64)>,
    /// (inbox, digit) of IVR options that rang them: they point nowhere now.
    pub ivr_unlinked: Vec<(String, i64)>,
}

/// The routing part of a [`Store`](crate::store::Store).
pub trait RoutingStore {
    fn create_defaults(&self, inbox: InboxId) -> Result<()>;

    fn settings(&self, inbox: InboxId) -> Result<Settings>;

    fn save_settings(&self, inbox: InboxId, s: &Settings) -> Result<()>;

    /// The list's members in alphabetical order of name (then email).
    fn members(&self, inbox: InboxId, list: List) -> Result<Vec<Member>>;

    /// Conversation Assignment's rotation: (member, email, place) in order; a
    /// place is the name's sort key and the address, which round robin's
    /// cursor compares with.
    fn rotation(&self, inbox: InboxId) -> Result<Vec<(MemberId, String, String)>>;

    /// The member whose place comes first past `after` in the rotation (from
    /// the top when `after` is none), with that place: round robin's next
    /// turn, found in the index of places.
    fn rotation_next(&self, inbox: InboxId, after: Option<&str>) -> Result<Option<(crate::domain::Member, String)>>;

    /// The emails of at most `n` members of the round robin from the first
    /// whose place (as [`RoutingStore::rotation`] gives it) is past `after`
    /// (from the top when `after` is none), in order.
    fn rotation_after(&self, inbox: InboxId, after: Option<&str>, n: i64) -> Result<Vec<String>>;

    /// The emails of the list's members, in the same order as [`members`].
    fn member_emails(&self, inbox: InboxId, list: List) -> Result<Vec<String>>;

    fn contains(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool>;

    fn count(&self, inbox: InboxId, list: List) -> Result<usize>;

    /// Adds; returns false when the member was there already.
    fn add(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool>;

    /// Removes; returns false when the member was not there.
    fn remove(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool>;

    fn groups(&self, inbox: InboxId) -> Result<Vec<Group>>;

    /// Replaces every group of the inbox (positions follow the order given).
    fn replace_groups(&self, inbox: InboxId, groups: &[(RingStrategy, i64, Vec<MemberId>)]) -> Result<()>;

    /// Adds a member to, or removes them from, the distribution group at
    /// `position`; whether anything changed.
    fn set_group_member(&self, inbox: InboxId, position: i64, member: MemberId, present: bool) -> Result<bool>;

    /// Sets (or with `None` clears) one IVR digit.
    fn set_ivr_option(&self, inbox: InboxId, digit: i64, row: Option<&IvrRow>) -> Result<()>;

    /// Positions of the groups a member is in.
    fn groups_with(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>>;

    fn remove_from_groups(&self, inbox: InboxId, member: MemberId) -> Result<usize>;

    fn ivr_options(&self, inbox: InboxId) -> Result<Vec<IvrRow>>;

    fn replace_ivr_options(&self, inbox: InboxId, options: &[IvrRow]) -> Result<()>;

    /// Digits whose option routes to the member.
    fn ivr_digits_for(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>>;

    /// Points the member's IVR options nowhere (they stay, flagged).
    fn unlink_ivr_member(&self, inbox: InboxId, member: MemberId) -> Result<usize>;

    /// Removes the inbox's Call Distribution groups that nobody is left in (their
    /// last member left the inbox or the account), so that callers never ring
    /// into nothing: the groups after each move up, IVR digits that rang a
    /// removed group point nowhere (flagged, as a member's do), and digits that
    /// rang a later group follow it. Returns the removed groups' positions as
    /// they were.
    fn drop_empty_groups(&self, inbox: InboxId) -> Result<Vec<i64>>;

    /// Takes a member out of every routing setting of every inbox (round robin
    /// continues after their place, which its cursor keeps), an inbox whose
    /// default assignee they were goes back to round robin, IVR options that
    /// rang them stay, pointing nowhere, and a distribution group they were the
    /// last member of is removed ([`drop_empty_groups`]).
    fn remove_member_everywhere(&self, member: MemberId) -> Result<LeftEverywhere>;

    /// Every routing setting a member is in, across the account's inboxes, as
    /// (inbox name, setting) pairs.
    fn settings_of_member(&self, member: MemberId) -> Result<Vec<(String, String)>>;

    /// Everyone a routing setting of `inbox` names who is not an Active member
    /// of it (for `check`): (setting, group position or 0, email). One pass of
    /// each table through its primary key, no member rows decoded. Also
    /// (`assignment_place`) a round robin place no longer the member's.
    fn strays(&self, inbox: InboxId) -> Result<Vec<(String, i64, String)>>;

    /// Each distribution group's position and how many members it holds.
    fn group_sizes(&self, inbox: InboxId) -> Result<Vec<(i64, i64)>>;
}
