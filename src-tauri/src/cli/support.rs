//! Support's commands and the records: `owner transfer`, `contacts add`,
//! `conversations add` and the audit log.

use clap::{Args, Subcommand};
use serde_json::json;

use seatdesk_core::service::{AuditEntryView, ConversationQuery};
use seatdesk_core::{Error, ErrorCode};

use super::text::table;
use super::{to_json, Output, Session};

#[derive(Subcommand, Debug)]
pub enum OwnerCmd {
    /// Make an Active member the Owner (the old Owner becomes an Admin)
    Transfer {
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ContactsCmd {
    /// A contact with its phone number, owned by a member who holds work
    Add {
        name: String,
        /// The contact's phone number, E.164 (+15551234567)
        #[arg(long)]
        phone: String,
        /// The member who owns the contact
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
        /// The contact's phone number, E.164 (see `contacts add`)
        #[arg(long)]
        contact: String,
        #[arg(long)]
        assignee: Option<String>,
    },
    /// An inbox's conversations, newest activity first (for its members)
    List {
        #[arg(long)]
        inbox: String,
        /// Only this member's
        #[arg(long, conflicts_with = "unassigned")]
        assignee: Option<String>,
        /// Only those assigned to nobody
        #[arg(long)]
        unassigned: bool,
        #[arg(long, default_value_t = 0)]
        offset: i64,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Assign conversations of an inbox (ids from `conversations list`) to one of its members, or to nobody; all or nothing
    Reassign {
        #[arg(long)]
        inbox: String,
        #[arg(required = true)]
        ids: Vec<i64>,
        /// The member who takes them
        #[arg(long, required_unless_present = "unassign", conflicts_with = "unassign")]
        to: Option<String>,
        /// Assign them to nobody
        #[arg(long)]
        unassign: bool,
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

impl OwnerCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let OwnerCmd::Transfer { to } = self;
        // Needs support mode (--support-agent and --ticket).
        let support = s.scope.support.clone().unwrap_or_default();
        let m = s.desk.transfer_owner(&s.scope, &to, &support)?;
        Ok(Output::of(&m, format!("{} is now the Owner.", m.email)))
    }
}

impl ContactsCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        let ContactsCmd::Add { name, phone, owner } = self;
        s.desk.add_contact(&s.scope, &name, &phone, &owner)?;
        Ok(Output { text: format!("Added {name}."), json: json!({ "name": name, "phone": phone, "owner": owner }) })
    }
}

impl ConversationsCmd {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        match self {
            ConversationsCmd::Add { inbox, contact, assignee } => {
                let who = s.desk.add_conversation(&s.scope, &inbox, &contact, assignee.as_deref())?;
                Ok(Output {
                    text: format!("Added a conversation in {inbox}, assigned to {}.", who.as_deref().unwrap_or("nobody")),
                    json: json!({ "inbox": inbox, "contact": contact, "assignee": who }),
                })
            }
            ConversationsCmd::List { inbox, assignee, unassigned, offset, limit } => {
                let q = ConversationQuery { assignee, unassigned, offset: Some(offset), limit: Some(limit) };
                let page = s.desk.inbox_conversations(&s.scope, &inbox, &q)?;
                let rows = page
                    .rows
                    .iter()
                    .map(|c| vec![c.id.to_string(), c.contact_name.clone(), c.contact_phone.clone(), c.assignee.clone().unwrap_or_else(|| "(unassigned)".into()), c.last_activity.clone()])
                    .collect();
                let more = if page.total_capped { "+" } else { "" };
                let text = format!("{}\n{} of {}{more} conversations in {inbox}.", table(&["ID", "CONTACT", "PHONE", "ASSIGNEE", "LAST ACTIVITY"], rows), page.rows.len(), page.total);
                Ok(Output { json: to_json(&page), text })
            }
            ConversationsCmd::Reassign { inbox, ids, to, .. } => {
                let n = s.desk.reassign_conversations(&s.scope, &inbox, &ids, to.as_deref())?;
                Ok(Output {
                    text: format!("Assigned {n} conversations of {inbox} to {}.", to.as_deref().unwrap_or("nobody")),
                    json: json!({ "inbox": inbox, "reassigned": n, "to": to }),
                })
            }
        }
    }
}

impl AuditArgs {
    pub(super) fn run(self, s: &mut Session) -> Result<Output, Error> {
        match self.command {
            Some(AuditCmd::Verify { expect_head }) => {
                let v = s.desk.verify_audit(&s.scope, expect_head.as_deref())?;
                let broken = match (v.first_broken, v.expected_head_found) {
                    (Some(at), _) => Some(format!("The audit chain breaks at entry {at} of {}.", v.entries)),
                    (None, Some(false)) => Some(format!(
                        "The audit chain ({} entries) no longer holds the entry {} noted earlier: it was cut back or replaced.",
                        v.entries,
                        expect_head.as_deref().unwrap_or_default()
                    )),
                    _ => None,
                };
                match broken {
                    Some(message) => Err(Error::new(ErrorCode::InvariantViolated, message).with_details(to_json(&v))),
                    None => Ok(Output::of(&v, format!("The audit chain of {} entries is intact.\nhead: {}", v.entries, v.head))),
                }
            }
            None if s.global.ticket.is_some() => super::desk::ticket_trail(s, self.offset, self.limit),
            None => {
                let page = s.desk.audit_log(&s.scope, self.offset, self.limit)?;
                let mut text = audit_table(&page.rows, false);
                let shown = page.rows.len() as i64;
                if shown == 0 {
                    text = format!("No entries at offset {} ({} in all).", self.offset, page.total);
                } else {
                    text.push_str(&format!("\nentries {}–{} of {} (newest first; --offset pages back)", self.offset + 1, self.offset + shown, page.total));
                }
                Ok(Output { json: audit_json(&page.rows), text })
            }
        }
    }
}

/// Audit entries as a table; with `account`, a column naming each entry's
/// account (a ticket's trail crosses accounts).
pub(super) fn audit_table(rows: &[AuditEntryView], account: bool) -> String {
    let mut headers = vec!["WHEN"];
    headers.extend(account.then_some("ACCOUNT"));
    headers.extend(["WHO", "ACTION", "TARGET", "DETAILS"]);
    table(
        &headers,
        rows.iter()
            .map(|e| {
                // On a shared server, the login that wrote it (set by the server).
                let who = match &e.login {
                    Some(login) => format!("{} (login {login})", e.actor_email),
                    None => e.actor_email.clone(),
                };
                let mut row = vec![e.at.clone()];
                row.extend(account.then(|| e.account.clone().unwrap_or_default()));
                row.extend([who, e.action.clone(), e.target.clone(), e.details.clone()]);
                row
            })
            .collect(),
    )
}

/// Audit entries for `--json`: each entry's details as JSON, not as a
/// string of JSON.
pub(super) fn audit_json(rows: &[AuditEntryView]) -> serde_json::Value {
    rows.iter()
        .map(|e| {
            let mut row = to_json(e);
            row["details"] = serde_json::from_str(&e.details).unwrap_or_else(|_| json!(e.details));
            row
        })
        .collect()
}
