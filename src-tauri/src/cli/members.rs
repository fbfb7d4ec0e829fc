//! `members …` and `me …`: the members list, invites and their life, role
//! changes, deletion, and the acting member's own email.

use clap::{Args, Subcommand};
use serde_json::json;

use seatdesk_core::domain::money::format_cents;
use seatdesk_core::domain::text::count;
use seatdesk_core::domain::{Role, Status};
use seatdesk_core::service::{Deletion, InviteEdit, InviteRequest, MemberQuery, MemberView, RoutedConversations, SeatChoice};
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
    /// Record that a pending invite was sent again (Seatdesk sends no email)
    Resend { email: String },
    /// Record a resend of every invite last sent more than DAYS days ago, in one step
    ResendStale {
        #[arg(long, value_name = "DAYS")]
        days: i64,
        /// Confirm
        #[arg(long, required = true)]
        yes: bool,
    },
    /// Withdraw a pending invite (its seat becomes unassigned)
    Revoke { email: String },
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
    /// Delete a member: reassign what they hold, keep or remove their seat
    #[command(group = clap::ArgGroup::new("seat").required(true).args(["keep_seat", "remove_seat"]))]
    Delete {
        email: String,
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
    /// Change a member's role
    #[command(group = clap::ArgGroup::new("seat").args(["keep_seat", "remove_seat"]))]
    Role {
        email: String,
        #[arg(value_enum)]
        role: Role,
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
            let query = MemberQuery { status: self.status, role: self.role, search: self.search, pending_days: self.pending_over, ..Default::default() };
            let rows = s.desk.all_members(&s.scope, &query)?;
            return Ok(Output::of(&rows, members_text(&rows)));
        };
        let (desk, scope) = (&mut s.desk, &s.scope);
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
            MembersCmd::Resend { email } => {
                let m = desk.resend_invite(scope, &email)?;
                let text = format!(
                    "Resend recorded for {} ({}); Seatdesk sends no email, so send the invitation yourself.",
                    m.email,
                    count(m.resend_count, "resend", "resends")
                );
                Ok(Output::of(&m, text))
            }
            MembersCmd::Revoke { email } => {
                let seats = desk.revoke_invite(scope, &email)?;
                let text = format!("Revoked the invite to {email}; {} of {} seats used.", seats.assigned, seats.purchased);
                Ok(Output { json: json!({ "revoked": email, "seats": seats }), text })
            }
            MembersCmd::Edit { email, new_email, role, inbox, buy_shortfall } => {
                let edit = InviteEdit { email: new_email, role, inbox, buy_shortfall_quote: buy_shortfall };
                Ok(one(desk.edit_invite(scope, &email, &edit)?, "Updated"))
            }
            MembersCmd::Role { email, role, remove_seat, reassign_to, .. } => {
                let r = desk.change_role_reassigning(scope, &email, role, seat_choice(remove_seat), reassign_to.as_deref())?;
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
            MembersCmd::Delete { email, reassign_to, remove_seat, .. } => {
                let d = desk.delete_member(scope, &email, reassign_to.as_deref(), seat_choice(remove_seat))?;
                Ok(Output::of(&d, deletion_text(&d)))
            }
            MembersCmd::Show { email } => {
                let h = desk.holdings(scope, &email)?;
                let m = &h.member;
                let text = format!(
                    "{} <{}>\nRole:    {}\nStatus:  {}\nInboxes: {}\nInvited: {}\nJoined:  {}\nHolds:   {}, {}, {}\nRouting: {}",
                    m.name,
                    m.email,
                    m.role.label(),
                    m.status.as_str(),
                    m.inboxes.join(", "),
                    m.invited_on.as_deref().unwrap_or("-"),
                    m.joined_on.as_deref().unwrap_or("-"),
                    count(h.conversations, "conversation", "conversations"),
                    count(h.contacts, "contact", "contacts"),
                    count(h.owned_inboxes, "owned inbox", "owned inboxes"),
                    if h.routing.is_empty() { "-".to_string() } else { h.routing.join("; ") }
                );
                // The member's own fields, then what they hold (rules §10).
                let mut json = to_json(m);
                json["conversations"] = json!(h.conversations);
                json["contacts"] = json!(h.contacts);
                json["owned_inboxes"] = json!(h.owned_inboxes);
                json["routing"] = json!(h.routing);
                Ok(Output { json, text })
            }
        }
    }
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

fn members_text(rows: &[MemberView]) -> String {
    if rows.is_empty() {
        return "No members match.".into();
    }
    table(
        &["NAME", "EMAIL", "ROLE", "STATUS", "INBOXES"],
        rows.iter().map(|m| vec![m.name.clone(), m.email.clone(), m.role.label().to_string(), m.status.as_str().to_string(), m.inboxes.join(", ")]).collect(),
    )
}
