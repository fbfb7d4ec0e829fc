//! The seat summary (SPEC §3).

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
    #[specta(type = specta_typescript::Number)]
    pub renewal_total_cents: i64,
    pub renews_on: String,
}

impl SeatSummary {
    /// `assigned` counts non-Owner members with a paid role, Active or
    /// Pending; `billable_numbers` is every inbox number past the included one.
    pub fn compute(
        purchased: i64,
        assigned: i64,
        seat_price_cents: i64,
        billable_numbers: i64,
        number_price_cents: i64,
        renews_on: String,
    ) -> SeatSummary {
        SeatSummary {
            included: 1,
            purchased,
            assigned,
            unassigned: purchased - assigned,
            renewal_total_cents: purchased * seat_price_cents + billable_numbers * number_price_cents,
            renews_on,
        }
    }
}

/// Numbers past the one included in the plan are billed (SPEC §4).
pub fn billable_numbers(numbers: i64) -> i64 {
    (numbers - 1).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_reads_zero_of_zero() {
        let s = SeatSummary::compute(0, 0, 1000, 0, 500, "2026-12-01".into());
        assert_eq!((s.included, s.purchased, s.assigned, s.unassigned, s.renewal_total_cents), (1, 0, 0, 0, 0));
    }

    #[test]
    fn renewal_total_counts_purchased_seats_and_billable_numbers() {
        let s = SeatSummary::compute(5, 3, 1000, billable_numbers(3), 500, "2026-12-01".into());
        assert_eq!(s.unassigned, 2);
        assert_eq!(s.renewal_total_cents, 5 * 1000 + 2 * 500);
        assert_eq!(billable_numbers(0), 0);
        assert_eq!(billable_numbers(1), 0);
    }
}
