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

#[cfg(test)]
mod names {
    use super::billing::LedgerKind;
    use super::routing::{Fallthrough, RingStrategy};
    use super::{BillingPeriod, Role, Status};

    /// The names stored in the database, sent as JSON and typed on the
    /// command line: one list, derived (strum), read back as written.
    #[test]
    fn every_kind_reads_back_as_it_is_written() {
        let written: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(written, ["owner", "admin", "manager", "member", "observer"]);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert_eq!(Role::parse(" Admin ").unwrap(), Role::Admin);
        assert!(Role::parse("admins").is_err());
        for (s, text) in [(Status::Active, "active"), (Status::Pending, "pending")] {
            assert_eq!((s.as_str(), Status::parse(text), Status::parse(&text.to_uppercase())), (text, Some(s), Some(s)));
        }
        assert_eq!(Status::parse("gone"), None);
        for (k, text) in [
            (LedgerKind::SeatPurchase, "seat_purchase"),
            (LedgerKind::SeatRemoval, "seat_removal"),
            (LedgerKind::NumberPurchase, "number_purchase"),
            (LedgerKind::SeatRenewal, "seat_renewal"),
            (LedgerKind::NumberRenewal, "number_renewal"),
            (LedgerKind::NumberRelease, "number_release"),
        ] {
            assert_eq!((k.as_str(), LedgerKind::parse(text)), (text, Some(k)));
            assert_eq!(serde_json::to_value(k).unwrap(), text);
        }
        assert_eq!(LedgerKind::parse("seat"), None);
        for (s, text) in [(RingStrategy::Simultaneous, "simultaneous"), (RingStrategy::RoundRobin, "round_robin"), (RingStrategy::LinearRoundRobin, "linear_round_robin")] {
            assert_eq!((s.as_str(), RingStrategy::parse(text), RingStrategy::parse(&text.replace('_', "-").to_uppercase())), (text, Some(s), Some(s)));
        }
        assert_eq!(RingStrategy::parse("round"), None);
        for (f, text) in [(Fallthrough::Voicemail, "voicemail"), (Fallthrough::Drop, "drop")] {
            assert_eq!((f.as_str(), Fallthrough::parse(text), Fallthrough::parse(" DROP ").is_some()), (text, Some(f), true));
        }
        assert_eq!(Fallthrough::parse("hangup"), None);
        assert_eq!((BillingPeriod::Monthly.as_str(), BillingPeriod::Annual.as_str()), ("monthly", "annual"));
        for typed in ["monthly", "Month", " MONTHLY "] {
            assert_eq!(BillingPeriod::parse(typed).unwrap(), BillingPeriod::Monthly, "{typed}");
        }
        for typed in ["annual", "annually", "Yearly", "year"] {
            assert_eq!(BillingPeriod::parse(typed).unwrap(), BillingPeriod::Annual, "{typed}");
        }
        assert!(BillingPeriod::parse("weekly").is_err());
    }
}
