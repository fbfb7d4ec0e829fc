//! The records Seatdesk keeps. Ids are integers that never leave Rust: the
//! window and the CLI name things by account name, email and inbox name.

use chrono::NaiveDate;

use super::{Plan, Role, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberId(pub i64);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InboxId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub plan: Plan,
    pub purchased_seats: i64,
    pub created_at: String,
    /// The business date the account began: its first period starts on
    /// it, and nothing is booked before it.
    pub began_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
    pub invited_on: Option<NaiveDate>,
    pub joined_on: Option<NaiveDate>,
    pub resend_count: i64,
    pub last_sent_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbox {
    pub id: InboxId,
    pub account_id: AccountId,
    pub name: String,
    pub number: Option<String>,
    pub owner_id: MemberId,
}
