//! A member's whole story on one page (issue #21): role, status and seat,
//! the inboxes they are in with the routing settings they take part in,
//! what they hold, who invited them, and the audit entries about them.

use serde::Serialize;
use specta::Type;

use super::resolve_target;
use crate::domain::{Member, Permission, Role, Status};
use crate::error::Result;
use crate::service::{resolve, AuditEntryView, MemberView, Scope, Seatdesk};
use crate::store::Tx;

/// How many audit entries the page shows, newest first.
pub const STORY_ENTRIES: i64 = 100;

/// Where the member stands with the paid seats (rules §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SeatHeld {
    /// The Owner's place comes with the plan.
    Owner,
    /// An Active member with a paid role.
    Paid,
    /// A pending invite with a paid role: the seat waits for them.
    Reserved,
    /// An Observer: no seat.
    Free,
}

/// One inbox the member is in.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemberInbox {
    pub name: String,
    pub number: Option<String>,
    /// The routing settings of this inbox they take part in, by label
    /// ("Conversation Assignment", "Ring Group", "Call Distribution", "IVR").
    pub routing: Vec<String>,
}

/// The member page.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemberStory {
    pub member: MemberView,
    pub seat: SeatHeld,
    /// Who sent the invite (`None`: the Owner, or not recorded).
    pub invited_by: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub conversations: i64,
    #[specta(type = specta_typescript::Number)]
    pub contacts: i64,
    #[specta(type = specta_typescript::Number)]
    pub owned_inboxes: i64,
    pub inboxes: Vec<MemberInbox>,
    /// Routing settings of inboxes they are no longer in (a stray to fix).
    pub routing_elsewhere: Vec<String>,
    /// The audit entries whose target is this member, newest first (the
    /// newest [`STORY_ENTRIES`]; entries about an earlier member with the
    /// same address, deleted or revoked, are left out).
    pub history: Vec<AuditEntryView>,
    /// More entries are in the audit log than the page shows.
    pub history_more: bool,
}

fn setting_label(key: &str) -> String {
    match key {
        "conversation_assignment" => "Conversation Assignment".into(),
        "ring_group" => "Ring Group".into(),
        "call_distribution" => "Call Distribution".into(),
        "ivr" => "IVR".into(),
        other => other.replace('_', " "),
    }
}

fn seat_of(m: &Member) -> SeatHeld {
    match (m.role, m.status) {
        (Role::Owner, _) => SeatHeld::Owner,
        (Role::Observer, _) => SeatHeld::Free,
        (_, Status::Pending) => SeatHeld::Reserved,
        (_, Status::Active) => SeatHeld::Paid,
    }
}

/// The address an entry changed a member's from (`me set-email`, or an
/// invite's edit).
fn changed_from(e: &crate::store::audit::Stored) -> Option<String> {
    if e.action != "member.set_email" && e.action != "member.edit_invite" {
        return None;
    }
    let details: serde_json::Value = serde_json::from_str(&e.details).ok()?;
    let from = details.get("from").or_else(|| details.get("email").and_then(|c| c.get("from")))?;
    from.as_str().map(String::from)
}

/// The entries about `m`, newest first, stopping at the end of an earlier
/// member with the same address. Entries written before a change of their
/// address are filed under the address they had then: those are followed
/// back, change by change (found by trying: a member's History emptied when
/// they changed their address).
fn history_of(tx: &Tx, m: &Member) -> Result<(Vec<AuditEntryView>, bool)> {
    let mut entries = Vec::new();
    let (mut email, mut upto) = (m.email.clone(), None);
    let mut seen = vec![email.clone()];
    loop {
        let found = tx.audit().about(m.account_id, &email, upto, STORY_ENTRIES + 1 - entries.len() as i64)?;
        for (i, e) in found.into_iter().enumerate() {
            // An earlier member's end at this address: deleted, revoked, or
            // moved to another address (but the change that brought this
            // member here, the first entry of an earlier address, is theirs).
            let moved_away = changed_from(&e).is_some_and(|from| from == email) && !(i == 0 && upto.is_some());
            if e.action == "member.delete" || e.action == "member.revoke" || moved_away {
                return Ok((entries, false));
            }
            entries.push(AuditEntryView::from(e));
        }
        if entries.len() as i64 > STORY_ENTRIES {
            entries.truncate(STORY_ENTRIES as usize);
            return Ok((entries, true));
        }
        // The address before the newest change to this one (the change
        // itself is filed under it), unless the entries above ran out first.
        match tx.audit().address_change_to(m.account_id, &email)? {
            Some((from, id)) if upto.is_none_or(|u| id <= u) && !seen.contains(&from) => {
                seen.push(from.clone());
                email = from;
                upto = Some(id);
            }
            _ => return Ok((entries, false)),
        }
    }
}

pub(crate) fn story_of(tx: &Tx, m: &Member) -> Result<MemberStory> {
    let (conversations, contacts, owned_inboxes) = tx.conversations().holdings(m.id)?;
    let mut settings = tx.routing().settings_of_member(m.id)?;
    let inboxes: Vec<MemberInbox> = tx
        .inboxes()
        .of_member(m.id)?
        .into_iter()
        .map(|i| {
            let routing = settings.iter().filter(|(inbox, _)| *inbox == i.name).map(|(_, s)| setting_label(s)).collect();
            settings.retain(|(inbox, _)| *inbox != i.name);
            MemberInbox { name: i.name, number: i.number, routing }
        })
        .collect();
    let routing_elsewhere = settings.into_iter().map(|(inbox, s)| format!("{inbox}: {}", setting_label(&s))).collect();
    let (history, history_more) = history_of(tx, m)?;
    Ok(MemberStory {
        member: MemberView::new(m.clone(), inboxes.iter().map(|i| i.name.clone()).collect()),
        seat: seat_of(m),
        invited_by: tx.members().invited_by(m.id)?,
        conversations,
        contacts,
        owned_inboxes,
        inboxes,
        routing_elsewhere,
        history,
        history_more,
    })
}

impl Seatdesk {
    /// A member's page: everything about them in one read (every role may
    /// read it, as they read the members list and the audit log).
    pub fn member_story(&mut self, scope: &Scope, email: &str) -> Result<MemberStory> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read members")?;
            let target = resolve_target(tx, &ctx, email)?;
            story_of(tx, &target)
        })
    }
}
