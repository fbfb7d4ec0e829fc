//! Accounts and the seat summary (SPEC §1, §3).

use chrono::Datelike;
use rusqlite::Connection;
use serde_json::json;

use super::{audit, now_stamp, resolve, resolve_account, AccountView, Ctx, NewAccount, Overview, Scope, Seatdesk};
use crate::domain::money::parse_price;
use crate::domain::plan::parse_currency;
use crate::domain::seats::billable_numbers;
use crate::domain::text::{parse_date, parse_name};
use crate::domain::{Account, BillingPeriod, Email, Member, Permission, Plan, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::store;

pub(crate) fn account_view(account: &Account, owner: &Member) -> AccountView {
    AccountView {
        name: account.name.clone(),
        currency: account.plan.currency.clone(),
        plan: account.plan.period,
        renews_on: account.plan.renews_on.to_string(),
        seat_price_cents: account.plan.seat_price_cents,
        number_price_cents: account.plan.number_price_cents,
        owner_email: owner.email.clone(),
        owner_name: owner.name.clone(),
        created_at: account.created_at.clone(),
    }
}

pub(crate) fn seat_summary(conn: &Connection, account: &Account) -> Result<SeatSummary> {
    let assigned = store::members::assigned_seats(conn, account.id)?;
    let numbers = store::inboxes::count_numbers(conn, account.id)?;
    Ok(SeatSummary::compute(
        account.purchased_seats,
        assigned,
        account.plan.seat_price_cents,
        billable_numbers(numbers),
        account.plan.number_price_cents,
        account.plan.renews_on.to_string(),
    ))
}

/// Validates a new account's form into its parts, refusing the first bad field.
pub(crate) fn validate_new_account(
    new: &NewAccount,
    today: chrono::NaiveDate,
) -> Result<(String, Email, String, Plan)> {
    let name = parse_name("account", &new.name)?;
    let owner_email = Email::parse(&new.owner_email)?;
    let owner_name = parse_name("Owner", &new.owner_name)?;
    let plan = validate_plan_fields(
        today,
        new.plan.as_deref(),
        new.seat_price.as_deref(),
        new.number_price.as_deref(),
        new.currency.as_deref(),
        new.renews_on.as_deref(),
        None,
    )?;
    Ok((name, owner_email, owner_name, plan))
}

fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// The plan a form describes: given fields parsed, absent ones taken from
/// `current` (a plan change) or the plan's defaults (a new account). The
/// renewal date must fall after today and within one period of it.
pub(crate) fn validate_plan_fields(
    today: chrono::NaiveDate,
    plan: Option<&str>,
    seat_price: Option<&str>,
    number_price: Option<&str>,
    currency: Option<&str>,
    renews_on: Option<&str>,
    current: Option<&Plan>,
) -> Result<Plan> {
    let period = match given(plan) {
        Some(p) => BillingPeriod::parse(p)?,
        None => current.map_or(BillingPeriod::Monthly, |c| c.period),
    };
    let price = |raw: Option<&str>, kept: Option<i64>, default: i64| match given(raw) {
        Some(p) => parse_price(p),
        None => Ok(kept.unwrap_or(default)),
    };
    let seat_price_cents = price(seat_price, current.map(|c| c.seat_price_cents), period.default_seat_price_cents())?;
    let number_price_cents =
        price(number_price, current.map(|c| c.number_price_cents), period.default_number_price_cents())?;
    let currency = match given(currency) {
        Some(c) => parse_currency(c)?,
        None => current.map_or_else(|| "USD".to_string(), |c| c.currency.clone()),
    };
    let latest = period.forward_one(today);
    let (renews_on, renewal_day) = match (given(renews_on), current) {
        (Some(d), _) => {
            let d = parse_date(d)?;
            (d, d.day())
        }
        (None, Some(c)) => (c.renews_on, c.renewal_day),
        (None, None) => (latest, latest.day()),
    };
    if renews_on <= today || renews_on > latest {
        return Err(Error::new(
            ErrorCode::InvalidDate,
            format!(
                "The renewal date must fall after today ({today}) and within one {} period (by {latest}).",
                period.as_str()
            ),
        )
        .with_details(json!({ "date": renews_on.to_string(), "earliest": today.succ_opt().map(|d| d.to_string()), "latest": latest.to_string() })));
    }
    Ok(Plan { period, renews_on, renewal_day, seat_price_cents, number_price_cents, currency })
}

impl Seatdesk {
    /// Creates an account with its Owner (Active, holding the included seat).
    pub fn create_account(&mut self, new: &NewAccount) -> Result<AccountView> {
        let clock = self.clock();
        self.write(|tx, today| {
            let (name, owner_email, owner_name, plan) = validate_new_account(new, today)?;
            clock.check_horizon(plan.period)?;
            create_account_in(tx, today, &name, &owner_email, &owner_name, &plan)
        })
    }

    pub fn list_accounts(&mut self) -> Result<Vec<AccountView>> {
        self.read(|tx, _| {
            store::accounts::list(tx)?
                .iter()
                .map(|a| Ok(account_view(a, &store::members::owner(tx, a.id)?)))
                .collect()
        })
    }

    pub fn show_account(&mut self, scope: &Scope) -> Result<AccountView> {
        self.read(|tx, _| {
            let account = resolve_account(tx, scope)?;
            let owner = store::members::owner(tx, account.id)?;
            Ok(account_view(&account, &owner))
        })
    }

    /// SPEC §3: included, purchased, assigned, unassigned, renewal total.
    pub fn seats(&mut self, scope: &Scope) -> Result<SeatSummary> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read the seats")?;
            seat_summary(tx, &ctx.account)
        })
    }

    /// The account, its seats and the acting member, in one snapshot.
    pub fn overview(&mut self, scope: &Scope) -> Result<Overview> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "open the account")?;
            let owner = store::members::owner(tx, ctx.account.id)?;
            Ok(Overview {
                account: account_view(&ctx.account, &owner),
                seats: seat_summary(tx, &ctx.account)?,
                acting_as: super::MemberView::new(ctx.actor, vec![]),
            })
        })
    }
}

pub(crate) fn create_account_in(
    tx: &Connection,
    today: chrono::NaiveDate,
    name: &str,
    owner_email: &Email,
    owner_name: &str,
    plan: &Plan,
) -> Result<AccountView> {
    if store::accounts::exists_named(tx, name)? {
        return Err(Error::new(ErrorCode::DuplicateAccount, format!("An account named {name:?} exists already."))
            .with_details(json!({ "name": name })));
    }
    let created_at = now_stamp();
    let id = store::accounts::insert(tx, &store::accounts::NewAccountRow { name, plan, created_at: &created_at })?;
    store::members::insert(
        tx,
        &store::members::NewMemberRow {
            account_id: id,
            email: &owner_email.display,
            email_key: &owner_email.key,
            name: owner_name,
            role: Role::Owner,
            status: Status::Active,
            invited_on: None,
            joined_on: Some(today),
            invited_by: None,
        },
    )?;
    let account = store::accounts::by_id(tx, id)?;
    let owner = store::members::owner(tx, id)?;
    let ctx = Ctx { account, actor: owner, via: None };
    audit(
        tx,
        &ctx,
        today,
        "account.create",
        name,
        json!({
            "plan": plan.period.as_str(),
            "renews_on": plan.renews_on.to_string(),
            "seat_price_cents": plan.seat_price_cents,
            "number_price_cents": plan.number_price_cents,
            "currency": plan.currency,
        }),
    )?;
    Ok(account_view(&ctx.account, &ctx.actor))
}
