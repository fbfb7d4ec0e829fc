//! An inbox as the window shows it: its settings with their counts and the
//! people they name, and its members a page at a time. At a real team's
//! size an inbox holds tens of thousands of members; the page never sends
//! them all (`inboxes show` still does, for scripts).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::routing::{call_settings, resolve_inbox, DistributionView, InboxMemberView, IvrView};
use super::{Scope, Seatdesk};
use crate::domain::email::EmailKey;
use crate::domain::routing::{assignment_preview, IvrTarget, RingStrategy};
use crate::domain::{Inbox, Permission};
use crate::error::Result;
use crate::store::inboxes::MemberPageQuery;
use crate::store::members::COUNT_CAP;
use crate::store::routing::{List, Settings};
use crate::store::Tx;

/// The most members one page of an inbox carries.
pub const MAX_INBOX_PAGE: i64 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxPage {
    pub name: String,
    pub number: Option<String>,
    pub owner: String,
    pub owner_name: String,
    #[specta(type = specta_typescript::Number)]
    pub member_count: i64,
    /// Whether the acting member is a member of the inbox ("Add me" otherwise).
    pub acting_member_is_in: bool,
    pub conversation_assignment: AssignmentSummary,
    pub ring_group: RingGroupSummary,
    pub distribution: DistributionView,
    pub ivr: IvrView,
    /// Every member the settings above name (the default assignee, the next
    /// five, the Ring Group's first, distribution groups, IVR digits), with
    /// their names.
    pub people: Vec<InboxMemberView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AssignmentSummary {
    pub round_robin: bool,
    pub default_assignee: Option<String>,
    /// Who the next five inbound conversations go to.
    pub next: Vec<String>,
    /// Members in the round robin.
    #[specta(type = specta_typescript::Number)]
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RingGroupSummary {
    pub strategy: RingStrategy,
    #[specta(type = specta_typescript::Number)]
    pub ring_seconds: i64,
    #[specta(type = specta_typescript::Number)]
    pub count: i64,
    /// Its first two members by name, for the page's summary.
    pub first: Vec<String>,
}

/// A routing list of an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RoutingList {
    Assignment,
    RingGroup,
}

/// Which of an inbox's members a page holds.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct InboxMemberQuery {
    /// Only the members of this routing list.
    #[serde(default)]
    pub list: Option<RoutingList>,
    /// Only those routing may name: Active members who hold work.
    #[serde(default)]
    pub routable: bool,
    /// Name or address, anywhere, any case.
    #[serde(default)]
    pub search: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub offset: i64,
    #[specta(type = specta_typescript::Number)]
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxMemberPage {
    pub rows: Vec<InboxMemberView>,
    /// How many match in all (a search counts up to 10 000: then
    /// `total_capped`).
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
    pub total_capped: bool,
}

impl Seatdesk {
    /// An inbox's settings with their counts and the people they name; its
    /// members come a page at a time ([`Seatdesk::inbox_members`]).
    pub fn inbox_page(&mut self, scope: &Scope, inbox: &str) -> Result<InboxPage> {
        self.read(|tx, _| {
            let (ctx, inbox) = resolve_inbox(tx, scope, Permission::Read, "read inboxes", inbox)?;
            let settings = tx.routing().settings(inbox.id)?;
            let default_assignee = settings.default_assignee.map(|id| tx.members().by_id(id).map(|m| m.email)).transpose()?;
            let counts = tx.inboxes().counts(inbox.id)?;
            let next = next_five(tx, &inbox, &settings, default_assignee.as_deref())?;
            let in_inbox = |email: &str| -> Result<bool> {
                match tx.members().find_by_email(inbox.account_id, &EmailKey::of(email))? {
                    Some(m) => Ok(tx.inboxes().of_member(m.id)?.iter().any(|i| i.id == inbox.id)),
                    None => Ok(false),
                }
            };
            let (distribution, ivr) = call_settings(tx, &inbox, &settings, &in_inbox)?;
            let ring_group = MemberPageQuery { list: Some(List::RingGroup), routable: false, search: None, offset: 0, limit: 2 };
            let first: Vec<String> = tx.inboxes().member_page(inbox.id, &ring_group)?.0.into_iter().map(|(email, ..)| email).collect();
            let owner = tx.members().by_id(inbox.owner_id)?;
            // The people the settings name, once each, with their names.
            let mut named: BTreeSet<&str> = BTreeSet::new();
            named.extend(default_assignee.as_deref());
            named.extend(next.iter().map(String::as_str));
            named.extend(first.iter().map(String::as_str));
            named.extend(distribution.groups.iter().flat_map(|g| g.members.iter().map(String::as_str)));
            named.extend(ivr.options.iter().filter_map(|o| match &o.target {
                IvrTarget::Member { email } => Some(email.as_str()),
                _ => None,
            }));
            let keys: Vec<EmailKey> = named.into_iter().map(EmailKey::of).collect();
            let people = tx
                .members()
                .find_many(inbox.account_id, &keys)?
                .into_iter()
                .flatten()
                .map(|m| InboxMemberView { email: m.email, name: m.name, role: m.role, status: m.status })
                .collect();
            Ok(InboxPage {
                name: inbox.name.clone(),
                number: inbox.number.clone(),
                owner: owner.email,
                owner_name: owner.name,
                member_count: counts.members,
                acting_member_is_in: tx.inboxes().of_member(ctx.actor.id)?.iter().any(|i| i.id == inbox.id),
                conversation_assignment: AssignmentSummary {
                    round_robin: settings.round_robin,
                    default_assignee,
                    next,
                    count: counts.assignment,
                },
                ring_group: RingGroupSummary {
                    strategy: settings.ring_strategy,
                    ring_seconds: settings.ring_seconds,
                    count: counts.ring_group,
                    first,
                },
                distribution,
                ivr,
                people,
            })
        })
    }

    /// A page of an inbox's members (or of one routing list, or of those
    /// routing may name), by name, with how many match.
    pub fn inbox_members(&mut self, scope: &Scope, inbox: &str, q: &InboxMemberQuery) -> Result<InboxMemberPage> {
        self.read(|tx, _| {
            let (_, inbox) = resolve_inbox(tx, scope, Permission::Read, "read inboxes", inbox)?;
            let list = q.list.map(|l| match l {
                RoutingList::Assignment => List::Assignment,
                RoutingList::RingGroup => List::RingGroup,
            });
            page(
                tx,
                &inbox,
                &MemberPageQuery {
                    list,
                    routable: q.routable,
                    search: q.search.as_deref(),
                    offset: q.offset.max(0),
                    limit: q.limit.clamp(1, MAX_INBOX_PAGE),
                },
            )
        })
    }
}

/// Who the next five inbound conversations go to, as
/// [`assignment_preview`] says, read from the round robin's places after
/// the last turn and its top (never the whole round robin).
fn next_five(tx: &Tx, inbox: &Inbox, settings: &Settings, default: Option<&str>) -> Result<Vec<String>> {
    const N: usize = 5;
    if default.is_some() || !settings.round_robin {
        return Ok(assignment_preview(&[], &[], None, settings.round_robin, default, N));
    }
    let after = match settings.rr_after.as_deref() {
        Some(place) => tx.routing().rotation_after(inbox.id, Some(place), N as i64)?,
        None => Vec::new(),
    };
    // The top of the order, repeated when the round robin is shorter than five.
    let top = tx.routing().rotation_after(inbox.id, None, N as i64)?;
    Ok(after.into_iter().chain(top.iter().cycle().cloned()).take(if top.is_empty() { 0 } else { N }).collect())
}

fn page(tx: &Tx, inbox: &Inbox, q: &MemberPageQuery<'_>) -> Result<InboxMemberPage> {
    let (rows, total) = tx.inboxes().member_page(inbox.id, q)?;
    // Only a search's count stops at the cap.
    let capped = q.search.is_some_and(|t| !t.trim().is_empty()) && total > COUNT_CAP;
    Ok(InboxMemberPage {
        rows: rows.into_iter().map(|(email, name, role, status)| InboxMemberView { email, name, role, status }).collect(),
        total_capped: capped,
        total: if capped { COUNT_CAP } else { total },
    })
}
