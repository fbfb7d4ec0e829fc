//! The seat summary (rules §3).

use serde::Serialize;
use specta::Type;

/// "assigned of purchased": the Owner's seat is included and not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SeatSummary {
    #[specta(type = specta_typescript::Number)]
    pub included: i64,
    #[specta(type = specta_typescript::Number)]
    pub purchased: i64,
    #[specta(type = specta_typescript::Number)]
    pub assigned: i64,
    #[specta(type = specta_typescript::Number)]
    pub unassigned: i64,
    /// Observers (Active or Pending): free, they hold no seat.
    #[specta(type = specta_typescript::Number)]
    pub observers: i64,
    #[specta(type = specta_typescript::Number)]
    pub renewal_total_cents: i64,
    pub renews_on: String,
}

impl SeatSummary {
    /// `assigned` counts non-Owner members with a paid role, Active or
    /// Pending; the renewal total is what the next renewal books
    /// ([`crate::domain::billing::renewal_total`]).
    pub fn compute(purchased: i64, assigned: i64, observers: i64, renewal_total_cents: i64, renews_on: String) -> SeatSummary {
        SeatSummary { included: 1, purchased, assigned, unassigned: purchased - assigned, observers, renewal_total_cents, renews_on }
    }
}

/// Numbers past the one included in the plan are billed (rules §4).
pub fn billable_numbers(numbers: i64) -> i64 {
    (numbers - 1).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_reads_zero_of_zero() {
        let s = SeatSummary::compute(0, 0, 0, 0, "2026-12-01".into());
        assert_eq!((s.included, s.purchased, s.assigned, s.unassigned, s.renewal_total_cents), (1, 0, 0, 0, 0));
    }

    #[test]
    fn unassigned_is_purchased_less_assigned_and_one_number_is_free() {
        let s = SeatSummary::compute(5, 3, 2, 6000, "2026-12-01".into());
        assert_eq!(s.unassigned, 2);
        assert_eq!(billable_numbers(0), 0);
        assert_eq!(billable_numbers(1), 0);
    }
}
