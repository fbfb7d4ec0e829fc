//! The database as a whole and CSV: `export`, `import`, `backup`,
//! `restore` and `check`.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;

use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::text::count;
use seatdesk_core::service::ImportOptions;
use seatdesk_core::{Error, ErrorCode};

use super::text::table;
use super::{Output, Session};

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// Every member (email, name, role, status, inboxes, dates), to FILE or stdout
    Members {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Every ledger line (date, kind, quantity, prices, currency, who, note), to FILE or stdout
    Ledger {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// Invite the members of a CSV file (columns email, name, role, inbox or
    /// inboxes, and account to import into several accounts: each row goes to
    /// the account it names, --account being the one for rows without),
    /// all or nothing
    Members {
        file: PathBuf,
        /// Report what would happen, row by row, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Inbox for rows whose inbox cell is empty
        #[arg(long)]
        inbox: Option<String>,
        /// Buy the missing seats first at this quote (a file across accounts:
        /// once per account short of seats, each at the dry run's quote)
        #[arg(long, value_name = "QUOTE_ID")]
        buy_shortfall: Vec<String>,
    },
}

impl ExportCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let (csv, out) = match self {
            ExportCmd::Members { out } => (s.desk.export_members_csv(&s.scope)?, out),
            ExportCmd::Ledger { out } => (s.desk.export_ledger_csv(&s.scope)?, out),
        };
        let Some(path) = out else { return Ok(Output { json: json!({ "csv": csv }), text: csv }) };
        seatdesk_core::store::write_private(&path, csv.as_bytes())
            .map_err(|e| Error::new(ErrorCode::DataDirUnwritable, format!("Cannot write {}: {e}", path.display())))?;
        let rows = csv.lines().count().saturating_sub(1);
        // Where the audit chain stood when the export was taken.
        let audit = s.desk.verify_audit(&s.scope, None)?;
        Ok(Output {
            text: format!("Wrote {rows} rows to {}.\naudit: {} entries, head {}", path.display(), audit.entries, audit.head),
            json: json!({ "path": path, "rows": rows, "audit_entries": audit.entries, "audit_head": audit.head }),
        })
    }
}

impl ImportCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let ImportCmd::Members { file, dry_run, inbox, buy_shortfall } = self;
        let shown = file.display().to_string();
        let bytes = std::fs::read(&file).map_err(|e| {
            Error::new(ErrorCode::NotFound, format!("Cannot read {shown}: {e}.")).with_details(json!({ "kind": "file", "key": shown })).caused_by(e)
        })?;
        let options = ImportOptions { dry_run, default_inbox: inbox, buy_shortfall_quote: None, buy_shortfall_quotes: buy_shortfall };
        let report = s.desk.import_members(&s.scope, &bytes, &options)?;
        let several = report.rows.iter().any(|r| r.account.is_some());
        let mut headers = vec!["LINE", "EMAIL", "ROLE", "INBOX", "OUTCOME", "WHY"];
        if several {
            headers.insert(1, "ACCOUNT");
        }
        let mut text = table(
            &headers,
            report
                .rows
                .iter()
                .map(|r| {
                    let mut row = vec![r.line.to_string(), r.email.clone(), r.role.clone(), r.inbox.clone(), r.outcome.as_str().to_string(), r.message.clone().unwrap_or_default()];
                    if several {
                        row.insert(1, r.account.clone().unwrap_or_default());
                    }
                    row
                })
                .collect(),
        );
        if several {
            for a in &report.accounts {
                let short = a.shortfall_quote.as_ref().map_or(String::new(), |q| match report.applied {
                    true => format!("; bought {} for {} {}", count(q.quantity, "seat", "seats"), format_cents(q.due_now_cents), q.currency),
                    false => format!("; short of {}: {} {} now (--buy-shortfall {})", count(q.quantity, "seat", "seats"), format_cents(q.due_now_cents), q.currency, q.quote_id),
                });
                text.push_str(&format!("\n{}: {} to invite; {} needed, {} unassigned{short}", a.account, a.to_invite, count(a.seats_needed, "seat", "seats"), a.seats_free));
            }
        }
        let refused = report.rows.iter().filter(|r| !r.outcome.is_fine()).count();
        // Across accounts, seats are per account (the lines above): no sum of them.
        text.push_str(&if several {
            format!("\n{} to invite in {}", report.to_invite, count(report.accounts.len() as i64, "account", "accounts"))
        } else {
            format!("\n{} to invite; {} needed, {} unassigned", report.to_invite, count(report.seats_needed, "seat", "seats"), report.seats_free)
        });
        let bought: Vec<&seatdesk_core::domain::billing::Quote> = report.accounts.iter().filter_map(|a| a.shortfall_quote.as_ref()).collect();
        text.push_str(&match (report.applied, bought.first()) {
            (true, Some(_)) if bought.len() > 1 => format!("; bought seats in {} accounts and imported.", bought.len()),
            (true, Some(q)) => format!("; bought {} for {} {} and imported.", count(q.quantity, "seat", "seats"), format_cents(q.due_now_cents), q.currency),
            (true, None) => "; imported.".to_string(),
            (false, _) if refused > 0 => format!(" (dry run: nothing changed; {refused} refused row(s) stop the import until fixed)."),
            (false, _) => " (dry run: nothing changed).".to_string(),
        });
        Ok(Output::of(&report, text))
    }
}

pub(super) fn backup(s: &mut Session, file: &Path) -> Result<Output, Error> {
    let info = s.desk.backup(file)?;
    let heads: String = info.audit.iter().map(|a| format!("\naudit of {}: {} entries, head {}", a.account, a.entries, a.head)).collect();
    Ok(Output::of(&info, format!("Backed up to {} ({} bytes).{heads}", info.path, info.bytes)))
}

pub(super) fn restore(s: &mut Session, file: &Path) -> Result<Output, Error> {
    let support = s.scope.support.clone();
    let info = s.desk.restore(&s.scope, file, support.as_ref())?;
    Ok(Output::of(&info, format!("Restored from {}; the previous database is kept as {}.", info.restored_from, info.previous_saved_as)))
}

pub(super) fn check(s: &mut Session) -> Result<Output, Error> {
    let violations = s.desk.check(s.global.account.as_deref())?;
    if violations.is_empty() {
        return Ok(Output { text: "All invariants hold.".into(), json: json!({ "ok": true, "violations": [] }) });
    }
    let list: Vec<String> = violations.iter().map(|v| format!("{} [{}]: {}", v.account, v.rule, v.message)).collect();
    Err(Error::new(ErrorCode::InvariantViolated, format!("{} invariant violation(s):\n  {}", list.len(), list.join("\n  ")))
        .with_details(json!({ "ok": false, "violations": violations })))
}
