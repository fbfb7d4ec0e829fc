//! The support desk (issue #22): every account at a glance, a member found
//! in any account, and what was done under one support ticket. Each reads
//! the accounts this store shows (on a shared server, those the login is
//! granted: row-level security decides).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::audit_log::{check_page, AuditEntryView, AuditPage};
use super::Seatdesk;
use crate::domain::billing::renewal_total;
use crate::domain::text::{name_key, parse_name, sort_key};
use crate::domain::{BillingPeriod, Role, Status};
use crate::error::{Error, ErrorCode, Result};

/// Pending invitations last sent longer ago than this are counted as stale
/// (days on the computer's clock, as the members list's filter counts them).
pub const STALE_INVITE_DAYS: i64 = 30;
/// At most this many members in one search across accounts.
pub const FIND_LIMIT: i64 = 100;
/// At most this many entries in one page of a ticket's trail.
pub const TICKET_LIMIT: i64 = 1000;

/// One account's row in the accounts overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DeskAccount {
    pub name: String,
    pub owner_email: String,
    pub owner_name: String,
    pub plan: BillingPeriod,
    pub currency: String,
    pub renews_on: String,
    #[specta(type = specta_typescript::Number)]
    pub purchased: i64,
    #[specta(type = specta_typescript::Number)]
    pub assigned: i64,
    #[specta(type = specta_typescript::Number)]
    pub unassigned: i64,
    #[specta(type = specta_typescript::Number)]
    pub active: i64,
    #[specta(type = specta_typescript::Number)]
    pub pending: i64,
    /// Pending invitations last sent more than [`STALE_INVITE_DAYS`] ago.
    #[specta(type = specta_typescript::Number)]
    pub pending_stale: i64,
    #[specta(type = specta_typescript::Number)]
    pub numbers: i64,
    #[specta(type = specta_typescript::Number)]
    pub renewal_total_cents: i64,
    /// When the account last changed (its newest audit entry).
    pub last_change: Option<String>,
    /// What `check` found in the account (`None`: not checked in this call).
    pub problems: Option<Vec<String>>,
}

/// The sums over every account of the overview (money is per currency, so
/// it is not summed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct DeskTotals {
    #[specta(type = specta_typescript::Number)]
    pub accounts: i64,
    #[specta(type = specta_typescript::Number)]
    pub purchased: i64,
    #[specta(type = specta_typescript::Number)]
    pub assigned: i64,
    #[specta(type = specta_typescript::Number)]
    pub unassigned: i64,
    #[specta(type = specta_typescript::Number)]
    pub active: i64,
    #[specta(type = specta_typescript::Number)]
    pub pending: i64,
    #[specta(type = specta_typescript::Number)]
    pub pending_stale: i64,
    #[specta(type = specta_typescript::Number)]
    pub numbers: i64,
    /// Accounts where `check` found something (`None`: not checked).
    #[specta(type = Option<specta_typescript::Number>)]
    pub accounts_with_problems: Option<i64>,
}

/// The accounts overview: a row per account, by name, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Desk {
    pub accounts: Vec<DeskAccount>,
    pub totals: DeskTotals,
    /// What `check` found in the database itself (not in one account).
    pub storage_problems: Option<Vec<String>>,
    #[specta(type = specta_typescript::Number)]
    pub stale_days: i64,
}

/// A member found by a search across accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FoundMember {
    pub account: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
}

/// The members a search across accounts found, by account name then name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FoundMembers {
    pub members: Vec<FoundMember>,
    /// More matched than the [`FIND_LIMIT`] shown (the first found, not
    /// the first by name: sorting every match would read them all): type
    /// more of the name or address.
    pub more: bool,
}

impl Seatdesk {
    /// Every account this store shows, with its Owner, plan, seats, invites,
    /// numbers and last change; with `check`, what `check` finds in each.
    pub fn desk(&mut self, check: bool) -> Result<Desk> {
        let stale_before = super::members::sent_before(STALE_INVITE_DAYS)?;
        let mut desk = self.read(|tx, _| {
            if !tx.has_access()? {
                return Err(crate::store::postgres::no_access());
            }
            let counts: HashMap<_, _> = tx.accounts().counts(&stale_before)?.into_iter().map(|c| (c.account_id, c)).collect();
            let mut accounts = Vec::new();
            for a in tx.accounts().list()? {
                let Some(c) = counts.get(&a.id) else { continue };
                accounts.push(DeskAccount {
                    owner_email: c.owner_email.clone(),
                    owner_name: c.owner_name.clone(),
                    plan: a.plan.period,
                    currency: a.plan.currency.clone(),
                    renews_on: a.plan.renews_on.to_string(),
                    purchased: a.purchased_seats,
                    assigned: c.assigned,
                    unassigned: a.purchased_seats - c.assigned,
                    active: c.active,
                    pending: c.pending,
                    pending_stale: c.pending_stale,
                    numbers: c.numbers,
                    renewal_total_cents: renewal_total(&a.plan, a.purchased_seats, c.numbers),
                    last_change: c.last_change.clone(),
                    problems: None,
                    name: a.name,
                });
            }
            Ok(Desk { totals: DeskTotals::of(&accounts, false), accounts, storage_problems: None, stale_days: STALE_INVITE_DAYS })
        })?;
        if check {
            let mut found: HashMap<String, Vec<String>> = HashMap::new();
            for v in self.check(None)? {
                found.entry(v.account).or_default().push(format!("{}: {}", v.rule, v.message));
            }
            desk.storage_problems = Some(found.remove("*").unwrap_or_default());
            for a in &mut desk.accounts {
                a.problems = Some(found.remove(&a.name).unwrap_or_default());
            }
            desk.totals = DeskTotals::of(&desk.accounts, true);
        }
        Ok(desk)
    }

    /// Members of every account (or of `account`) whose name or address
    /// holds `text` (at least three characters: `search_too_short` otherwise).
    pub fn find_members(&mut self, text: &str, account: Option<&str>) -> Result<FoundMembers> {
        let text = text.trim();
        if text.chars().count() < 3 {
            return Err(Error::new(ErrorCode::SearchTooShort, "Type at least three characters of a name or an email address to search members.")
                .with_details(json!({ "text": text, "min_chars": 3 })));
        }
        self.read(|tx, _| {
            let names: HashMap<_, _> = tx.accounts().list()?.into_iter().map(|a| (a.id, a.name)).collect();
            let only = account.map(|name| tx.accounts().by_name(name)).transpose()?;
            let mut found = tx.members().find_anywhere(text, only.map(|a| a.id), FIND_LIMIT + 1)?;
            let more = found.len() as i64 > FIND_LIMIT;
            found.truncate(FIND_LIMIT as usize);
            let mut members: Vec<FoundMember> = found
                .into_iter()
                .filter_map(|m| {
                    let account = names.get(&m.account_id)?.clone();
                    Some(FoundMember { account, email: m.email, name: m.name, role: m.role, status: m.status })
                })
                .collect();
            // By account, then name: the order the window groups them in.
            members.sort_by_cached_key(|m| (name_key(&m.account), sort_key(&m.name), m.email.to_lowercase()));
            Ok(FoundMembers { members, more })
        })
    }

    /// A page of what was done under the support ticket `ticket`, newest
    /// first: in `account`, or in every account this store shows. Pages as
    /// the audit log's (`invalid_quantity` outside offset ≥ 0, limit 1 to
    /// [`TICKET_LIMIT`]).
    pub fn ticket_trail(&mut self, ticket: &str, account: Option<&str>, offset: i64, limit: i64) -> Result<AuditPage> {
        let ticket = parse_name("ticket", ticket)?;
        check_page(offset, limit)?;
        self.read(|tx, _| {
            let names: HashMap<_, _> = tx.accounts().list()?.into_iter().map(|a| (a.id, a.name)).collect();
            let only = account.map(|name| tx.accounts().by_name(name)).transpose()?;
            let (rows, total) = tx.audit().by_ticket(&ticket, only.map(|a| a.id), offset, limit)?;
            let rows = rows
                .into_iter()
                .map(|e| {
                    let account = names.get(&e.account_id).cloned();
                    AuditEntryView { account, ..AuditEntryView::from(e) }
                })
                .collect();
            Ok(AuditPage { rows, total })
        })
    }
}

impl DeskTotals {
    /// The sums over `accounts`; `checked`: whether they were checked.
    pub fn of(accounts: &[DeskAccount], checked: bool) -> DeskTotals {
        let sum = |f: fn(&DeskAccount) -> i64| accounts.iter().map(f).sum();
        DeskTotals {
            accounts: accounts.len() as i64,
            purchased: sum(|a| a.purchased),
            assigned: sum(|a| a.assigned),
            unassigned: sum(|a| a.unassigned),
            active: sum(|a| a.active),
            pending: sum(|a| a.pending),
            pending_stale: sum(|a| a.pending_stale),
            numbers: sum(|a| a.numbers),
            accounts_with_problems: checked.then(|| accounts.iter().filter(|a| a.problems.as_ref().is_some_and(|p| !p.is_empty())).count() as i64),
        }
    }
}
