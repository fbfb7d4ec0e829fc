//! The rules of Seatdesk (docs/rules.md §1–§8), free of SQL and of Tauri.
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

/// The version of an object saved whole (the plan, Call Distribution, IVR):
/// a digest of its state as shown. A save names the version it was made
/// from and is refused (`stale_edit`) when the object changed meanwhile.
pub fn version_of(state: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(state.to_string().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("v_{hex}")
}

/// Refuses a save made from `expected` when the object is now at `current`.
pub fn check_version(expected: Option<&str>, current: &str, what: &str) -> crate::error::Result<()> {
    match expected.map(str::trim) {
        Some(v) if v != current => Err(crate::error::Error::new(
            crate::error::ErrorCode::StaleEdit,
            format!("{what} changed since it was opened (another window or a script saved it). Nothing was saved: reload it and make the change again."),
        )
        .with_details(serde_json::json!({ "version": v, "current": current }))),
        _ => Ok(()),
    }
}
