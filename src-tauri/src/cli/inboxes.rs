//! `inboxes …`: inboxes, their numbers and members, and the four routing
//! settings. Partial edits go to the service as such (`edit_distribution`,
//! `edit_ivr`, a ring group change with what was given), so the command
//! line never reads a setting to write it back.

use clap::{Args, Subcommand, ValueEnum};

use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::routing::{Fallthrough, IvrTarget, RingStrategy};
use seatdesk_core::domain::text::count;
use seatdesk_core::service::{AssignmentChange, GroupInput, InboxDeletion, InboxDetail, InboxView, IvrOptionInput, MembershipChange, NewInbox, NumberChoice};
use seatdesk_core::Error;

use super::seats::quote_text;
use super::text::table;
use super::{usage, Output, Session};

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
        /// E.164 number, e.g. +15551234567
        #[arg(long)]
        number: Option<String>,
        /// A billed number is bought at this quote (from the quote_required refusal), in the same step
        #[arg(long, value_name = "QUOTE_ID")]
        quote: Option<String>,
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
        strategy: Option<RingStrategy>,
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
        #[arg(long = "group", value_name = "GROUP")]
        groups: Vec<String>,
        /// Remove every group
        #[arg(long, conflicts_with = "groups")]
        clear: bool,
        #[arg(long, value_enum)]
        fallthrough: Option<Fallthrough>,
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
    /// Replace an inbox's number: the old one released (no refund), the new
    /// one bought, in one step. Without --yes, prints the quote
    ReplaceNumber {
        name: String,
        number: String,
        /// Confirm the replacement
        #[arg(long)]
        yes: bool,
        /// Only at this quote (printed without --yes)
        #[arg(long, value_name = "QUOTE_ID")]
        quote: Option<String>,
    },
    /// Rename an inbox
    Rename { name: String, new_name: String },
    /// Give an inbox's number up: no refund; renewals stop billing it
    ReleaseNumber {
        name: String,
        /// Confirm the release
        #[arg(long, required = true)]
        yes: bool,
    },
    /// Delete an inbox: its conversations move to another inbox, its number
    /// is released or moved, its members and routing go with it. Without
    /// --yes, shows what it holds
    Delete {
        name: String,
        /// The inbox that takes its conversations (needed when it has any)
        #[arg(long, value_name = "INBOX")]
        move_conversations_to: Option<String>,
        /// Give its number up (no refund)
        #[arg(long, conflicts_with = "move_number_to")]
        release_number: bool,
        /// Move its number to this inbox (one awaiting a number)
        #[arg(long, value_name = "INBOX")]
        move_number_to: Option<String>,
        /// Delete it (without, only show what it holds)
        #[arg(long)]
        yes: bool,
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

impl InboxesArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let (desk, scope) = (&mut s.desk, &s.scope);
        let Some(command) = self.command else {
            let list = desk.inboxes(scope)?;
            return Ok(Output::of(&list, inboxes_text(&list)));
        };
        match command {
            InboxesCmd::Create { name, number, quote } => {
                let inbox = desk.create_inbox(scope, &NewInbox { name, number, quote_id: quote })?;
                let text = format!("Created inbox {} ({}).", inbox.name, inbox.number.as_deref().unwrap_or("awaiting number"));
                Ok(Output::of(&inbox, text))
            }
            InboxesCmd::QuoteNumber { name, number } => {
                let quote = desk.quote_number(scope, &name, &number)?;
                Ok(Output::of(&quote, quote_text(&quote, "number")))
            }
            InboxesCmd::BuyNumber { name, number, quote, .. } => {
                let bought = desk.buy_number(scope, &name, &number, quote.as_deref())?;
                let text = format!("{name} now has its number, for {} {} now.", format_cents(bought.charged_cents), bought.quote.currency);
                Ok(Output::of(&bought, text))
            }
            InboxesCmd::ReplaceNumber { name, number, yes, quote } => {
                if !yes {
                    let quote = desk.quote_replace_number(scope, &name, &number)?;
                    let mut text = quote_text(&quote, "number");
                    text.push_str(&format!("\nThe current number of {name} is released (no refund) in the same step. Confirm with --yes --quote {}", quote.quote_id));
                    return Ok(Output::of(&quote, text));
                }
                let bought = desk.replace_number(scope, &name, &number, quote.as_deref())?;
                let text = format!("{name} now has {number}, for {} {} now; its old number was released.", format_cents(bought.charged_cents), bought.quote.currency);
                Ok(Output::of(&bought, text))
            }
            InboxesCmd::Rename { name, new_name } => {
                let inbox = desk.rename_inbox(scope, &name, &new_name)?;
                Ok(Output::of(&inbox, format!("Renamed {name} to {}.", inbox.name)))
            }
            InboxesCmd::ReleaseNumber { name, .. } => {
                let seats = desk.release_number(scope, &name)?;
                let text = format!(
                    "Released the number of {name}: no refund; the renewal on {} comes to {} now.",
                    seats.renews_on,
                    format_cents(seats.renewal_total_cents)
                );
                Ok(Output::of(&seats, text))
            }
            InboxesCmd::Delete { name, move_conversations_to, release_number, move_number_to, yes } => {
                if !yes {
                    let p = desk.preview_inbox_deletion(scope, &name)?;
                    if p.awaits_invite {
                        let text = format!("{} was made for a pending New Inbox invite: revoke or edit that invite instead of deleting it.", p.inbox);
                        return Ok(Output::of(&p, text));
                    }
                    if p.conversations > 0 && p.other_inboxes.is_empty() {
                        let text = format!("{} is the account's only inbox and holds {}: create another inbox to take them first.", p.inbox, count(p.conversations, "conversation", "conversations"));
                        return Ok(Output::of(&p, text));
                    }
                    let text = format!(
                        "{} holds {}, {} and {}.\nDelete it with --yes{}{}.",
                        p.inbox,
                        count(p.members, "member", "members"),
                        count(p.conversations, "conversation", "conversations"),
                        p.number.as_deref().map(|n| format!("the number {n}")).unwrap_or_else(|| "no number".into()),
                        if p.conversations > 0 { " --move-conversations-to INBOX" } else { "" },
                        if p.number.is_some() { " and --release-number or --move-number-to INBOX" } else { "" },
                    );
                    return Ok(Output::of(&p, text));
                }
                let number = match (release_number, move_number_to) {
                    (true, _) => Some(NumberChoice::Release),
                    (false, Some(inbox)) => Some(NumberChoice::MoveTo { inbox }),
                    (false, None) => None,
                };
                let done = desk.delete_inbox(scope, &name, &InboxDeletion { move_conversations_to, number })?;
                let mut text = format!("Deleted {}", done.inbox);
                if let Some(to) = &done.conversations_to {
                    text.push_str(&format!("; {} conversations moved to {to}", done.conversations_moved));
                    if done.conversations_unassigned > 0 {
                        text.push_str(&format!(" ({} unassigned: their assignee does not work in {to})", done.conversations_unassigned));
                    }
                }
                if let Some(n) = &done.number_released {
                    text.push_str(&format!("; {n} released, no refund"));
                }
                if let Some(to) = &done.number_moved_to {
                    text.push_str(&format!("; its number moved to {to}"));
                }
                text.push('.');
                Ok(Output::of(&done, text))
            }
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
                    if strategy.is_some() || ring_seconds.is_some() {
                        return Err(usage("ring-group add|remove takes an EMAIL only; --strategy and --ring-seconds go with set".into()));
                    }
                    let email = email.ok_or_else(|| usage("ring-group add|remove takes an EMAIL".into()))?;
                    Ok(change_output(desk.set_routing_member(scope, &name, true, &email, matches!(action, RingGroupAction::Add))?))
                }
                RingGroupAction::Set => {
                    if strategy.is_none() && ring_seconds.is_none() {
                        return Err(usage("ring-group NAME set takes --strategy S, --ring-seconds N or both".into()));
                    }
                    Ok(detail_output(desk.set_ring_group(scope, &name, strategy, ring_seconds)?))
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
                if groups.is_empty() && !clear && fallthrough.is_none() {
                    return Ok(detail_output(desk.inbox_detail(scope, &name)?));
                }
                let groups = match (clear, groups.is_empty()) {
                    (true, _) => Some(vec![]),
                    (false, true) => None,
                    (false, false) => Some(groups.iter().map(|g| parse_group(g)).collect::<Result<Vec<_>, _>>()?),
                };
                Ok(detail_output(desk.edit_distribution(scope, &name, groups, fallthrough)?))
            }
            InboxesCmd::Ivr { name, action: Some(action), args, greeting: None, options, clear: false } if options.is_empty() => {
                let digit = |d: &str| d.trim().parse::<i32>().map_err(|_| usage(format!("{d:?} is not a digit 0-9")));
                match (action, args.as_slice()) {
                    (IvrAction::SetOption, [d, target]) => {
                        let target: IvrTarget = target.parse().map_err(usage)?;
                        Ok(detail_output(desk.set_ivr_option(scope, &name, digit(d)?, Some(&target))?))
                    }
                    (IvrAction::ClearOption, [d]) => Ok(detail_output(desk.set_ivr_option(scope, &name, digit(d)?, None)?)),
                    _ => Err(usage("ivr NAME set-option DIGIT TARGET, or ivr NAME clear-option DIGIT".to_string())),
                }
            }
            InboxesCmd::Ivr { action: Some(_), .. } => Err(usage("set-option and clear-option take no other flags".to_string())),
            InboxesCmd::Ivr { name, greeting, options, clear, .. } => {
                if greeting.is_none() && options.is_empty() && !clear {
                    return Ok(detail_output(desk.inbox_detail(scope, &name)?));
                }
                let options = match (clear, options.is_empty()) {
                    (true, _) => Some(vec![]),
                    (false, true) => None,
                    (false, false) => Some(options.iter().map(|o| parse_option(o)).collect::<Result<Vec<_>, _>>()?),
                };
                Ok(detail_output(desk.edit_ivr(scope, &name, greeting, options)?))
            }
        }
    }
}

/// `STRATEGY:SECONDS:EMAIL,EMAIL`
fn parse_group(spec: &str) -> Result<GroupInput, Error> {
    let mut parts = spec.splitn(3, ':');
    let (Some(strategy), Some(secs), members) = (parts.next(), parts.next(), parts.next().unwrap_or("")) else {
        return Err(usage(format!("{spec:?}: a group is STRATEGY:SECONDS:EMAIL,EMAIL")));
    };
    let strategy = RingStrategy::parse(strategy).ok_or_else(|| usage(format!("{strategy:?} is not simultaneous, round-robin or linear-round-robin")))?;
    let ring_seconds: i64 = secs.trim().parse().map_err(|_| usage(format!("{secs:?} is not a number of seconds")))?;
    Ok(GroupInput { strategy, ring_seconds, members: members.split(',').map(str::trim).filter(|m| !m.is_empty()).map(String::from).collect(), was: None })
}

/// `DIGIT=TARGET`
fn parse_option(spec: &str) -> Result<IvrOptionInput, Error> {
    let (digit, target) = spec.split_once('=').ok_or_else(|| usage(format!("{spec:?}: an option is DIGIT=TARGET")))?;
    let digit: i32 = digit.trim().parse().map_err(|_| usage(format!("{digit:?} is not a digit 0-9")))?;
    Ok(IvrOptionInput { digit, target: target.parse().map_err(usage)? })
}

fn change_output(c: MembershipChange) -> Output {
    let text = c.message.clone();
    Output::of(&c, text)
}

fn detail_output(d: InboxDetail) -> Output {
    let a = &d.conversation_assignment;
    let text = format!(
        "Inbox:    {}\nNumber:   {}\nOwner:    {}\nMembers:  {}\n\nConversation Assignment: {}{}\n  members: {}\n  next 5:  {}\nRing Group: {} for {} s\n  members: {}\nCall Distribution: {} group(s), {} s in all, then {}\n{}IVR: {}\n{}",
        d.name,
        d.number.as_deref().unwrap_or("awaiting number"),
        d.owner,
        listed(&d.members),
        if a.round_robin { "round robin" } else { "round robin off" },
        a.default_assignee.as_deref().map(|e| format!(", default assignee {e}")).unwrap_or_default(),
        listed(&a.members),
        if a.next.is_empty() { "unassigned".to_string() } else { a.next.join(", ") },
        d.ring_group.strategy.as_str(),
        d.ring_group.ring_seconds,
        listed(&d.ring_group.members),
        d.distribution.groups.len(),
        d.distribution.total_ring_seconds,
        d.distribution.fallthrough.as_str(),
        d.distribution.groups.iter().map(|g| format!("  {}. {} for {} s: {}\n", g.position, g.strategy.as_str(), g.ring_seconds, g.members.join(", "))).collect::<String>(),
        if d.ivr.greeting.is_empty() { "(no greeting)".to_string() } else { format!("{:?}", d.ivr.greeting) },
        d.ivr.options.iter().map(|o| format!("  {} → {}{}\n", o.digit, o.target, if o.points_nowhere { "  (points nowhere)" } else { "" })).collect::<String>(),
    );
    Output::of(&d, text)
}

/// A list of addresses for the text output: every one up to 20; past that,
/// how many and the first 20 (`--json` lists every one).
fn listed(emails: &[String]) -> String {
    const SHOWN: usize = 20;
    if emails.len() <= SHOWN {
        return emails.join(", ");
    }
    format!("{} in all: {}, … (--json lists every one)", emails.len(), emails[..SHOWN].join(", "))
}

fn inboxes_text(list: &[InboxView]) -> String {
    if list.is_empty() {
        return "No inboxes yet. Create one with `seatdesk inboxes create NAME`.".into();
    }
    table(
        &["INBOX", "NUMBER", "OWNER", "MEMBERS"],
        list.iter()
            .map(|i| vec![i.name.clone(), i.number.clone().unwrap_or_else(|| "awaiting number".into()), i.owner.clone(), i.member_count.to_string()])
            .collect(),
    )
}
