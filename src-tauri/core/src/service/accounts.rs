//! Accounts and the seat summary (rules §1, §3).

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use super::{audit, now_stamp, resolve, resolve_account, AccountView, Ctx, NewAccount, Overview, ScheduledPlanView, Scope, Seatdesk};
use crate::domain::billing::renewal_total;
use crate::domain::money::parse_price;
use crate::domain::plan::parse_currency;
use crate::domain::plan::Renewal;
use crate::domain::text::{parse_date, parse_name};
use crate::domain::{Account, BillingPeriod, Email, Member, Permission, Plan, Role, SeatSummary, Status, Terms};
use crate::error::{Error, ErrorCode, Result};
use crate::store;
use crate::store::Tx;

pub(crate) fn account_view(account: &Account, owner: &Member) -> AccountView {
    owned_view(account, &owner.email, &owner.name)
}

/// `account_view` with its Owner's address and name as given.
fn owned_view(account: &Account, owner_email: &str, owner_name: &str) -> AccountView {
    AccountView {
        name: account.name.clone(),
        currency: account.plan.currency.clone(),
        plan: account.plan.period,
        renews_on: account.plan.renews_on.to_string(),
        seat_price_cents: account.plan.seat_price_cents,
        number_price_cents: account.plan.number_price_cents,
        owner_email: owner_email.into(),
        owner_name: owner_name.into(),
        created_at: account.created_at.clone(),
        began_on: account.began_on.to_string(),
        period_start: account.plan.period_start.to_string(),
        then_renews_on: account.plan.next_renewal().to_string(),
        scheduled: account.plan.scheduled.as_ref().map(|s| ScheduledPlanView {
            plan: s.terms.period,
            seat_price_cents: s.terms.seat_price_cents,
            number_price_cents: s.terms.number_price_cents,
            currency: s.terms.currency.clone(),
            renews_on: s.renews_on.map(|d| d.to_string()),
        }),
        plan_version: crate::domain::version_of(&plan_json(&account.plan)),
    }
}

pub(crate) fn seat_summary(conn: &Tx, account: &Account) -> Result<SeatSummary> {
    let assigned = conn.members().assigned_seats(account.id)?;
    let numbers = conn.inboxes().count_numbers(account.id)?;
    Ok(SeatSummary::compute(
        account.purchased_seats,
        assigned,
        conn.members().observers(account.id)?,
        renewal_total(&account.plan, account.purchased_seats, numbers),
        account.plan.renews_on.to_string(),
    ))
}

/// Validates a new account's form into its parts, refusing the first bad field.
pub(crate) fn validate_new_account(new: &NewAccount, today: chrono::NaiveDate) -> Result<(String, Email, String, Plan)> {
    let name = parse_name("account", &new.name)?;
    let owner_email = Email::parse(&new.owner_email)?;
    let owner_name = parse_name("Owner", &new.owner_name)?;
    let plan = new_plan(
        today,
        &PlanFields {
            plan: new.plan.as_deref(),
            seat_price: new.seat_price.as_deref(),
            number_price: new.number_price.as_deref(),
            currency: new.currency.as_deref(),
            renews_on: new.renews_on.as_deref(),
        },
    )?;
    Ok((name, owner_email, owner_name, plan))
}

/// The plan fields of a form as typed. An absent field keeps its value (or
/// takes the default); a given one, even empty, must be valid.
pub(crate) struct PlanFields<'a> {
    pub plan: Option<&'a str>,
    pub seat_price: Option<&'a str>,
    pub number_price: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub renews_on: Option<&'a str>,
}

impl PlanFields<'_> {
    /// The terms the form asks for, on top of `base` where a field is absent.
    fn terms(&self, base: Option<&Terms>) -> Result<Terms> {
        let period = match self.plan {
            Some(p) => BillingPeriod::parse(p)?,
            None => base.map_or(BillingPeriod::Monthly, |b| b.period),
        };
        let price = |raw: Option<&str>, kept: Option<i64>, default: i64| match raw {
            Some(p) => parse_price(p),
            None => Ok(kept.unwrap_or(default)),
        };
        Ok(Terms {
            period,
            seat_price_cents: price(self.seat_price, base.map(|b| b.seat_price_cents), period.default_seat_price_cents())?,
            number_price_cents: price(self.number_price, base.map(|b| b.number_price_cents), period.default_number_price_cents())?,
            currency: match self.currency {
                Some(c) => parse_currency(c)?,
                None => base.map_or_else(|| "USD".to_string(), |b| b.currency.clone()),
            },
        })
    }

    fn renews_on(&self) -> Result<Option<NaiveDate>> {
        self.renews_on.map(parse_date).transpose()
    }
}

fn date_out_of_range(message: String, date: NaiveDate, earliest: NaiveDate, latest: NaiveDate) -> Error {
    Error::new(ErrorCode::InvalidDate, message)
        .with_details(json!({ "date": date.to_string(), "earliest": earliest.to_string(), "latest": latest.to_string() }))
}

/// A new account's plan: its first period starts today and ends on the
/// renewal date, after today and within one period; the renewals keep the
/// day the plan began (or the day of the date given).
pub(crate) fn new_plan(today: NaiveDate, fields: &PlanFields<'_>) -> Result<Plan> {
    let terms = fields.terms(None)?;
    let latest = terms.period.forward_one(today);
    let (renews_on, renewal_day) = match fields.renews_on()? {
        Some(d) => (d, d.day()),
        None => (latest, today.day()),
    };
    if renews_on <= today || renews_on > latest {
        let earliest = today.succ_opt().unwrap_or(today);
        return Err(date_out_of_range(
            format!("The first renewal must fall after today ({today}) and within one {} period (by {latest}).", terms.period.as_str()),
            renews_on,
            earliest,
            latest,
        ));
    }
    Ok(Plan {
        period: terms.period,
        period_start: today,
        renews_on,
        renewal_day,
        seat_price_cents: terms.seat_price_cents,
        number_price_cents: terms.number_price_cents,
        currency: terms.currency,
        scheduled: None,
    })
}

/// A plan change (README, "Plan changes take effect at the next renewal"): it takes effect at the next renewal, which the
/// account is paid to. A new renewal date falls from that renewal to one
/// period after it; the days in between are booked at that renewal, pro
/// rata. Absent fields keep the change already scheduled, or the plan.
pub(crate) fn changed_plan(current: &Plan, fields: &PlanFields<'_>) -> Result<Plan> {
    let base = current.next_terms();
    let terms = fields.terms(Some(&base))?;
    if terms.period != base.period {
        // A price is per period: switching keeps no price silently.
        for (field, given) in [("seat_price", fields.seat_price), ("number_price", fields.number_price)] {
            if given.is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidPrice,
                    format!(
                        "A price is per period: give the {} price per {} with the change to {} (e.g. --seat-price {} --number-price {}).",
                        field.replace('_', " ").replace(" price", ""),
                        if terms.period == BillingPeriod::Annual { "year" } else { "month" },
                        terms.period.as_str(),
                        crate::domain::money::format_cents(terms.period.default_seat_price_cents()),
                        crate::domain::money::format_cents(terms.period.default_number_price_cents()),
                    ),
                )
                .with_details(json!({ "field": field, "reason": "required when the period changes", "plan": terms.period.as_str() })));
            }
        }
    }
    let kept = current.scheduled.as_ref().and_then(|s| s.renews_on);
    let renews_on = fields.renews_on()?.or(kept);
    if let Some(d) = renews_on {
        // Up to the renewal after it on the plan's own day (an account
        // renewing on the 31st may choose Apr 30 -> May 31).
        let latest = crate::domain::plan::on_day(terms.period.forward_one(current.renews_on), current.renewal_day);
        let (earliest, latest) = (current.renews_on, latest);
        if d < earliest || d > latest {
            return Err(date_out_of_range(
                format!(
                    "The account is paid to {earliest}, so its renewal date can move to a day from {earliest} to {latest} \
                     (the days in between are billed on {earliest}, pro rata); it never moves back."
                ),
                d,
                earliest,
                latest,
            ));
        }
    }
    Ok(current.schedule(terms, renews_on))
}

/// The plan for the audit log.
pub(crate) fn plan_json(plan: &Plan) -> serde_json::Value {
    json!({
        "plan": plan.period.as_str(),
        "period_start": plan.period_start.to_string(),
        "renews_on": plan.renews_on.to_string(),
        "seat_price_cents": plan.seat_price_cents,
        "number_price_cents": plan.number_price_cents,
        "currency": plan.currency,
        "scheduled": plan.scheduled.as_ref().map(|s| json!({
            "plan": s.terms.period.as_str(),
            "seat_price_cents": s.terms.seat_price_cents,
            "number_price_cents": s.terms.number_price_cents,
            "currency": s.terms.currency,
            "renews_on": s.renews_on.map(|d| d.to_string()),
        })),
    })
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
            if !tx.has_access()? {
                return Err(crate::store::postgres::no_access());
            }
            // An account whose Owner's row does not read (a damaged page) is
            // still listed, its Owner blank: the window opens the overview,
            // which names it (found by trying: the window refused the whole
            // file).
            let listed = |a: &Account| match tx.members().owner(a.id) {
                Err(e) if super::check::damaged(&e) => Ok(owned_view(a, "", "")),
                owner => Ok(account_view(a, &owner?)),
            };
            tx.accounts().list()?.iter().map(listed).collect()
        })
    }

    pub fn show_account(&mut self, scope: &Scope) -> Result<AccountView> {
        self.read(|tx, _| {
            let account = resolve_account(tx, scope)?;
            let owner = tx.members().owner(account.id)?;
            Ok(account_view(&account, &owner))
        })
    }

    /// rules §3: included, purchased, assigned, unassigned, renewal total.
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
            let owner = tx.members().owner(ctx.account.id)?;
            Ok(Overview {
                account: account_view(&ctx.account, &owner),
                seats: seat_summary(tx, &ctx.account)?,
                can: super::Abilities::of(ctx.actor.role, ctx.actor.status),
                acting_as: super::MemberView::new(ctx.actor, vec![]),
            })
        })
    }
}

pub(crate) fn create_account_in(
    tx: &Tx,
    today: chrono::NaiveDate,
    name: &str,
    owner_email: &Email,
    owner_name: &str,
    plan: &Plan,
) -> Result<AccountView> {
    if tx.accounts().exists_named(name)? {
        return Err(Error::new(ErrorCode::DuplicateAccount, format!("An account named {name:?} exists already."))
            .with_details(json!({ "name": name })));
    }
    let created_at = now_stamp();
    let id = tx.accounts().insert(&store::accounts::NewAccountRow { name, plan, created_at: &created_at, began_on: today })?;
    tx.periods().insert(id, &Renewal { starts_on: today, ends_on: plan.renews_on, renewal_day: plan.renewal_day, terms: plan.terms() })?;
    tx.members().insert(&store::members::NewMemberRow {
        account_id: id,
        email: &owner_email.display,
        email_key: &owner_email.key,
        name: owner_name,
        role: Role::Owner,
        status: Status::Active,
        invited_on: None,
        joined_on: Some(today),
        invited_by: None,
        sent_at: None,
    })?;
    let account = tx.accounts().by_id(id)?;
    let owner = tx.members().owner(id)?;
    let ctx = Ctx { account, actor: owner, via: None, support: None };
    audit(tx, &ctx, today, "account.create", name, plan_json(plan))?;
    Ok(account_view(&ctx.account, &ctx.actor))
}
