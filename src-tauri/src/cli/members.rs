//! `members …` and `me …`: the members list, invites and their life, role
//! changes, deletion, and the acting member's own email.

use clap::{Args, Subcommand};
use serde_json::json;

use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::text::count;
use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{BulkAction, BulkOutcome, MemberPage, MemberStory, SeatHeld, Deletion, InviteEdit, Seatdesk, Selection, InviteRequest, MemberQuery, MemberView, RoutedConversations, SeatChoice};
use seatdesk_core::Error;

use super::text::table;
use super::{to_json, Output, Session};

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
        role: Role,
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
    /// Record that pending invites were sent again (Seatdesk sends no email)
    Resend {
        #[command(flatten)]
        who: Chosen,
    },
    /// Record a resend of every invite last sent more than DAYS days ago, in one step
    ResendStale {
        #[arg(long, value_name = "DAYS")]
        days: i64,
        /// Confirm
        #[arg(long, required = true)]
        yes: bool,
    },
    /// Withdraw pending invites (their seats become unassigned)
    Revoke {
        #[command(flatten)]
        who: Chosen,
    },
    /// Add Active members to an inbox (its Conversation Assignment and Ring Group too)
    AddToInbox {
        inbox: String,
        #[command(flatten)]
        who: Chosen,
    },
    /// Correct an Active member's name
    Rename { email: String, name: String },
    /// Edit a pending invite
    Edit {
        email: String,
        #[arg(long = "email")]
        new_email: Option<String>,
        #[arg(long, value_enum)]
        role: Option<Role>,
        #[arg(long)]
        inbox: Option<String>,
        /// A new role that takes a paid seat when none is free: buy it first at
        /// this quote (from the no_free_seats refusal), in the same step
        #[arg(long, value_name = "QUOTE_ID")]
        buy_shortfall: Option<String>,
    },
    /// Delete members: reassign what they hold, keep or remove their seats
    #[command(group = clap::ArgGroup::new("seat").required(true).args(["keep_seat", "remove_seat"]))]
    Delete {
        #[command(flatten)]
        who: Chosen,
        /// Who takes their conversations, contacts and inboxes [default: you]
        #[arg(long)]
        reassign_to: Option<String>,
        /// The seat becomes unassigned
        #[arg(long)]
        keep_seat: bool,
        /// Purchased − 1 (permanent, no refund)
        #[arg(long)]
        remove_seat: bool,
    },
    /// Change members' roles: `members role EMAIL... ROLE`
    #[command(group = clap::ArgGroup::new("seat").args(["keep_seat", "remove_seat"]))]
    Role {
        /// The members, then the role
        #[arg(required = true, num_args = 1.., value_name = "EMAIL... ROLE")]
        emails_and_role: Vec<String>,
        /// Every member matching the list's filters (`members --role observer role --all-matching member`)
        #[arg(long)]
        all_matching: bool,
        /// Apply to several members (without it, show what would change)
        #[arg(long)]
        yes: bool,
        /// Seats a change to a paid role lacks: buy them first at this quote (from the no_free_seats refusal)
        #[arg(long, value_name = "QUOTE_ID")]
        buy_shortfall: Option<String>,
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
    /// A member's page: seat, inboxes with their routing, holdings, who invited them, the audit entries about them
    Show { email: String },
}

/// The members a verb applies to: one or several addresses, or every member
/// matching the list's filters. Several take `--yes`; without it the
/// change is shown, not made.
#[derive(Args, Debug)]
pub struct Chosen {
    #[arg(required_unless_present = "all_matching")]
    pub emails: Vec<String>,
    /// Every member matching the list's filters, given before the verb (`members --status active --role observer VERB --all-matching`)
    #[arg(long, conflicts_with = "emails")]
    pub all_matching: bool,
    /// Apply to several members (without it, show what would change)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args, Debug)]
pub struct MembersArgs {
    #[command(subcommand)]
    pub command: Option<MembersCmd>,
    #[arg(long, value_enum)]
    pub status: Option<Status>,
    #[arg(long, value_enum)]
    pub role: Option<Role>,
    /// Text found in the name or email
    #[arg(long)]
    pub search: Option<String>,
    /// Only pending invites last sent more than DAYS days ago
    #[arg(long, value_name = "DAYS")]
    pub pending_over: Option<i64>,
    /// One page of at most N members (1 to 1000) with how many match in
    /// all, as the window's table pages; without it, every member
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub limit: Option<i64>,
    /// Where the page starts (with --limit)
    #[arg(long, value_name = "N", requires = "limit", value_parser = clap::value_parser!(i64).range(0..))]
    pub offset: Option<i64>,
}

fn seat_choice(remove_seat: bool) -> SeatChoice {
    if remove_seat {
        SeatChoice::Remove
    } else {
        SeatChoice::Keep
    }
}

/// One member, as JSON (the view's own fields) and a line of text.
fn one(m: MemberView, what: &str) -> Output {
    let text = format!("{what} {} ({}, {}).", m.email, m.role.label(), m.status.as_str());
    Output::of(&m, text)
}

impl MeCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let MeCmd::SetEmail { email } = self;
        let me = s.desk.set_my_email(&s.scope, &email)?;
        let text = format!("Your email is now {}.", me.email);
        Ok(Output::of(&me, text))
    }
}

impl MembersArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let Some(command) = self.command else {
            let query = MemberQuery { status: self.status, role: self.role, search: self.search, pending_days: self.pending_over, offset: self.offset, limit: self.limit, ..Default::default() };
            if self.limit.is_some() {
                let page = s.desk.members(&s.scope, &query)?;
                return Ok(Output::of(&page, page_text(&page)));
            }
            let rows = s.desk.all_members(&s.scope, &query)?;
            return Ok(Output::of(&rows, members_text(&rows)));
        };
        let filters = MemberQuery { status: self.status, role: self.role, search: self.search, pending_days: self.pending_over, ..Default::default() };
        let (desk, scope) = (&mut s.desk, &s.scope);
        // Several members (or all matching): one all-or-nothing bulk step,
        // shown first unless --yes.
        let bulk = |desk: &mut Seatdesk, who: Chosen, action: BulkAction, quote: Option<String>| -> Result<Output, Error> {
            let selection = Selection { emails: who.emails, matching: who.all_matching.then(|| filters.clone()) };
            let out = if who.yes { desk.bulk(scope, &selection, &action, quote.as_deref())? } else { desk.preview_bulk(scope, &selection, &action, quote.as_deref())? };
            Ok(Output::of(&out, bulk_text(&out, &action)))
        };
        match command {
            MembersCmd::Invite { emails, role, inbox, new_inbox, buy_shortfall } => {
                let result = desk.invite(scope, &InviteRequest { emails, role, inbox, new_inbox, buy_shortfall_quote: buy_shortfall })?;
                let mut text = String::new();
                if let Some(p) = &result.purchase {
                    text.push_str(&format!("Bought {} for {} {} now.\n", count(p.quote.quantity, "seat", "seats"), format_cents(p.charged_cents), p.quote.currency));
                }
                text.push_str(&format!(
                    "Invited {} ({} of {} seats used).",
                    result.invited.iter().map(|m| m.email.as_str()).collect::<Vec<_>>().join(", "),
                    result.seats.assigned,
                    result.seats.purchased
                ));
                Ok(Output::of(&result, text))
            }
            MembersCmd::Accept { email, name } => Ok(one(desk.accept_invite(scope, &email, name.as_deref())?, "Accepted")),
            MembersCmd::Rename { email, name } => Ok(one(desk.rename_member(scope, &email, &name)?, "Corrected the name of")),
            MembersCmd::ResendStale { days, .. } => {
                let resent = desk.resend_stale(scope, days)?;
                let text = if resent.is_empty() {
                    format!("No invite has waited more than {} since it was last sent.", count(days, "day", "days"))
                } else {
                    format!(
                        "Resend recorded for {}; Seatdesk sends no email, so send the invitations yourself:\n{}",
                        count(resent.len() as i64, "invite", "invites"),
                        resent.join("\n")
                    )
                };
                Ok(Output::of(&resent, text))
            }
            MembersCmd::Resend { who } if !who.one() => bulk(desk, who, BulkAction::Resend, None),
            MembersCmd::Resend { who } => {
                let m = desk.resend_invite(scope, &who.emails[0])?;
                let text = format!(
                    "Resend recorded for {} ({}); Seatdesk sends no email, so send the invitation yourself.",
                    m.email,
                    count(m.resend_count, "resend", "resends")
                );
                Ok(Output::of(&m, text))
            }
            MembersCmd::Revoke { who } if !who.one() => bulk(desk, who, BulkAction::Revoke, None),
            MembersCmd::Revoke { who } => {
                let email = &who.emails[0];
                let seats = desk.revoke_invite(scope, email)?;
                let text = format!("Revoked the invite to {email}; {} of {} seats used.", seats.assigned, seats.purchased);
                Ok(Output { json: json!({ "revoked": email, "seats": seats }), text })
            }
            MembersCmd::Edit { email, new_email, role, inbox, buy_shortfall } => {
                let edit = InviteEdit { email: new_email, role, inbox, buy_shortfall_quote: buy_shortfall };
                Ok(one(desk.edit_invite(scope, &email, &edit)?, "Updated"))
            }
            MembersCmd::AddToInbox { inbox, who } if !who.one() => bulk(desk, who, BulkAction::AddToInbox { inbox }, None),
            MembersCmd::AddToInbox { inbox, who } => {
                let change = desk.add_inbox_member(scope, &inbox, &who.emails[0])?;
                Ok(Output::of(&change, change.message.clone()))
            }
            MembersCmd::Role { mut emails_and_role, all_matching, yes, buy_shortfall, remove_seat, reassign_to, .. } => {
                let role = Role::parse(&emails_and_role.pop().expect("required"))?;
                let who = Chosen { emails: emails_and_role, all_matching, yes };
                if who.emails.is_empty() && !all_matching {
                    return Err(super::usage("Name the members, then the role: `members role EMAIL... ROLE` (or --all-matching ROLE).".into()));
                }
                if !who.one() {
                    let action = BulkAction::ChangeRole { role, seat: seat_choice(remove_seat), reassign_to };
                    return bulk(desk, who, action, buy_shortfall);
                }
                let email = &who.emails[0];
                let r = desk.change_role_reassigning(scope, email, role, seat_choice(remove_seat), reassign_to.as_deref())?;
                if !r.changed {
                    let text = format!("{} is {} already; nothing changed.", r.member.email, r.member.role.with_article().to_lowercase());
                    return Ok(Output::of(&r, text));
                }
                let mut text = format!("Updated {} ({}, {}).", r.member.email, r.member.role.label(), r.member.status.as_str());
                if let Some(heir) = &r.reassigned_to {
                    text.push_str(&format!(" {} went to {heir}.", holdings_text(r.conversations, r.contacts, r.inboxes)));
                }
                text.push_str(&handover_lines(&r.routed, &r.notes));
                Ok(Output::of(&r, text))
            }
            MembersCmd::Delete { who, reassign_to, remove_seat, .. } if !who.one() => {
                bulk(desk, who, BulkAction::Delete { seat: seat_choice(remove_seat), reassign_to }, None)
            }
            MembersCmd::Delete { who, reassign_to, remove_seat, .. } => {
                let d = desk.delete_member(scope, &who.emails[0], reassign_to.as_deref(), seat_choice(remove_seat))?;
                Ok(Output::of(&d, deletion_text(&d)))
            }
            MembersCmd::Show { email } => {
                let story = desk.member_story(scope, &email)?;
                Ok(Output { json: story_json(&story), text: story_text(&story) })
            }
        }
    }
}

/// The member's own fields at the top level, then the rest of the page
/// (rules §10: `members show` kept its fields; `routing` stays a list of
/// "Inbox: Setting").
fn story_json(story: &MemberStory) -> serde_json::Value {
    let mut json = to_json(&story.member);
    let routing: Vec<String> = story
        .inboxes
        .iter()
        .flat_map(|i| i.routing.iter().map(move |r| format!("{}: {r}", i.name)))
        .chain(story.routing_elsewhere.iter().cloned())
        .collect();
    for (key, value) in [
        ("seat", json!(story.seat)),
        ("invited_by", json!(story.invited_by)),
        ("conversations", json!(story.conversations)),
        ("contacts", json!(story.contacts)),
        ("owned_inboxes", json!(story.owned_inboxes)),
        ("routing", json!(routing)),
        ("inbox_routing", json!(story.inboxes)),
        ("history", json!(story.history)),
        ("history_more", json!(story.history_more)),
    ] {
        json[key] = value;
    }
    json
}

fn story_text(story: &MemberStory) -> String {
    let m = &story.member;
    let seat = match story.seat {
        SeatHeld::Owner => "the Owner's, with the plan",
        SeatHeld::Paid => "a paid seat",
        SeatHeld::Reserved => "a paid seat, reserved until they accept",
        SeatHeld::Free => "none (Observers read for free)",
    };
    let mut text = format!(
        "{} <{}>\nRole:    {}\nStatus:  {}\nSeat:    {seat}\nInvited: {}{}\nJoined:  {}\nHolds:   {}, {}, {}",
        m.name,
        m.email,
        m.role.label(),
        m.status.as_str(),
        m.invited_on.as_deref().unwrap_or("-"),
        story.invited_by.as_deref().map(|by| format!(" by {by}")).unwrap_or_default(),
        m.joined_on.as_deref().unwrap_or("-"),
        count(story.conversations, "conversation", "conversations"),
        count(story.contacts, "contact", "contacts"),
        count(story.owned_inboxes, "owned inbox", "owned inboxes"),
    );
    if m.status == Status::Pending {
        text.push_str(&format!("\nSent:    {} ({})", m.last_sent_at.as_deref().unwrap_or("never"), count(m.resend_count, "resend", "resends")));
    }
    text.push_str("\nInboxes:");
    if story.inboxes.is_empty() {
        text.push_str(" -");
    }
    for i in &story.inboxes {
        let routing = if i.routing.is_empty() { "no routing setting".to_string() } else { i.routing.join(", ") };
        text.push_str(&format!("\n  {} ({}): {routing}", i.name, i.number.as_deref().unwrap_or("awaiting number")));
    }
    for r in &story.routing_elsewhere {
        text.push_str(&format!("\n  {r} (an inbox they are not in)"));
    }
    text.push_str("\nHistory (newest first):");
    for e in &story.history {
        text.push_str(&format!("\n  {} {} by {} {}", e.date, e.action, e.actor_email, e.details));
    }
    if story.history.is_empty() {
        text.push_str(" -");
    }
    if story.history_more {
        text.push_str("\n  … older entries: `seatdesk audit`");
    }
    text
}

impl Chosen {
    /// One address named: the one-member command, applied at once as always.
    fn one(&self) -> bool {
        !self.all_matching && self.emails.len() == 1
    }
}

/// What a bulk step did, or (without --yes) would do.
fn bulk_text(out: &BulkOutcome, action: &BulkAction) -> String {
    // The headline counts those who change; the others are said apart.
    let n = count(out.changed, "member", "members");
    let what = match action {
        BulkAction::Resend => format!("record a resend of the invites of {n}"),
        BulkAction::Revoke => format!("revoke the invites of {n}"),
        BulkAction::ChangeRole { role, .. } => format!("give {n} the role {}", role.label()),
        BulkAction::AddToInbox { inbox } => format!("add {n} to {inbox}"),
        BulkAction::Delete { .. } => format!("delete {n}"),
    };
    let mut text = if out.applied {
        format!("Done, in one step: {what}.")
    } else {
        format!("Would {what} (nothing is changed yet; add --yes to apply):")
    };
    for email in &out.members {
        text.push_str(&format!("\n  {email}"));
    }
    let unchanged = out.members.len() as i64 - out.changed;
    if unchanged > 0 {
        text.push_str(&format!("\n{} of those listed {} that way already: nothing changes for them.", count(unchanged, "member", "members"), if unchanged == 1 { "is" } else { "are" }));
    }
    if let Some(p) = &out.purchase {
        let buy = if out.applied { "Bought" } else { "Would buy" };
        text.push_str(&format!("\n{buy} {} for {} {} first.", count(p.quote.quantity, "seat", "seats"), format_cents(p.charged_cents), p.quote.currency));
    }
    let (before, after) = (&out.seats_before, &out.seats);
    text.push_str(&format!("\nSeats: {} of {} used", after.assigned, after.purchased));
    if (before.assigned, before.purchased) != (after.assigned, after.purchased) {
        text.push_str(&format!(" (was {} of {})", before.assigned, before.purchased));
    }
    text.push('.');
    if out.conversations + out.contacts + out.inboxes > 0 {
        text.push_str(&format!("\nHanded over: {}.", holdings_text(out.conversations, out.contacts, out.inboxes)));
    }
    for note in &out.notes {
        text.push_str(&format!("\n{note}"));
    }
    if out.applied && matches!(action, BulkAction::Resend) {
        text.push_str("\nSeatdesk sends no email: send each of them the invitation yourself.");
    }
    text
}

fn deletion_text(d: &Deletion) -> String {
    if d.revoked_invite {
        return format!("{} had not accepted: the invite was revoked.", d.deleted);
    }
    let mut text = format!(
        "Deleted {}; {} went to {}. {} of {} seats used.",
        d.deleted,
        holdings_text(d.conversations, d.contacts, d.inboxes),
        d.reassigned_to.as_deref().unwrap_or("-"),
        d.seats.assigned,
        d.seats.purchased
    );
    text.push_str(&handover_lines(&d.routed, &d.notes));
    text
}

/// "3 conversations, 1 contact and 0 inboxes".
fn holdings_text(conversations: i64, contacts: i64, inboxes: i64) -> String {
    let n = |count: i64, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    format!("{}, {} and {}", n(conversations, "conversation", "conversations"), n(contacts, "contact", "contacts"), n(inboxes, "inbox", "inboxes"))
}

/// Conversations routed elsewhere and the notes of a hand-over, a line each.
fn handover_lines(routed: &[RoutedConversations], notes: &[String]) -> String {
    let mut text = String::new();
    for r in routed {
        let what = count(r.conversations, "conversation", "conversations");
        text.push_str(&match &r.to {
            Some(to) => format!("\n{what} of {} went to {to} (its Conversation Assignment).", r.inbox),
            None => format!("\n{what} of {} left unassigned (nobody is in its Conversation Assignment).", r.inbox),
        });
    }
    for n in notes {
        text.push_str(&format!("\n{n}"));
    }
    text
}

/// A page, and where it stands in the whole: "members 101–200 of 15 524".
fn page_text(page: &MemberPage) -> String {
    let total = if page.total_capped { format!("{}+", page.total) } else { page.total.to_string() };
    if page.rows.is_empty() {
        return match page.total {
            0 => "No members match.".into(),
            _ => format!("No members at offset {} ({total} match).", page.offset),
        };
    }
    let end = page.offset + page.rows.len() as i64;
    // The next page's --offset while there is one; a count's cap otherwise.
    let mut notes = Vec::new();
    if page.total_capped || end < page.total {
        notes.push(format!("--offset {end} for the next page"));
    }
    if page.total_capped {
        notes.push("counted up to 10000: narrow the search or filters to count them all".into());
    }
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) };
    let which = if end == page.offset + 1 { format!("member {end}") } else { format!("members {}–{end}", page.offset + 1) };
    format!("{}\n{which} of {total}{notes}", members_text(&page.rows))
}

fn members_text(rows: &[MemberView]) -> String {
    if rows.is_empty() {
        return "No members match.".into();
    }
    table(
        &["NAME", "EMAIL", "ROLE", "STATUS", "INBOXES"],
        rows.iter().map(|m| vec![m.name.clone(), m.email.clone(), m.role.label().to_string(), m.status.as_str().to_string(), m.inboxes.join(", ")]).collect(),
    )
}
