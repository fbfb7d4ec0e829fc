//! Deleting a member with reassignment, owner transfer, contacts and
//! conversations, the audit log and the invariant check (rules §6, §8).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::accounts::seat_summary;
use super::billing::renew_due;
use super::invites::SeatChoice;
use super::{audit, now_stamp, resolve, Ctx, MemberView, Scope, Seatdesk};
use crate::domain::billing::LedgerKind;
use crate::domain::phone::parse_e164;
use crate::domain::routing::{MAX_GROUPS, MAX_SIMULTANEOUS};
use crate::domain::text::parse_name;
use crate::domain::{Member, Permission, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::store;
use crate::store::routing::List;

/// What a member holds, for the Delete member wizard and `members show`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Holdings {
    pub member: MemberView,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub owned_inboxes: i64,
    /// Routing settings they are in: "Inbox: setting".
    pub routing: Vec<String>,
}

/// The outcome of a deletion.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Deletion {
    pub deleted: String,
    pub reassigned_to: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub inboxes: i64,
    /// True when the target was a pending invite, which is revoked instead.
    pub revoked_invite: bool,
    pub seats: SeatSummary,
    /// Conversations in inboxes the heir is not in, which went where each
    /// inbox's Conversation Assignment sent them (not counted above).
    pub routed: Vec<RoutedConversations>,
    /// What else changed: inboxes whose default assignee this was, now
    /// round robin again.
    pub notes: Vec<String>,
}

/// Conversations of an inbox that went to its Conversation Assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RoutedConversations {
    pub inbox: String,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    /// `None`: nobody is in the assignment; they are unassigned.
    pub to: Option<String>,
}

/// What [`hand_over`] moved, and where.
pub(crate) struct HandOver {
    /// Conversations, contacts and inboxes that went to the heir.
    pub conversations: i64,
    pub contacts: i64,
    pub inboxes: i64,
    pub routed: Vec<RoutedConversations>,
    pub notes: Vec<String>,
}

impl HandOver {
    pub fn audit_details(&self) -> serde_json::Value {
        json!({ "conversations": self.conversations, "contacts": self.contacts, "inboxes": self.inboxes, "routed": self.routed, "notes": self.notes })
    }
}

/// A support agent's identity for support actions (owner transfer).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct SupportTicket {
    pub agent: String,
    pub ticket: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditEntryView {
    pub at: String,
    pub date: String,
    pub actor_email: String,
    pub actor_name: String,
    pub action: String,
    pub target: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditPage {
    pub rows: Vec<AuditEntryView>,
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AuditVerdict {
    pub ok: bool,
    #[specta(type = specta_typescript::Number)]
    pub entries: i64,
    /// The position (1-based, oldest first) of the first entry that does not match.
    #[specta(type = Option<specta_typescript::Number>)]
    pub first_broken: Option<i64>,
    /// The hash of the newest entry (the genesis value when there is none):
    /// note it to detect a chain later cut back (`--expect-head`).
    pub head: String,
    /// With `--expect-head`: whether that entry is still in the chain.
    pub expected_head_found: Option<bool>,
}

/// One broken invariant found by `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Violation {
    pub account: String,
    pub rule: String,
    pub message: String,
}

pub(crate) fn holdings_of(conn: &Connection, member: &Member) -> Result<Holdings> {
    let (conversations, contacts, owned_inboxes) = store::conversations::holdings(conn, member.id)?;
    let routing = store::routing::settings_of_member(conn, member.id)?
        .into_iter()
        .map(|(inbox, setting)| format!("{inbox}: {}", setting.replace('_', " ")))
        .collect();
    let inboxes = store::inboxes::of_member(conn, member.id)?.into_iter().map(|i| i.name).collect();
    Ok(Holdings { member: MemberView::new(member.clone(), inboxes), conversations, contacts, owned_inboxes, routing })
}

/// Active members with a paid role (or the Owner), other than `leaving`.
pub(crate) fn reassign_heir(conn: &Connection, ctx: &Ctx, leaving: &Member, to: Option<&str>) -> Result<Member> {
    let target = match to.map(str::trim).filter(|t| !t.is_empty()) {
        Some(email) => store::members::find_by_email(conn, ctx.account.id, &email.to_lowercase())?,
        None => Some(ctx.actor.clone()),
    };
    match target {
        Some(t) if t.id != leaving.id && t.status == Status::Active && (t.role == Role::Owner || t.role.takes_paid_seat()) => Ok(t),
        _ => Err(Error::new(
            ErrorCode::InvalidReassignTarget,
            "Reassign to yourself or another Active member with a paid role (never the member leaving, never a pending invite or an Observer).",
        )
        .with_details(json!({ "reassign_to": to, "leaving": leaving.email }))),
    }
}

/// Takes `leaving` off every routing setting and moves what they hold to
/// `heir`: contacts and inbox ownership, and their conversations in every
/// inbox `heir` belongs to. In an inbox `heir` does not belong to, their
/// conversations go where its Conversation Assignment sends the next one
/// (or stay unassigned), so that a conversation is only ever held by a
/// member of its inbox.
pub(crate) fn hand_over(conn: &Connection, leaving: &Member, heir: &Member) -> Result<HandOver> {
    let left = store::routing::remove_member_everywhere(conn, leaving.id)?;
    let mut notes: Vec<String> = left
        .back_to_round_robin
        .iter()
        .map(|i| format!("{} was the default assignee of {i}: its Conversation Assignment is round robin again.", leaving.email))
        .collect();
    notes.extend(left.groups_removed.iter().map(|(inbox, position)| group_removed_note(&leaving.email, inbox, *position)));
    let heirs_inboxes: Vec<crate::domain::InboxId> = store::inboxes::of_member(conn, heir.id)?.into_iter().map(|i| i.id).collect();
    let mut routed = Vec::new();
    for inbox in store::conversations::inboxes_held_by(conn, leaving.id)? {
        if !heirs_inboxes.contains(&inbox) {
            let inbox = store::inboxes::by_id(conn, inbox)?;
            let (n, to) = super::routing::route_away(conn, &inbox, leaving)?;
            routed.push(RoutedConversations { inbox: inbox.name, conversations: n as i64, to: to.map(|m| m.email) });
        }
    }
    let (conversations, contacts, inboxes) = store::conversations::reassign(conn, leaving.id, heir.id)?;
    Ok(HandOver { conversations: conversations as i64, contacts: contacts as i64, inboxes: inboxes as i64, routed, notes })
}

/// Says that a distribution group went with the last member in it.
pub(crate) fn group_removed_note(email: &str, inbox: &str, position: i64) -> String {
    format!(
        "{email} was the last member of group {position} of {inbox}'s Call Distribution: the group is removed (callers never ring into nothing), \
         the groups after it move up, and an IVR digit that rang it points nowhere."
    )
}

/// Books the removal of one seat freed by `who` (no refund).
pub(crate) fn remove_freed_seat(conn: &Connection, ctx: &Ctx, today: chrono::NaiveDate, who: &str) -> Result<()> {
    let account = store::accounts::by_id(conn, ctx.account.id)?;
    store::accounts::set_purchased_seats(conn, account.id, account.purchased_seats - 1)?;
    let note = format!("seat of {who}; no refund");
    super::billing::book(conn, ctx, today, LedgerKind::SeatRemoval, 1, account.plan.seat_price_cents, 0, &note)
}

impl Seatdesk {
    /// What a member holds (the Delete member wizard, `members show`).
    pub fn holdings(&mut self, scope: &Scope, email: &str) -> Result<Holdings> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read members")?;
            let member = store::members::find_by_email(tx, ctx.account.id, &email.trim().to_lowercase())?
                .ok_or_else(|| Error::not_found("member", email.trim()))?;
            holdings_of(tx, &member)
        })
    }

    /// Deletes a member in one transaction: their conversations, contacts and
    /// inbox ownership go to `reassign_to` (the acting member by default),
    /// they leave every inbox and routing setting, and their seat is kept
    /// (unassigned) or removed. A pending invite is revoked instead.
    pub fn delete_member(&mut self, scope: &Scope, email: &str, reassign_to: Option<&str>, seat: SeatChoice) -> Result<Deletion> {
        self.write(|tx, today| {
            let mut ctx = resolve(tx, scope, Permission::ManageAccount, "delete members")?;
            ctx.account = renew_due(tx, ctx.account, today)?.0;
            let target = store::members::find_by_email(tx, ctx.account.id, &email.trim().to_lowercase())?
                .ok_or_else(|| Error::not_found("member", email.trim()))?;
            if target.status == Status::Pending {
                // A pending invite is revoked, and its reserved seat removed
                // when asked, in this one transaction.
                super::invites::revoke_tx(tx, &ctx, today, &target, Some(seat))?;
                if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
                    remove_freed_seat(tx, &ctx, today, &target.email)?;
                }
                // The seats as they are now, after any removal.
                let seats = seat_summary(tx, &store::accounts::by_id(tx, ctx.account.id)?)?;
                return Ok(Deletion { deleted: target.email, reassigned_to: None, conversations: 0, contacts: 0, inboxes: 0, revoked_invite: true, seats, routed: vec![], notes: vec![] });
            }
            if target.role == Role::Owner {
                return Err(Error::new(ErrorCode::OwnerProtected, "The Owner cannot be deleted; transfer ownership first (a support action).")
                    .with_details(json!({ "email": target.email })));
            }
            if target.id == ctx.actor.id {
                return Err(super::invites::cannot_change_self("delete themselves"));
            }
            let heir = reassign_heir(tx, &ctx, &target, reassign_to)?;
            let handed = hand_over(tx, &target, &heir)?;
            store::members::delete(tx, target.id)?;
            if target.role.takes_paid_seat() && seat == SeatChoice::Remove {
                remove_freed_seat(tx, &ctx, today, &target.email)?;
            }
            audit(
                tx,
                &ctx,
                today,
                "member.delete",
                &target.email,
                json!({ "name": target.name, "role": target.role.as_str(), "reassigned_to": heir.email, "handed_over": handed.audit_details(), "seat": seat }),
            )?;
            let account = store::accounts::by_id(tx, ctx.account.id)?;
            Ok(Deletion {
                deleted: target.email,
                reassigned_to: Some(heir.email),
                conversations: handed.conversations,
                contacts: handed.contacts,
                inboxes: handed.inboxes,
                revoked_invite: false,
                seats: seat_summary(tx, &account)?,
                routed: handed.routed,
                notes: handed.notes,
            })
        })
    }

    /// Makes an Active member the Owner; the old Owner becomes an Admin.
    /// A support action: it needs the agent's name and a ticket reference.
    pub fn transfer_owner(&mut self, scope: &Scope, to: &str, support: &SupportTicket) -> Result<MemberView> {
        self.write(|tx, today| {
            let (agent, ticket) = (support.agent.trim(), support.ticket.trim());
            if agent.is_empty() || ticket.is_empty() {
                return Err(Error::new(
                    ErrorCode::SupportModeRequired,
                    "Owner transfer is a support action: switch on support mode with the agent's name and give the ticket reference.",
                ));
            }
            // The account asks (its Owner or an Admin acting); support carries it out.
            let asking = resolve(tx, scope, Permission::Read, "ask for an owner transfer")?.actor;
            if !matches!(asking.role, Role::Owner | Role::Admin) {
                return Err(Error::new(
                    ErrorCode::NotPermitted,
                    format!("{} cannot ask for an owner transfer: the account's Owner or an Admin must be acting.", asking.role.with_article()),
                )
                .with_details(json!({ "role": asking.role.as_str(), "action": "transfer ownership" })));
            }
            let account = super::resolve_account(tx, scope)?;
            let account = renew_due(tx, account, today)?.0;
            let old = store::members::owner(tx, account.id)?;
            let new = store::members::find_by_email(tx, account.id, &to.trim().to_lowercase())?;
            let new = match new {
                Some(m) if m.status == Status::Active && m.role != Role::Owner => m,
                _ => {
                    return Err(Error::new(ErrorCode::InvalidTransferTarget, "The new Owner must already be an Active member (not the current Owner).")
                        .with_details(json!({ "to": to })))
                }
            };
            // The old Owner takes an Admin's paid seat; the new one leaves theirs (if any).
            if !new.role.takes_paid_seat() {
                let free = seat_summary(tx, &account)?.unassigned;
                if free < 1 {
                    return Err(Error::new(ErrorCode::NoFreeSeats, "The old Owner becomes an Admin, which needs a free seat: buy one first.")
                        .with_details(json!({ "needed": 1, "free": free })));
                }
            }
            store::members::set_role(tx, old.id, Role::Admin)?;
            store::members::set_role(tx, new.id, Role::Owner)?;
            let ctx = Ctx {
                account,
                actor: Member { email: format!("support:{agent}"), name: format!("{agent} (support)"), ..old.clone() },
                via: None,
            };
            audit(
                tx,
                &ctx,
                today,
                "owner.transfer",
                &new.email,
                json!({ "from": old.email, "to": new.email, "support_agent": agent, "ticket": ticket,
                        "acting_member": { "email": asking.email, "name": asking.name, "role": asking.role.as_str() } }),
            )?;
            let inboxes = store::inboxes::of_member(tx, new.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(store::members::by_id(tx, new.id)?, inboxes))
        })
    }

    /// Adds a contact owned by a member.
    pub fn add_contact(&mut self, scope: &Scope, name: &str, phone: &str, owner: &str) -> Result<()> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "add contacts")?;
            let name = parse_name("contact", name)?;
            let phone = parse_e164(phone)?;
            let owner = store::members::find_by_email(tx, ctx.account.id, &owner.trim().to_lowercase())?
                .ok_or_else(|| Error::not_found("member", owner.trim()))?;
            if owner.status != Status::Active || !(owner.role == Role::Owner || owner.role.takes_paid_seat()) {
                return Err(Error::new(
                    ErrorCode::InvalidContactOwner,
                    format!("{} cannot own contacts: only an Active member with a paid role, or the Owner, holds work.", owner.email),
                )
                .with_details(json!({ "owner": owner.email, "role": owner.role.as_str(), "status": owner.status.as_str() })));
            }
            if store::conversations::contact_by_phone(tx, ctx.account.id, &phone)?.is_some() {
                return Err(Error::new(ErrorCode::DuplicateNumber, format!("A contact with {phone} exists already.")).with_details(json!({ "number": phone })));
            }
            store::conversations::insert_contact(tx, ctx.account.id, &name, &phone, owner.id, &now_stamp())?;
            audit(tx, &ctx, today, "contact.add", &phone, json!({ "name": name, "owner": owner.email }))
        })
    }

    /// Adds an inbound conversation. Without an assignee it follows the
    /// inbox's Conversation Assignment (default assignee or round robin).
    pub fn add_conversation(&mut self, scope: &Scope, inbox: &str, contact_phone: &str, assignee: Option<&str>) -> Result<Option<String>> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::ManageInboxes, "add conversations")?;
            let inbox = store::inboxes::by_name(tx, ctx.account.id, inbox)?;
            let phone = parse_e164(contact_phone)?;
            let contact = store::conversations::contact_by_phone(tx, ctx.account.id, &phone)?
                .ok_or_else(|| Error::not_found("contact", &phone))?;
            // Only the members involved are read, never the whole inbox.
            let in_inbox = |m: &Member| -> Result<bool> { Ok(store::inboxes::of_member(tx, m.id)?.iter().any(|i| i.id == inbox.id)) };
            let assignee = match assignee.map(str::trim).filter(|a| !a.is_empty()) {
                Some(email) => {
                    let found = store::members::find_by_email(tx, ctx.account.id, &email.to_lowercase())?;
                    match found {
                        Some(m) if m.status == Status::Active && in_inbox(&m)? => {
                            if m.role == Role::Observer {
                                return Err(super::routing::observer_holds_no_work(&m, "conversations"));
                            }
                            Some(m)
                        }
                        _ => return Err(Error::new(ErrorCode::NotInboxMember, format!("{email} is not an active member of {}.", inbox.name))),
                    }
                }
                None => super::routing::assignment_target(tx, &inbox)?,
            };
            store::conversations::insert_conversation(tx, ctx.account.id, inbox.id, contact, assignee.as_ref().map(|m| m.id), &now_stamp())?;
            audit(tx, &ctx, today, "conversation.add", &inbox.name, json!({ "contact": phone, "assignee": assignee.as_ref().map(|m| &m.email) }))?;
            Ok(assignee.map(|m| m.email))
        })
    }

    /// The audit log, newest first.
    /// A page of the audit log, newest first: every role reads it.
    /// `offset` from 0, `limit` from 1 to 1 000 (`invalid_quantity` otherwise).
    pub fn audit_log(&mut self, scope: &Scope, offset: i64, limit: i64) -> Result<AuditPage> {
        if offset < 0 || !(1..=1000).contains(&limit) {
            return Err(Error::new(ErrorCode::InvalidQuantity, format!("Pages of the audit log start at offset 0 or later and hold 1 to 1 000 entries (asked: offset {offset}, limit {limit})."))
                .with_details(json!({ "offset": offset, "limit": limit, "max_limit": 1000 })));
        }
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read the audit log")?;
            let (rows, total) = store::audit::page(tx, ctx.account.id, offset, limit)?;
            Ok(AuditPage { rows: rows.into_iter().map(|e| AuditEntryView { at: e.at, date: e.business_date, actor_email: e.actor_email, actor_name: e.actor_name, action: e.action, target: e.target, details: e.details }).collect(), total })
        })
    }

    /// Recomputes the account's hash chain. With `expect_head` (a head hash
    /// noted earlier: from `audit verify`, a backup or an export) it also
    /// proves the chain still holds that entry, so a chain cut back to an
    /// earlier point is detected.
    pub fn verify_audit(&mut self, scope: &Scope, expect_head: Option<&str>) -> Result<AuditVerdict> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "verify the audit log")?;
            let entries = store::audit::count(tx, ctx.account.id)?;
            let broken = store::audit::first_broken_position(tx, ctx.account.id)?;
            let head = store::audit::head(tx, ctx.account.id)?;
            let expected_head_found = match expect_head {
                Some(h) => Some(store::audit::position_of(tx, ctx.account.id, &h.trim().to_ascii_lowercase())?.is_some()),
                None => None,
            };
            let ok = broken.is_none() && expected_head_found != Some(false);
            Ok(AuditVerdict { ok, entries, first_broken: broken, head, expected_head_found })
        })
    }

    /// Refuses a support identity without the agent's name or the ticket.
    pub fn validate_support(&self, support: &SupportTicket) -> Result<()> {
        parse_name("support agent's", &support.agent)?;
        parse_name("ticket", &support.ticket)?;
        Ok(())
    }

    /// A pin of the member a scope acts as, which a later member given the
    /// same address does not match: the window holds the member it confirmed.
    pub fn acting_member_pin(&mut self, scope: &Scope) -> Result<String> {
        self.read(|tx, _| super::member_pin(tx, &resolve(tx, scope, Permission::Read, "act in this account")?.actor))
    }

    /// The member a scope acts as (the Owner by default), who must be able
    /// to act (Active).
    pub fn acting_member(&mut self, scope: &Scope) -> Result<MemberView> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "act in this account")?;
            let inboxes = store::inboxes::of_member(tx, ctx.actor.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(ctx.actor, inboxes))
        })
    }

    /// Support mode switched on (`on`) or off: audited as the support agent,
    /// with the ticket and the member acting. Switching on needs the agent's
    /// name and a ticket reference (`invalid_name` otherwise).
    pub fn record_support_mode(&mut self, scope: &Scope, support: &SupportTicket, on: bool) -> Result<()> {
        let agent = parse_name("support agent's", &support.agent)?;
        let ticket = parse_name("ticket", &support.ticket)?;
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "work with support")?;
            let acting = json!({ "email": ctx.actor.email, "name": ctx.actor.name, "role": ctx.actor.role.as_str() });
            let support_ctx = Ctx {
                actor: Member { email: format!("support:{agent}"), name: format!("{agent} (support)"), ..ctx.actor.clone() },
                account: ctx.account,
                via: None,
            };
            let action = if on { "support.enter" } else { "support.exit" };
            audit(tx, &support_ctx, today, action, &ticket, json!({ "support_agent": agent, "ticket": ticket, "acting_member": acting }))
        })
    }

    /// Records that changes in this account are now made as
    /// `scope.acting_as` (the window after its native confirmation, the
    /// CLI's `--as`). The entry is written as the member now acting.
    pub fn switch_acting(&mut self, scope: &Scope, from: Option<&str>, via: &str) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve(tx, scope, Permission::Read, "act in this account")?;
            let os_user = crate::os_user();
            audit(tx, &ctx, today, "acting.switch", &ctx.actor.email, json!({ "from": from, "via": via, "os_user": os_user }))?;
            let inboxes = store::inboxes::of_member(tx, ctx.actor.id)?.into_iter().map(|i| i.name).collect();
            Ok(MemberView::new(ctx.actor, inboxes))
        })
    }

    /// Every invariant of rules §1–§8 over every account (or the one named).
    pub fn check(&mut self, account: Option<&str>) -> Result<Vec<Violation>> {
        self.read(|tx, today| {
            let mut out = Vec::new();
            if !store::integrity_ok(tx)? {
                out.push(Violation { account: "*".into(), rule: "integrity".into(), message: "SQLite's integrity check failed".into() });
            }
            // No table, index, trigger or view beyond what the schema holds
            // (another tool, or a crafted file, could have added one).
            let (found, expected) = (store::schema_of(tx)?, store::expected_schema(store::SCHEMA_VERSION)?);
            for object in found.iter().filter(|o| !expected.contains(o)) {
                out.push(Violation { account: "*".into(), rule: "schema".into(), message: format!("unexpected or changed {} {}", object.0, object.1) });
            }
            for object in expected.iter().filter(|o| !found.contains(o)) {
                out.push(Violation { account: "*".into(), rule: "schema".into(), message: format!("missing {} {}", object.0, object.1) });
            }
            let accounts = match account {
                Some(name) => vec![store::accounts::by_name(tx, name)?],
                None => store::accounts::list(tx)?,
            };
            for a in accounts {
                let mut v = |rule: &str, message: String| out.push(Violation { account: a.name.clone(), rule: rule.into(), message });
                let owners = store::members::count_role(tx, a.id, Role::Owner)?;
                if owners != 1 {
                    v("one_owner", format!("{owners} Owners instead of exactly one"));
                } else if store::members::owner(tx, a.id)?.status != Status::Active {
                    v("one_owner", "the Owner is not Active".into());
                }
                let (kept, counted) = store::members::kept_and_counted(tx, a.id)?;
                if kept != counted {
                    v("counters", format!("the tab counts {kept:?} differ from the members {counted:?}"));
                }
                let seats = seat_summary(tx, &a)?;
                if seats.unassigned < 0 {
                    v("seats", format!("{} assigned of {} purchased: unassigned is negative", seats.assigned, seats.purchased));
                }
                let net = store::ledger::net_seats(tx, a.id)?;
                if net != a.purchased_seats {
                    v("ledger", format!("the ledger books {net} seats but {} are purchased", a.purchased_seats));
                }
                if a.plan.renews_on <= today {
                    v("renewal", format!("renewal of {} not booked", a.plan.renews_on));
                }
                for (rule, message) in super::books::check_books(tx, &a)? {
                    v(rule, message);
                }
                for inbox in store::inboxes::list(tx, a.id)? {
                    let inbox = inbox.inbox;
                    for (setting, position, email) in store::routing::strays(tx, inbox.id)? {
                        v("routing", match setting.as_str() {
                            "assignment" => format!("{email} is in the Conversation Assignment of {} without being an active member who holds work", inbox.name),
                            "ring_group" => format!("{email} is in the Ring Group of {} without being an active member who holds work", inbox.name),
                            "default_assignee" => format!("the default assignee of {} ({email}) is not an active member who holds work", inbox.name),
                            "ivr" => format!("IVR digit {position} of {} rings {email}, who is not an active member who holds work", inbox.name),
                            _ => format!("{email} is in distribution group {position} of {} without being an active member who holds work", inbox.name),
                        });
                    }
                    let s = store::routing::settings(tx, inbox.id)?;
                    if s.ring_strategy == crate::domain::routing::RingStrategy::Simultaneous
                        && store::routing::count(tx, inbox.id, List::RingGroup)? > MAX_SIMULTANEOUS
                    {
                        v("routing", format!("the simultaneous Ring Group of {} has more than {MAX_SIMULTANEOUS} members", inbox.name));
                    }
                    let sizes = store::routing::group_sizes(tx, inbox.id)?;
                    let groups = sizes.len();
                    if groups > MAX_GROUPS {
                        v("routing", format!("{} has {groups} distribution groups", inbox.name));
                    }
                    for (i, (position, size)) in sizes.iter().enumerate() {
                        if *position != i as i64 + 1 {
                            v("routing", format!("the distribution groups of {} are not numbered 1 to {groups}", inbox.name));
                        }
                        if *size == 0 {
                            v("routing", format!("distribution group {position} of {} has nobody in it: callers would ring into nothing", inbox.name));
                        }
                    }
                    if !s.round_robin && s.default_assignee.is_none() {
                        v("routing", format!("the Conversation Assignment of {} has neither round robin nor a default assignee", inbox.name));
                    }
                    for (digit, target, member, position) in store::routing::ivr_options(tx, inbox.id)? {
                        let fine = match target.as_str() {
                            "member" => member.is_some(),
                            "distribution_group" => position.is_some_and(|p| p >= 1 && p as usize <= groups),
                            "ring_group" | "voicemail" | "none" => true,
                            _ => false,
                        };
                        if !fine {
                            v("ivr", format!("IVR digit {digit} of {} points to {target} {}, which does not exist", inbox.name, position.map(|p| p.to_string()).unwrap_or_default()));
                        }
                    }
                }
                for (email, n) in store::conversations::contacts_of_idle_owners(tx, a.id)? {
                    v("holdings", format!("{email} owns {n} contact(s) but holds no work (pending or an Observer)"));
                }
                for (email, n) in store::conversations::conversations_of_observers(tx, a.id)? {
                    v("holdings", format!("{email} is an Observer and holds {n} conversation(s)"));
                }
                for (inbox, email, n) in store::conversations::held_outside_their_inbox(tx, a.id)? {
                    v("holdings", format!("{email} holds {n} conversation(s) of {inbox} without being a member of it"));
                }
                if let Some(pos) = store::audit::first_broken_position(tx, a.id)? {
                    v("audit", format!("the audit chain breaks at entry {pos}"));
                }
            }
            Ok(out)
        })
    }
}
