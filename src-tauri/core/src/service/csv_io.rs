//! CSV export (members, ledger) and import (members): formula cells
//! neutralised on the way out; on the way in a dry run per row, then an
//! all-or-nothing apply (rules §6, §9).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::accounts::seat_summary;
use super::billing::{apply_seat_purchase, no_free_seats, seats_quote};
use super::members::invite_tx;
use super::{resolve, InviteRequest, MemberQuery, Scope, Seatdesk};
use crate::domain::billing::{check_fresh, Quote};
use crate::domain::email::EmailKey;
use crate::domain::money::format_cents;
use crate::domain::text::parse_name;
use crate::domain::{Email, Permission, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Tx;

/// The most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// A cell a spreadsheet would run as a formula gets a leading apostrophe;
/// so does a cell that already begins with one, so that [`unneutralise`]
/// gives every cell back exactly (`'=Hi` stays `'=Hi`).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The inverse of [`neutralise`]: a cell the export protected reads back
/// as it was.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')) => rest,
        _ => cell,
    }
}

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| Error::internal("writing the CSV failed").caused_by(e))?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c))).map_err(|e| Error::internal("writing the CSV failed").caused_by(e))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::internal(format!("writing the CSV failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::internal("the CSV is not UTF-8").caused_by(e))
}

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
    /// The quote for the seats missing, if any.
    pub shortfall_quote: Option<Quote>,
    pub applied: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// The inbox for rows whose inbox cell is empty.
    pub default_inbox: Option<String>,
    /// Buy the missing seats first, at this quote.
    pub buy_shortfall_quote: Option<String>,
}

fn bad_csv(line: u64, message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(ErrorCode::InvalidCsv, format!("The CSV cannot be read at line {line}: {message}."))
        .with_details(json!({ "line": line, "reason": message }))
}

/// Reads the file into (line, email, name, role, inbox) records.
fn parse(bytes: &[u8]) -> Result<Vec<(i64, String, String, String, String)>> {
    let text = std::str::from_utf8(bytes).map_err(|e| bad_csv(1, format!("not UTF-8 ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Mixed line endings (CRLF, CR, LF) count lines the same way.
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = normalised.as_str();
    // A quote opened and never closed would swallow the rest of the file.
    let (mut in_quote, mut line, mut opened_at) = (false, 1u64, 0u64);
    for c in text.chars() {
        match c {
            '"' => {
                in_quote = !in_quote;
                if in_quote {
                    opened_at = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    if in_quote {
        return Err(bad_csv(opened_at, "a quoted field is never closed"));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| bad_csv(1, e.to_string()))?.clone();
    const COLUMNS: [(&str, &[&str]); 4] = [
        ("email", &["email", "e-mail", "email address", "mail"]),
        ("name", &["name", "full name"]),
        ("role", &["role"]),
        ("inbox", &["inbox", "inboxes"]),
    ];
    // A column named twice (`email,email` or `email,mail`) would be read
    // from its first place and the other silently ignored: refused.
    for (column, names) in COLUMNS {
        let at: Vec<usize> =
            headers.iter().enumerate().filter(|(_, h)| names.contains(&h.trim().to_lowercase().as_str())).map(|(i, _)| i + 1).collect();
        if at.len() > 1 {
            let places: Vec<String> = at.iter().map(usize::to_string).collect();
            return Err(bad_csv(
                1,
                format!("the {column} column appears {} times in the header (columns {})", at.len(), places.join(", ")),
            ));
        }
    }
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim().to_lowercase().as_str()));
    let email_col = find(&["email", "e-mail", "email address", "mail"]).ok_or_else(|| bad_csv(1, "no email column in the header"))?;
    let (name_col, role_col, inbox_col) = (find(&["name", "full name"]), find(&["role"]), find(&["inbox", "inboxes"]));
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad_csv(line, e.to_string())
        })?;
        let line = record.position().map(|p| p.line() as i64).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if out.len() >= MAX_IMPORT_ROWS {
            return Err(bad_csv(line as u64, format!("more than {MAX_IMPORT_ROWS} rows")));
        }
        // What the export neutralised (a leading ' before = + - @) comes back as it was.
        let cell = |col: Option<usize>| unneutralise(col.and_then(|c| record.get(c)).unwrap_or("")).to_string();
        out.push((line, cell(Some(email_col)), cell(name_col), cell(role_col), cell(inbox_col)));
    }
    Ok(out)
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

impl Seatdesk {
    /// Members as CSV: email, name, role, status, inboxes, invited, joined, resends.
    pub fn export_members_csv(&mut self, scope: &Scope) -> Result<String> {
        let rows = self.all_members(scope, &MemberQuery::default())?;
        write_csv(
            &["email", "name", "role", "status", "inboxes", "invited_on", "joined_on", "resend_count"],
            rows.into_iter().map(|m| {
                vec![
                    m.email,
                    m.name,
                    m.role.as_str().into(),
                    m.status.as_str().into(),
                    m.inboxes.join("; "),
                    m.invited_on.unwrap_or_default(),
                    m.joined_on.unwrap_or_default(),
                    m.resend_count.to_string(),
                ]
            }),
        )
    }

    /// The ledger as CSV, oldest first, prices as decimal amounts.
    pub fn export_ledger_csv(&mut self, scope: &Scope) -> Result<String> {
        let rows = self.ledger_all(scope, None)?;
        write_csv(
            &["date", "kind", "quantity", "unit_price", "amount", "currency", "actor_email", "actor_name", "note"],
            rows.into_iter().map(|e| {
                vec![
                    e.date,
                    e.kind.as_str().into(),
                    e.quantity.to_string(),
                    format_cents(e.unit_cents),
                    format_cents(e.amount_cents),
                    e.currency,
                    e.actor_email,
                    e.actor_name,
                    e.note,
                ]
            }),
        )
    }

    /// Imports members from CSV (columns email, name, role, inbox; a header
    /// row names them, in any order). The dry run reports every row; the
    /// apply is all or nothing, in one transaction.
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
            let ctx = resolve(tx, scope, Permission::ManageAccount, "import members")?;
            let mut seen = HashSet::new();
            let mut rows = Vec::with_capacity(records.len());
            let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
            let mut names = HashMap::new();
            let mut more_inboxes: Vec<(EmailKey, Vec<String>)> = Vec::new();
            let mut needed = 0;
            for (line, email_raw, name, role_raw, inbox_raw) in records {
                let role_text = if role_raw.is_empty() { "member".to_string() } else { role_raw.to_lowercase() };
                let inbox = if inbox_raw.is_empty() { opts.default_inbox.clone().unwrap_or_default() } else { inbox_raw.clone() };
                // `inboxes` of an export: "Sales; Support".
                let wanted: Vec<String> = inbox.split(';').map(str::trim).filter(|i| !i.is_empty()).map(String::from).collect();
                let (outcome, message) = match Email::parse(&email_raw) {
                    Err(e) => (ImportOutcome::InvalidEmail, Some(e.message)),
                    Ok(email) => {
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
                                    let name_ok = name.is_empty() || parse_name("member", &name).is_ok();
                                    if !name_ok {
                                        (ImportOutcome::InvalidName, Some("the name is empty, too long or has control characters".into()))
                                    } else if let Some(missing) = first_missing(tx, ctx.account.id, &wanted)? {
                                        (
                                            ImportOutcome::UnknownInbox,
                                            Some(if missing.is_empty() {
                                                "no inbox given: name one in the inbox column, or choose an inbox for rows without one"
                                                    .to_string()
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
                                        groups
                                            .entry((role.as_str().to_string(), wanted[0].to_lowercase()))
                                            .or_default()
                                            .push(email.display.clone());
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
                rows.push(ImportRow { line, email: email_raw, name, role: role_text, inbox, outcome, message });
            }
            let free = seat_summary(tx, &ctx.account)?.unassigned;
            let shortfall_quote = if needed > free { Some(seats_quote(tx, &ctx.account, today, needed - free)?) } else { None };
            let to_invite = rows.iter().filter(|r| r.outcome == ImportOutcome::Invite).count() as i64;
            let mut report = ImportReport { rows, to_invite, seats_needed: needed, seats_free: free, shortfall_quote, applied: false };
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
            if let Some(quote) = &report.shortfall_quote {
                match opts.buy_shortfall_quote.as_deref() {
                    Some(id) => {
                        check_fresh(Some(id), quote)?;
                        apply_seat_purchase(tx, &ctx, today, quote, "bought for a CSV import")?;
                    }
                    None => return Err(no_free_seats(tx, &ctx.account, today, (needed, free), "The import:", None)?),
                }
            }
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
            for ((role, inbox), emails) in groups {
                let role = Role::parse(&role)?;
                let request = InviteRequest { emails, role, inbox: Some(inbox), new_inbox: false, buy_shortfall_quote: None };
                invite_tx(tx, scope, today, &request, &names, MAX_IMPORT_ROWS, &mut tick)?;
            }
            // An invite holds its place in every inbox of its row; accepting
            // it joins each.
            for (key, inboxes) in more_inboxes {
                let member =
                    tx.members().find_by_email(ctx.account.id, &key)?.ok_or_else(|| Error::internal("an invited row is missing"))?;
                for name in inboxes {
                    let inbox = tx.inboxes().by_name(ctx.account.id, &name)?;
                    tx.inboxes().add_member(inbox.id, member.id)?;
                }
            }
            report.applied = true;
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column named twice is named by its places (1-based, as a
    /// spreadsheet counts); a leading ' is undone only where the export put
    /// it (before = + - @ tab CR or another ').
    #[test]
    fn a_doubled_column_is_named_by_its_places_and_only_exported_quotes_are_undone() {
        let err = parse(b"email,name,Mail\na@example.com,A,b@example.com\n").unwrap_err();
        assert!(err.message.contains("(columns 1, 3)"), "{}", err.message);
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("''Brien"), "'Brien");
        assert_eq!(unneutralise("'hello"), "'hello", "a quote the export did not add stays");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise(""), "");
        for cell in ["=SUM(A1)", "+1", "-2", "@cmd", "Ana", "'quoted'", "", "'", "'=Hi", "''", "'Bob"] {
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?} comes back as it was");
        }
    }

    #[test]
    fn parsing_handles_bom_quotes_crlf_and_column_order() {
        let file = "\u{feff}Role,Email,Inbox,Name\r\nadmin,ana@example.com,Sales,\"Lopez, Ana\"\r\n,ben@example.com,,Ben\n\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], (2, "ana@example.com".into(), "Lopez, Ana".into(), "admin".into(), "Sales".into()));
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn malformed_files_name_their_line() {
        let unbalanced = "email,name\nana@example.com,Ana\nben@example.com,\"Ben\nchloe@example.com,Chloe\n";
        let ragged = "email,name\nana@example.com,Ana\nben@example.com,Ben,extra\n";
        for (file, line) in [(ragged, 3)] {
            let e = parse(file.as_bytes()).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCsv);
            assert_eq!(e.details.unwrap()["line"], line, "{file:?}");
        }
        let e = parse(unbalanced.as_bytes()).unwrap_err();
        assert_eq!((e.code, e.details.unwrap()["line"].as_i64()), (ErrorCode::InvalidCsv, Some(3)));
        assert_eq!(parse(b"name,role\nAna,admin\n").unwrap_err().code, ErrorCode::InvalidCsv, "no email column");
        for twice in [
            "email,email,name\na@example.com,b@example.com,Ana\n",
            "Email,mail\na@example.com,b@example.com\n",
            "email,name,Name\na@example.com,A,B\n",
        ] {
            let e = parse(twice.as_bytes()).unwrap_err();
            assert_eq!((e.code, e.details.as_ref().unwrap()["line"].as_i64()), (ErrorCode::InvalidCsv, Some(1)), "{twice:?}");
            assert!(e.message.contains("appears 2 times"), "{}", e.message);
        }
        assert_eq!(parse(&[0xff, 0xfe, 0x00]).unwrap_err().code, ErrorCode::InvalidCsv);
    }
}
