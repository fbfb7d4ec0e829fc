//! `seats …` and `ledger`: the seat summary, quotes, purchases, removals
//! and every line of the books.

use clap::{Args, Subcommand};

use seatdesk_core::domain::billing::{parse_quantity, LedgerKind, Quote};
use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::text::count;
use seatdesk_core::domain::SeatSummary;
use seatdesk_core::Error;

use super::text::table;
use super::{Output, Session};

#[derive(Args, Debug)]
pub struct SeatsArgs {
    #[command(subcommand)]
    pub command: Option<SeatsCmd>,
}

#[derive(Subcommand, Debug)]
pub enum SeatsCmd {
    /// Price N more seats: due now (prorated) and the new renewal total
    Quote {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
    },
    /// Buy N seats at the current price (see `seats quote`)
    Buy {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
        /// Confirm the purchase
        #[arg(long, required = true)]
        yes: bool,
        /// Only at this quote (from `seats quote`); refused with quote_stale if the price moved
        #[arg(long, value_name = "QUOTE_ID")]
        quote: Option<String>,
    },
    /// Remove N unassigned seats (permanent for the subscription, no refund)
    Remove {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
        /// Confirm the removal: it is permanent and refunds nothing
        #[arg(long, required = true)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct LedgerArgs {
    /// Only entries of this kind (as printed: seat-purchase or seat_purchase)
    #[arg(long, value_enum)]
    pub kind: Option<LedgerKind>,
}

impl SeatsArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        match self.command {
            None => {
                let seats = s.desk.seats(&s.scope)?;
                let account = s.desk.show_account(&s.scope)?;
                Ok(Output::of(&seats, seats_text(&seats, &account.currency)))
            }
            Some(SeatsCmd::Quote { quantity }) => {
                let quote = s.desk.quote_seats(&s.scope, parse_quantity(&quantity)?)?;
                Ok(Output::of(&quote, quote_text(&quote, if quote.quantity == 1 { "seat" } else { "seats" })))
            }
            Some(SeatsCmd::Buy { quantity, quote, .. }) => {
                let bought = s.desk.buy_seats(&s.scope, parse_quantity(&quantity)?, quote.as_deref())?;
                let text = format!(
                    "Bought {} for {} {} now.\n{}",
                    count(bought.quote.quantity, "seat", "seats"),
                    format_cents(bought.charged_cents),
                    bought.quote.currency,
                    seats_text(&bought.seats, &bought.quote.currency)
                );
                Ok(Output::of(&bought, text))
            }
            Some(SeatsCmd::Remove { quantity, .. }) => {
                let seats = s.desk.remove_seats(&s.scope, parse_quantity(&quantity)?)?;
                let account = s.desk.show_account(&s.scope)?;
                let plural = if quantity.trim() == "1" { "" } else { "s" };
                Ok(Output::of(&seats, format!("Removed {quantity} seat{plural} (no refund).\n{}", seats_text(&seats, &account.currency))))
            }
        }
    }
}

impl LedgerArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let rows = s.desk.ledger_all(&s.scope, self.kind)?;
        let text = if rows.is_empty() {
            "The ledger is empty.".to_string()
        } else {
            table(
                &["DATE", "KIND", "QTY", "UNIT", "AMOUNT", "CUR", "BY", "NOTE"],
                rows.iter()
                    .map(|e| {
                        vec![
                            e.date.clone(),
                            e.kind.as_str().replace('_', " "),
                            e.quantity.to_string(),
                            format_cents(e.unit_cents),
                            format_cents(e.amount_cents),
                            e.currency.clone(),
                            e.actor_email.clone(),
                            e.note.clone(),
                        ]
                    })
                    .collect(),
            )
        };
        Ok(Output::of(&rows, text))
    }
}

pub(super) fn quote_text(q: &Quote, what: &str) -> String {
    let cur = &q.currency;
    let unit = if q.included { "included in the plan".to_string() } else { format!("{} {cur} per period", format_cents(q.unit_cents)) };
    format!(
        "{} {what} at {unit}\nDue now:       {} {cur} ({} of {} days left in the period ending {})\nRenewal total: {} {cur}\nQuote:         {}",
        q.quantity,
        format_cents(q.due_now_cents),
        q.days_remaining,
        q.period_days,
        q.renews_on,
        format_cents(q.renewal_total_cents),
        q.quote_id
    )
}

fn seats_text(s: &SeatSummary, currency: &str) -> String {
    format!(
        "{} of {} seats used (plus 1 included for the Owner)\n\
         Purchased: {}\nAssigned:  {}\nUnassigned: {}\nRenewal total: {} {currency} on {}",
        s.assigned,
        s.purchased,
        s.purchased,
        s.assigned,
        s.unassigned,
        format_cents(s.renewal_total_cents),
        s.renews_on
    )
}
