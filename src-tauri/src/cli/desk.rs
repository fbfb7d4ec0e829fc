//! The support desk's commands: `accounts` (every account at a glance),
//! `find` (a member in any account), `audit --ticket` (what was done under
//! one ticket), and support mode (`--support-agent`, `--ticket`).

use clap::{Args, ValueEnum};
use serde_json::json;

use seatdesk_core::service::{Desk, DeskAccount, SupportTicket};
use seatdesk_core::{Error, ErrorCode, Seatdesk};

use super::text::table;
use super::{to_json, Global, Output, Session};

/// Support mode as the global options give it: both the agent and the ticket.
pub(super) fn support_mode(global: &Global) -> Option<SupportTicket> {
    match (&global.support_agent, &global.ticket) {
        (Some(agent), Some(ticket)) => Some(SupportTicket { agent: agent.trim().to_string(), ticket: ticket.trim().to_string() }),
        _ => None,
    }
}

/// Refuses half a support mode (one of the two options) and a blank one.
pub(super) fn check_support_mode(desk: &Seatdesk, global: &Global) -> Result<(), Error> {
    match (&global.support_agent, &global.ticket) {
        (None, None) => Ok(()),
        (Some(_), Some(_)) => desk.validate_support(&support_mode(global).unwrap_or_default()),
        _ => Err(Error::new(
            ErrorCode::SupportModeRequired,
            "Support mode needs both the agent's name (--support-agent) and the ticket (--ticket).",
        )
        .with_details(json!({ "support_agent": global.support_agent, "ticket": global.ticket }))),
    }
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum AccountSort {
    Name,
    Renews,
    Seats,
    Unassigned,
    Pending,
    Numbers,
    LastChange,
    Problems,
}

#[derive(Args, Debug)]
pub struct AccountsArgs {
    /// Only accounts whose name or Owner (name or address) holds TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Order of the rows (name ascending; the others largest or latest first)
    #[arg(long, value_enum, default_value = "name")]
    pub sort: AccountSort,
    /// Leave out `check` (faster on a large database)
    #[arg(long)]
    pub no_check: bool,
}

impl AccountsArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let mut desk = s.desk.desk(!self.no_check)?;
        if let Some(text) = self.search.as_deref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
            desk.accounts.retain(|a| [&a.name, &a.owner_email, &a.owner_name].iter().any(|f| f.to_lowercase().contains(&text)));
        }
        sort_accounts(&mut desk.accounts, self.sort);
        let text = desk_text(&desk);
        Ok(Output::of(&desk, text))
    }
}

pub(super) fn sort_accounts(accounts: &mut [DeskAccount], sort: AccountSort) {
    let problems = |a: &DeskAccount| a.problems.as_ref().map_or(0, Vec::len);
    match sort {
        AccountSort::Name => {}
        AccountSort::Renews => accounts.sort_by(|a, b| a.renews_on.cmp(&b.renews_on)),
        AccountSort::Seats => accounts.sort_by_key(|a| std::cmp::Reverse(a.purchased)),
        AccountSort::Unassigned => accounts.sort_by_key(|a| std::cmp::Reverse(a.unassigned)),
        AccountSort::Pending => accounts.sort_by_key(|a| std::cmp::Reverse((a.pending_stale, a.pending))),
        AccountSort::Numbers => accounts.sort_by_key(|a| std::cmp::Reverse(a.numbers)),
        AccountSort::LastChange => accounts.sort_by(|a, b| b.last_change.cmp(&a.last_change)),
        AccountSort::Problems => accounts.sort_by_key(|a| std::cmp::Reverse(problems(a))),
    }
}

fn check_text(problems: &Option<Vec<String>>) -> String {
    match problems.as_deref() {
        None => "-".into(),
        Some([]) => "ok".into(),
        Some([one]) => format!("1 problem: {one}"),
        Some(many) => format!("{} problems", many.len()),
    }
}

fn desk_text(desk: &Desk) -> String {
    if desk.accounts.is_empty() {
        return "No accounts to show. Create one with `seatdesk account create` or try `seatdesk demo`.".into();
    }
    let rows = desk
        .accounts
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                a.owner_email.clone(),
                a.plan.as_str().to_string(),
                a.renews_on.clone(),
                format!("{}/{}/{}", a.purchased, a.assigned, a.unassigned),
                format!("{} ({} > {}d)", a.pending, a.pending_stale, desk.stale_days),
                a.numbers.to_string(),
                a.last_change.as_deref().map_or("-", |t| t.get(..16).unwrap_or(t)).replace('T', " "),
                check_text(&a.problems),
            ]
        })
        .collect();
    let t = &desk.totals;
    let mut out = table(&["ACCOUNT", "OWNER", "PLAN", "RENEWS", "SEATS P/A/U", "PENDING", "NUMBERS", "LAST CHANGE", "CHECK"], rows);
    out.push_str(&format!(
        "\n{} accounts: {} seats purchased, {} assigned, {} unassigned; {} Active, {} pending ({} last sent over {} days ago); {} numbers.",
        t.accounts, t.purchased, t.assigned, t.unassigned, t.active, t.pending, t.pending_stale, desk.stale_days, t.numbers
    ));
    if let Some(n) = t.accounts_with_problems {
        out.push_str(&format!("\ncheck: {}", if n == 0 { "every account is consistent".to_string() } else { format!("{n} accounts with problems") }));
    }
    for p in desk.storage_problems.iter().flatten() {
        out.push_str(&format!("\ncheck (database): {p}"));
    }
    out
}

#[derive(Args, Debug)]
pub struct FindArgs {
    /// Three or more characters of a name or an email address
    pub text: String,
}

impl FindArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let found = s.desk.find_members(&self.text)?;
        let mut text = if found.members.is_empty() {
            format!("No member of any account matches {:?}.", self.text.trim())
        } else {
            table(
                &["ACCOUNT", "EMAIL", "NAME", "ROLE", "STATUS"],
                found
                    .members
                    .iter()
                    .map(|m| vec![m.account.clone(), m.email.clone(), m.name.clone(), m.role.as_str().into(), m.status.as_str().into()])
                    .collect(),
            )
        };
        if found.more {
            text.push_str(&format!("\nThe first {} are shown; type more of the name or address.", found.members.len()));
        }
        Ok(Output::of(&found, text))
    }
}

/// `audit --ticket T`: what was done under the ticket, in every account.
pub(super) fn ticket_trail(s: &mut Session) -> Result<Output, Error> {
    let ticket = s.global.ticket.clone().unwrap_or_default();
    let entries = s.desk.ticket_trail(&ticket)?;
    let mut text = table(
        &["WHEN", "ACCOUNT", "WHO", "ACTION", "TARGET", "DETAILS"],
        entries
            .iter()
            .map(|e| vec![e.at.clone(), e.account.clone().unwrap_or_default(), e.actor_email.clone(), e.action.clone(), e.target.clone(), e.details.clone()])
            .collect(),
    );
    text.push_str(&format!("\n{} entries under ticket {} (newest first).", entries.len(), ticket.trim()));
    let rows: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let mut row = to_json(e);
            row["details"] = serde_json::from_str(&e.details).unwrap_or_else(|_| json!(e.details));
            row
        })
        .collect();
    Ok(Output { json: json!(rows), text })
}
