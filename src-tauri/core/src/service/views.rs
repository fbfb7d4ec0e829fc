//! What the service layer takes and returns: plain serialisable values, the
//! same for the window (typed through specta) and for the CLI's `--json`.
//! Field names here are the JSON contract of rules §10.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::{BillingPeriod, Member, Role, Status};

/// An account and its plan.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AccountView {
    pub name: String,
    pub currency: String,
    pub plan: BillingPeriod,
    pub renews_on: String,
    #[specta(type = specta_typescript::Number)]
    pub seat_price_cents: i64,
    #[specta(type = specta_typescript::Number)]
    pub number_price_cents: i64,
    /// Blank in a list of accounts where the Owner's row does not read (a
    /// damaged page: `check` says where).
    pub owner_email: String,
    pub owner_name: String,
    pub created_at: String,
    /// The business date the account began.
    pub began_on: String,
    /// The first day of the current period (it ends on `renews_on`).
    pub period_start: String,
    /// The renewal after `renews_on`.
    pub then_renews_on: String,
    /// A plan change that takes effect on `renews_on`.
    pub scheduled: Option<ScheduledPlanView>,
    /// Send it back with Edit plan's save (`stale_edit` if the plan changed
    /// meanwhile).
    pub plan_version: String,
}

/// The terms from the next renewal on, when they change.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ScheduledPlanView {
    pub plan: BillingPeriod,
    #[specta(type = specta_typescript::Number)]
    pub seat_price_cents: i64,
    #[specta(type = specta_typescript::Number)]
    pub number_price_cents: i64,
    pub currency: String,
    /// Set when the renewal date moves: the renewal after the next one.
    pub renews_on: Option<String>,
}

/// The form of "Create account" and of `account create`. Prices are typed
/// text ("10.00"); absent ones take the plan's defaults.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct NewAccount {
    pub name: String,
    pub owner_email: String,
    pub owner_name: String,
    pub plan: Option<String>,
    pub seat_price: Option<String>,
    pub number_price: Option<String>,
    pub currency: Option<String>,
    pub renews_on: Option<String>,
}

/// One row of the members table and of `members --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemberView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
    pub inboxes: Vec<String>,
    pub invited_on: Option<String>,
    pub joined_on: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub resend_count: i64,
    /// When the invite was last sent (the invite itself or a resend).
    pub last_sent_at: Option<String>,
}

impl MemberView {
    pub(crate) fn new(m: Member, inboxes: Vec<String>) -> MemberView {
        MemberView {
            email: m.email,
            name: m.name,
            role: m.role,
            status: m.status,
            inboxes,
            invited_on: m.invited_on.map(|d| d.to_string()),
            joined_on: m.joined_on.map(|d| d.to_string()),
            resend_count: m.resend_count,
            last_sent_at: m.last_sent_at,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum MemberSort {
    #[default]
    Name,
    Email,
    Role,
    /// By the number of inboxes.
    Inboxes,
    Joined,
}

/// Filters, order and window of the members list.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct MemberQuery {
    pub status: Option<Status>,
    pub role: Option<Role>,
    pub search: Option<String>,
    /// Only pending invites last sent more than this many days ago.
    #[specta(type = Option<specta_typescript::Number>)]
    pub pending_days: Option<i64>,
    pub sort: Option<MemberSort>,
    pub descending: Option<bool>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub offset: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub limit: Option<i64>,
}

/// A page of members plus the counts the tabs show.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemberPage {
    pub rows: Vec<MemberView>,
    /// Rows matching the filters, over all pages (at most 10 000 when
    /// searching or filtering by role: then `total_capped` says "or more").
    #[specta(type = specta_typescript::Number)]
    pub total: i64,
    pub total_capped: bool,
    #[specta(type = specta_typescript::Number)]
    pub offset: i64,
    #[specta(type = specta_typescript::Number)]
    pub active_count: i64,
    #[specta(type = specta_typescript::Number)]
    pub pending_count: i64,
}

/// An inbox in lists.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct InboxView {
    pub name: String,
    pub number: Option<String>,
    pub owner: String,
    /// The owner's name, for the window.
    pub owner_name: String,
    #[specta(type = specta_typescript::Number)]
    pub member_count: i64,
    /// No number yet (rules §4: "awaiting number").
    pub awaiting_number: bool,
}

impl From<crate::store::inboxes::ListedInbox> for InboxView {
    fn from(l: crate::store::inboxes::ListedInbox) -> InboxView {
        InboxView {
            awaiting_number: l.inbox.number.is_none(),
            name: l.inbox.name,
            number: l.inbox.number,
            owner: l.owner_email,
            owner_name: l.owner_name,
            member_count: l.member_count,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct NewInbox {
    pub name: String,
    pub number: Option<String>,
    /// A billed number is bought at this quote (the `quote_required`
    /// refusal's) in the same step as the inbox is created.
    #[serde(default)]
    pub quote_id: Option<String>,
}

/// What the window shows in its header and About box.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Overview {
    pub account: AccountView,
    pub seats: crate::domain::SeatSummary,
    pub acting_as: MemberView,
    /// What the acting member may do, from the role matrix (rules §2): the
    /// window enables what this allows and copies no rule of its own.
    pub can: Abilities,
}

/// What a member may do, from their role and status ([`Role::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Abilities {
    /// Members, seats and billing (the Owner and Admins).
    pub manage_account: bool,
    /// Inboxes and routing (the Owner, Admins and Managers).
    pub manage_inboxes: bool,
    /// Restore a backup over the database (the Owner).
    pub restore: bool,
    /// Join an inbox to see its conversations ("Add me": the Owner and Admins).
    pub add_self_to_inboxes: bool,
}

impl Abilities {
    pub fn of(role: Role, status: Status) -> Abilities {
        use crate::domain::Permission;
        let active = status == Status::Active;
        let may = |p: Permission| active && role.allows(p);
        Abilities {
            manage_account: may(Permission::ManageAccount),
            manage_inboxes: may(Permission::ManageInboxes),
            restore: active && role == Role::Owner,
            add_self_to_inboxes: may(Permission::ManageAccount),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Abilities;
    use crate::domain::{Role, Status};

    /// What the window enables for each role (rules §2); a pending invitee may do nothing.
    #[test]
    fn abilities_follow_the_role_matrix() {
        let of = |r, s| {
            let a = Abilities::of(r, s);
            (a.manage_account, a.manage_inboxes, a.restore, a.add_self_to_inboxes)
        };
        assert_eq!(of(Role::Owner, Status::Active), (true, true, true, true));
        assert_eq!(of(Role::Admin, Status::Active), (true, true, false, true));
        assert_eq!(of(Role::Manager, Status::Active), (false, true, false, false));
        assert_eq!(of(Role::Member, Status::Active), (false, false, false, false));
        assert_eq!(of(Role::Observer, Status::Active), (false, false, false, false));
        assert_eq!(of(Role::Admin, Status::Pending), (false, false, false, false));
    }
}
