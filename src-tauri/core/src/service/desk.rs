//! The support desk (issue #22): every account at a glance, a member found
//! in any account, and what was done under one support ticket. Each reads
//! the accounts this store shows (on a shared server, those the login is
//! granted: row-level security decides).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::audit_log::{check_page, AuditEntryView, AuditPage};
use super::check::{damaged, verdict, Violation};
use super::Seatdesk;
use crate::domain::billing::renewal_total;
use crate::domain::text::{name_key, parse_name, sort_key};
use crate::domain::{BillingPeriod, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{FileScan, Tx};

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
    /// What `check` found in the account (`None`: not checked since its
    /// last change).
    pub problems: Option<Vec<String>>,
    /// When `check` last looked at the account (RFC 3339, UTC; `None`:
    /// never). With `problems` `None`, the account changed since.
    pub checked_at: Option<String>,
}

/// How much checking an accounts overview does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DeskCheck {
    /// None: each account shows the verdict `check` kept for it, while no
    /// change was made there since.
    Kept,
    /// The accounts changed since their last check (or never checked) are
    /// checked; the others keep their verdict.
    Changed,
    /// Every account shown is checked again, and the database itself when
    /// every account is shown.
    All,
}

/// What an accounts overview shows: which accounts, and how much checking
/// it does. Only the accounts shown are checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Type)]
pub struct DeskQuery {
    pub check: DeskCheck,
    /// Only this account (by name; `not_found` when none has it).
    pub account: Option<String>,
    /// Only the accounts whose name or Owner (name or address) holds this
    /// text, in any case.
    pub search: Option<String>,
}

impl From<DeskCheck> for DeskQuery {
    fn from(check: DeskCheck) -> DeskQuery {
        DeskQuery { check, account: None, search: None }
    }
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
    /// Accounts where `check` found something (`None`: some account has no
    /// verdict since its last change).
    #[specta(type = Option<specta_typescript::Number>)]
    pub accounts_with_problems: Option<i64>,
}

/// The accounts overview: a row per account, by name, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Desk {
    pub accounts: Vec<DeskAccount>,
    /// The sums over the accounts shown.
    pub totals: DeskTotals,
    /// How many accounts this store shows, before the query's filters.
    #[specta(type = specta_typescript::Number)]
    pub all_accounts: i64,
    /// What `check` found in the database itself (not in one account;
    /// looked at by [`DeskCheck::All`] only).
    pub storage_problems: Option<Vec<String>>,
    /// The accounts whose figures do not read (a damaged page of their rows
    /// or of an index the overview reads), rule `integrity`: not in
    /// `accounts` nor in the totals, since their figures are unknown; named whatever the search (their Owner, unread, might
    /// match it). `check` says where the file is damaged.
    pub unreadable: Vec<Violation>,
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
    /// numbers and last change, and what `check` found in each: the verdict
    /// kept from an earlier check while the account has not changed since,
    /// and a fresh one for those `query.check` asks for (kept in turn).
    /// `query` may keep one account, or those a search names: only those
    /// are checked, and the totals are theirs.
    pub fn desk(&mut self, query: impl Into<DeskQuery>) -> Result<Desk> {
        let query = query.into();
        let check = query.check;
        let search = query.search.as_deref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        let every = query.account.is_none() && search.is_none();
        let stale_before = super::members::sent_before(STALE_INVITE_DAYS)?;
        let (mut desk, shown) = self.read(|tx, _| {
            if !tx.has_access()? {
                return Err(crate::store::postgres::no_access());
            }
            let all = tx.accounts().list()?;
            let all_accounts = all.len() as i64;
            let only = query.account.as_deref().map(|name| tx.accounts().by_name(name)).transpose()?;
            let all: Vec<_> = all.into_iter().filter(|a| only.as_ref().is_none_or(|o| o.id == a.id)).collect();
            // One statement for every account; where a damaged page stops it,
            // each account on its own, so one account's damage hides only
            // that account (found by trying: `accounts --recheck` failed whole).
            let mut unreadable_accounts = Vec::new();
            let counts = match tx.accounts().counts(&stale_before, only.as_ref().map(|a| a.id)) {
                Err(e) if damaged(&e) => {
                    let mut counts = Vec::new();
                    for a in &all {
                        match tx.accounts().counts(&stale_before, Some(a.id)) {
                            Err(e) if damaged(&e) => unreadable_accounts.push(Violation {
                                account: a.name.clone(),
                                rule: "integrity".into(),
                                message: format!("its figures could not be read ({})", e.message.trim_end_matches('.')),
                            }),
                            found => counts.extend(found?),
                        }
                    }
                    counts
                }
                counts => counts?,
            };
            let counts: HashMap<_, _> = counts.into_iter().map(|c| (c.account_id, c)).collect();
            // The kept verdicts are a cache: where they do not read, none is kept.
            let mut kept: HashMap<_, _> = match tx.accounts().kept_checks() {
                Err(e) if damaged(&e) => HashMap::new(),
                kept => kept?.into_iter().map(|k| (k.account, k)).collect(),
            };
            let mut rows = Vec::new();
            let mut shown = Vec::new();
            for a in all {
                let Some(c) = counts.get(&a.id) else { continue };
                if let Some(text) = &search {
                    if ![&a.name, &c.owner_email, &c.owner_name].iter().any(|f| f.to_lowercase().contains(text.as_str())) {
                        continue;
                    }
                }
                // A verdict counts while nothing changed since; when it was
                // found is shown either way ("changed since its check on …").
                let (checked_at, problems) = match kept.remove(&a.id) {
                    Some(k) => (Some(k.checked_at), if k.current { serde_json::from_str(&k.problems).ok() } else { None }),
                    None => (None, None),
                };
                rows.push(DeskAccount {
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
                    checked_at,
                    problems,
                    name: a.name.clone(),
                });
                shown.push(a);
            }
            let desk = Desk {
                totals: DeskTotals::of(&rows),
                accounts: rows,
                all_accounts,
                storage_problems: None,
                unreadable: unreadable_accounts,
                stale_days: STALE_INVITE_DAYS,
            };
            Ok((desk, shown))
        })?;
        // The accounts shown that the query has checked: those without a
        // current verdict, or all of them.
        let to_check: Vec<_> = match check {
            DeskCheck::Kept => Vec::new(),
            DeskCheck::Changed => shown.into_iter().zip(&desk.accounts).filter(|(_, row)| row.problems.is_none()).map(|(a, _)| a).collect(),
            DeskCheck::All => shown,
        };
        if to_check.is_empty() && check != DeskCheck::All {
            return Ok(desk);
        }
        // Checked in one snapshot, each verdict with the audit entry it holds
        // as of; kept in one write (a change made meanwhile ends the entry,
        // so its verdict is not shown as current).
        let checked_at = super::now_stamp();
        // The database itself belongs to no account: looked at when the
        // overview shows every account.
        let today = self.clock.today();
        let verdicts = |tx: &Tx| to_check.iter().map(|a| verdict(tx, today, a)).collect::<Result<Vec<_>>>();
        let (storage, verdicts) = if check == DeskCheck::All && every {
            let (storage, verdicts) = self.conn.read_scanning(FileScan::Quick, verdicts)?;
            (Some(storage), verdicts)
        } else {
            (None, self.conn.read(verdicts)?)
        };
        self.keep_verdicts(&checked_at, &verdicts);
        let mut by_name: HashMap<String, Vec<String>> = verdicts.iter().map(|v| (v.name.clone(), v.messages())).collect();
        for a in &mut desk.accounts {
            if let Some(problems) = by_name.remove(&a.name) {
                a.problems = Some(problems);
                a.checked_at = Some(checked_at.clone());
            }
        }
        desk.storage_problems = storage.map(|s| s.into_iter().map(|(rule, message)| format!("{rule}: {message}")).collect());
        desk.totals = DeskTotals::of(&desk.accounts);
        Ok(desk)
    }

    /// What `check` finds in the database itself (every page of the file,
    /// SQLite's quick check; a server's schema), as "rule: message": how the
    /// window's "Check every account again" ends, having checked each
    /// account on its own.
    pub fn storage_check(&mut self) -> Result<Vec<String>> {
        self.storage_check_apart()?()
    }

    /// `storage_check` as work for another thread: on a file, the scan of
    /// its pages needs no more of this `Seatdesk` (the window checks the
    /// accounts meanwhile, one call each).
    pub fn storage_check_apart(&mut self) -> Result<impl FnOnce() -> Result<Vec<String>> + Send + use<>> {
        let problems = self.conn.storage_problems_apart(FileScan::Quick)?;
        Ok(move || Ok(problems()?.into_iter().map(|(rule, message)| format!("{rule}: {message}")).collect()))
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
    /// The sums over `accounts`, and how many have problems when every one
    /// has a verdict.
    pub fn of(accounts: &[DeskAccount]) -> DeskTotals {
        let checked = accounts.iter().all(|a| a.problems.is_some());
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
