//! What `check` proves of the books: the calendar of periods and the price
//! of every ledger line, from the database itself.

use crate::domain::billing::LedgerKind;
use crate::domain::Account;
use crate::error::Result;
use crate::store::Tx;

/// What `check` proves of an account's books (README, "The books' calendar"): ledger lines in
/// date order and none before the account began; periods that follow each
/// other from the account's beginning, without gap or overlap, none longer
/// than a whole period, ending with the current one at the current terms;
/// one renewal per period, at that period's terms and length; and every
/// purchase and removal priced at the terms of the period it falls in.
/// Each finding is a rule and a message.
pub(crate) fn check_books(conn: &Tx, account: &Account) -> Result<Vec<(&'static str, String)>> {
    use crate::domain::plan::{nominal_start, prorate};
    let mut out = Vec::new();
    let periods = conn.periods().all(account.id)?;
    let Some(first) = periods.first() else {
        out.push(("periods", "the account has no plan period".to_string()));
        return Ok(out);
    };
    if first.starts_on < account.began_on {
        out.push(("periods", format!("the first period starts on {}, before the account began on {}", first.starts_on, account.began_on)));
    }
    for pair in periods.windows(2) {
        if pair[1].starts_on != pair[0].ends_on {
            let what = if pair[1].starts_on < pair[0].ends_on { "overlaps" } else { "leaves a gap after" };
            out.push(("periods", format!("the period from {} {what} the one ending {}", pair[1].starts_on, pair[0].ends_on)));
        }
    }
    for p in &periods {
        if p.starts_on < nominal_start(p.terms.period, p.ends_on, p.renewal_day) {
            out.push((
                "periods",
                format!("the period {} to {} is longer than a whole {} period", p.starts_on, p.ends_on, p.terms.period.as_str()),
            ));
        }
    }
    let last = periods.last().unwrap_or(first);
    let plan = &account.plan;
    if (last.starts_on, last.ends_on, last.renewal_day, &last.terms) != (plan.period_start, plan.renews_on, plan.renewal_day, &plan.terms())
    {
        out.push((
            "periods",
            format!(
                "the plan's current period {} to {} is not the last period booked ({} to {})",
                plan.period_start, plan.renews_on, last.starts_on, last.ends_on
            ),
        ));
    }
    let period_of = |date: chrono::NaiveDate| periods.iter().find(|p| p.starts_on <= date && date < p.ends_on);
    let mut previous: Option<String> = None;
    let mut renewed = std::collections::HashSet::new();
    for e in conn.ledger().all(account.id)? {
        if previous.as_ref().is_some_and(|p| e.date < *p) {
            out.push((
                "ledger_order",
                format!("the {} line of {} is booked after a line of {}", e.kind.as_str(), e.date, previous.as_deref().unwrap_or("")),
            ));
        }
        previous = Some(e.date.clone());
        let Ok(date) = e.date.parse::<chrono::NaiveDate>() else {
            out.push(("ledger_order", format!("a ledger line's date {:?} does not read", e.date)));
            continue;
        };
        if date < account.began_on {
            out.push((
                "ledger_order",
                format!("the {} line of {date} is dated before the account began on {}", e.kind.as_str(), account.began_on),
            ));
        }
        // Accounts older than schema 12 have periods from their current
        // one only: what was booked before it (and its renewal) is not
        // checked against terms nobody recorded.
        let legacy = first.starts_on > account.began_on;
        let is_renewal = matches!(e.kind, LedgerKind::SeatRenewal | LedgerKind::NumberRenewal);
        if date < first.starts_on || (legacy && is_renewal && date == first.starts_on) {
            continue;
        }
        let Some(p) = period_of(date) else {
            out.push(("prices", format!("the {} line of {date} falls in no period of the plan", e.kind.as_str())));
            continue;
        };
        let r = p.as_renewal();
        let whole = nominal_start(p.terms.period, p.ends_on, p.renewal_day);
        let expected = match e.kind {
            LedgerKind::SeatRenewal | LedgerKind::NumberRenewal => {
                if date != p.starts_on || std::ptr::eq(p, first) {
                    out.push(("periods", format!("a renewal is booked on {date}, which starts no renewed period")));
                    continue;
                }
                if e.kind == LedgerKind::SeatRenewal && !renewed.insert(date) {
                    out.push(("periods", format!("the period from {date} is renewed more than once")));
                }
                let unit = if e.kind == LedgerKind::SeatRenewal { p.terms.seat_price_cents } else { p.terms.number_price_cents };
                Some((unit, r.charge(e.quantity, unit)))
            }
            LedgerKind::SeatPurchase => {
                let unit = p.terms.seat_price_cents;
                Some((unit, prorate(e.quantity, unit, whole, p.ends_on, date.max(p.starts_on))))
            }
            LedgerKind::NumberPurchase if e.unit_cents == 0 => Some((0, 0)), // the included number
            LedgerKind::NumberPurchase => {
                let unit = p.terms.number_price_cents;
                Some((unit, prorate(e.quantity, unit, whole, p.ends_on, date.max(p.starts_on))))
            }
            LedgerKind::SeatRemoval => Some((p.terms.seat_price_cents, 0)),
            LedgerKind::NumberRelease if e.unit_cents == 0 => Some((0, 0)), // the included number
            LedgerKind::NumberRelease => Some((p.terms.number_price_cents, 0)),
        };
        if e.currency != p.terms.currency {
            out.push((
                "prices",
                format!("the {} line of {date} is in {}, its period in {}", e.kind.as_str(), e.currency, p.terms.currency),
            ));
        }
        if let Some((unit, amount)) = expected {
            if (e.unit_cents, e.amount_cents) != (unit, amount) {
                out.push((
                    "prices",
                    format!(
                        "the {} line of {date} is {} × {} = {} cents; the period's terms make it {unit} a unit, {amount} cents",
                        e.kind.as_str(),
                        e.quantity,
                        e.unit_cents,
                        e.amount_cents
                    ),
                ));
            }
        }
    }
    for p in periods.iter().skip(1) {
        if !renewed.contains(&p.starts_on) {
            out.push(("periods", format!("the period from {} has no renewal line", p.starts_on)));
        }
    }
    Ok(out)
}
