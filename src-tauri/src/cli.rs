//! The command line (rules §10): the same binary, the same service calls as
//! the window. With `--json` every result is one JSON document on stdout
//! and a refusal is `{"error":{...}}` with exit status 1; usage errors exit 2.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};

use seatdesk_core::domain::billing::{parse_quantity, LedgerKind, Quote};
use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::routing::{Fallthrough, IvrTarget, RingStrategy};
use seatdesk_core::domain::text::parse_date;
use seatdesk_core::domain::{Role, SeatSummary, Status};
use seatdesk_core::service::{
    AssignmentChange, DistributionInput, GroupInput, InboxDetail, IvrInput, IvrOptionInput, MembershipChange,
    AccountView, DemoOptions, InboxView, InviteEdit, InviteRequest, MemberQuery, MemberView, NewAccount, NewInbox,
    ImportOptions, PlanChange, SeatChoice, SupportTicket,
};
use seatdesk_core::store::default_data_dir;
use seatdesk_core::{Clock, Error, Scope, Seatdesk};

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
    /// Print one JSON document on stdout
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, list or show accounts
    #[command(subcommand)]
    Account(AccountCmd),
    /// The seat summary, or quote, buy and remove seats
    Seats(SeatsArgs),
    /// List members, or invite, accept, resend, revoke, edit, change roles
    Members(MembersArgs),
    /// Personal settings of the acting member (--as)
    #[command(subcommand)]
    Me(MeCmd),
    /// List or create inboxes
    Inboxes(InboxesArgs),
    /// Create a realistic demo account
    Demo(DemoArgs),
    /// Every seat and number bought, removed or renewed
    Ledger(LedgerArgs),
    /// Support actions
    #[command(subcommand)]
    Owner(OwnerCmd),
    /// Contacts (minimal: enough to count and reassign)
    #[command(subcommand)]
    Contacts(ContactsCmd),
    /// Conversations (minimal: enough to count and reassign)
    #[command(subcommand)]
    Conversations(ConversationsCmd),
    /// The audit log, newest first; `audit verify` checks its hash chain
    Audit(AuditArgs),
    /// Verify every invariant; exits 1 naming each violation
    Check,
    /// CSV of the members or the ledger (formula cells neutralised)
    #[command(subcommand)]
    Export(ExportCmd),
    /// Import members from CSV (columns email, name, role, inbox)
    #[command(subcommand)]
    Import(ImportCmd),
    /// Write a consistent copy of the database to FILE
    Backup { file: PathBuf },
    /// Replace the database with a backup (checked first; the current one is
    /// kept). Needs the acting Owner; a database holding other Owners'
    /// accounts needs support mode too
    Restore {
        file: PathBuf,
        /// The support agent doing it (support mode)
        #[arg(long)]
        support_agent: Option<String>,
        /// The support ticket reference
        #[arg(long)]
        ticket: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    Members {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    Ledger {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    Members {
        file: PathBuf,
        /// Report what would happen, row by row, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Inbox for rows whose inbox cell is empty
        #[arg(long)]
        inbox: Option<String>,
        /// Buy the missing seats first at this quote
        #[arg(long, value_name = "QUOTE_ID")]
        buy_shortfall: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OwnerCmd {
    /// Make an Active member the Owner (the old Owner becomes an Admin)
    Transfer {
        #[arg(long)]
        to: String,
        /// The support agent doing it (support mode)
        #[arg(long)]
        support_agent: Option<String>,
        /// The support ticket reference
        #[arg(long)]
        ticket: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ContactsCmd {
    Add {
        name: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        owner: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConversationsCmd {
    /// An inbound conversation (assigned by the inbox's Conversation Assignment unless --assignee)
    Add {
        #[arg(long)]
        inbox: String,
        #[arg(long)]
        contact: String,
        #[arg(long)]
        assignee: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCmd>,
    /// How many entries (1 to 1 000)
    #[arg(long, default_value_t = 100, allow_hyphen_values = true)]
    pub limit: i64,
    /// Skip this many of the newest entries (page through older ones)
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub offset: i64,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Recompute the hash chain; prints the entry count and the head hash
    Verify {
        /// A head hash noted earlier (from `audit verify`, a backup or an
        /// export): fails when the chain no longer holds it (cut back)
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct SeatsArgs {
    #[command(subcommand)]
    pub command: Option<SeatsCmd>,
}

#[derive(Subcommand, Debug)]
pub enum SeatsCmd {
    /// Price N more seats: due now (prorated) and the new renewal total
    Quote {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
    },
    /// Buy N seats at the current price (see `seats quote`)
    Buy {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
        /// Confirm the purchase
        #[arg(long, required = true)]
        yes: bool,
        /// Only at this quote (from `seats quote`); refused with quote_stale if the price moved
        #[arg(long, value_name = "QUOTE_ID")]
        quote: Option<String>,
    },
    /// Remove N unassigned seats (permanent for the subscription, no refund)
    Remove {
        #[arg(allow_hyphen_values = true)]
        quantity: String,
        /// Confirm the removal: it is permanent and refunds nothing
        #[arg(long, required = true)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct LedgerArgs {
    /// Only entries of this kind
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
}

/// Every value Seatdesk prints in JSON (`seat_purchase`) is accepted back,
/// as is the command line's own spelling (`seat-purchase`).
#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum KindArg {
    #[value(alias = "seat_purchase")]
    SeatPurchase,
    #[value(alias = "seat_removal")]
    SeatRemoval,
    #[value(alias = "number_purchase")]
    NumberPurchase,
    #[value(alias = "seat_renewal")]
    SeatRenewal,
    #[value(alias = "number_renewal")]
    NumberRenewal,
}

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

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum StatusArg {
    Active,
    Pending,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum RoleArg {
    Owner,
    Admin,
    Manager,
    Member,
    Observer,
}

#[derive(Subcommand, Debug)]
pub enum MeCmd {
    /// Change your own email
    SetEmail { email: String },
}

#[derive(Subcommand, Debug)]
pub enum MembersCmd {
    /// Invite one or many (all or nothing); pending invites reserve seats
    #[command(group = clap::ArgGroup::new("where").required(true).args(["inbox", "new_inbox"]))]
    Invite {
        #[arg(required = true)]
        emails: Vec<String>,
        #[arg(long, value_enum, default_value = "member")]
        role: RoleArg,
        /// Existing inbox the invitees join
        #[arg(long)]
        inbox: Option<String>,
        /// A new inbox for each invitee, awaiting its number
        #[arg(long)]
        new_inbox: bool,
        /// Buy the missing seats first at this quote (from the no_free_seats refusal)
        #[arg(long, value_name = "QUOTE_ID")]
        buy_shortfall: Option<String>,
    },
    /// Record that an invitee confirmed: Pending → Active
    Accept {
        email: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Send a pending invite again
    Resend { email: String },
    /// Withdraw a pending invite (its seat becomes unassigned)
    Revoke { email: String },
    /// Edit a pending invite
    Edit {
        email: String,
        #[arg(long = "email")]
        new_email: Option<String>,
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        #[arg(long)]
        inbox: Option<String>,
    },
    /// Delete a member: reassign what they hold, keep or remove their seat
    #[command(group = clap::ArgGroup::new("seat").required(true).args(["keep_seat", "remove_seat"]))]
    Delete {
        email: String,
        /// Who takes their conversations, contacts and inboxes
        #[arg(long)]
        reassign_to: String,
        /// The seat becomes unassigned
        #[arg(long)]
        keep_seat: bool,
        /// Purchased − 1 (permanent, no refund)
        #[arg(long)]
        remove_seat: bool,
    },
    /// Change a member's role
    #[command(group = clap::ArgGroup::new("seat").args(["keep_seat", "remove_seat"]))]
    Role {
        email: String,
        #[arg(value_enum)]
        role: RoleArg,
        /// Going to Observer: who takes their conversations, contacts and inboxes [default: you]
        #[arg(long)]
        reassign_to: Option<String>,
        /// Going to Observer: the freed seat stays, unassigned (default)
        #[arg(long)]
        keep_seat: bool,
        /// Going to Observer: remove the freed seat (no refund)
        #[arg(long)]
        remove_seat: bool,
    },
    /// One member with their inboxes
    Show { email: String },
}

#[derive(Args, Debug)]
pub struct MembersArgs {
    #[command(subcommand)]
    pub command: Option<MembersCmd>,
    #[arg(long)]
    pub status: Option<StatusArg>,
    #[arg(long)]
    pub role: Option<RoleArg>,
    /// Text found in the name or email
    #[arg(long)]
    pub search: Option<String>,
}

#[derive(Args, Debug)]
pub struct InboxesArgs {
    #[command(subcommand)]
    pub command: Option<InboxesCmd>,
}

#[derive(Subcommand, Debug)]
pub enum InboxesCmd {
    /// Create an inbox (owned by the acting member)
    Create {
        name: String,
        /// E.164 number, e.g. +15551234567 (only the plan's included one)
        #[arg(long)]
        number: Option<String>,
    },
    /// One inbox with its members and routing settings
    Show { name: String },
    /// Add an Active member (they join Conversation Assignment and the Ring Group)
    AddMember { name: String, email: String },
    /// Add yourself (--as, an Owner or Admin) to see the inbox's conversations
    AddMe { name: String },
    /// Take a member out of the inbox (they stay in the account)
    RemoveMember {
        name: String,
        email: String,
        /// First take them out of all four routing settings, in the same step
        #[arg(long)]
        everywhere: bool,
    },
    /// Conversation Assignment: add|remove EMAIL, default EMAIL|none, round-robin on|off
    Assignment {
        name: String,
        #[arg(value_enum)]
        action: AssignmentAction,
        value: String,
    },
    /// Ring Group: add|remove EMAIL, or set --strategy S --ring-seconds N
    RingGroup {
        name: String,
        #[arg(value_enum)]
        action: RingGroupAction,
        email: Option<String>,
        #[arg(long, value_enum)]
        strategy: Option<StrategyArg>,
        #[arg(long, allow_hyphen_values = true)]
        ring_seconds: Option<i64>,
    },
    /// Call Distribution: replace the groups (in order) and/or the fall-through; no flags shows it
    Distribution {
        name: String,
        /// add|remove EMAIL --group N: one member in or out of group N (the rest stays)
        #[arg(value_enum)]
        action: Option<EditAction>,
        email: Option<String>,
        /// A group as STRATEGY:SECONDS:EMAIL,EMAIL (repeat, in order; at most 5), or with add|remove the group's number
        #[arg(long = "group", value_name = "SPEC")]
        groups: Vec<String>,
        /// Remove every group
        #[arg(long, conflicts_with = "groups")]
        clear: bool,
        #[arg(long, value_enum)]
        fallthrough: Option<FallthroughArg>,
    },
    /// IVR: greeting and digit options (replacing them), or set-option D TARGET / clear-option D; no flags shows it
    Ivr {
        name: String,
        /// set-option DIGIT TARGET, or clear-option DIGIT: one digit (the rest stays)
        #[arg(value_enum)]
        action: Option<IvrAction>,
        /// DIGIT, then TARGET for set-option (member:EMAIL | ring-group | group:N | voicemail | none)
        args: Vec<String>,
        #[arg(long)]
        greeting: Option<String>,
        /// DIGIT=TARGET with TARGET member:EMAIL | ring-group | group:N | voicemail (repeat)
        #[arg(long = "option", value_name = "DIGIT=TARGET")]
        options: Vec<String>,
        /// Remove every option
        #[arg(long, conflicts_with = "options")]
        clear: bool,
    },
    /// Price a number for an inbox that has none
    QuoteNumber { name: String, number: String },
    /// Buy a number for an inbox that has none
    BuyNumber {
        name: String,
        number: String,
        /// Confirm the purchase
        #[arg(long, required = true)]
        yes: bool,
        /// Only at this quote (from `inboxes quote-number`)
        #[arg(long, value_name = "QUOTE_ID")]
        quote: Option<String>,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum AssignmentAction {
    Add,
    Remove,
    Default,
    #[value(alias = "round_robin")]
    RoundRobin,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum EditAction {
    Add,
    Remove,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum IvrAction {
    #[value(alias = "set_option")]
    SetOption,
    #[value(alias = "clear_option")]
    ClearOption,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum RingGroupAction {
    Add,
    Remove,
    Set,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum StrategyArg {
    Simultaneous,
    #[value(alias = "round_robin")]
    RoundRobin,
    #[value(alias = "linear_round_robin")]
    LinearRoundRobin,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum FallthroughArg {
    Voicemail,
    Drop,
}

fn strategy_of(s: StrategyArg) -> RingStrategy {
    match s {
        StrategyArg::Simultaneous => RingStrategy::Simultaneous,
        StrategyArg::RoundRobin => RingStrategy::RoundRobin,
        StrategyArg::LinearRoundRobin => RingStrategy::LinearRoundRobin,
    }
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

/// The data directory and clock the global options select.
pub fn environment(global: &Global) -> Result<(PathBuf, Clock), Error> {
    let data_dir = global.data_dir.clone().unwrap_or_else(default_data_dir);
    let clock = match global.today.as_deref() {
        Some(d) => Clock::fixed_checked(parse_date(d)?, global.allow_future_date),
        None => Clock::system(),
    };
    Ok((data_dir, clock))
}

/// What a command prints: the JSON document and the human text.
struct Output {
    json: Value,
    text: String,
}

/// Runs a subcommand and prints its result; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    let json = cli.global.json;
    match execute(cli) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let printed = if json {
                writeln!(stdout, "{}", out.json)
            } else {
                writeln!(stdout, "{}", out.text.trim_end())
            };
            if printed.is_err() {
                return 1;
            }
            0
        }
        Err(e) => {
            report_error(&e, json);
            if e.code == seatdesk_core::ErrorCode::InvalidArgument {
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

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn execute(cli: Cli) -> Result<Output, Error> {
    let (data_dir, clock) = environment(&cli.global)?;
    let mut desk = Seatdesk::open(&data_dir, clock)?;
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
    };
    let command = cli.command.expect("run() is only called with a subcommand");
    // `--as` names an Active member of the account for every command that
    // works in one, reads and whole-database ones (backup, check) included.
    if scope.acting_as.is_some() && !matches!(command, Command::Account(AccountCmd::Create(_)) | Command::Demo(_)) {
        desk.acting_member(&scope)?;
    }
    match command {
        Command::Account(AccountCmd::Create(a)) => {
            let view = desk.create_account(&NewAccount {
                name: a.name,
                owner_email: a.owner_email,
                owner_name: a.owner_name,
                plan: a.plan,
                seat_price: a.seat_price,
                number_price: a.number_price,
                currency: a.currency,
                renews_on: a.renews,
            })?;
            Ok(Output { json: to_json(&view), text: format!("Created.\n{}", account_text(&view)) })
        }
        Command::Account(AccountCmd::List) => {
            let all = desk.list_accounts()?;
            let text = if all.is_empty() {
                "No accounts yet. Create one with `seatdesk account create` or try `seatdesk demo`.".to_string()
            } else {
                table(
                    &["ACCOUNT", "OWNER", "PLAN", "RENEWS"],
                    all.iter()
                        .map(|a| vec![a.name.clone(), a.owner_email.clone(), a.plan.as_str().to_string(), a.renews_on.clone()])
                        .collect(),
                )
            };
            Ok(Output { json: to_json(&all), text })
        }
        Command::Account(AccountCmd::Show) => {
            let view = desk.show_account(&scope)?;
            Ok(Output { json: to_json(&view), text: account_text(&view) })
        }
        Command::Seats(SeatsArgs { command: None }) => {
            let seats = desk.seats(&scope)?;
            let account = desk.show_account(&scope)?;
            Ok(Output { json: to_json(&seats), text: seats_text(&seats, &account.currency) })
        }
        Command::Seats(SeatsArgs { command: Some(SeatsCmd::Quote { quantity }) }) => {
            let quote = desk.quote_seats(&scope, parse_quantity(&quantity)?)?;
            Ok(Output { json: to_json(&quote), text: quote_text(&quote, if quote.quantity == 1 { "seat" } else { "seats" }) })
        }
        Command::Seats(SeatsArgs { command: Some(SeatsCmd::Buy { quantity, quote, .. }) }) => {
            let bought = desk.buy_seats(&scope, parse_quantity(&quantity)?, quote.as_deref())?;
            let text = format!(
                "Bought {} seats for {} {} now.\n{}",
                bought.quote.quantity,
                format_cents(bought.charged_cents),
                bought.quote.currency,
                seats_text(&bought.seats, &bought.quote.currency)
            );
            Ok(Output { json: to_json(&bought), text })
        }
        Command::Seats(SeatsArgs { command: Some(SeatsCmd::Remove { quantity, .. }) }) => {
            let seats = desk.remove_seats(&scope, parse_quantity(&quantity)?)?;
            let account = desk.show_account(&scope)?;
            let text = format!("Removed {quantity} seat{} (no refund).\n{}", if quantity.trim() == "1" { "" } else { "s" }, seats_text(&seats, &account.currency));
            Ok(Output { json: to_json(&seats), text })
        }
        Command::Owner(OwnerCmd::Transfer { to, support_agent, ticket }) => {
            let m = desk.transfer_owner(
                &scope,
                &to,
                &SupportTicket { agent: support_agent.unwrap_or_default(), ticket: ticket.unwrap_or_default() },
            )?;
            Ok(Output { text: format!("{} is now the Owner.", m.email), json: member_json(&m) })
        }
        Command::Contacts(ContactsCmd::Add { name, phone, owner }) => {
            desk.add_contact(&scope, &name, &phone, &owner)?;
            Ok(Output { text: format!("Added {name}."), json: json!({ "name": name, "phone": phone, "owner": owner }) })
        }
        Command::Conversations(ConversationsCmd::Add { inbox, contact, assignee }) => {
            let who = desk.add_conversation(&scope, &inbox, &contact, assignee.as_deref())?;
            Ok(Output {
                text: format!("Added a conversation in {inbox}, assigned to {}.", who.as_deref().unwrap_or("nobody")),
                json: json!({ "inbox": inbox, "contact": contact, "assignee": who }),
            })
        }
        Command::Audit(AuditArgs { command: Some(AuditCmd::Verify { expect_head }), .. }) => {
            let v = desk.verify_audit(&scope, expect_head.as_deref())?;
            if let Some(at) = v.first_broken {
                return Err(Error::new(
                    seatdesk_core::ErrorCode::InvariantViolated,
                    format!("The audit chain breaks at entry {at} of {}.", v.entries),
                )
                .with_details(to_json(&v)));
            }
            if v.expected_head_found == Some(false) {
                return Err(Error::new(
                    seatdesk_core::ErrorCode::InvariantViolated,
                    format!(
                        "The audit chain ({} entries) no longer holds the entry {} noted earlier: it was cut back or replaced.",
                        v.entries,
                        expect_head.as_deref().unwrap_or_default()
                    ),
                )
                .with_details(to_json(&v)));
            }
            Ok(Output { text: format!("The audit chain of {} entries is intact.\nhead: {}", v.entries, v.head), json: to_json(&v) })
        }
        Command::Audit(AuditArgs { command: None, limit, offset }) => {
            let page = desk.audit_log(&scope, offset, limit)?;
            let mut text = table(
                &["WHEN", "WHO", "ACTION", "TARGET", "DETAILS"],
                page.rows.iter().map(|e| vec![e.at.clone(), e.actor_email.clone(), e.action.clone(), e.target.clone(), e.details.clone()]).collect(),
            );
            let shown = page.rows.len() as i64;
            text.push_str(&format!("\nentries {}–{} of {} (newest first; --offset pages back)", if shown == 0 { 0 } else { offset + 1 }, offset + shown, page.total));
            Ok(Output { json: to_json(&page.rows), text })
        }
        Command::Export(cmd) => {
            let (csv, out) = match cmd {
                ExportCmd::Members { out } => (desk.export_members_csv(&scope)?, out),
                ExportCmd::Ledger { out } => (desk.export_ledger_csv(&scope)?, out),
            };
            match out {
                Some(path) => {
                    seatdesk_core::store::write_private(&path, csv.as_bytes()).map_err(|e| {
                        Error::new(seatdesk_core::ErrorCode::DataDirUnwritable, format!("Cannot write {}: {e}", path.display()))
                    })?;
                    let rows = csv.lines().count().saturating_sub(1);
                    // Where the audit chain stood when the export was taken.
                    let audit = desk.verify_audit(&scope, None)?;
                    Ok(Output {
                        text: format!("Wrote {rows} rows to {}.\naudit: {} entries, head {}", path.display(), audit.entries, audit.head),
                        json: json!({ "path": path, "rows": rows, "audit_entries": audit.entries, "audit_head": audit.head }),
                    })
                }
                None => Ok(Output { json: json!({ "csv": csv }), text: csv }),
            }
        }
        Command::Import(ImportCmd::Members { file, dry_run, inbox, buy_shortfall }) => {
            let bytes = std::fs::read(&file).map_err(|e| Error::not_found("file", &format!("{} ({e})", file.display())))?;
            let report = desk.import_members(
                &scope,
                &bytes,
                &ImportOptions { dry_run, default_inbox: inbox, buy_shortfall_quote: buy_shortfall },
            )?;
            let mut text = table(
                &["LINE", "EMAIL", "ROLE", "INBOX", "OUTCOME"],
                report.rows.iter().map(|r| vec![r.line.to_string(), r.email.clone(), r.role.clone(), r.inbox.clone(), serde_json::to_value(r.outcome).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()]).collect(),
            );
            text.push_str(&format!(
                "\n{} to invite; {} seats needed, {} unassigned{}",
                report.to_invite,
                report.seats_needed,
                report.seats_free,
                if report.applied { "; imported." } else { " (dry run: nothing changed)." }
            ));
            Ok(Output { json: to_json(&report), text })
        }
        Command::Backup { file } => {
            let info = desk.backup(&file)?;
            let heads: String = info.audit.iter().map(|a| format!("\naudit of {}: {} entries, head {}", a.account, a.entries, a.head)).collect();
            Ok(Output { text: format!("Backed up to {} ({} bytes).{heads}", info.path, info.bytes), json: to_json(&info) })
        }
        Command::Restore { file, support_agent, ticket } => {
            let support = (support_agent.is_some() || ticket.is_some())
                .then(|| SupportTicket { agent: support_agent.unwrap_or_default(), ticket: ticket.unwrap_or_default() });
            let info = desk.restore(&scope, &file, support.as_ref())?;
            Ok(Output {
                text: format!("Restored from {}; the previous database is kept as {}.", info.restored_from, info.previous_saved_as),
                json: to_json(&info),
            })
        }
        Command::Check => {
            let violations = desk.check(cli.global.account.as_deref())?;
            if violations.is_empty() {
                return Ok(Output { text: "All invariants hold.".into(), json: json!({ "ok": true, "violations": [] }) });
            }
            let list: Vec<String> = violations.iter().map(|v| format!("{} [{}]: {}", v.account, v.rule, v.message)).collect();
            Err(Error::new(seatdesk_core::ErrorCode::InvariantViolated, format!("{} invariant violation(s):\n  {}", list.len(), list.join("\n  ")))
                .with_details(json!({ "ok": false, "violations": violations })))
        }
        Command::Ledger(LedgerArgs { kind }) => {
            let kind = kind.map(|k| match k {
                KindArg::SeatPurchase => LedgerKind::SeatPurchase,
                KindArg::SeatRemoval => LedgerKind::SeatRemoval,
                KindArg::NumberPurchase => LedgerKind::NumberPurchase,
                KindArg::SeatRenewal => LedgerKind::SeatRenewal,
                KindArg::NumberRenewal => LedgerKind::NumberRenewal,
            });
            let rows = desk.ledger_all(&scope, kind)?;
            let text = if rows.is_empty() {
                "The ledger is empty.".to_string()
            } else {
                table(
                    &["DATE", "KIND", "QTY", "UNIT", "AMOUNT", "CUR", "BY", "NOTE"],
                    rows.iter()
                        .map(|e| {
                            vec![
                                e.date.clone(),
                                e.kind.as_str().replace('_', " "),
                                e.quantity.to_string(),
                                format_cents(e.unit_cents),
                                format_cents(e.amount_cents),
                                e.currency.clone(),
                                e.actor_email.clone(),
                                e.note.clone(),
                            ]
                        })
                        .collect(),
                )
            };
            Ok(Output { json: to_json(&rows), text })
        }
        Command::Account(AccountCmd::SetPlan(p)) => {
            let view = desk.update_plan(
                &scope,
                &PlanChange {
                    plan: p.plan,
                    seat_price: p.seat_price,
                    number_price: p.number_price,
                    currency: p.currency,
                    renews_on: p.renews,
                    version: None,
                },
            )?;
            let said = match &view.scheduled {
                Some(_) => format!("Scheduled from the renewal on {}.", view.renews_on),
                None => "No change is scheduled: the plan stays as it is.".to_string(),
            };
            Ok(Output { json: to_json(&view), text: format!("{said}\n{}", account_text(&view)) })
        }
        Command::Inboxes(InboxesArgs { command: Some(cmd @ (InboxesCmd::Show { .. }
            | InboxesCmd::AddMember { .. }
            | InboxesCmd::AddMe { .. }
            | InboxesCmd::RemoveMember { .. }
            | InboxesCmd::Assignment { .. }
            | InboxesCmd::RingGroup { .. }
            | InboxesCmd::Distribution { .. }
            | InboxesCmd::Ivr { .. })) }) => routing_command(&mut desk, &scope, cmd),
        Command::Inboxes(InboxesArgs { command: Some(InboxesCmd::QuoteNumber { name, number }) }) => {
            let quote = desk.quote_number(&scope, &name, &number)?;
            Ok(Output { json: to_json(&quote), text: quote_text(&quote, "number") })
        }
        Command::Inboxes(InboxesArgs { command: Some(InboxesCmd::BuyNumber { name, number, quote, .. }) }) => {
            let bought = desk.buy_number(&scope, &name, &number, quote.as_deref())?;
            let text = format!(
                "{name} now has its number, for {} {} now.",
                format_cents(bought.charged_cents),
                bought.quote.currency
            );
            Ok(Output { json: to_json(&bought), text })
        }
        Command::Members(MembersArgs { command: Some(cmd), .. }) => members_command(&mut desk, &scope, cmd),
        Command::Me(MeCmd::SetEmail { email }) => {
            let me = desk.set_my_email(&scope, &email)?;
            Ok(Output { json: member_json(&me), text: format!("Your email is now {}.", me.email) })
        }
        Command::Members(m) => {
            let query = MemberQuery {
                status: m.status.map(|s| match s {
                    StatusArg::Active => Status::Active,
                    StatusArg::Pending => Status::Pending,
                }),
                role: m.role.map(role_of),
                search: m.search,
                ..Default::default()
            };
            let rows = desk.all_members(&scope, &query)?;
            let json: Vec<Value> = rows.iter().map(member_json).collect();
            Ok(Output { json: Value::Array(json), text: members_text(&rows) })
        }
        Command::Inboxes(InboxesArgs { command: None }) => {
            let list = desk.inboxes(&scope)?;
            Ok(Output { json: to_json(&list), text: inboxes_text(&list) })
        }
        Command::Inboxes(InboxesArgs { command: Some(InboxesCmd::Create { name, number }) }) => {
            let inbox = desk.create_inbox(&scope, &NewInbox { name, number })?;
            let text = format!(
                "Created inbox {} ({}).",
                inbox.name,
                inbox.number.as_deref().unwrap_or("awaiting number")
            );
            Ok(Output { json: to_json(&inbox), text })
        }
        Command::Demo(d) => {
            let show_progress = !cli.global.json && std::io::stderr().is_terminal() && d.members + d.conversations > 20_000;
            let view = desk.demo(
                &DemoOptions { name: Some(d.name), members: Some(d.members), seed: Some(d.seed), conversations: Some(d.conversations) },
                |done, total| {
                    if show_progress {
                        eprint!("\r  {done} of {total} members and conversations written");
                        if done == total {
                            eprintln!();
                        }
                    }
                },
            )?;
            Ok(Output {
                json: to_json(&view),
                text: format!("Created the demo account.\n{}", account_text(&view)),
            })
        }
    }
}

fn usage(message: String) -> Error {
    Error::new(seatdesk_core::ErrorCode::InvalidArgument, message)
}

fn change_output(c: MembershipChange) -> Output {
    Output { text: c.message.clone(), json: to_json(&c) }
}

fn detail_output(d: InboxDetail) -> Output {
    let a = &d.conversation_assignment;
    let text = format!(
        "Inbox:    {}\nNumber:   {}\nOwner:    {}\nMembers:  {}\n\nConversation Assignment: {}{}\n  members: {}\n  next 5:  {}\nRing Group: {} for {} s\n  members: {}\nCall Distribution: {} group(s), {} s in all, then {}\n{}IVR: {}\n{}",
        d.name,
        d.number.as_deref().unwrap_or("awaiting number"),
        d.owner,
        d.members.join(", "),
        if a.round_robin { "round robin" } else { "round robin off" },
        a.default_assignee.as_deref().map(|e| format!(", default assignee {e}")).unwrap_or_default(),
        a.members.join(", "),
        if a.next.is_empty() { "unassigned".to_string() } else { a.next.join(", ") },
        d.ring_group.strategy.as_str(),
        d.ring_group.ring_seconds,
        d.ring_group.members.join(", "),
        d.distribution.groups.len(),
        d.distribution.total_ring_seconds,
        d.distribution.fallthrough.as_str(),
        d.distribution.groups.iter().map(|g| format!("  {}. {} for {} s: {}\n", g.position, g.strategy.as_str(), g.ring_seconds, g.members.join(", "))).collect::<String>(),
        if d.ivr.greeting.is_empty() { "(no greeting)".to_string() } else { format!("{:?}", d.ivr.greeting) },
        d.ivr.options.iter().map(|o| format!("  {} → {}{}\n", o.digit, serde_json::to_string(&o.target).unwrap_or_default(), if o.points_nowhere { "  (points nowhere)" } else { "" })).collect::<String>(),
    );
    Output { json: to_json(&d), text }
}

fn parse_group(spec: &str) -> Result<GroupInput, Error> {
    let mut parts = spec.splitn(3, ':');
    let (Some(strategy), Some(secs), members) = (parts.next(), parts.next(), parts.next().unwrap_or("")) else {
        return Err(usage(format!("{spec:?}: a group is STRATEGY:SECONDS:EMAIL,EMAIL")));
    };
    let strategy = RingStrategy::parse(strategy).ok_or_else(|| usage(format!("{strategy:?} is not simultaneous, round-robin or linear-round-robin")))?;
    let ring_seconds: i64 = secs.trim().parse().map_err(|_| usage(format!("{secs:?} is not a number of seconds")))?;
    Ok(GroupInput { strategy, ring_seconds, members: members.split(',').map(str::trim).filter(|m| !m.is_empty()).map(String::from).collect() })
}

fn parse_option(spec: &str) -> Result<IvrOptionInput, Error> {
    let (digit, target) = spec.split_once('=').ok_or_else(|| usage(format!("{spec:?}: an option is DIGIT=TARGET")))?;
    let digit: i32 = digit.trim().parse().map_err(|_| usage(format!("{digit:?} is not a digit 0-9")))?;
    let target = match target.trim() {
        "ring-group" | "ring_group" => IvrTarget::RingGroup,
        "voicemail" => IvrTarget::Voicemail,
        "none" => IvrTarget::None,
        t => match t.split_once(':') {
            Some(("member", email)) => IvrTarget::Member { email: email.to_string() },
            Some(("group", n)) => IvrTarget::DistributionGroup { position: n.parse().map_err(|_| usage(format!("{n:?} is not a group number")))? },
            _ => return Err(usage(format!("{t:?}: use member:EMAIL, ring-group, group:N, voicemail or none"))),
        },
    };
    Ok(IvrOptionInput { digit, target })
}

fn routing_command(desk: &mut Seatdesk, scope: &Scope, cmd: InboxesCmd) -> Result<Output, Error> {
    match cmd {
        InboxesCmd::Show { name } => Ok(detail_output(desk.inbox_detail(scope, &name)?)),
        InboxesCmd::AddMember { name, email } => Ok(change_output(desk.add_inbox_member(scope, &name, &email)?)),
        InboxesCmd::AddMe { name } => Ok(change_output(desk.add_me(scope, &name)?)),
        InboxesCmd::RemoveMember { name, email, everywhere } => Ok(change_output(desk.remove_inbox_member(scope, &name, &email, everywhere)?)),
        InboxesCmd::Assignment { name, action, value } => match action {
            AssignmentAction::Add | AssignmentAction::Remove => {
                Ok(change_output(desk.set_routing_member(scope, &name, false, &value, matches!(action, AssignmentAction::Add))?))
            }
            AssignmentAction::Default => {
                let default = if value.eq_ignore_ascii_case("none") { String::new() } else { value };
                Ok(detail_output(desk.set_assignment(scope, &name, &AssignmentChange { default_assignee: Some(default), round_robin: None })?))
            }
            AssignmentAction::RoundRobin => {
                let on = match value.to_lowercase().as_str() {
                    "on" => true,
                    "off" => false,
                    _ => return Err(usage(format!("{value:?}: round-robin takes on or off"))),
                };
                Ok(detail_output(desk.set_assignment(scope, &name, &AssignmentChange { round_robin: Some(on), default_assignee: None })?))
            }
        },
        InboxesCmd::RingGroup { name, action, email, strategy, ring_seconds } => match action {
            RingGroupAction::Add | RingGroupAction::Remove => {
                let email = email.ok_or_else(|| usage("ring-group add|remove takes an EMAIL".into()))?;
                Ok(change_output(desk.set_routing_member(scope, &name, true, &email, matches!(action, RingGroupAction::Add))?))
            }
            RingGroupAction::Set => {
                let current = desk.inbox_detail(scope, &name)?.ring_group;
                let strategy = strategy.map(strategy_of).unwrap_or(current.strategy);
                Ok(detail_output(desk.set_ring_group(scope, &name, strategy, ring_seconds.unwrap_or(current.ring_seconds))?))
            }
        },
        InboxesCmd::Distribution { name, action: Some(action), email, groups, clear, fallthrough } => {
            let (Some(email), [group], false, None) = (email, groups.as_slice(), clear, fallthrough) else {
                return Err(usage("distribution NAME add|remove EMAIL --group N (one member, one group; nothing else)".to_string()));
            };
            let position: i64 = group.trim().parse().map_err(|_| usage(format!("{group:?} is not a group number")))?;
            Ok(change_output(desk.set_distribution_member(scope, &name, position, &email, matches!(action, EditAction::Add))?))
        }
        InboxesCmd::Distribution { name, action: None, email: Some(email), .. } => {
            Err(usage(format!("{email:?}: say add or remove before the email (distribution {name} add|remove EMAIL --group N)")))
        }
        InboxesCmd::Distribution { name, groups, clear, fallthrough, .. } => {
            // The groups and fall-through not given are kept as read here;
            // the save names the version read, so a change made meanwhile
            // is refused (stale_edit), never overwritten.
            let current = desk.inbox_detail(scope, &name)?;
            if groups.is_empty() && !clear && fallthrough.is_none() {
                return Ok(detail_output(current));
            }
            let groups = if clear {
                vec![]
            } else if groups.is_empty() {
                current.distribution.groups.iter().map(|g| GroupInput { members: g.members.clone(), strategy: g.strategy, ring_seconds: g.ring_seconds }).collect()
            } else {
                groups.iter().map(|g| parse_group(g)).collect::<Result<Vec<_>, _>>()?
            };
            let fallthrough = match fallthrough {
                Some(FallthroughArg::Voicemail) => Fallthrough::Voicemail,
                Some(FallthroughArg::Drop) => Fallthrough::Drop,
                None => current.distribution.fallthrough,
            };
            let version = Some(current.distribution.version);
            Ok(detail_output(desk.set_distribution(scope, &name, &DistributionInput { groups, fallthrough, version })?))
        }
        InboxesCmd::Ivr { name, action: Some(action), args, greeting: None, options, clear: false } if options.is_empty() => {
            let digit = |d: &str| d.trim().parse::<i32>().map_err(|_| usage(format!("{d:?} is not a digit 0-9")));
            match (action, args.as_slice()) {
                (IvrAction::SetOption, [d, target]) => {
                    let option = parse_option(&format!("{}={target}", digit(d)?))?;
                    Ok(detail_output(desk.set_ivr_option(scope, &name, option.digit, Some(&option.target))?))
                }
                (IvrAction::ClearOption, [d]) => Ok(detail_output(desk.set_ivr_option(scope, &name, digit(d)?, None)?)),
                _ => Err(usage("ivr NAME set-option DIGIT TARGET, or ivr NAME clear-option DIGIT".to_string())),
            }
        }
        InboxesCmd::Ivr { action: Some(_), .. } => Err(usage("set-option and clear-option take no other flags".to_string())),
        InboxesCmd::Ivr { name, greeting, options, clear, .. } => {
            let current = desk.inbox_detail(scope, &name)?;
            if greeting.is_none() && options.is_empty() && !clear {
                return Ok(detail_output(current));
            }
            let options = if clear {
                vec![]
            } else if options.is_empty() {
                current.ivr.options.iter().map(|o| IvrOptionInput { digit: o.digit, target: o.target.clone() }).collect()
            } else {
                options.iter().map(|o| parse_option(o)).collect::<Result<Vec<_>, _>>()?
            };
            let version = Some(current.ivr.version);
            Ok(detail_output(desk.set_ivr(scope, &name, &IvrInput { greeting: greeting.unwrap_or(current.ivr.greeting), options, version })?))
        }
        _ => unreachable!("routed here only for routing commands"),
    }
}

fn role_of(r: RoleArg) -> Role {
    match r {
        RoleArg::Owner => Role::Owner,
        RoleArg::Admin => Role::Admin,
        RoleArg::Manager => Role::Manager,
        RoleArg::Member => Role::Member,
        RoleArg::Observer => Role::Observer,
    }
}

fn members_command(desk: &mut Seatdesk, scope: &Scope, cmd: MembersCmd) -> Result<Output, Error> {
    let one = |m: MemberView, what: &str| Output { text: format!("{what} {} ({}, {}).", m.email, m.role.label(), m.status.as_str()), json: member_json(&m) };
    match cmd {
        MembersCmd::Invite { emails, role, inbox, new_inbox, buy_shortfall } => {
            let result = desk.invite(
                scope,
                &InviteRequest { emails, role: role_of(role), inbox, new_inbox, buy_shortfall_quote: buy_shortfall },
            )?;
            let mut text = String::new();
            if let Some(p) = &result.purchase {
                text.push_str(&format!("Bought {} seats for {} {} now.\n", p.quote.quantity, format_cents(p.charged_cents), p.quote.currency));
            }
            text.push_str(&format!(
                "Invited {} ({} of {} seats used).",
                result.invited.iter().map(|m| m.email.as_str()).collect::<Vec<_>>().join(", "),
                result.seats.assigned,
                result.seats.purchased
            ));
            let json = json!({
                "invited": result.invited.iter().map(member_json).collect::<Vec<_>>(),
                "seats": result.seats,
                "purchase": result.purchase,
            });
            Ok(Output { json, text })
        }
        MembersCmd::Accept { email, name } => Ok(one(desk.accept_invite(scope, &email, name.as_deref())?, "Accepted")),
        MembersCmd::Resend { email } => {
            let m = desk.resend_invite(scope, &email)?;
            let text = format!("Resent the invite to {} ({} resends).", m.email, m.resend_count);
            Ok(Output { json: member_json(&m), text })
        }
        MembersCmd::Revoke { email } => {
            let seats = desk.revoke_invite(scope, &email)?;
            let text = format!("Revoked the invite to {email}; {} of {} seats used.", seats.assigned, seats.purchased);
            Ok(Output { json: json!({ "revoked": email, "seats": seats }), text })
        }
        MembersCmd::Edit { email, new_email, role, inbox } => Ok(one(
            desk.edit_invite(scope, &email, &InviteEdit { email: new_email, role: role.map(role_of), inbox })?,
            "Updated",
        )),
        MembersCmd::Role { email, role, remove_seat, reassign_to, .. } => {
            let seat = if remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            Ok(one(desk.change_role_reassigning(scope, &email, role_of(role), seat, reassign_to.as_deref())?, "Updated"))
        }
        MembersCmd::Delete { email, reassign_to, remove_seat, .. } => {
            let seat = if remove_seat { SeatChoice::Remove } else { SeatChoice::Keep };
            let d = desk.delete_member(scope, &email, Some(&reassign_to), seat)?;
            let text = if d.revoked_invite {
                format!("{} had not accepted: the invite was revoked.", d.deleted)
            } else {
                let mut text = format!(
                    "Deleted {}; {} conversations, {} contacts and {} inboxes went to {}. {} of {} seats used.",
                    d.deleted,
                    d.conversations,
                    d.contacts,
                    d.inboxes,
                    d.reassigned_to.as_deref().unwrap_or("-"),
                    d.seats.assigned,
                    d.seats.purchased
                );
                for r in &d.routed {
                    text.push_str(&match &r.to {
                        Some(to) => format!("\n{} conversation(s) of {} went to {to} (its Conversation Assignment).", r.conversations, r.inbox),
                        None => format!("\n{} conversation(s) of {} are unassigned (nobody is in its Conversation Assignment).", r.conversations, r.inbox),
                    });
                }
                for n in &d.notes {
                    text.push_str(&format!("\n{n}"));
                }
                text
            };
            Ok(Output { json: to_json(&d), text })
        }
        MembersCmd::Show { email } => {
            let h = desk.holdings(scope, &email)?;
            let m = &h.member;
            let text = format!(
                "{} <{}>\nRole:    {}\nStatus:  {}\nInboxes: {}\nInvited: {}\nJoined:  {}\nHolds:   {} conversations, {} contacts, {} owned inboxes\nRouting: {}",
                m.name,
                m.email,
                m.role.label(),
                m.status.as_str(),
                m.inboxes.join(", "),
                m.invited_on.as_deref().unwrap_or("-"),
                m.joined_on.as_deref().unwrap_or("-"),
                h.conversations,
                h.contacts,
                h.owned_inboxes,
                if h.routing.is_empty() { "-".to_string() } else { h.routing.join("; ") }
            );
            let mut json = member_json(m);
            json["conversations"] = json!(h.conversations);
            json["contacts"] = json!(h.contacts);
            json["owned_inboxes"] = json!(h.owned_inboxes);
            json["routing"] = json!(h.routing);
            Ok(Output { json, text })
        }
    }
}

/// The member JSON of rules §10: role and status in lower case, inboxes by name.
fn member_json(m: &MemberView) -> Value {
    json!({
        "email": m.email,
        "name": m.name,
        "role": m.role,
        "status": m.status,
        "inboxes": m.inboxes,
        "invited_on": m.invited_on,
        "joined_on": m.joined_on,
        "resend_count": m.resend_count,
        "last_sent_at": m.last_sent_at,
    })
}

fn quote_text(q: &Quote, what: &str) -> String {
    let cur = &q.currency;
    let unit = if q.included { "included in the plan".to_string() } else { format!("{} {cur} per period", format_cents(q.unit_cents)) };
    format!(
        "{} {what} at {unit}\nDue now:       {} {cur} ({} of {} days left in the period ending {})\nRenewal total: {} {cur}\nQuote:         {}",
        q.quantity,
        format_cents(q.due_now_cents),
        q.days_remaining,
        q.period_days,
        q.renews_on,
        format_cents(q.renewal_total_cents),
        q.quote_id
    )
}

fn account_text(a: &AccountView) -> String {
    let per = match a.plan {
        seatdesk_core::domain::BillingPeriod::Monthly => "month",
        seatdesk_core::domain::BillingPeriod::Annual => "year",
    };
    let mut text = format!(
        "Account:  {}\nOwner:    {} <{}>\nPlan:     {} (this period {} to {}, then to {})\nPrices:   seat {} {cur}/{per}, number {} {cur}/{per}",
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
        let per = match s.plan {
            seatdesk_core::domain::BillingPeriod::Monthly => "month",
            seatdesk_core::domain::BillingPeriod::Annual => "year",
        };
        text.push_str(&format!(
            "\nFrom {}: {}, seat {} {cur}/{per}, number {} {cur}/{per}{}",
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

fn seats_text(s: &SeatSummary, currency: &str) -> String {
    format!(
        "{} of {} seats used (plus 1 included for the Owner)\n\
         Purchased: {}\nAssigned:  {}\nUnassigned: {}\nRenewal total: {} {currency} on {}",
        s.assigned,
        s.purchased,
        s.purchased,
        s.assigned,
        s.unassigned,
        format_cents(s.renewal_total_cents),
        s.renews_on
    )
}

fn members_text(rows: &[MemberView]) -> String {
    if rows.is_empty() {
        return "No members match.".into();
    }
    table(
        &["NAME", "EMAIL", "ROLE", "STATUS", "INBOXES"],
        rows.iter()
            .map(|m| {
                vec![
                    m.name.clone(),
                    m.email.clone(),
                    m.role.label().to_string(),
                    m.status.as_str().to_string(),
                    m.inboxes.join(", "),
                ]
            })
            .collect(),
    )
}

fn inboxes_text(list: &[InboxView]) -> String {
    if list.is_empty() {
        return "No inboxes yet. Create one with `seatdesk inboxes create NAME`.".into();
    }
    table(
        &["INBOX", "NUMBER", "OWNER", "MEMBERS"],
        list.iter()
            .map(|i| {
                vec![
                    i.name.clone(),
                    i.number.clone().unwrap_or_else(|| "awaiting number".into()),
                    i.owner.clone(),
                    i.member_count.to_string(),
                ]
            })
            .collect(),
    )
}

/// A plain left-aligned text table; control characters are shown escaped so
/// a name cannot move the terminal's cursor.
fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let clean = |s: &str| s.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect::<String>();
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.iter().map(|c| clean(c)).collect()).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = line(headers.to_vec());
    for row in &rows {
        out.push('\n');
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}
