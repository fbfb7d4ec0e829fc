//! Roles, statuses and the permission matrix (rules §2).

use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::error::{Error, ErrorCode, Result};

/// Stored, sent and typed as its lower-case name (`strum`, `serde`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Member,
    Observer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Status {
    Active,
    Pending,
}

/// What an action needs from the acting member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Members, seats and billing: Owner and Admin.
    ManageAccount,
    /// Inboxes and routing: Owner, Admin and Manager.
    ManageInboxes,
    /// Reading anything: every role.
    Read,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Owner, Role::Admin, Role::Manager, Role::Member, Role::Observer];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A role as typed (any case, spaces around).
    pub fn parse(raw: &str) -> Result<Role> {
        raw.trim().parse().map_err(|_| {
            Error::new(
                ErrorCode::InvalidRole,
                format!("{raw:?} is not a role; use owner, admin, manager, member or observer."),
            )
            .with_details(json!({ "role": raw }))
        })
    }

    /// Whether a non-Owner member with this role counts against purchased
    /// seats. The Owner's seat is included in the plan; Observers are free.
    pub fn takes_paid_seat(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Member)
    }

    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::Read => true,
            Permission::ManageAccount => matches!(self, Role::Owner | Role::Admin),
            Permission::ManageInboxes => matches!(self, Role::Owner | Role::Admin | Role::Manager),
        }
    }

    /// The role with its article, to begin a sentence: "An Admin".
    pub fn with_article(self) -> &'static str {
        match self {
            Role::Owner => "The Owner",
            Role::Admin => "An Admin",
            Role::Manager => "A Manager",
            Role::Member => "A Member",
            Role::Observer => "An Observer",
        }
    }

    /// The label the window shows.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Manager => "Manager",
            Role::Member => "Member",
            Role::Observer => "Observer",
        }
    }
}

impl Status {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// A status as typed (any case, spaces around).
    pub fn parse(raw: &str) -> Option<Status> {
        raw.trim().parse().ok()
    }
}

/// Refuses unless `role` (of an Active member) may do what `permission` covers.
pub fn require(role: Role, status: Status, permission: Permission, action: &str) -> Result<()> {
    if status == Status::Active && role.allows(permission) {
        return Ok(());
    }
    let why = if status != Status::Active { "a pending invitee cannot act" } else { "the role does not allow it" };
    Err(Error::new(ErrorCode::NotPermitted, format!("{} cannot {action}: {why}.", role.with_article()))
        .with_details(json!({ "role": role.as_str(), "status": status.as_str(), "action": action })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_spec_section_2() {
        use Permission::*;
        let table = [
            (Role::Owner, true, true, true),
            (Role::Admin, true, true, true),
            (Role::Manager, false, true, true),
            (Role::Member, false, false, true),
            (Role::Observer, false, false, true),
        ];
        for (role, account, inboxes, read) in table {
            assert_eq!(role.allows(ManageAccount), account, "{role:?}");
            assert_eq!(role.allows(ManageInboxes), inboxes, "{role:?}");
            assert_eq!(role.allows(Read), read, "{role:?}");
        }
        assert!(!Role::Owner.takes_paid_seat());
        assert!(!Role::Observer.takes_paid_seat());
        assert!(Role::Member.takes_paid_seat());
    }

    /// The words the window and refusals use for each role, and why a
    /// refusal happened (pending, or the role).
    #[test]
    fn roles_read_as_words_and_refusals_say_why() {
        let words: Vec<(&str, &str)> = Role::ALL.iter().map(|r| (r.label(), r.with_article())).collect();
        assert_eq!(
            words,
            [("Owner", "The Owner"), ("Admin", "An Admin"), ("Manager", "A Manager"), ("Member", "A Member"), ("Observer", "An Observer")]
        );
        let pending = require(Role::Admin, Status::Pending, Permission::Read, "read").unwrap_err();
        assert_eq!(pending.message, "An Admin cannot read: a pending invitee cannot act.");
        let role = require(Role::Member, Status::Active, Permission::ManageInboxes, "change routing").unwrap_err();
        assert_eq!(role.message, "A Member cannot change routing: the role does not allow it.");
    }

    #[test]
    fn pending_members_cannot_act() {
        assert_eq!(
            require(Role::Admin, Status::Pending, Permission::Read, "read").unwrap_err().code,
            ErrorCode::NotPermitted
        );
        assert!(require(Role::Admin, Status::Active, Permission::ManageAccount, "buy seats").is_ok());
    }

    #[test]
    fn roles_parse_case_insensitively() {
        assert_eq!(Role::parse(" Admin ").unwrap(), Role::Admin);
        assert_eq!(Role::parse("boss").unwrap_err().code, ErrorCode::InvalidRole);
    }
}
