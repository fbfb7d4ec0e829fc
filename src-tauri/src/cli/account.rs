//! `account …` and `demo`: accounts, their plan, and a demo account.

use std::io::IsTerminal;

use clap::{Args, Subcommand};

use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::BillingPeriod;
use seatdesk_core::service::{AccountView, DemoOptions, NewAccount, PlanChange};
use seatdesk_core::Error;

use super::text::table;
use super::{to_json, usage, Output, Session};

#[derive(Subcommand, Debug)]
pub enum AccountCmd {
    /// Create an account with its Owner
    Create(CreateAccountArgs),
    /// List the accounts in this database
    List,
    /// Show the account (--account, or the only one)
    Show,
    /// Change the plan from the next renewal on: the current period keeps its dates and prices
    SetPlan(SetPlanArgs),
}

#[derive(Args, Debug)]
pub struct SetPlanArgs {
    /// monthly or annual, from the next renewal (give both prices with it)
    #[arg(long)]
    pub plan: Option<String>,
    /// Seat price per period from the next renewal, e.g. 12.00
    #[arg(long)]
    pub seat_price: Option<String>,
    /// Number price per period from the next renewal, e.g. 6.00
    #[arg(long)]
    pub number_price: Option<String>,
    /// Three-letter currency code, from the next renewal
    #[arg(long)]
    pub currency: Option<String>,
    /// Move the renewal date, YYYY-MM-DD: from the next renewal to one period after it;
    /// the days in between are billed at the next renewal, pro rata
    #[arg(long)]
    pub renews: Option<String>,
}

#[derive(Args, Debug)]
pub struct CreateAccountArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub owner_email: String,
    #[arg(long)]
    pub owner_name: String,
    /// monthly or annual [default: monthly]
    #[arg(long)]
    pub plan: Option<String>,
    /// Seat price per period, e.g. 10.00 [default: 10.00 monthly, 100.00 annual]
    #[arg(long)]
    pub seat_price: Option<String>,
    /// Number price per period, e.g. 5.00 [default: 5.00 monthly, 50.00 annual]
    #[arg(long)]
    pub number_price: Option<String>,
    /// Three-letter currency code [default: USD]
    #[arg(long)]
    pub currency: Option<String>,
    /// Renewal date, YYYY-MM-DD [default: one period from today]
    #[arg(long)]
    pub renews: Option<String>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Members besides the Owner
    #[arg(long, default_value_t = 36)]
    pub members: i64,
    /// Conversations (with a quarter as many contacts)
    #[arg(long, default_value_t = 120)]
    pub conversations: i64,
    /// Seed of the generator (same seed, same account)
    #[arg(long, default_value_t = 7)]
    pub seed: i64,
    /// Account name
    #[arg(long, default_value = seatdesk_core::service::DEMO_ACCOUNT_NAME)]
    pub name: String,
}

impl AccountCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        match self {
            AccountCmd::Create(a) => {
                let view = s.desk.create_account(&NewAccount {
                    name: a.name,
                    owner_email: a.owner_email,
                    owner_name: a.owner_name,
                    plan: a.plan,
                    seat_price: a.seat_price,
                    number_price: a.number_price,
                    currency: a.currency,
                    renews_on: a.renews,
                })?;
                Ok(Output::of(&view, format!("Created.\n{}", account_text(&view))))
            }
            AccountCmd::List => {
                let all = s.desk.list_accounts()?;
                // Each account's plan, and the overview's counts (`seatdesk accounts`).
                let desk = s.desk.desk(seatdesk_core::service::DeskCheck::Kept)?;
                let counts = |name: &str| desk.accounts.iter().find(|d| d.name == name);
                let text = if all.is_empty() {
                    "No accounts yet. Create one with `seatdesk account create` or try `seatdesk demo`.".to_string()
                } else {
                    table(
                        &["ACCOUNT", "OWNER", "PLAN", "RENEWS", "SEATS P/A/U", "PENDING"],
                        all.iter()
                            .map(|a| {
                                let (seats, pending) = counts(&a.name)
                                    .map(|d| (format!("{}/{}/{}", d.purchased, d.assigned, d.unassigned), d.pending.to_string()))
                                    .unwrap_or_else(|| ("(does not read)".into(), "-".into()));
                                let owner = if a.owner_email.is_empty() { "(does not read: see `seatdesk check`)".into() } else { a.owner_email.clone() };
                                vec![a.name.clone(), owner, a.plan.as_str().to_string(), a.renews_on.clone(), seats, pending]
                            })
                            .collect(),
                    )
                };
                let json = all
                    .iter()
                    .map(|a| {
                        let mut row = to_json(a);
                        if let (Some(serde_json::Value::Object(more)), Some(map)) = (counts(&a.name).map(to_json), row.as_object_mut()) {
                            for (k, v) in more {
                                map.entry(k).or_insert(v);
                            }
                        }
                        // What a script can test: the Owner (or the figures)
                        // did not read, as the overview's `unreadable` says.
                        if let Some(map) = row.as_object_mut() {
                            map.insert("readable".into(), serde_json::Value::Bool(!a.owner_email.is_empty() && counts(&a.name).is_some()));
                        }
                        row
                    })
                    .collect();
                Ok(Output { json: serde_json::Value::Array(json), text })
            }
            AccountCmd::Show => {
                let view = s.desk.show_account(&s.scope)?;
                Ok(Output::of(&view, account_text(&view)))
            }
            AccountCmd::SetPlan(p) => {
                if [&p.plan, &p.seat_price, &p.number_price, &p.currency, &p.renews].iter().all(|v| v.is_none()) {
                    return Err(usage("set-plan takes at least one of --plan, --seat-price, --number-price, --currency, --renews".into()));
                }
                let change = PlanChange {
                    plan: p.plan,
                    seat_price: p.seat_price,
                    number_price: p.number_price,
                    currency: p.currency,
                    renews_on: p.renews,
                    version: None,
                };
                let view = s.desk.update_plan(&s.scope, &change)?;
                let said = match &view.scheduled {
                    Some(_) => format!("Scheduled from the renewal on {}.", view.renews_on),
                    None => "No change is scheduled: the plan stays as it is.".to_string(),
                };
                Ok(Output::of(&view, format!("{said}\n{}", account_text(&view))))
            }
        }
    }
}

impl DemoArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let show_progress = !s.global.json && std::io::stderr().is_terminal() && self.members + self.conversations > 20_000;
        let options = DemoOptions { name: Some(self.name), members: Some(self.members), seed: Some(self.seed), conversations: Some(self.conversations) };
        let view = s.desk.demo(&options, |done, total| {
            if show_progress {
                eprint!("\r  {done} of {total} members and conversations written");
                if done == total {
                    eprintln!();
                }
            }
        })?;
        Ok(Output::of(&view, format!("Created the demo account.\n{}", account_text(&view))))
    }
}

fn per(period: BillingPeriod) -> &'static str {
    match period {
        BillingPeriod::Monthly => "month",
        BillingPeriod::Annual => "year",
    }
}

fn account_text(a: &AccountView) -> String {
    let per_now = per(a.plan);
    let mut text = format!(
        "Account:  {}\nOwner:    {} <{}>\nPlan:     {} (this period {} to {}, then to {})\nPrices:   seat {} {cur}/{per_now}, number {} {cur}/{per_now}",
        a.name,
        a.owner_name,
        a.owner_email,
        a.plan.as_str(),
        a.period_start,
        a.renews_on,
        a.then_renews_on,
        format_cents(a.seat_price_cents),
        format_cents(a.number_price_cents),
        cur = a.currency,
    );
    if let Some(s) = &a.scheduled {
        let per_then = per(s.plan);
        text.push_str(&format!(
            "\nFrom {}: {}, seat {} {cur}/{per_then}, number {} {cur}/{per_then}{}",
            a.renews_on,
            s.plan.as_str(),
            format_cents(s.seat_price_cents),
            format_cents(s.number_price_cents),
            s.renews_on.as_ref().map(|d| format!("; the renewal date moves to {d}")).unwrap_or_default(),
            cur = s.currency,
        ));
    }
    text
}
