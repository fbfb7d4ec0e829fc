//! The support desk's commands: `accounts` (every account at a glance),
//! `find` (a member in any account), `audit --ticket` (what was done under
//! one ticket), and support mode (`--support-agent`, `--ticket`).

use clap::{Args, ValueEnum};
use serde_json::json;

use seatdesk_core::service::{Desk, DeskAccount, DeskCheck, DeskQuery, SupportTicket};
use seatdesk_core::{Error, ErrorCode, Seatdesk};

use super::text::table;
use super::{Global, Output, Session};

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
    /// Order of the rows: name and renews ascending (the next renewal
    /// first); the others largest or latest first
    #[arg(long, value_enum, default_value = "name")]
    pub sort: AccountSort,
    /// Check nothing: each account shows the verdict kept from its last
    /// check, while nothing changed there since
    #[arg(long, conflicts_with = "recheck")]
    pub no_check: bool,
    /// Check every account shown again, and (when every account is shown)
    /// every page of the database file (by default only the accounts
    /// changed since their last check are checked; a change made outside
    /// Seatdesk is found by this or by `seatdesk check`)
    #[arg(long)]
    pub recheck: bool,
}

impl AccountsArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let mode = match (self.no_check, self.recheck) {
            (true, _) => DeskCheck::Kept,
            (_, true) => DeskCheck::All,
            _ => DeskCheck::Changed,
        };
        // `--account` shows that account's row; `--search` the accounts whose
        // name or Owner holds the text. Only those are checked, and the
        // totals are theirs.
        let query = DeskQuery { check: mode, account: s.global.account.clone(), search: self.search.clone() };
        let mut desk = s.desk.desk(query)?;
        let all = desk.all_accounts;
        sort_accounts(&mut desk.accounts, self.sort);
        let mut text = desk_text(&desk, all);
        // A search that keeps no account says so, with any account whose
        // figures do not read (found by trying: it blamed the damage).
        if let Some(search) = self.search.as_deref().filter(|_| desk.accounts.is_empty() && all > 0) {
            text = format!("No account matches {:?} (of {all}).\n{}", search.trim(), unread_text(&desk)).trim_end().to_string();
        }
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

fn check_text(a: &DeskAccount) -> String {
    match a.problems.as_deref() {
        None => match a.checked_at.as_deref() {
            None => "never checked".into(),
            Some(at) => format!("changed since its check on {}", at.get(..16).unwrap_or(at).replace('T', " ")),
        },
        Some([]) => "ok".into(),
        Some([one]) => format!("1 problem: {one}"),
        Some(many) => format!("{} problems", many.len()),
    }
}

/// "1 account", "3 accounts".
fn count(n: i64, one: &str) -> String {
    seatdesk_core::domain::text::count(n, one, &format!("{one}s"))
}

fn desk_text(desk: &Desk, all: i64) -> String {
    if desk.accounts.is_empty() && desk.unreadable.is_empty() {
        return "No accounts to show. Create one with `seatdesk account create` or try `seatdesk demo`.".into();
    }
    if desk.accounts.is_empty() {
        // Only accounts whose figures do not read: none to show.
        return format!("No account shown (of {all}): the figures of those asked for do not read.\n{}", unread_text(desk));
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
                check_text(a),
            ]
        })
        .collect();
    let t = &desk.totals;
    let mut out = table(&["ACCOUNT", "OWNER", "PLAN", "RENEWS", "SEATS P/A/U", "PENDING", "NUMBERS", "LAST CHANGE", "CHECK"], rows);
    let shown = if t.accounts == all { count(all, "account") } else { format!("{} of {all} accounts shown", t.accounts) };
    out.push_str(&format!(
        "\n{shown}: {} purchased, {} assigned, {} unassigned; {} Active, {} pending ({} last sent over {} days ago); {}.",
        count(t.purchased, "seat"),
        t.assigned,
        t.unassigned,
        t.active,
        t.pending,
        t.pending_stale,
        desk.stale_days,
        count(t.numbers, "number")
    ));
    if let Some(n) = t.accounts_with_problems {
        let every = if t.accounts == all { "every account" } else { "every account shown" };
        out.push_str(&format!("\ncheck: {}", if n == 0 { format!("{every} is consistent") } else { format!("{} with problems", count(n, "account")) }));
    }
    out.push('\n');
    out.push_str(&unread_text(desk));
    out.trim_end().to_string()
}

/// The accounts not shown because their rows do not read, and what the
/// database's own check found, a line each.
fn unread_text(desk: &Desk) -> String {
    let unread = desk.unreadable.iter().map(|v| format!("not shown: {}: {}: {} (`seatdesk check` says where the file is damaged and which other accounts it reaches)\n", v.account, v.rule, v.message));
    let storage = desk.storage_problems.iter().flatten().map(|p| format!("check (database): {p}\n"));
    unread.chain(storage).collect::<String>().trim_end().to_string()
}

#[derive(Args, Debug)]
pub struct FindArgs {
    /// Three or more characters of a name or an email address
    pub text: String,
}

impl FindArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let found = s.desk.find_members(&self.text, s.global.account.as_deref())?;
        let mut text = if found.members.is_empty() {
            let place = s.global.account.as_deref().map_or("any account".to_string(), |a| a.to_string());
            format!("No member of {place} matches {:?}.", self.text.trim())
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

/// `audit --ticket T`: what was done under the ticket, in every account
/// (or the one `--account` names), a page at a time.
pub(super) fn ticket_trail(s: &mut Session, offset: i64, limit: i64) -> Result<Output, Error> {
    let ticket = s.global.ticket.clone().unwrap_or_default();
    let page = s.desk.ticket_trail(&ticket, s.global.account.as_deref(), offset, limit)?;
    let entries = page.rows;
    let mut text = super::support::audit_table(&entries, true);
    let place = s.global.account.as_deref().map_or("every account".to_string(), |a| a.to_string());
    if entries.is_empty() {
        text = match page.total {
            0 => format!("No entries under ticket {} in {place}.", ticket.trim()),
            n => format!("No entries at offset {offset} under ticket {} ({n} in all, in {place}).", ticket.trim()),
        };
    } else {
        text.push_str(&format!(
            "\nentries {}–{} of {} under ticket {} in {place} (newest first; --offset pages back)",
            offset + 1,
            offset + entries.len() as i64,
            page.total,
            ticket.trim()
        ));
    }
    Ok(Output { json: super::support::audit_json(&entries), text })
}
