//! Seats, numbers, quotes, the ledger, renewals and plan changes
//! (rules §1, §3, §4, §5).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::accounts::{account_view, changed_plan, plan_json, seat_summary, PlanFields};
use super::{audit, now_stamp, resolve, AccountView, Ctx, Scope, Seatdesk};
use crate::domain::billing::{self, check_fresh, LedgerKind, Quote, QuoteBasis};
use crate::domain::phone::parse_e164;
use crate::domain::text::count;
use crate::domain::plan::Renewal;
use crate::domain::{Account, Inbox, Permission};
use crate::error::{to_details, Error, ErrorCode, Result};
use crate::store;
use crate::store::Tx;

pub use views::*;

mod views {
    use serde::{Deserialize, Serialize};
    use specta::Type;

    use crate::domain::billing::{LedgerKind, Quote};
    use crate::domain::SeatSummary;

    /// A confirmed purchase: the quote it honoured and the seats after it.
    #[derive(Debug, Clone, PartialEq, Serialize, Type)]
    pub struct Purchase {
        pub quote: Quote,
        #[specta(type = specta_typescript::Number)]
        pub charged_cents: i64,
        pub seats: SeatSummary,
    }

    /// One ledger line (rules §10: date, kind, quantity, unit_cents, amount_cents, and more).
    #[derive(Debug, Clone, PartialEq, Serialize, Type)]
    pub struct LedgerEntryView {
        pub date: String,
        pub kind: LedgerKind,
        #[specta(type = specta_typescript::Number)]
        pub quantity: i64,
        #[specta(type = specta_typescript::Number)]
        pub unit_cents: i64,
        #[specta(type = specta_typescript::Number)]
        pub amount_cents: i64,
        pub actor_email: String,
        pub actor_name: String,
        pub note: String,
        #[specta(type = specta_typescript::Number)]
        pub seats_after: i64,
        /// The currency of the line's amounts (the period's).
        pub currency: String,
    }

    #[derive(Debug, Clone, Default, Deserialize, Type)]
    pub struct LedgerQuery {
        pub kind: Option<LedgerKind>,
        #[specta(type = Option<specta_typescript::Number>)]
        pub offset: Option<i64>,
        #[specta(type = Option<specta_typescript::Number>)]
        pub limit: Option<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Type)]
    pub struct LedgerPage {
        pub rows: Vec<LedgerEntryView>,
        #[specta(type = specta_typescript::Number)]
        pub total: i64,
        #[specta(type = specta_typescript::Number)]
        pub offset: i64,
    }

    /// Purchased and assigned seats on a date, for the chart.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
    pub struct SeatPoint {
        pub date: String,
        #[specta(type = specta_typescript::Number)]
        pub purchased: i64,
        #[specta(type = specta_typescript::Number)]
        pub assigned: i64,
    }

    /// Plan & Billing's edit form; absent fields stay as they are.
    #[derive(Debug, Clone, Default, Deserialize, Type)]
    pub struct PlanChange {
        pub plan: Option<String>,
        pub seat_price: Option<String>,
        pub number_price: Option<String>,
        pub currency: Option<String>,
        pub renews_on: Option<String>,
        /// The plan version the form was opened at (`AccountView::plan_version`).
        #[serde(default)]
        pub version: Option<String>,
    }
}

/// Who renewals are booked as.
const SYSTEM_EMAIL: &str = "system";
const SYSTEM_NAME: &str = "Seatdesk (automatic renewal)";

/// The most missed periods booked in one go (200 years of monthly renewals).
const MAX_RENEWALS: usize = 2_400;

fn quote_basis_parts(conn: &Tx, account: &Account) -> Result<(i64, i64)> {
    Ok((conn.inboxes().count_numbers(account.id)?, conn.ledger().last_id(account.id)?))
}

/// The details of every `no_free_seats` refusal, wherever seats run short
/// (an invite, a role change, an owner transfer, a CSV import): what is
/// needed, what is free, the shortfall, and the quote that buys it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct SeatShortfall {
    #[specta(type = specta_typescript::Number)]
    pub needed: i64,
    #[specta(type = specta_typescript::Number)]
    pub free: i64,
    #[specta(type = specta_typescript::Number)]
    pub shortfall: i64,
    pub quote: Quote,
    /// An invite's per-address report, when an invite ran short.
    pub report: Option<Vec<crate::service::InviteCheck>>,
}

/// The one `no_free_seats` refusal: `why` says what needs the seats; the
/// details ([`SeatShortfall`]) carry the quote for the shortfall.
pub(crate) fn no_free_seats(
    conn: &Tx,
    account: &Account,
    today: NaiveDate,
    (needed, free): (i64, i64),
    why: &str,
    report: Option<Vec<crate::service::InviteCheck>>,
) -> Result<Error> {
    let shortfall = needed - free;
    let quote = seats_quote(conn, account, today, shortfall)?;
    let seats = |n: i64| count(n, "seat", "seats");
    let message = format!("{why} {} needed and {free} unassigned: buy {} more first.", seats(needed), seats(shortfall));
    let details = SeatShortfall { needed, free, shortfall, quote, report };
    Ok(Error::new(ErrorCode::NoFreeSeats, message).with_details(to_details(&details)?))
}

/// A quote for seats on `today`; refused on a date the books have passed
/// (every quote, also the one a `no_free_seats` refusal or an import's dry
/// run carries, is one that can be bought).
pub(crate) fn seats_quote(conn: &Tx, account: &Account, today: NaiveDate, quantity: i64) -> Result<Quote> {
    check_booking_date(conn, account, today)?;
    let (numbers, last_ledger_id) = quote_basis_parts(conn, account)?;
    billing::quote_seats(
        &QuoteBasis {
            account_id: account.id.0,
            today,
            plan: &account.plan,
            purchased_seats: account.purchased_seats,
            numbers,
            last_ledger_id,
        },
        quantity,
    )
}

pub(crate) fn number_quote(conn: &Tx, account: &Account, today: NaiveDate, inbox: &str, number: &str) -> Result<Quote> {
    check_booking_date(conn, account, today)?;
    let (numbers, last_ledger_id) = quote_basis_parts(conn, account)?;
    Ok(billing::quote_number(
        &QuoteBasis {
            account_id: account.id.0,
            today,
            plan: &account.plan,
            purchased_seats: account.purchased_seats,
            numbers,
            last_ledger_id,
        },
        inbox,
        number,
    ))
}

/// The quote for the number that replaces `inbox`'s (released in the same
/// step): priced as if the old one were gone already.
pub(crate) fn replacement_quote(conn: &Tx, account: &Account, today: NaiveDate, inbox: &str, number: &str) -> Result<Quote> {
    check_booking_date(conn, account, today)?;
    let (numbers, last_ledger_id) = quote_basis_parts(conn, account)?;
    Ok(billing::quote_number(
        &QuoteBasis { account_id: account.id.0, today, plan: &account.plan, purchased_seats: account.purchased_seats, numbers: numbers - 1, last_ledger_id },
        inbox,
        number,
    ))
}

/// Appends a ledger line dated `date` as the acting member, with the counts
/// right after it; refused on a date the books have passed.
pub(crate) fn book(
    conn: &Tx,
    ctx: &Ctx,
    date: NaiveDate,
    kind: LedgerKind,
    quantity: i64,
    unit: i64,
    amount: i64,
    note: &str,
) -> Result<()> {
    let account = conn.accounts().by_id(ctx.account.id)?;
    check_booking_date(conn, &account, date)?;
    conn.ledger().append(&store::ledger::NewEntry {
        account_id: account.id,
        date: &date.to_string(),
        kind,
        quantity,
        unit_cents: unit,
        amount_cents: amount,
        actor_email: &ctx.actor.email,
        actor_name: &ctx.actor.name,
        note,
        seats_after: account.purchased_seats,
        assigned_after: conn.members().assigned_seats(account.id)?,
        created_at: &now_stamp(),
        currency: &account.plan.currency,
    })?;
    Ok(())
}

/// Adds the quoted seats, books the ledger line and the audit entry.
pub(crate) fn apply_seat_purchase(conn: &Tx, ctx: &Ctx, today: NaiveDate, quote: &Quote, note: &str) -> Result<()> {
    conn.accounts().set_purchased_seats(ctx.account.id, ctx.account.purchased_seats + quote.quantity)?;
    book(conn, ctx, today, LedgerKind::SeatPurchase, quote.quantity, quote.unit_cents, quote.due_now_cents, note)?;
    audit(
        conn,
        ctx,
        today,
        "seats.buy",
        &count(quote.quantity, "seat", "seats"),
        json!({ "quantity": quote.quantity, "due_now_cents": quote.due_now_cents, "renewal_total_cents": quote.renewal_total_cents, "quote_id": quote.quote_id }),
    )
}

/// Gives the inbox its number, books the ledger line and the audit entry.
pub(crate) fn apply_number_purchase(conn: &Tx, ctx: &Ctx, today: NaiveDate, inbox: &Inbox, number: &str, quote: &Quote) -> Result<()> {
    conn.inboxes().set_number(inbox.id, number)?;
    let note =
        if quote.included { format!("{number} for {} (included in the plan)", inbox.name) } else { format!("{number} for {}", inbox.name) };
    book(conn, ctx, today, LedgerKind::NumberPurchase, 1, quote.unit_cents, quote.due_now_cents, &note)?;
    audit(
        conn,
        ctx,
        today,
        "inbox.buy_number",
        &inbox.name,
        json!({ "number": number, "due_now_cents": quote.due_now_cents, "included": quote.included, "quote_id": quote.quote_id }),
    )
}

/// Checks an inbox may take `raw` as its number; returns the canonical form.
pub(crate) fn check_new_number(conn: &Tx, account: &Account, inbox: Option<&Inbox>, raw: &str) -> Result<String> {
    let number = parse_e164(raw)?;
    if let Some(holder) = conn.inboxes().number_in_use(account.id, &number)? {
        return Err(Error::new(ErrorCode::DuplicateNumber, format!("{number} is already the number of {holder:?}."))
            .with_details(json!({ "number": number, "inbox": holder })));
    }
    if let Some(inbox) = inbox {
        if let Some(existing) = &inbox.number {
            return Err(Error::new(
                ErrorCode::InboxHasNumber,
                format!("{:?} already has the number {existing}; an inbox has at most one.", inbox.name),
            )
            .with_details(json!({ "inbox": inbox.name, "number": existing })));
        }
    }
    Ok(number)
}

/// Books every renewal due on or before `today` for one account, once per
/// period, each at the terms in force from it (a scheduled change takes
/// effect at the first), and moves the period forward. Returns the updated
/// account and the number of periods booked.
pub(crate) fn renew_due(conn: &Tx, account: Account, today: NaiveDate) -> Result<(Account, usize)> {
    if account.plan.renews_on > today {
        return Ok((account, 0));
    }
    let numbers = conn.inboxes().count_numbers(account.id)?;
    let billable = crate::domain::seats::billable_numbers(numbers);
    let assigned = conn.members().assigned_seats(account.id)?;
    let system = |r: &Renewal, kind, quantity: i64, unit: i64, note: &str| {
        conn.ledger().append(&store::ledger::NewEntry {
            account_id: account.id,
            date: &r.starts_on.to_string(),
            kind,
            quantity,
            unit_cents: unit,
            amount_cents: r.charge(quantity, unit),
            actor_email: SYSTEM_EMAIL,
            actor_name: SYSTEM_NAME,
            note,
            seats_after: account.purchased_seats,
            assigned_after: assigned,
            created_at: &now_stamp(),
            currency: &r.terms.currency,
        })
    };
    let mut plan = account.plan.clone();
    let mut booked = 0;
    while plan.renews_on <= today && booked < MAX_RENEWALS {
        let r = plan.next_renewal_period();
        let note = renewal_note(&r);
        system(&r, LedgerKind::SeatRenewal, account.purchased_seats, r.terms.seat_price_cents, &note)?;
        if billable > 0 {
            system(&r, LedgerKind::NumberRenewal, billable, r.terms.number_price_cents, &note)?;
        }
        conn.periods().insert(account.id, &r)?;
        plan = plan.renewed();
        booked += 1;
    }
    conn.accounts().set_plan(account.id, &plan)?;
    conn.audit().append(&store::audit::Entry {
        account_id: account.id,
        at: &now_stamp(),
        business_date: &today.to_string(),
        actor_email: SYSTEM_EMAIL,
        actor_name: SYSTEM_NAME,
        action: "plan.renew",
        target: &account.name,
        details: &json!({ "periods": booked, "period_start": plan.period_start.to_string(), "renews_on": plan.renews_on.to_string() })
            .to_string(),
    })?;
    let account = conn.accounts().by_id(account.id)?;
    Ok((account, booked))
}

/// A renewal line's note: the period it pays, and why it is short when the
/// renewal day moves.
fn renewal_note(r: &Renewal) -> String {
    if r.is_whole() {
        format!("renewal to {}", r.ends_on)
    } else {
        let whole = crate::domain::plan::nominal_start(r.terms.period, r.ends_on, r.renewal_day);
        format!(
            "renewal to {}: {} of {} days, the renewal date moves",
            r.ends_on,
            (r.ends_on - r.starts_on).num_days(),
            (r.ends_on - whole).num_days()
        )
    }
}

/// Refuses to book on a date the books have passed: before the account
/// began, before its current period, or before its last ledger line (rules
/// §5: the ledger stays in date order; a clock set back books nothing).
pub(crate) fn check_booking_date(conn: &Tx, account: &Account, today: NaiveDate) -> Result<()> {
    let last = conn.ledger().last_date(account.id)?;
    let floor = [Some(account.began_on), Some(account.plan.period_start), last].into_iter().flatten().max().unwrap_or(today);
    if today < floor {
        return Err(Error::new(
            ErrorCode::InvalidDate,
            format!(
                "{today} is before the books of {:?}, which run to {floor} (the account began on {}); \
                 nothing is booked on an earlier date. Use today's date or a later one.",
                account.name, account.began_on
            ),
        )
        .with_details(json!({ "date": today.to_string(), "earliest": floor.to_string(), "began_on": account.began_on.to_string() })));
    }
    Ok(())
}

/// Resolves a billing call (a quote, a purchase, a removal, a plan
/// change): permission, a date the books have not passed, then any renewal
/// due. (Other paths that book check the date in [`book`].)
pub(crate) fn resolve_billing(conn: &Tx, scope: &Scope, today: NaiveDate, permission: Permission, action: &str) -> Result<Ctx> {
    let mut ctx = resolve(conn, scope, permission, action)?;
    check_booking_date(conn, &ctx.account, today)?;
    ctx.account = renew_due(conn, ctx.account, today)?.0;
    Ok(ctx)
}

impl Seatdesk {
    /// Books the renewals due in every account (run when the app opens).
    pub fn run_renewals(&mut self) -> Result<usize> {
        self.write(|tx, today| {
            let mut total = 0;
            for account in tx.accounts().list()? {
                total += renew_due(tx, account, today)?.1;
            }
            Ok(total)
        })
    }

    /// A quote for `quantity` more seats.
    pub fn quote_seats(&mut self, scope: &Scope, quantity: i64) -> Result<Quote> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "buy seats")?;
            seats_quote(tx, &ctx.account, today, quantity)
        })
    }

    /// Buys seats at the current quote. With `quote_id`, only if the quote
    /// is still exactly the one shown (`quote_stale` otherwise).
    pub fn buy_seats(&mut self, scope: &Scope, quantity: i64, quote_id: Option<&str>) -> Result<Purchase> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "buy seats")?;
            let quote = seats_quote(tx, &ctx.account, today, quantity)?;
            check_fresh(quote_id, &quote)?;
            apply_seat_purchase(tx, &ctx, today, &quote, "")?;
            let account = tx.accounts().by_id(ctx.account.id)?;
            Ok(Purchase { charged_cents: quote.due_now_cents, quote, seats: seat_summary(tx, &account)? })
        })
    }

    /// Removes unassigned seats: permanent for the subscription, no refund.
    pub fn remove_seats(&mut self, scope: &Scope, quantity: i64) -> Result<crate::domain::SeatSummary> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "remove seats")?;
            billing::check_quantity(quantity)?;
            let before = seat_summary(tx, &ctx.account)?;
            if quantity > before.unassigned {
                return Err(Error::new(
                    ErrorCode::NotEnoughUnassignedSeats,
                    format!(
                        "Only {} of the {} purchased seats are unassigned; remove members or revoke invites first.",
                        before.unassigned, before.purchased
                    ),
                )
                .with_details(json!({ "requested": quantity, "unassigned": before.unassigned, "purchased": before.purchased })));
            }
            tx.accounts().set_purchased_seats(ctx.account.id, ctx.account.purchased_seats - quantity)?;
            book(tx, &ctx, today, LedgerKind::SeatRemoval, quantity, ctx.account.plan.seat_price_cents, 0, "removed; no refund")?;
            audit(tx, &ctx, today, "seats.remove", &count(quantity, "seat", "seats"), json!({ "quantity": quantity }))?;
            let account = tx.accounts().by_id(ctx.account.id)?;
            seat_summary(tx, &account)
        })
    }

    /// A quote for giving `inbox` the number `number`.
    pub fn quote_number(&mut self, scope: &Scope, inbox: &str, number: &str) -> Result<Quote> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "buy numbers")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let number = check_new_number(tx, &ctx.account, Some(&inbox), number)?;
            number_quote(tx, &ctx.account, today, &inbox.name, &number)
        })
    }

    /// Buys a number for an inbox that has none (rules §4).
    pub fn buy_number(&mut self, scope: &Scope, inbox: &str, number: &str, quote_id: Option<&str>) -> Result<Purchase> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "buy numbers")?;
            let inbox = tx.inboxes().by_name(ctx.account.id, inbox)?;
            let number = check_new_number(tx, &ctx.account, Some(&inbox), number)?;
            let quote = number_quote(tx, &ctx.account, today, &inbox.name, &number)?;
            check_fresh(quote_id, &quote)?;
            apply_number_purchase(tx, &ctx, today, &inbox, &number, &quote)?;
            Ok(Purchase { charged_cents: quote.due_now_cents, quote, seats: seat_summary(tx, &ctx.account)? })
        })
    }

    /// A page of the ledger, newest first.
    pub fn ledger(&mut self, scope: &Scope, query: &LedgerQuery) -> Result<LedgerPage> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read the ledger")?;
            let offset = query.offset.unwrap_or(0).max(0);
            let limit = query.limit.unwrap_or(100).clamp(1, 1_000);
            let (rows, total) = tx.ledger().page(ctx.account.id, query.kind, offset, limit)?;
            Ok(LedgerPage { rows: rows.into_iter().map(entry_view).collect(), total, offset })
        })
    }

    /// Every ledger line, oldest first (the CLI's `ledger`).
    pub fn ledger_all(&mut self, scope: &Scope, kind: Option<LedgerKind>) -> Result<Vec<LedgerEntryView>> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read the ledger")?;
            Ok(tx.ledger().all(ctx.account.id)?.into_iter().filter(|e| kind.is_none_or(|k| e.kind == k)).map(entry_view).collect())
        })
    }

    /// Purchased and assigned seats over time, from the ledger, ending today.
    pub fn seat_history(&mut self, scope: &Scope) -> Result<Vec<SeatPoint>> {
        self.read(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "read the ledger")?;
            let mut points: Vec<SeatPoint> = Vec::new();
            for e in tx.ledger().all(ctx.account.id)? {
                let p = SeatPoint { date: e.date, purchased: e.seats_after, assigned: e.assigned_after };
                match points.last_mut() {
                    Some(last) if last.date == p.date => *last = p,
                    _ => points.push(p),
                }
            }
            let now = seat_summary(tx, &ctx.account)?;
            let today = today.to_string();
            let p = SeatPoint { date: today.clone(), purchased: now.purchased, assigned: now.assigned };
            match points.last_mut() {
                Some(last) if last.date >= today => *last = p,
                _ => points.push(p),
            }
            Ok(points)
        })
    }

    /// Changes the plan from the next renewal on (README, "Plan changes"): the current
    /// period keeps its dates and prices; past ledger lines keep theirs.
    pub fn update_plan(&mut self, scope: &Scope, change: &PlanChange) -> Result<AccountView> {
        self.write(|tx, today| {
            let ctx = resolve_billing(tx, scope, today, Permission::ManageAccount, "change the plan")?;
            let before = ctx.account.plan.clone();
            crate::domain::check_version(change.version.as_deref(), &crate::domain::version_of(&plan_json(&before)), "The plan")?;
            let plan = changed_plan(
                &before,
                &PlanFields {
                    plan: change.plan.as_deref(),
                    seat_price: change.seat_price.as_deref(),
                    number_price: change.number_price.as_deref(),
                    currency: change.currency.as_deref(),
                    renews_on: change.renews_on.as_deref(),
                },
            )?;
            // Saving the plan as it is changes nothing and says nothing.
            if plan_json(&plan) != plan_json(&before) {
                tx.accounts().set_plan(ctx.account.id, &plan)?;
                audit(
                    tx,
                    &ctx,
                    today,
                    "plan.update",
                    &ctx.account.name,
                    json!({ "before": plan_json(&before), "after": plan_json(&plan) }),
                )?;
            }
            let account = tx.accounts().by_id(ctx.account.id)?;
            let owner = tx.members().owner(account.id)?;
            Ok(account_view(&account, &owner))
        })
    }
}

fn entry_view(e: store::ledger::Entry) -> LedgerEntryView {
    LedgerEntryView {
        date: e.date,
        kind: e.kind,
        quantity: e.quantity,
        unit_cents: e.unit_cents,
        amount_cents: e.amount_cents,
        actor_email: e.actor_email,
        actor_name: e.actor_name,
        note: e.note,
        seats_after: e.seats_after,
        currency: e.currency,
    }
}
