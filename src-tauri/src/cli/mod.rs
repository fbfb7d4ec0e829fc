//! The command line (rules §10): the same binary, the same service calls as
//! the window. With `--json` every result is one JSON document on stdout
//! and a refusal is `{"error":{...}}` with exit status 1; usage errors exit 2.
//!
//! One module per feature, each a clap subcommand with a `run` over the
//! service; this one parses the global options, opens the database, works
//! out who is acting and prints what the command returns.

mod account;
mod data;
mod desk;
mod inboxes;
mod members;
mod seats;
mod server;
mod support;
mod text;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use serde_json::Value;

use seatdesk_core::domain::text::parse_date;
use seatdesk_core::store::default_data_dir;
use seatdesk_core::{Clock, Error, ErrorCode, Scope, Seatdesk};

#[derive(Parser, Debug)]
#[command(
    name = "seatdesk",
    version,
    about = "Seatdesk: members, paid seats, inboxes and a billing ledger for a team-messaging account.",
    long_about = "Seatdesk: members, paid seats, inboxes and a billing ledger for a team-messaging account.\n\n\
                  Run without a subcommand to open the window; with one, it acts on the same database and exits.",
    after_help = "Examples:\n  seatdesk --json account create --name Acme --owner-email olivia@acme.com --owner-name 'Olivia Owner'\n  seatdesk --json seats\n  seatdesk members --status pending\n  seatdesk demo --members 200"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Folder holding seatdesk.db [default: the OS data directory + /seatdesk]
    #[arg(long, global = true, env = "SEATDESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A shared PostgreSQL server instead of the local file
    /// (postgres://LOGIN@HOST/DATABASE; the password comes from ~/.pgpass or
    /// PGPASSWORD, never from Seatdesk)
    #[arg(long, global = true, env = "SEATDESK_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database: Option<String>,
    /// Account to work in (needed when the database holds several)
    #[arg(long, global = true, value_name = "NAME")]
    pub account: Option<String>,
    /// Act as this member [default: the account's Owner]
    #[arg(long = "as", global = true, value_name = "EMAIL")]
    pub acting_as: Option<String>,
    /// Treat this date as today (back-dated bookkeeping, tests)
    #[arg(long, global = true, env = "SEATDESK_TODAY", value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Accept a --today more than one billing period past this computer's date
    /// (renewals booked from it cannot be undone)
    #[arg(long, global = true)]
    pub allow_future_date: bool,
    /// Support mode: the support agent doing the work. With --ticket, every
    /// audit entry the command writes carries both (owner transfer and a
    /// restore of other Owners' accounts need them)
    #[arg(long, global = true, value_name = "NAME")]
    pub support_agent: Option<String>,
    /// Support mode: the ticket the work is done under (with
    /// --support-agent); `audit --ticket T` lists what was done under T in
    /// every account
    #[arg(long, global = true, value_name = "REF")]
    pub ticket: Option<String>,
    /// Print one JSON document on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Also print the log (each command, its time and outcome) on stderr
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, list or show accounts
    #[command(subcommand)]
    Account(account::AccountCmd),
    /// Every account at a glance: Owner, plan, seats, invites, numbers,
    /// last change and what `check` finds, with the totals
    Accounts(desk::AccountsArgs),
    /// Find a member in any account by part of their name or address
    Find(desk::FindArgs),
    /// The seat summary, or quote, buy and remove seats
    Seats(seats::SeatsArgs),
    /// List members, or invite, accept, resend, revoke, edit, change roles
    Members(members::MembersArgs),
    /// Personal settings of the acting member (--as)
    #[command(subcommand)]
    Me(members::MeCmd),
    /// List or create inboxes
    Inboxes(inboxes::InboxesArgs),
    /// Create a realistic demo account
    Demo(account::DemoArgs),
    /// Every seat and number bought, removed or renewed
    Ledger(seats::LedgerArgs),
    /// Support actions
    #[command(subcommand)]
    Owner(support::OwnerCmd),
    /// Contacts (minimal: enough to count and reassign)
    #[command(subcommand)]
    Contacts(support::ContactsCmd),
    /// Conversations (minimal: enough to count and reassign)
    #[command(subcommand)]
    Conversations(support::ConversationsCmd),
    /// The audit log, newest first; `audit verify` checks its hash chain
    Audit(support::AuditArgs),
    /// Verify every invariant; exits 1 naming each violation. With
    /// --account, that account's rules and the schema; without, every
    /// account and SQLite's full integrity check of the whole file
    Check,
    /// CSV of the members or the ledger (formula cells neutralised)
    #[command(subcommand)]
    Export(data::ExportCmd),
    /// Import members from CSV (columns email, name, role, inbox)
    #[command(subcommand)]
    Import(data::ImportCmd),
    /// A shared PostgreSQL server: its schema, and which login opens which
    /// account (with --database)
    #[command(subcommand)]
    Server(server::ServerCmd),
    /// Copy an account, with its books and audit chain, to a shared server
    /// (--to) or from one into this computer's file (--from)
    Migrate(server::MigrateArgs),
    /// Write a consistent copy of the database to FILE
    Backup { file: PathBuf },
    /// Replace the database with a backup (checked first; the current one is
    /// kept). Needs the acting Owner; a database holding other Owners'
    /// accounts needs support mode too
    Restore { file: PathBuf },
}

/// What a command works with: the open database, who acts in which
/// account, and the global options.
pub(crate) struct Session {
    pub desk: Seatdesk,
    pub scope: Scope,
    pub global: Global,
}

/// What a command prints: the JSON document and the human text.
pub(crate) struct Output {
    pub json: Value,
    pub text: String,
}

impl Output {
    /// A view printed as its own JSON, with `text` for people.
    pub fn of<T: serde::Serialize>(value: &T, text: String) -> Output {
        Output { json: to_json(value), text }
    }
}

/// The subcommand as typed, for the log: `members invite`.
pub fn command_path(matches: &clap::ArgMatches) -> String {
    let mut path = Vec::new();
    let mut at = matches;
    while let Some((name, sub)) = at.subcommand() {
        path.push(name.to_string());
        at = sub;
    }
    path.join(" ")
}

/// Runs a subcommand (`name` as [`command_path`] gives it) and prints its
/// result; returns the exit status.
pub fn run(cli: Cli, name: &str) -> i32 {
    let json = cli.global.json;
    let result = match environment(&cli.global) {
        Ok((data_dir, _)) => {
            crate::log::init(&data_dir, cli.global.verbose);
            execute(cli, name)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let printed = if json { writeln!(stdout, "{}", out.json) } else { writeln!(stdout, "{}", out.text.trim_end()) };
            i32::from(printed.is_err())
        }
        Err(e) => {
            report_error(&e, json);
            if e.code == ErrorCode::InvalidArgument {
                2
            } else {
                1
            }
        }
    }
}

pub fn report_error(e: &Error, json: bool) {
    if json {
        println!("{}", e.to_json_document());
    } else {
        eprintln!("error[{}]: {}", e.code.as_str(), e.message);
        if let Some(details) = &e.details {
            eprintln!("  details: {details}");
        }
    }
}

/// The data directory and clock the global options select.
pub fn environment(global: &Global) -> Result<(PathBuf, Clock), Error> {
    let data_dir = global.data_dir.clone().unwrap_or_else(default_data_dir);
    let clock = match global.today.as_deref() {
        Some(d) => Clock::fixed_checked(parse_date(d)?, global.allow_future_date),
        None => Clock::system(),
    };
    Ok((data_dir, clock))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A malformed argument clap cannot see (exit 2, `invalid_argument`).
pub(crate) fn usage(message: String) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

/// Opens the database and runs the command, logged under `name` with the
/// account it works in (named, or the only one).
fn execute(cli: Cli, name: &str) -> Result<Output, Error> {
    let (data_dir, clock) = environment(&cli.global)?;
    let named = cli.global.account.clone();
    // `migrate --from` into a folder with no database yet: a dry run copies
    // into an empty database in memory, and a refused copy leaves no file
    // behind (a refusal changes nothing, on disk too).
    let fresh_target = match (&cli.command, cli.global.database.as_deref().filter(|u| !u.trim().is_empty())) {
        (Some(Command::Migrate(m)), None) if m.is_from() && !data_dir.join(seatdesk_core::store::sqlite::DB_FILE_NAME).exists() => Some(m.is_dry_run()),
        _ => None,
    };
    let opened = match cli.global.database.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => Seatdesk::connect(url, clock),
        None if fresh_target == Some(true) => Seatdesk::open_in_memory(clock),
        None if matches!(cli.command, Some(Command::Check)) => Seatdesk::open_to_check(&data_dir, clock),
        None => Seatdesk::open(&data_dir, clock),
    };
    let mut desk = match opened {
        Ok(desk) => desk,
        Err(e) => return crate::log::command(name, named.as_deref(), || Err(e)),
    };
    // The account a command creates is its own; otherwise the named one,
    // or the only one.
    let created = match &cli.command {
        Some(Command::Account(account::AccountCmd::Create(a))) => Some(a.name.clone()),
        Some(Command::Demo(d)) => Some(d.name.clone()),
        _ => None,
    };
    let account = created.or(named).or_else(|| match desk.list_accounts() {
        Ok(all) if all.len() == 1 => Some(all[0].name.clone()),
        _ => None,
    });
    let out = crate::log::command(name, account.as_deref(), || dispatch(desk, cli));
    if out.is_err() && fresh_target == Some(false) {
        let db = data_dir.join(seatdesk_core::store::sqlite::DB_FILE_NAME);
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    out
}

fn dispatch(mut desk: Seatdesk, cli: Cli) -> Result<Output, Error> {
    for note in &desk.open_report().notes {
        eprintln!("note: {note}");
    }
    // Acting as someone else (`--as`) is recorded in every audit entry the
    // command writes (`"acting_via": "cli --as"`), inside its transaction:
    // a refused command changes nothing, a read writes nothing.
    let scope = Scope {
        account: cli.global.account.clone(),
        acting_as: cli.global.acting_as.clone(),
        acting_pin: None,
        via: cli.global.acting_as.as_ref().map(|_| "cli --as".to_string()),
        support: desk::support_mode(&cli.global),
    };
    let command = cli.command.expect("run() is only called with a subcommand");
    // Support mode needs both the agent and the ticket; `audit --ticket`
    // alone only reads a ticket's trail.
    if !matches!(command, Command::Audit(_)) {
        desk::check_support_mode(&desk, &cli.global)?;
    }
    // `--as` names an Active member of the account for every command that
    // works in one, reads and whole-database ones (backup, check) included.
    if scope.acting_as.is_some() && !matches!(command, Command::Account(account::AccountCmd::Create(_)) | Command::Demo(_)) {
        desk.acting_member(&scope)?;
    }
    let mut s = Session { desk, scope, global: cli.global };
    match command {
        Command::Account(c) => c.run(&mut s),
        Command::Accounts(c) => c.run(&mut s),
        Command::Find(c) => c.run(&mut s),
        Command::Seats(c) => c.run(&mut s),
        Command::Members(c) => c.run(&mut s),
        Command::Me(c) => c.run(&mut s),
        Command::Inboxes(c) => c.run(&mut s),
        Command::Demo(c) => c.run(&mut s),
        Command::Ledger(c) => c.run(&mut s),
        Command::Owner(c) => c.run(&mut s),
        Command::Contacts(c) => c.run(&mut s),
        Command::Conversations(c) => c.run(&mut s),
        Command::Audit(c) => c.run(&mut s),
        Command::Check => data::check(&mut s),
        Command::Export(c) => c.run(&mut s),
        Command::Import(c) => c.run(&mut s),
        Command::Server(c) => c.run(&mut s),
        Command::Migrate(c) => c.run(&mut s),
        Command::Backup { file } => data::backup(&mut s, &file),
        Command::Restore { file } => data::restore(&mut s, &file),
    }
}
