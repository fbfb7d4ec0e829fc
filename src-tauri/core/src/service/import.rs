//! Members imported from CSV (rules §6, §9): a dry run reports every row,
//! then the apply is all or nothing, in one transaction. A file with an
//! `account` column imports into each account it names (a support agent
//! preparing many customers at once): reported per account, and all or
//! nothing across them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::accounts::seat_summary;
use super::billing::{apply_seat_purchase, no_free_seats, seats_quote};
use super::csv_io::{parse, Record, MAX_IMPORT_ROWS};
use super::members::invite_tx;
use super::{resolve, Ctx, InviteRequest, Scope, Seatdesk};
use crate::domain::billing::{check_fresh, Quote};
use crate::domain::email::EmailKey;
use crate::domain::text::parse_name;
use crate::domain::{Email, Permission, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Tx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ImportOutcome {
    Invite,
    AlreadyMember,
    InvalidEmail,
    DuplicateInFile,
    InvalidRole,
    UnknownInbox,
    InvalidName,
    /// The `account` cell names no account this store shows.
    UnknownAccount,
    /// An `owner` row for someone other than the account's Owner: the
    /// account has its Owner, so the row is skipped (not an error), as an
    /// export of another account re-imported reads.
    SkippedOwner,
}

/// Whether a row's outcome lets the import go ahead.
impl ImportOutcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn is_fine(self) -> bool {
        matches!(self, ImportOutcome::Invite | ImportOutcome::AlreadyMember | ImportOutcome::SkippedOwner)
    }
}

/// How far long work has got: `done` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Progress {
    #[specta(type = specta_typescript::Number)]
    pub done: i64,
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ImportRow {
    /// The line of the file (the header is line 1).
    #[specta(type = specta_typescript::Number)]
    pub line: i64,
    /// The account the row goes to, when the file has an `account` column.
    pub account: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub inbox: String,
    pub outcome: ImportOutcome,
    pub message: Option<String>,
}

/// What an import does (dry run) or did.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ImportReport {
    pub rows: Vec<ImportRow>,
    #[specta(type = specta_typescript::Number)]
    pub to_invite: i64,
    #[specta(type = specta_typescript::Number)]
    pub seats_needed: i64,
    #[specta(type = specta_typescript::Number)]
    pub seats_free: i64,
    /// The quote for the seats missing, if any (a file of one account).
    pub shortfall_quote: Option<Quote>,
    pub applied: bool,
    /// Per account, in the order the file first names them (one entry for
    /// a file without an `account` column).
    pub accounts: Vec<AccountImport>,
}

/// What an import does (or did) in one of the accounts it names.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AccountImport {
    pub account: String,
    #[specta(type = specta_typescript::Number)]
    pub to_invite: i64,
    #[specta(type = specta_typescript::Number)]
    pub seats_needed: i64,
    #[specta(type = specta_typescript::Number)]
    pub seats_free: i64,
    pub shortfall_quote: Option<Quote>,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// The inbox for rows whose inbox cell is empty.
    pub default_inbox: Option<String>,
    /// Buy the missing seats first, at this quote.
    pub buy_shortfall_quote: Option<String>,
    /// Across several accounts: buy each one's missing seats at its quote
    /// (every quote of the dry run, in any order).
    #[serde(default)]
    pub buy_shortfall_quotes: Vec<String>,
}


/// The first of `names` that is not an inbox of the account (or "" when
/// none is named).
fn first_missing(tx: &Tx, account: crate::domain::AccountId, names: &[String]) -> Result<Option<String>> {
    if names.is_empty() {
        return Ok(Some(String::new()));
    }
    for n in names {
        if tx.inboxes().find_by_name(account, n)?.is_none() {
            return Ok(Some(n.clone()));
        }
    }
    Ok(None)
}

/// One account's part of an import: its rows checked, and what applying
/// them invites.
struct Plan {
    /// `None` when the rows name no account this store shows.
    ctx: Option<Ctx>,
    scope: Scope,
    rows: Vec<ImportRow>,
    /// Invitees by (role, first inbox).
    groups: BTreeMap<(String, String), Vec<String>>,
    names: HashMap<EmailKey, String>,
    /// Invitees' further inboxes.
    more_inboxes: Vec<(EmailKey, Vec<String>)>,
    summary: AccountImport,
}

/// Checks one account's rows (in file order) against the account.
fn plan(tx: &Tx, today: chrono::NaiveDate, scope: Scope, records: Vec<Record>, opts: &ImportOptions) -> Result<Plan> {
    let named = scope.account.clone().unwrap_or_default();
    let ctx = match resolve(tx, &scope, Permission::ManageAccount, "import members") {
        Ok(ctx) => Some(ctx),
        // A cell naming no account: those rows are refused, the others checked.
        Err(e) if named.is_empty() && e.code == ErrorCode::AccountRequired => None,
        Err(e) if !named.is_empty() && e.code == ErrorCode::NotFound && e.details.as_ref().is_some_and(|d| d["kind"] == "account") => None,
        Err(e) => return Err(e),
    };
    let mut seen = HashSet::new();
    let (mut rows, mut groups, mut names, mut more_inboxes, mut needed) = (Vec::new(), BTreeMap::new(), HashMap::new(), Vec::new(), 0);
    for Record { line, account, email: email_raw, name, role: role_raw, inbox: inbox_raw } in records {
        let role_text = if role_raw.is_empty() { "member".to_string() } else { role_raw.to_lowercase() };
        let inbox = if inbox_raw.is_empty() { opts.default_inbox.clone().unwrap_or_default() } else { inbox_raw.clone() };
        // `inboxes` of an export: "Sales; Support".
        let wanted: Vec<String> = inbox.split(';').map(str::trim).filter(|i| !i.is_empty()).map(String::from).collect();
        let (outcome, message) = match (&ctx, Email::parse(&email_raw)) {
            (None, _) if named.is_empty() => (
                ImportOutcome::UnknownAccount,
                Some("no account given: name one in the account column, or say which account the import is for".to_string()),
            ),
            (None, _) => (ImportOutcome::UnknownAccount, Some(format!("no account named {named:?}"))),
            (_, Err(e)) => (ImportOutcome::InvalidEmail, Some(e.message)),
            (Some(ctx), Ok(email)) => {
                if !seen.insert(email.key.clone()) {
                    (ImportOutcome::DuplicateInFile, Some("listed earlier in the file".into()))
                } else if tx.members().find_by_email(ctx.account.id, &email.key)?.is_some() {
                    (ImportOutcome::AlreadyMember, Some("already a member; skipped".into()))
                } else {
                    match Role::parse(&role_text) {
                        Err(e) => (ImportOutcome::InvalidRole, Some(e.message)),
                        Ok(Role::Owner) => (
                            ImportOutcome::SkippedOwner,
                            Some("the account has its own Owner; give this person another role to import them".into()),
                        ),
                        Ok(role) => {
                            if !(name.is_empty() || parse_name("member", &name).is_ok()) {
                                (ImportOutcome::InvalidName, Some("the name is empty, too long or has control characters".into()))
                            } else if let Some(missing) = first_missing(tx, ctx.account.id, &wanted)? {
                                (
                                    ImportOutcome::UnknownInbox,
                                    Some(if missing.is_empty() {
                                        "no inbox given: name one in the inbox column, or choose an inbox for rows without one".to_string()
                                    } else {
                                        format!("no inbox named {missing:?}")
                                    }),
                                )
                            } else {
                                if role.takes_paid_seat() {
                                    needed += 1;
                                }
                                if !name.is_empty() {
                                    names.insert(email.key.clone(), name.clone());
                                }
                                groups.entry((role.as_str().to_string(), wanted[0].to_lowercase())).or_insert_with(Vec::new).push(email.display.clone());
                                if wanted.len() > 1 {
                                    more_inboxes.push((email.key.clone(), wanted[1..].to_vec()));
                                }
                                (ImportOutcome::Invite, None)
                            }
                        }
                    }
                }
            }
        };
        rows.push(ImportRow { line, account, email: email_raw, name, role: role_text, inbox, outcome, message });
    }
    let to_invite = rows.iter().filter(|r| r.outcome == ImportOutcome::Invite).count() as i64;
    let summary = match &ctx {
        Some(ctx) => {
            let free = seat_summary(tx, &ctx.account)?.unassigned;
            let quote = if needed > free { Some(seats_quote(tx, &ctx.account, today, needed - free)?) } else { None };
            AccountImport { account: ctx.account.name.clone(), to_invite, seats_needed: needed, seats_free: free, shortfall_quote: quote }
        }
        None => AccountImport { account: named, to_invite, seats_needed: needed, seats_free: 0, shortfall_quote: None },
    };
    Ok(Plan { ctx, scope, rows, groups, names, more_inboxes, summary })
}

impl Seatdesk {
    /// Imports members from CSV (columns email, name, role, inbox, and
    /// account for a file across accounts; a header row names them, in any
    /// order). The dry run reports every row; the apply is all or nothing,
    /// in one transaction, across every account the file names.
    pub fn import_members(&mut self, scope: &Scope, bytes: &[u8], opts: &ImportOptions) -> Result<ImportReport> {
        self.import_members_with_progress(scope, bytes, opts, |_| true)
    }

    /// [`Seatdesk::import_members`], telling `on` how far the apply has
    /// got (about a hundred times, and at the end); `on` returning false
    /// cancels it: the transaction rolls back (`cancelled`), nothing changes.
    pub fn import_members_with_progress(
        &mut self,
        scope: &Scope,
        bytes: &[u8],
        opts: &ImportOptions,
        mut on: impl FnMut(Progress) -> bool,
    ) -> Result<ImportReport> {
        let records = parse(bytes)?;
        self.write(|tx, today| {
            // Rows by the account they go to, in the order first named: the
            // account cell, or (empty, or no such column) the account the
            // import runs in, so one account is never planned twice.
            let own = match super::resolve_account(tx, scope) {
                Ok(a) => Some(a.name),
                Err(e) if e.code == ErrorCode::AccountRequired => None,
                Err(e) => return Err(e),
            };
            let mut by_account: Vec<(Option<String>, Vec<Record>)> = Vec::new();
            for r in records {
                let named = r.account.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(String::from).or_else(|| own.clone());
                let key = named.as_deref().map(crate::domain::text::name_key);
                match by_account.iter_mut().find(|(k, _)| k.as_deref().map(crate::domain::text::name_key) == key) {
                    Some((_, rows)) => rows.push(r),
                    None => by_account.push((named, vec![r])),
                }
            }
            if by_account.is_empty() {
                by_account.push((own.clone(), Vec::new()));
            }
            let mut plans = Vec::with_capacity(by_account.len());
            for (named, records) in by_account {
                let account_scope = Scope { account: named, ..scope.clone() };
                plans.push(plan(tx, today, account_scope, records, opts)?);
            }
            let mut rows: Vec<ImportRow> = plans.iter().flat_map(|p| p.rows.iter().cloned()).collect();
            rows.sort_by_key(|r| r.line);
            // Rows naming no account are refused row by row; only real accounts are summed.
            let accounts: Vec<AccountImport> = plans.iter().filter(|p| p.ctx.is_some()).map(|p| p.summary.clone()).collect();
            let sum = |f: fn(&AccountImport) -> i64| accounts.iter().map(f).sum::<i64>();
            let mut report = ImportReport {
                rows,
                to_invite: sum(|a| a.to_invite),
                seats_needed: sum(|a| a.seats_needed),
                seats_free: sum(|a| a.seats_free),
                shortfall_quote: if accounts.len() == 1 { accounts[0].shortfall_quote.clone() } else { None },
                applied: false,
                accounts,
            };
            if opts.dry_run {
                return Ok(report);
            }
            let bad = report.rows.iter().filter(|r| !r.outcome.is_fine()).count();
            if bad > 0 {
                return Err(Error::new(
                    ErrorCode::InvalidCsv,
                    format!("{bad} row(s) cannot be imported; nothing was imported. Fix them and try again."),
                )
                .with_details(json!({ "report": report })));
            }
            let given: Vec<&str> = opts.buy_shortfall_quote.iter().chain(&opts.buy_shortfall_quotes).map(|q| q.trim()).collect();
            let total = report.to_invite;
            let step = (total / 100).max(1);
            let mut done = 0;
            let mut tick = || {
                done += 1;
                if (done % step == 0 || done == total) && !on(Progress { done, total }) {
                    return Err(Error::new(ErrorCode::Cancelled, "The import was cancelled; nothing was imported."));
                }
                Ok(())
            };
            for p in plans {
                let ctx = p.ctx.ok_or_else(|| Error::internal("an import plan without its account"))?;
                if let Some(quote) = &p.summary.shortfall_quote {
                    let several = report.accounts.len() > 1;
                    if !given.contains(&quote.quote_id.as_str()) {
                        if given.is_empty() {
                            let (needed, free) = (p.summary.seats_needed, p.summary.seats_free);
                            let lead = if several { format!("The import into {}:", ctx.account.name) } else { "The import:".to_string() };
                            return Err(no_free_seats(tx, &ctx.account, today, (needed, free), &lead, None)?);
                        }
                        if !several {
                            check_fresh(given.first().copied(), quote)?;
                        }
                        // Across accounts each short one needs its own quote: which
                        // of those given was meant for it cannot be told.
                        return Err(Error::new(
                            ErrorCode::QuoteRequired,
                            format!(
                                "The import into {} is short of {} and none of the quotes given is its current one ({}, {} {} now); a quote from before a change there is out of date. Nothing was charged or imported: give each short account's quote from a fresh dry run.",
                                ctx.account.name,
                                crate::domain::text::count(quote.quantity, "seat", "seats"),
                                quote.quote_id,
                                crate::domain::money::format_cents(quote.due_now_cents),
                                quote.currency
                            ),
                        )
                        .with_details(json!({ "account": ctx.account.name, "quote": quote, "given": given })));
                    }
                    apply_seat_purchase(tx, &ctx, today, quote, "bought for a CSV import")?;
                }
                for ((role, inbox), emails) in p.groups {
                    let role = Role::parse(&role)?;
                    let request = InviteRequest { emails, role, inbox: Some(inbox), new_inbox: false, buy_shortfall_quote: None };
                    invite_tx(tx, &p.scope, today, &request, &p.names, MAX_IMPORT_ROWS, &mut tick)?;
                }
                // An invite holds its place in every inbox of its row; accepting
                // it joins each.
                for (key, inboxes) in p.more_inboxes {
                    let member = tx.members().find_by_email(ctx.account.id, &key)?.ok_or_else(|| Error::internal("an invited row is missing"))?;
                    for name in inboxes {
                        let inbox = tx.inboxes().by_name(ctx.account.id, &name)?;
                        tx.inboxes().add_member(inbox.id, member.id)?;
                    }
                }
            }
            report.applied = true;
            Ok(report)
        })
    }
}
