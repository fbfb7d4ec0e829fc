//! `seatdesk server …`: a shared PostgreSQL server's schema and who may
//! open which account (run by the server's administrator, with --database).

use clap::{ArgGroup, Subcommand};
use serde_json::json;

use seatdesk_core::store::AccessRow;
use seatdesk_core::{Error, ErrorCode};

use super::text::table;
use super::{to_json, Output, Session};

#[derive(Subcommand, Debug)]
pub enum ServerCmd {
    /// Create or update Seatdesk's schema, its group role (seatdesk_user)
    /// and the row-level security policies on the server
    Init,
    /// Let a PostgreSQL login open an account as one of its members, or
    /// every account as a support agent (the login is created, without a
    /// password, when the server has none of that name)
    #[command(group(ArgGroup::new("as").required(true).args(["member", "support"])))]
    Grant {
        login: String,
        /// The account the login opens (with --member)
        #[arg(long, requires = "member")]
        account: Option<String>,
        /// The Active member the login acts as in that account
        #[arg(long, requires = "account")]
        member: Option<String>,
        /// A support agent: sees every account; support actions still ask
        /// for a ticket
        #[arg(long, conflicts_with_all = ["account", "member"])]
        support: bool,
    },
    /// Take a login's access to one account (--account), or all of it
    Revoke {
        login: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// Every login and what it may open
    List,
}

fn rows_text(rows: &[AccessRow]) -> String {
    if rows.is_empty() {
        return "No login has access yet: `seatdesk server grant LOGIN --account NAME --member EMAIL`.".into();
    }
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let what = if r.support { "support: every account".to_string() } else { r.account.clone().unwrap_or_default() };
            vec![r.login.clone(), what, r.member.clone().unwrap_or_default()]
        })
        .collect();
    table(&["LOGIN", "OPENS", "ACTS AS"], lines)
}

impl ServerCmd {
    pub(crate) fn run(self, s: &mut Session) -> Result<Output, Error> {
        if !s.desk.is_shared() {
            return Err(Error::new(
                ErrorCode::ServerRequired,
                "`seatdesk server` works on a shared server: give --database postgres://ADMIN@HOST/DATABASE (or SEATDESK_DATABASE_URL).",
            ));
        }
        match self {
            ServerCmd::Init => {
                // Connecting migrated the schema already (as this login may).
                let login = s.desk.server_login()?.unwrap_or_default();
                let version = s.desk.open_report().schema_version;
                Ok(Output {
                    json: json!({ "schema_version": version, "login": login }),
                    text: format!(
                        "The server holds Seatdesk's schema version {version}, with row-level security per account.\n\
                         Next: `seatdesk server grant LOGIN --account NAME --member EMAIL` for each person, \
                         or `--support` for a support agent."
                    ),
                })
            }
            ServerCmd::Grant { login, account, member, support } => {
                let row = match (account, member) {
                    (Some(account), Some(member)) if !support => s.desk.server_grant_member(&login, &account, &member)?,
                    _ => s.desk.server_grant_support(&login)?,
                };
                let text = match (&row.account, &row.member) {
                    (Some(a), Some(m)) => format!("{} now opens {a} as {m}.", row.login),
                    _ => format!("{} is now a support agent: it opens every account.", row.login),
                };
                Ok(Output::of(&row, text))
            }
            ServerCmd::Revoke { login, account } => {
                let gone = s.desk.server_revoke(&login, account.as_deref())?;
                let text = match account {
                    Some(a) => format!("{login} no longer opens {a}."),
                    None => format!("{login} no longer opens anything ({gone} grant{} taken).", if gone == 1 { "" } else { "s" }),
                };
                Ok(Output { json: json!({ "login": login, "revoked": gone }), text })
            }
            ServerCmd::List => {
                let rows = s.desk.server_access()?;
                Ok(Output { json: to_json(&rows), text: rows_text(&rows) })
            }
        }
    }
}

/// `seatdesk migrate`: copy an account between this computer's file and a
/// shared server.
#[derive(clap::Args, Debug)]
#[command(group(ArgGroup::new("where").required(true).args(["to", "from"])))]
pub struct MigrateArgs {
    /// Copy the account from this database (the local file, or --database)
    /// to this server: postgres://LOGIN@HOST/DATABASE
    #[arg(long, value_name = "URL")]
    to: Option<String>,
    /// Copy the account from this server into this database (the local
    /// file), for offline bookkeeping
    #[arg(long, value_name = "URL")]
    from: Option<String>,
    /// Print what would move, and move nothing
    #[arg(long)]
    dry_run: bool,
}

impl MigrateArgs {
    /// Copies from a server into this computer's database.
    pub(crate) fn is_from(&self) -> bool {
        self.from.is_some()
    }

    pub(crate) fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    pub(crate) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let clock = s.desk.clock();
        let report = match (&self.to, &self.from) {
            (Some(url), _) => {
                let mut target = seatdesk_core::Seatdesk::connect(url, clock)?;
                let report = s.desk.migrate_account(&s.scope, &mut target, self.dry_run)?;
                (report, s.desk.describe_store(), target.describe_store())
            }
            (None, Some(url)) => {
                let mut source = seatdesk_core::Seatdesk::connect(url, clock)?;
                let report = source.migrate_account(&s.scope, &mut s.desk, self.dry_run)?;
                (report, source.describe_store(), s.desk.describe_store())
            }
            (None, None) => unreachable!("clap requires --to or --from"),
        };
        let (report, from, to) = report;
        let rows: Vec<Vec<String>> = report.tables.iter().map(|t| vec![t.table.clone(), t.rows.to_string()]).collect();
        let verb = if report.dry_run { "Would copy" } else { "Copied" };
        let mut text = format!("{verb} {} from {from} to {to}:\n{}\n", report.account, table(&["TABLE", "ROWS"], rows));
        text.push_str(&format!("Audit chain: {} entries, head {}", report.audit_entries, report.audit_head));
        if report.dry_run {
            text.push_str("\nNothing was copied (dry run).");
        } else if report.check.is_empty() {
            text.push_str(" (verified in the copy)\n`check` holds in the copy. The source is unchanged: retire it once the team works on the copy.");
        } else {
            return Err(Error::new(ErrorCode::CheckFailed, format!("The copy of {} was made, but `check` finds problems in it.", report.account))
                .with_details(json!({ "violations": report.check })));
        }
        Ok(Output { json: to_json(&report), text })
    }
}
