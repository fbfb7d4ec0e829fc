//! The rules of Seatdesk (SPEC §1–§8), free of SQL and of Tauri.
//!
//! Everything here is a plain value or a pure function: parsing and
//! validating what people type, the permission matrix, seat arithmetic and
//! proration. The store persists these values; the service layer applies the
//! rules inside a transaction.

pub mod billing;
pub mod email;
pub mod entities;
pub mod money;
pub mod phone;
pub mod plan;
pub mod role;
pub mod routing;
pub mod seats;
pub mod text;

pub use email::Email;
pub use entities::{Account, AccountId, Inbox, InboxId, Member, MemberId};
pub use plan::{BillingPeriod, Plan, Scheduled, Terms};
pub use role::{Permission, Role, Status};
pub use seats::SeatSummary;
