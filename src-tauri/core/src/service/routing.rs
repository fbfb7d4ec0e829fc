//! Inbox membership and routing (rules §7): members (add, remove, "Add me"),
//! Conversation Assignment, Ring Group, Call Distribution, IVR, and the
//! guard that keeps a member in a setting from leaving the inbox.

use crate::service::members::InBulk;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::{audit, resolve, Ctx, Scope, Seatdesk};
use crate::domain::routing::{
    assignment_preview, check_group_size, check_ring_time, Fallthrough, IvrTarget, RingStrategy, MAX_SIMULTANEOUS,
};
use crate::domain::{version_of, Inbox, Member, MemberId, Permission, Role, Status};
use crate::error::{Error, ErrorCode, Result};
use crate::service::member_by_email;
use crate::store::routing::{List, Settings};
use crate::store::Tx;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxMemberView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AssignmentView {
    /// Emails, in the alphabetical order of names that round robin follows.
    pub members: Vec<String>,
    pub round_robin: bool,
    pub default_assignee: Option<String>,
    /// Who the next five inbound conversations go to.
    pub next: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RingGroupView {
    pub members: Vec<String>,
    pub strategy: RingStrategy,
    #[specta(type = specta_typescript::Number)]
    pub ring_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct GroupView {
    #[specta(type = specta_typescript::Number)]
    pub position: i64,
    pub members: Vec<String>,
    pub strategy: RingStrategy,
    #[specta(type = specta_typescript::Number)]
    pub ring_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct DistributionView {
    pub groups: Vec<GroupView>,
    pub fallthrough: Fallthrough,
    /// How long a caller can ring through the whole cascade.
    #[specta(type = specta_typescript::Number)]
    pub total_ring_seconds: i64,
    /// Send it back with a whole save (`stale_edit` if it changed meanwhile).
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct IvrOptionView {
    pub digit: i32,
    pub target: IvrTarget,
    /// True when the option leads nowhere (flagged in the window).
    pub points_nowhere: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct IvrView {
    pub greeting: String,
    pub options: Vec<IvrOptionView>,
    /// Send it back with a whole save (`stale_edit` if it changed meanwhile).
    pub version: String,
}

/// `inboxes show`: the rules §10 shape (members as emails) and more.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxDetail {
    pub name: String,
    pub number: Option<String>,
    pub owner: String,
    /// The owner's name, for the window (the owner need not be a member).
    pub owner_name: String,
    pub members: Vec<String>,
    pub member_details: Vec<InboxMemberView>,
    pub conversation_assignment: AssignmentView,
    pub ring_group: RingGroupView,
    pub distribution: DistributionView,
    pub ivr: IvrView,
    /// Whether the acting member is a member of the inbox ("Add me" otherwise).
    pub acting_member_is_in: bool,
}

/// The outcome of an idempotent membership change.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MembershipChange {
    pub changed: bool,
    pub message: String,
    /// Settings the member was taken out of (remove `--everywhere`).
    pub removed_from: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct GroupInput {
    pub members: Vec<String>,
    pub strategy: RingStrategy,
    #[specta(type = specta_typescript::Number)]
    pub ring_seconds: i64,
    /// The position this group had when the edit began (none for a new
    /// group): IVR digits that rang it follow it to its new place, and a
    /// digit whose group was removed points nowhere (flagged), never at
    /// another group that moved into its number.
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub was: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct DistributionInput {
    pub groups: Vec<GroupInput>,
    pub fallthrough: Fallthrough,
    /// The version this save was made from ([`DistributionView::version`]).
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct IvrOptionInput {
    pub digit: i32,
    pub target: IvrTarget,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct IvrInput {
    pub greeting: String,
    pub options: Vec<IvrOptionInput>,
    /// The version this save was made from ([`IvrView::version`]).
    #[serde(default)]
    pub version: Option<String>,
}

/// Conversation Assignment changes; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct AssignmentChange {
    pub round_robin: Option<bool>,
    /// Some(email) sets the default assignee (round robin turns off);
    /// Some("") clears it.
    pub default_assignee: Option<String>,
}

pub const MAX_GREETING_CHARS: usize = 500;

pub(super) fn inbox_member(conn: &Tx, ctx: &Ctx, inbox: &Inbox, email: &str) -> Result<Member> {
    let member = member_by_email(conn, ctx.account.id, email)?;
    let places = conn.inboxes().of_member(member.id)?;
    if member.status != Status::Active || !places.iter().any(|i| i.id == inbox.id) {
        return Err(Error::new(
            ErrorCode::NotInboxMember,
            format!("{} is not an active member of {}: add them to the inbox first.", member.email, inbox.name),
        )
        .with_details(json!({ "email": member.email, "inbox": inbox.name })));
    }
    Ok(member)
}

/// Refuses an Observer where work is handed out: Observers read, and hold none.
pub(crate) fn observer_holds_no_work(member: &Member, what: &str) -> Error {
    Error::new(ErrorCode::ObserverHoldsNoWork, format!("{} is an Observer: Observers read and hold no work ({what}).", member.email))
        .with_details(json!({ "email": member.email, "role": "observer" }))
}

/// An Active member of the inbox who may hold routing work (not an Observer).
pub(super) fn routing_member(conn: &Tx, ctx: &Ctx, inbox: &Inbox, email: &str, what: &str) -> Result<Member> {
    let member = inbox_member(conn, ctx, inbox, email)?;
    if member.role == Role::Observer {
        return Err(observer_holds_no_work(&member, what));
    }
    Ok(member)
}

/// Who Conversation Assignment gives the inbox's next conversation to: its
/// default assignee, or the next in round robin (whose turn it then is), or
/// nobody when round robin is off or empty.
pub(crate) fn assignment_target(conn: &Tx, inbox: &Inbox) -> Result<Option<Member>> {
    let mut s = conn.routing().settings(inbox.id)?;
    let before = s.rr_after.clone();
    let next = next_assignee(conn, inbox, &mut s)?;
    if s.rr_after != before {
        conn.routing().save_settings(inbox.id, &s)?;
    }
    Ok(next)
}

/// Where Conversation Assignment sends the next conversation, moving round
/// robin's cursor in `s` (the caller saves it).
fn next_assignee(conn: &Tx, inbox: &Inbox, s: &mut crate::store::routing::Settings) -> Result<Option<Member>> {
    if let Some(id) = s.default_assignee {
        let m = conn.members().by_id(id)?;
        if conn.inboxes().of_member(m.id)?.iter().any(|i| i.id == inbox.id) {
            return Ok(Some(m));
        }
    }
    if !s.round_robin {
        return Ok(None);
    }
    // The first place past the last turn's, else (past the end) the top:
    // what `assignment_preview` says next, found in the index.
    let next = match conn.routing().rotation_next(inbox.id, s.rr_after.as_deref())? {
        Some(next) => Some(next),
        None if s.rr_after.is_some() => conn.routing().rotation_next(inbox.id, None)?,
        None => None,
    };
    let Some((member, place)) = next else { return Ok(None) };
    s.rr_after = Some(place);
    Ok(Some(member))
}

/// `leaving`'s conversations in `inbox`, which they no longer belong to
/// (or no longer hold work in), go where Conversation Assignment sends the
/// next one, or stay unassigned when it sends them nowhere (README: a
/// conversation is held by a member of its inbox, or by nobody). Call it
/// after `leaving` left the inbox's routing. Returns how many moved and to
/// whom.
pub(crate) fn route_away(conn: &Tx, inbox: &Inbox, leaving: &Member) -> Result<(usize, Option<Member>)> {
    if !conn.conversations().holds_in_inbox(inbox.id, leaving.id)? {
        return Ok((0, None)); // Round robin's turn does not move for nothing.
    }
    route_held_away(conn, inbox, leaving, None)
}

/// [`route_away`] for a caller that knows `leaving` holds conversations in
/// `inbox`. In a bulk step round robin's cursor is kept in `bulk` and
/// written once at its end.
pub(crate) fn route_held_away(conn: &Tx, inbox: &Inbox, leaving: &Member, bulk: Option<&InBulk>) -> Result<(usize, Option<Member>)> {
    let target = match bulk {
        None => assignment_target(conn, inbox)?,
        Some(b) => {
            let mut cache = b.settings.borrow_mut();
            let s = match cache.entry(inbox.id) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(conn.routing().settings(inbox.id)?),
            };
            next_assignee(conn, inbox, s)?
        }
    };
    let moved = conn.conversations().move_in_inbox(inbox.id, leaving.id, target.as_ref().map(|m| m.id))?;
    Ok((moved, target))
}

fn emails(members: &[Member]) -> Vec<String> {
    members.iter().map(|m| m.email.clone()).collect()
}

fn email_of(conn: &Tx, id: Option<MemberId>) -> Result<Option<String>> {
    id.map(|id| conn.members().by_id(id).map(|m| m.email)).transpose()
}

/// Call Distribution and IVR as the window and `inboxes show` show them;
/// `in_inbox` says whether an address is a member of the inbox (an IVR
/// digit ringing someone who left points nowhere).
pub(crate) fn call_settings(
    conn: &Tx,
    inbox: &Inbox,
    settings: &Settings,
    in_inbox: &dyn Fn(&str) -> Result<bool>,
) -> Result<(DistributionView, IvrView)> {
    let groups: Vec<GroupView> = conn
        .routing()
        .groups(inbox.id)?
        .into_iter()
        .map(|g| GroupView { position: g.position, members: emails(&g.members), strategy: g.strategy, ring_seconds: g.ring_seconds })
        .collect();
    let mut options = Vec::new();
    for (digit, target, member, position) in conn.routing().ivr_options(inbox.id)? {
        let target = match target.as_str() {
            "member" => match email_of(conn, member)? {
                Some(email) => IvrTarget::Member { email },
                None => IvrTarget::None,
            },
            "ring_group" => IvrTarget::RingGroup,
            "distribution_group" => IvrTarget::DistributionGroup { position: position.unwrap_or(0) as i32 },
            "voicemail" => IvrTarget::Voicemail,
            _ => IvrTarget::None,
        };
        let points_nowhere = match &target {
            IvrTarget::None => true,
            IvrTarget::DistributionGroup { position } => !groups.iter().any(|g| g.position == i64::from(*position)),
            IvrTarget::Member { email } => !in_inbox(email)?,
            _ => false,
        };
        options.push(IvrOptionView { digit: digit as i32, target, points_nowhere });
    }
    let distribution = DistributionView {
        total_ring_seconds: groups.iter().map(|g| g.ring_seconds).sum(),
        version: version_of(&json!({ "groups": groups, "fallthrough": settings.fallthrough })),
        groups,
        fallthrough: settings.fallthrough,
    };
    let ivr = IvrView {
        version: version_of(&json!({ "greeting": settings.ivr_greeting, "options": options })),
        greeting: settings.ivr_greeting.clone(),
        options,
    };
    Ok((distribution, ivr))
}

pub(crate) fn detail(conn: &Tx, ctx: &Ctx, inbox: &Inbox) -> Result<InboxDetail> {
    let settings = conn.routing().settings(inbox.id)?;
    let member_rows = conn.inboxes().member_summaries(inbox.id)?;
    let members: Vec<String> = member_rows.iter().map(|m| m.0.clone()).collect();
    let member_details: Vec<InboxMemberView> =
        member_rows.into_iter().map(|(email, name, role, status)| InboxMemberView { email, name, role, status }).collect();
    let rotation = conn.routing().rotation(inbox.id)?;
    let (assignment, places): (Vec<String>, Vec<String>) = rotation.into_iter().map(|(_, e, p)| (e, p)).unzip();
    let default_assignee = email_of(conn, settings.default_assignee)?;
    let next = assignment_preview(&assignment, &places, settings.rr_after.as_deref(), settings.round_robin, default_assignee.as_deref(), 5);
    let (distribution, ivr) = call_settings(conn, inbox, &settings, &|email| Ok(members.iter().any(|m| m == email)))?;
    let owner = conn.members().by_id(inbox.owner_id)?;
    Ok(InboxDetail {
        name: inbox.name.clone(),
        number: inbox.number.clone(),
        owner: owner.email,
        owner_name: owner.name,
        acting_member_is_in: members.iter().any(|e| e.eq_ignore_ascii_case(&ctx.actor.email)),
        members,
        member_details,
        conversation_assignment: AssignmentView { members: assignment, round_robin: settings.round_robin, default_assignee, next },
        ring_group: RingGroupView {
            members: conn.routing().member_emails(inbox.id, List::RingGroup)?,
            strategy: settings.ring_strategy,
            ring_seconds: settings.ring_seconds,
        },
        distribution,
        ivr,
    })
}

/// Puts a member who joined an inbox into its Conversation Assignment and
/// Ring Group (a full simultaneous ring group is left as it is).
/// Observers join no routing (they hold no work): callers pass only members
/// with a paid role or the Owner.
pub(crate) fn join_routing(conn: &Tx, inbox: &Inbox, member: MemberId) -> Result<bool> {
    conn.routing().add(inbox.id, List::Assignment, member)?;
    let settings = conn.routing().settings(inbox.id)?;
    let full = settings.ring_strategy == RingStrategy::Simultaneous && conn.routing().count(inbox.id, List::RingGroup)? >= MAX_SIMULTANEOUS;
    if !full {
        conn.routing().add(inbox.id, List::RingGroup, member)?;
    }
    Ok(!full)
}

/// A routing setting of an inbox that names a member (the removal guard's
/// refusal lists each).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct SettingRef {
    /// `conversation_assignment`, `ring_group`, `call_distribution` or `ivr`.
    pub setting: String,
    pub label: String,
    /// Call Distribution: the groups they are in.
    #[specta(type = Option<Vec<specta_typescript::Number>>)]
    pub groups: Option<Vec<i64>>,
    /// IVR: the digits that ring them.
    #[specta(type = Option<Vec<specta_typescript::Number>>)]
    pub digits: Option<Vec<i64>>,
}

/// The details of `member_still_assigned`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct StillAssigned {
    pub email: String,
    pub inbox: String,
    pub settings: Vec<SettingRef>,
}

/// The settings of `inbox` that reference `member`, for the removal guard.
pub(super) fn settings_with(conn: &Tx, inbox: &Inbox, member: &Member) -> Result<Vec<SettingRef>> {
    let setting = |setting: &str, label: &str| SettingRef { setting: setting.into(), label: label.into(), groups: None, digits: None };
    let mut found = Vec::new();
    let settings = conn.routing().settings(inbox.id)?;
    if conn.routing().contains(inbox.id, List::Assignment, member.id)? || settings.default_assignee == Some(member.id) {
        found.push(setting("conversation_assignment", "Conversation Assignment"));
    }
    if conn.routing().contains(inbox.id, List::RingGroup, member.id)? {
        found.push(setting("ring_group", "Ring Group"));
    }
    let groups = conn.routing().groups_with(inbox.id, member.id)?;
    if !groups.is_empty() {
        found.push(SettingRef { groups: Some(groups), ..setting("call_distribution", "Call Distribution") });
    }
    let digits = conn.routing().ivr_digits_for(inbox.id, member.id)?;
    if !digits.is_empty() {
        found.push(SettingRef { digits: Some(digits), ..setting("ivr", "IVR") });
    }
    Ok(found)
}

pub(super) fn resolve_inbox(conn: &Tx, scope: &Scope, permission: Permission, action: &str, inbox: &str) -> Result<(Ctx, Inbox)> {
    let ctx = resolve(conn, scope, permission, action)?;
    let inbox = conn.inboxes().by_name(ctx.account.id, inbox)?;
    Ok((ctx, inbox))
}

impl Seatdesk {
    /// Adds to or removes from Conversation Assignment or the Ring Group.
    pub fn set_routing_member(
        &mut self,
        scope: &Scope,
        inbox: &str,
        ring_group: bool,
        email: &str,
        present: bool,
    ) -> Result<MembershipChange> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let (list, label) = if ring_group { (List::RingGroup, "Ring Group") } else { (List::Assignment, "Conversation Assignment") };
            let member =
                if present { routing_member(tx, &ctx, &inbox, email, label)? } else { member_by_email(tx, ctx.account.id, email)? };
            let changed = if present {
                if ring_group && !tx.routing().contains(inbox.id, list, member.id)? {
                    let s = tx.routing().settings(inbox.id)?;
                    check_group_size(s.ring_strategy, tx.routing().count(inbox.id, list)? + 1, "The Ring Group")?;
                }
                tx.routing().add(inbox.id, list, member.id)?
            } else {
                tx.routing().remove(inbox.id, list, member.id)?
            };
            if changed {
                audit(
                    tx,
                    &ctx,
                    today,
                    if present { "routing.add" } else { "routing.remove" },
                    &inbox.name,
                    json!({ "setting": label, "member": member.email }),
                )?;
            }
            let message = match (changed, present) {
                (true, true) => format!("{} is in the {label} of {}.", member.email, inbox.name),
                (true, false) => format!("{} left the {label} of {}.", member.email, inbox.name),
                (false, true) => format!("{} was in the {label} already; nothing changed.", member.email),
                (false, false) => format!("{} was not in the {label}; nothing changed.", member.email),
            };
            Ok(MembershipChange { changed, message, removed_from: vec![] })
        })
    }

    /// Round robin on or off, and the default assignee (which turns round
    /// robin off; turning round robin on clears it).
    pub fn set_assignment(&mut self, scope: &Scope, inbox: &str, change: &AssignmentChange) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let mut s = tx.routing().settings(inbox.id)?;
            if let Some(on) = change.round_robin {
                s.round_robin = on;
                if on {
                    s.default_assignee = None;
                }
            }
            match change.default_assignee.as_deref().map(str::trim) {
                Some("") => s.default_assignee = None,
                Some(email) => {
                    s.default_assignee = Some(routing_member(tx, &ctx, &inbox, email, "the default assignee")?.id);
                    s.round_robin = false;
                }
                None => {}
            }
            if !s.round_robin && s.default_assignee.is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidAssignment,
                    format!("Conversation Assignment of {} needs round robin or a default assignee: choose a default assignee to turn round robin off.", inbox.name),
                )
                .with_details(json!({ "inbox": inbox.name })));
            }
            tx.routing().save_settings(inbox.id, &s)?;
            audit(tx, &ctx, today, "routing.assignment", &inbox.name, json!({ "round_robin": s.round_robin, "default_assignee": email_of(tx, s.default_assignee)? }))?;
            detail(tx, &ctx, &inbox)
        })
    }

    /// The Ring Group's strategy and ring time.
    /// Sets the Ring Group's strategy and ring time; a `None` stays as it is.
    pub fn set_ring_group(
        &mut self,
        scope: &Scope,
        inbox: &str,
        strategy: Option<RingStrategy>,
        ring_seconds: Option<i64>,
    ) -> Result<InboxDetail> {
        self.write(|tx, today| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::ManageInboxes, "change routing", inbox)?;
            let mut s = tx.routing().settings(inbox.id)?;
            let (strategy, ring_seconds) = (strategy.unwrap_or(s.ring_strategy), ring_seconds.unwrap_or(s.ring_seconds));
            check_ring_time(ring_seconds)?;
            check_group_size(strategy, tx.routing().count(inbox.id, List::RingGroup)?, "The Ring Group")?;
            if (strategy, ring_seconds) == (s.ring_strategy, s.ring_seconds) {
                return detail(tx, &ctx, &inbox);
            }
            s.ring_strategy = strategy;
            s.ring_seconds = ring_seconds;
            tx.routing().save_settings(inbox.id, &s)?;
            audit(
                tx,
                &ctx,
                today,
                "routing.ring_group",
                &inbox.name,
                json!({ "strategy": strategy.as_str(), "ring_seconds": ring_seconds }),
            )?;
            detail(tx, &ctx, &inbox)
        })
    }
}

/// Says that a distribution group went with the last member in it.
pub(crate) fn group_removed_note(email: &str, inbox: &str, position: i64) -> String {
    format!(
        "{email} was the last member of group {position} of {inbox}'s Call Distribution: the group is removed (callers never ring into nothing), \
         the groups after it move up, and an IVR digit that rang it points nowhere."
    )
}
