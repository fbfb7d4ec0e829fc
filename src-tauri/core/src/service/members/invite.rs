//! Invites and the member actions short of deletion (rules §2, §3, §6):
//! invite a batch (all or nothing), accept, resend, revoke, edit a pending
//! invite, change a role, change one's own email, and who may act.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::{email_taken, require_pending, resolve_manage, resolve_target, view};
use crate::domain::billing::check_fresh;
use crate::domain::email::split_list;
use crate::domain::email::EmailKey;
use crate::domain::text::parse_name;
use crate::domain::{Email, Member, Permission, Role, SeatSummary, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::accounts::seat_summary;
use crate::service::billing::no_free_seats;
use crate::service::billing::{apply_seat_purchase, seats_quote, Purchase};
use crate::service::{audit, audit_many, now_stamp, resolve, Ctx, MemberView, Scope, Seatdesk};
use crate::store;
use crate::store::Tx;

/// The most addresses one invite batch may hold.
pub const MAX_BATCH: usize = 5_000;

/// The invite dialog and `members invite`.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct InviteRequest {
    /// Addresses; each entry may itself be a pasted list.
    pub emails: Vec<String>,
    pub role: Role,
    /// The existing inbox the invitees join (or `new_inbox`).
    pub inbox: Option<String>,
    /// Give each invitee a new inbox of their own, awaiting its number.
    pub new_inbox: bool,
    /// Buy the seat shortfall first, at this quote, in the same step.
    pub buy_shortfall_quote: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum InviteOutcome {
    Ok,
    InvalidEmail,
    DuplicateInBatch,
    AlreadyMember,
    InboxNameTaken,
}

/// What happens (or would happen) to one address of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct InviteCheck {
    pub email: String,
    pub outcome: InviteOutcome,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InviteResult {
    pub invited: Vec<MemberView>,
    pub seats: SeatSummary,
    /// The shortfall bought in the same step, if any.
    pub purchase: Option<Purchase>,
}

/// A dry run of a batch, for the dialog to mark each address as it is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InvitePreview {
    pub report: Vec<InviteCheck>,
    /// Paid seats the valid addresses would reserve, and those free now.
    #[specta(type = specta_typescript::Number)]
    pub needed: i64,
    #[specta(type = specta_typescript::Number)]
    pub free: i64,
}

/// Changes to a pending invite; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct InviteEdit {
    pub email: Option<String>,
    pub role: Option<Role>,
    /// Move the invite to this existing inbox.
    pub inbox: Option<String>,
    /// A new role that takes a paid seat when none is free: buy that seat
    /// first, at this quote (the `no_free_seats` refusal's), in the same step.
    #[serde(default)]
    pub buy_shortfall_quote: Option<String>,
}

/// What happens to the seat a role change to Observer frees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SeatChoice {
    /// It becomes unassigned.
    #[default]
    Keep,
    /// Purchased − 1 (permanent, no refund).
    Remove,
}

fn display_name(email: &Email) -> String {
    email.display.split('@').next().unwrap_or(&email.display).to_string()
}

/// Checks every address of a batch; the report lists each in order.
fn check_batch(conn: &Tx, ctx: &Ctx, raw: &[String], new_inbox: bool) -> Result<(Vec<InviteCheck>, Vec<Email>)> {
    let mut report = Vec::new();
    let mut valid = Vec::new();
    let mut seen = HashSet::new();
    let typed: Vec<String> = raw.iter().flat_map(|r| split_list(r)).collect();
    let parsed: Vec<_> = typed.iter().map(|t| Email::parse(t)).collect();
    // One question for the whole batch: which addresses are taken.
    let keys: Vec<&EmailKey> = parsed.iter().filter_map(|p| p.as_ref().ok()).map(|e| &e.key).collect();
    let taken = conn.members().taken(ctx.account.id, &keys)?;
    for (typed, parsed) in typed.into_iter().zip(parsed) {
        let (outcome, message) = match parsed {
            Err(e) => (InviteOutcome::InvalidEmail, Some(e.message)),
            Ok(email) => {
                if !seen.insert(email.key.clone()) {
                    (InviteOutcome::DuplicateInBatch, Some("listed more than once".to_string()))
                } else if taken.contains(&email.key) {
                    (InviteOutcome::AlreadyMember, Some("already a member of this account".to_string()))
                } else if new_inbox && conn.inboxes().find_by_name(ctx.account.id, &email.display)?.is_some() {
                    (InviteOutcome::InboxNameTaken, Some(format!("an inbox named {} exists already", email.display)))
                } else {
                    valid.push(email);
                    (InviteOutcome::Ok, None)
                }
            }
        };
        report.push(InviteCheck { email: typed, outcome, message });
    }
    Ok((report, valid))
}

fn refuse_batch(report: &[InviteCheck]) -> Option<Error> {
    let count = |o: InviteOutcome| report.iter().filter(|c| c.outcome == o).count();
    let (code, what) = if count(InviteOutcome::InvalidEmail) > 0 {
        (ErrorCode::InvalidEmail, "invalid")
    } else if count(InviteOutcome::DuplicateInBatch) + count(InviteOutcome::AlreadyMember) > 0 {
        (ErrorCode::DuplicateEmail, "already a member or listed twice")
    } else if count(InviteOutcome::InboxNameTaken) > 0 {
        (ErrorCode::DuplicateInbox, "already the name of an inbox")
    } else {
        return None;
    };
    let bad = report.iter().filter(|c| c.outcome != InviteOutcome::Ok).count();
    Some(
        Error::new(code, format!("{bad} of {} addresses cannot be invited ({what}); nobody was invited.", report.len()))
            .with_details(json!({ "report": report })),
    )
}

/// Removes the inbox a "New Inbox" invite made for `member` while it is
/// still empty (no other member, no conversation) and awaiting its number;
/// otherwise hands it to `heir`.
/// Either way the audit log says what became of the inbox.
fn release_created_inbox(conn: &Tx, ctx: &Ctx, today: NaiveDate, member: &Member) -> Result<()> {
    let heir = &ctx.actor;
    if let Some(inbox) = conn.inboxes().created_for(member.id)? {
        let others =
            conn.inboxes().member_count(inbox.id)? - i64::from(conn.inboxes().of_member(member.id)?.iter().any(|i| i.id == inbox.id));
        if inbox.number.is_none() && others == 0 && !conn.conversations().any_in_inbox(inbox.id)? {
            conn.inboxes().delete_empty(inbox.id)?;
            audit(
                conn,
                ctx,
                today,
                "inbox.remove",
                &inbox.name,
                json!({ "reason": "its New Inbox invite was withdrawn while it was empty", "invite": member.email }),
            )?;
        } else {
            conn.inboxes().set_owner(inbox.id, heir.id)?;
            conn.inboxes().set_created_for(inbox.id, None)?;
            audit(
                conn,
                ctx,
                today,
                "inbox.hand_over",
                &inbox.name,
                json!({ "from": member.email, "to": heir.email, "reason": "its New Inbox invite was withdrawn" }),
            )?;
        }
    }
    Ok(())
}

/// Withdraws the pending invite `target` (its New Inbox released, its row
/// and place gone) and audits it; `seat` is the seat choice when a deletion
/// asked for it, recorded with the entry.
/// Records a resend of a pending invite: counts it and stamps the time.
pub(crate) fn resend_tx(tx: &Tx, ctx: &Ctx, today: NaiveDate, target: &Member) -> Result<()> {
    require_pending(target)?;
    tx.members().mark_resent(target.id, &now_stamp())?;
    audit(tx, ctx, today, "member.resend", &target.email, json!({ "resend_count": target.resend_count + 1 }))
}

pub(crate) fn revoke_tx(conn: &Tx, ctx: &Ctx, today: NaiveDate, target: &Member, seat: Option<SeatChoice>) -> Result<()> {
    release_created_inbox(conn, ctx, today, target)?;
    conn.members().delete(target.id)?;
    let mut details = json!({ "role": target.role.as_str() });
    if let Some(seat) = seat {
        details["seat"] = json!(seat);
    }
    audit(conn, ctx, today, "member.revoke", &target.email, details)
}

/// Invitees written per round of statements (an invite's whole batch; an
/// import's progress steps).
const WRITE_CHUNK: usize = 1_000;

/// The invite of one batch inside the caller's transaction; `names` gives
/// invitees a name (by lower-case email) where known (CSV import).
pub(crate) fn invite_tx(
    tx: &Tx,
    scope: &Scope,
    today: NaiveDate,
    req: &InviteRequest,
    names: &HashMap<EmailKey, String>,
    max_batch: usize,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<InviteResult> {
    let mut ctx = resolve_manage(tx, scope, today, "invite members")?;
    if req.role == Role::Owner {
        return Err(Error::new(
            ErrorCode::InvalidRole,
            "Invite as Admin, Manager, Member or Observer; the Owner changes only by an owner transfer.",
        )
        .with_details(json!({ "role": "owner" })));
    }
    let existing_inbox = match (req.inbox.as_deref().map(str::trim).filter(|s| !s.is_empty()), req.new_inbox) {
        (Some(name), false) => Some(tx.inboxes().by_name(ctx.account.id, name)?),
        (None, true) => None,
        _ => return Err(Error::new(ErrorCode::InboxRequired, "Choose either an existing inbox for the invitees to join, or New Inbox.")),
    };
    if req.new_inbox && req.role == Role::Observer {
        return Err(Error::new(
            ErrorCode::ObserverHoldsNoWork,
            "Observers read and hold no work, so no inbox of their own: invite them to an existing inbox.",
        )
        .with_details(json!({ "role": "observer", "new_inbox": true })));
    }
    let (report, valid) = check_batch(tx, &ctx, &req.emails, req.new_inbox)?;
    if report.is_empty() {
        return Err(Error::new(ErrorCode::InvalidEmail, "Type at least one email address.").with_details(json!({ "report": report })));
    }
    if report.len() > max_batch {
        return Err(Error::new(ErrorCode::InvalidQuantity, format!("At most {max_batch} addresses per batch."))
            .with_details(json!({ "quantity": report.len(), "max": max_batch })));
    }
    if let Some(e) = refuse_batch(&report) {
        return Err(e);
    }
    let needed = if req.role.takes_paid_seat() { valid.len() as i64 } else { 0 };
    let mut purchase = None;
    let free = seat_summary(tx, &ctx.account)?.unassigned;
    if needed > free {
        match req.buy_shortfall_quote.as_deref() {
            Some(quote_id) => {
                let quote = seats_quote(tx, &ctx.account, today, needed - free)?;
                check_fresh(Some(quote_id), &quote)?;
                apply_seat_purchase(tx, &ctx, today, &quote, "bought for invites")?;
                ctx.account = tx.accounts().by_id(ctx.account.id)?;
                purchase = Some(Purchase { charged_cents: quote.due_now_cents, seats: seat_summary(tx, &ctx.account)?, quote });
            }
            None => return Err(no_free_seats(tx, &ctx.account, today, (needed, free), "Inviting them:", Some(report))?),
        }
    }
    let sent_at = now_stamp();
    let names_of: Vec<String> = valid.iter().map(|email| names.get(&email.key).cloned().unwrap_or_else(|| display_name(email))).collect();
    let rows: Vec<_> = valid
        .iter()
        .zip(&names_of)
        .map(|(email, name)| store::members::NewMemberRow {
            account_id: ctx.account.id,
            email: &email.display,
            email_key: &email.key,
            name,
            role: req.role,
            status: Status::Pending,
            invited_on: Some(today),
            joined_on: None,
            invited_by: Some(&ctx.actor.email),
            sent_at: Some(&sent_at),
        })
        .collect();
    // The batch is written a chunk at a time, in a few statements per chunk
    // rather than a few per invitee (on a server each statement is a round
    // trip); between chunks an import reports its progress and may be
    // cancelled.
    let (mut ids, mut inbox_names) = (Vec::with_capacity(valid.len()), Vec::with_capacity(valid.len()));
    for (rows, emails) in rows.chunks(WRITE_CHUNK).zip(valid.chunks(WRITE_CHUNK)) {
        for _ in rows {
            tick()?;
        }
        let chunk = tx.members().insert_many(rows)?;
        let names: Vec<String> = match &existing_inbox {
            Some(inbox) => {
                tx.inboxes().add_new_members(inbox.id, &chunk)?;
                vec![inbox.name.clone(); chunk.len()]
            }
            None => emails
                .iter()
                .zip(&chunk)
                .map(|(email, &id)| {
                    let inbox = tx.inboxes().insert(ctx.account.id, &email.display, None, id, &now_stamp())?;
                    tx.inboxes().set_created_for(inbox, Some(id))?;
                    tx.inboxes().add_member(inbox, id)?;
                    Ok(email.display.clone())
                })
                .collect::<Result<_>>()?,
        };
        let details = names.iter().map(|inbox| json!({ "role": req.role.as_str(), "inbox": inbox, "new_inbox": req.new_inbox }));
        audit_many(tx, &ctx, today, "member.invite", emails.iter().map(|e| e.display.as_str()).zip(details))?;
        ids.extend(chunk);
        inbox_names.extend(names);
    }
    // The rows as they were just written (not read back: on a server that
    // would be a statement per invitee).
    let invited = valid
        .iter()
        .zip(ids)
        .zip(names_of)
        .zip(inbox_names)
        .map(|(((email, id), name), inbox)| {
            let member = crate::domain::Member {
                id,
                account_id: ctx.account.id,
                email: email.display.clone(),
                name,
                role: req.role,
                status: Status::Pending,
                invited_on: Some(today),
                joined_on: None,
                resend_count: 0,
                last_sent_at: Some(sent_at.clone()),
            };
            MemberView::new(member, vec![inbox])
        })
        .collect();
    Ok(InviteResult { invited, seats: seat_summary(tx, &ctx.account)?, purchase })
}

impl Seatdesk {}

impl Seatdesk {
    /// Invites a batch, all or nothing: any invalid, duplicate or
    /// already-member address, or a seat shortfall, refuses the whole batch
    /// with a per-address report. With `buy_shortfall_quote`, the missing
    /// seats are bought first at that quote, in the same transaction.
    pub fn invite(&mut self, scope: &Scope, req: &InviteRequest) -> Result<InviteResult> {
        self.write(|tx, today| invite_tx(tx, scope, today, req, &HashMap::new(), MAX_BATCH, &mut || Ok(())))
    }

    /// Checks a batch without inviting anyone.
    pub fn preview_invites(&mut self, scope: &Scope, emails: &[String], role: Role, new_inbox: bool) -> Result<InvitePreview> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::ManageAccount, "invite members")?;
            let (report, valid) = check_batch(tx, &ctx, emails, new_inbox)?;
            let needed = if role.takes_paid_seat() { valid.len() as i64 } else { 0 };
            Ok(InvitePreview { report, needed, free: seat_summary(tx, &ctx.account)?.unassigned })
        })
    }

    /// Records that an invitee confirmed (the offline stand-in): Active.
    pub fn accept_invite(&mut self, scope: &Scope, email: &str, name: Option<&str>) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "record accepted invites")?;
            let target = resolve_target(tx, &ctx, email)?;
            require_pending(&target)?;
            let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => parse_name("member", n)?,
                None => target.name.clone(),
            };
            tx.members().activate(target.id, &name, today)?;
            // The invitee now joins the inbox named in the invite, and its routing.
            if target.role != Role::Observer {
                for inbox in tx.inboxes().of_member(target.id)? {
                    crate::service::routing::join_routing(tx, &inbox, target.id)?;
                }
            }
            audit(tx, &ctx, today, "member.accept", &target.email, json!({ "name": name }))?;
            view(tx, &target)
        })
    }

    /// Sends a pending invite again: counts it and stamps the time.
    pub fn resend_invite(&mut self, scope: &Scope, email: &str) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "resend invites")?;
            let target = resolve_target(tx, &ctx, email)?;
            resend_tx(tx, &ctx, today, &target)?;
            view(tx, &target)
        })
    }

    /// Sends again, in one step, every invite last sent `days` days ago or
    /// more (rules §6: Seatdesk sends no email itself; this counts and stamps
    /// them, as a resend of each would). Returns the addresses, by name.
    pub fn resend_stale(&mut self, scope: &Scope, days: i64) -> Result<Vec<String>> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "resend invites")?;
            let cutoff = super::list::sent_before(days)?;
            let q = store::members::ListQuery {
                status: Some(Status::Pending),
                role: None,
                search: None,
                sent_before: Some(&cutoff),
                sort: store::members::SortKey::Name,
                descending: false,
                offset: 0,
                limit: i64::MAX,
            };
            let counts = tx.members().status_counts(ctx.account.id)?;
            let stale: Vec<Member> = tx.members().list(ctx.account.id, &q, counts)?.0.into_iter().map(|l| l.member).collect();
            let stamp = now_stamp();
            for m in &stale {
                tx.members().mark_resent(m.id, &stamp)?;
            }
            let details = stale.iter().map(|m| json!({ "resend_count": m.resend_count + 1, "stale_days": days }));
            audit_many(tx, &ctx, today, "member.resend", stale.iter().map(|m| m.email.as_str()).zip(details))?;
            Ok(stale.into_iter().map(|m| m.email).collect())
        })
    }

    /// Withdraws a pending invite: its reserved seat becomes unassigned and
    /// its place in the inbox is dropped.
    pub fn revoke_invite(&mut self, scope: &Scope, email: &str) -> Result<SeatSummary> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "revoke invites")?;
            let target = resolve_target(tx, &ctx, email)?;
            require_pending(&target)?;
            revoke_tx(tx, &ctx, today, &target, None)?;
            seat_summary(tx, &ctx.account)
        })
    }

    /// Edits a pending invite's email, role or inbox. The email of an Active
    /// member is theirs to change (`set_my_email`).
    pub fn edit_invite(&mut self, scope: &Scope, email: &str, edit: &InviteEdit) -> Result<MemberView> {
        self.write(|tx, today| {
            let ctx = resolve_manage(tx, scope, today, "edit invites")?;
            let target = resolve_target(tx, &ctx, email)?;
            if target.status == Status::Active && edit.email.is_some() {
                return Err(Error::new(
                    ErrorCode::NotPermitted,
                    "Only the member changes their own email (Personal settings); an admin edits pending invites only.",
                )
                .with_details(json!({ "email": target.email })));
            }
            require_pending(&target)?;
            let mut changes = serde_json::Map::new();
            if let Some(raw) = edit.email.as_deref() {
                let new = Email::parse(raw)?;
                // A change of case only (ana@ → Ana@) is a change too: the
                // address is shown as typed.
                if new.display != target.email {
                    if new.key != EmailKey::of(&target.email) && tx.members().find_by_email(ctx.account.id, &new.key)?.is_some() {
                        return Err(email_taken(&new.display));
                    }
                    tx.members().set_email(target.id, &new.display, &new.key)?;
                    changes.insert("email".into(), json!({ "from": target.email, "to": new.display }));
                }
            }
            if let Some(role) = edit.role.filter(|r| *r != target.role) {
                if role == Role::Owner {
                    return Err(Error::new(ErrorCode::InvalidRole, "The Owner changes only by an owner transfer."));
                }
                // Observers hold no work: an invite that owns its New Inbox
                // cannot become an Observer's (found by trying it).
                if role == Role::Observer && tx.conversations().holdings(target.id)?.2 > 0 {
                    return Err(crate::service::routing::observer_holds_no_work(
                        &target,
                        "no inbox of their own: move the invite to an existing inbox first",
                    ));
                }
                if role.takes_paid_seat() && !target.role.takes_paid_seat() {
                    let free = seat_summary(tx, &ctx.account)?.unassigned;
                    if free < 1 {
                        let Some(quote_id) = edit.buy_shortfall_quote.as_deref() else {
                            return Err(no_free_seats(tx, &ctx.account, today, (1, free), "That role takes a paid seat:", None)?);
                        };
                        let quote = seats_quote(tx, &ctx.account, today, 1)?;
                        check_fresh(Some(quote_id), &quote)?;
                        apply_seat_purchase(tx, &ctx, today, &quote, "bought for an invite's new role")?;
                        changes.insert("bought_seats".into(), json!(1));
                    }
                }
                tx.members().set_role(target.id, role)?;
                changes.insert("role".into(), json!({ "from": target.role.as_str(), "to": role.as_str() }));
            }
            if let Some(name) = edit.inbox.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                let inbox = tx.inboxes().by_name(ctx.account.id, name)?;
                let current = tx.inboxes().of_member(target.id)?;
                if !current.iter().any(|i| i.id == inbox.id) || current.len() != 1 {
                    for old in &current {
                        tx.inboxes().remove_member(old.id, target.id)?;
                    }
                    release_created_inbox(tx, &ctx, today, &target)?;
                    tx.inboxes().add_member(inbox.id, target.id)?;
                    changes
                        .insert("inbox".into(), json!({ "from": current.iter().map(|i| &i.name).collect::<Vec<_>>(), "to": inbox.name }));
                }
            }
            if !changes.is_empty() {
                audit(tx, &ctx, today, "member.edit_invite", &target.email, serde_json::Value::Object(changes))?;
            }
            view(tx, &target)
        })
    }
}
