//! The one error type of Seatdesk: a stable snake_case code (rules §9), a
//! human message and optional structured details.
//!
//! The code is what callers branch on (the UI through the generated
//! TypeScript union, scripts through `{"error":{"code",...}}`); the message is
//! for people and may be reworded freely.

use serde::Serialize;
use serde_json::Value;
use specta::Type;

/// Every refusal Seatdesk can give. The serialised names are a public
/// contract: never rename one, only add.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Type, strum::IntoStaticStr, strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    InvalidEmail,
    DuplicateEmail,
    InvalidPhoneNumber,
    DuplicateNumber,
    InvalidQuantity,
    NoFreeSeats,
    NotEnoughUnassignedSeats,
    QuoteStale,
    NotFound,
    NotPermitted,
    OwnerProtected,
    InvalidReassignTarget,
    NotInboxMember,
    MemberStillAssigned,
    RingGroupFull,
    TooManyGroups,
    InvalidRingTime,
    NotPending,
    SupportModeRequired,
    InvalidTransferTarget,
    InvalidCsv,
    DatabaseLocked,
    DatabaseTooNew,
    DatabaseCorrupt,
    // Beyond the rules' minimum list:
    /// A name (account, member, inbox) that is empty, too long or has control characters.
    InvalidName,
    /// A date that is not a real `YYYY-MM-DD` calendar date, or out of range.
    InvalidDate,
    /// A price that is not a non-negative amount with at most two decimals.
    InvalidPrice,
    /// A currency that is not three ASCII capital letters.
    InvalidCurrency,
    /// A plan other than `monthly` or `annual`.
    InvalidPlan,
    /// A role name Seatdesk does not know.
    InvalidRole,
    /// An account with that name exists already.
    DuplicateAccount,
    /// An inbox with that name exists already in the account.
    DuplicateInbox,
    /// Several accounts exist and the call did not say which one.
    AccountRequired,
    /// The database file is read-only.
    DatabaseReadOnly,
    /// The data directory cannot be created or written.
    DataDirUnwritable,
    /// The disk holding the database is full; the change was rolled back.
    DiskFull,
    /// The window cannot open: no graphical display.
    NoDisplay,
    /// An invite names neither an existing inbox nor a new one (or both).
    InboxRequired,
    /// An IVR option with a digit outside 0–9, a digit used twice, or a greeting too long.
    InvalidIvrOption,
    /// A Call Distribution group with nobody in it: callers would ring into
    /// nothing (add a member, or remove the group).
    InvalidDistribution,
    /// The inbox already has its (one) number.
    InboxHasNumber,
    /// The inbox has no number to release or move.
    InboxHasNoNumber,
    /// Deleting an inbox that holds conversations or a number needs a
    /// choice for each (details say which): where they go.
    InboxNotEmpty,
    /// An inbox's conversations or number cannot go to that inbox (itself).
    InvalidMoveTarget,
    /// `--database` (or the window's server address) is not a PostgreSQL URL.
    InvalidDatabaseUrl,
    /// The shared server does not answer, refuses the login, or dropped the
    /// connection.
    ServerUnavailable,
    /// What only a local file can do (a backup, a restore) asked of a shared
    /// server.
    UnsupportedOnServer,
    /// What only a shared server has (logins and grants) asked of the local
    /// file.
    ServerRequired,
    /// A server login name Seatdesk will not create (see `server grant`).
    InvalidLogin,
    /// `check` or the audit chain finds a problem that must be put right
    /// before the account is moved.
    CheckFailed,
    /// The member to act as (`--as`) is not an Active member of the account:
    /// unknown there, or still a pending invitee.
    NotAMember,
    /// A pending invite holds its place in its inbox: change the inbox by
    /// editing the invite (or revoke it), not by removing the invitee.
    EditInviteInstead,
    /// Observers read and hold no work: no routing setting, default
    /// assignee, conversation, contact or New Inbox of their own.
    ObserverHoldsNoWork,
    /// Conversation Assignment needs a target: round robin, or a default
    /// assignee (round robin off without one would leave conversations
    /// unassigned).
    InvalidAssignment,
    /// A whole-object save (the plan, Call Distribution, IVR) was made from
    /// a version that changed meanwhile: nothing was saved; reload and redo.
    StaleEdit,
    /// A file chosen for import is larger than Seatdesk takes (details: its
    /// size and the limit); nothing was read.
    FileTooLarge,
    /// Long work (an import) was cancelled before it finished: its
    /// transaction was rolled back and nothing changed.
    Cancelled,
    /// A file Seatdesk would write (a backup) exists already: nothing was
    /// overwritten; choose a new name.
    FileExists,
    /// Nobody deletes themselves or changes their own role (another Owner
    /// or Admin does it).
    CannotChangeSelf,
    /// A contact's owner must be an Active member who holds work: the Owner
    /// or a paid role (not a pending invitee, not an Observer).
    InvalidContactOwner,
    /// A billed purchase was attempted without a quote.
    QuoteRequired,
    /// `check` or `audit verify` found broken invariants (details list them).
    InvariantViolated,
    /// A search across every account needs at least three characters.
    SearchTooShort,
    /// A command-line value in the wrong form (exit status 2, like other usage errors).
    InvalidArgument,
    /// A bug or an unexpected storage failure; details say what.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A refusal: what went wrong (`code`), in words (`message`), and the facts
/// a caller may need to act on it (`details`, e.g. `{"needed":3,"free":1}`).
/// An unexpected failure (`internal`) keeps its cause (`source`) for the
/// log; it never crosses to the window or the JSON.
#[derive(Debug, Clone, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub details: Option<Value>,
    #[serde(skip)]
    #[source]
    pub source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

/// Errors are equal when what callers see is (the cause is for the log).
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        (self.code, &self.message, &self.details) == (other.code, &other.message, &other.details)
    }
}

/// Typed details ([`Error::with_details`] takes JSON): a view that does not
/// serialise is a bug, `internal`.
pub fn to_details<T: Serialize>(details: &T) -> Result<Value> {
    serde_json::to_value(details).map_err(|e| Error::internal("details do not serialise").caused_by(e))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), details: None, source: None }
    }

    /// Keeps what caused this error (an I/O or storage failure) for the log.
    pub fn caused_by(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(std::sync::Arc::new(cause));
        self
    }

    /// The message with every cause under it, for the log.
    pub fn chain(&self) -> String {
        let mut text = format!("{}: {}", self.code.as_str(), self.message);
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            text.push_str(&format!(" <- {c}"));
            cause = c.source();
        }
        text
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found(what: &str, key: &str) -> Self {
        Error::new(ErrorCode::NotFound, format!("No {what} named {key:?}."))
            .with_details(serde_json::json!({ "kind": what, "key": key }))
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Internal, message)
    }

    /// The `{"error":{...}}` document printed by the CLI with `--json`.
    pub fn to_json_document(&self) -> Value {
        serde_json::json!({
            "error": {
                "code": self.code.as_str(),
                "message": self.message,
                "details": self.details.clone().unwrap_or(Value::Null),
            }
        })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        // A stored value that does not read (a role, a date, a kind Seatdesk
        // never wrote): the file was changed by something else.
        if let rusqlite::Error::FromSqlConversionFailure(column, _, cause) = &e {
            return Error::new(
                ErrorCode::DatabaseCorrupt,
                format!("A value in the database does not read ({cause}); the file was changed outside Seatdesk. Nothing was changed."),
            )
            .with_details(serde_json::json!({ "column": column }));
        }
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => Error::new(
                ErrorCode::DatabaseLocked,
                "The database is busy: another Seatdesk window or command is writing to it. Try again.",
            ),
            Some(C::ReadOnly) => Error::new(
                ErrorCode::DatabaseReadOnly,
                "The database is read-only; nothing was changed.",
            ),
            Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => Error::new(
                ErrorCode::DatabaseCorrupt,
                "The database file is damaged or is not a Seatdesk database.",
            ),
            Some(C::DiskFull) => Error::new(
                ErrorCode::DiskFull,
                "The disk holding the database is full; nothing was changed. Free some space and try again.",
            ),
            _ => Error::internal(format!("storage error: {e}")).caused_by(e),
        }
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => err.into(),
            other => Error::internal(format!("migration error: {other}")).caused_by(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_serialises_to_its_listed_name() {
        use strum::IntoEnumIterator;
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::iter() {
            assert_eq!(serde_json::to_value(code).unwrap(), Value::String(code.as_str().into()));
            assert!(seen.insert(code.as_str()), "two codes share {}", code.as_str());
        }
        for spec_code in ["invalid_email", "quote_stale", "database_corrupt", "member_still_assigned"] {
            assert!(seen.contains(spec_code), "{spec_code} missing");
        }
    }

    #[test]
    fn json_document_has_the_spec_shape() {
        let e = Error::new(ErrorCode::NoFreeSeats, "short")
            .with_details(serde_json::json!({"needed": 2, "free": 0}));
        let doc = e.to_json_document();
        assert_eq!(doc["error"]["code"], "no_free_seats");
        assert_eq!(doc["error"]["message"], "short");
        assert_eq!(doc["error"]["details"]["needed"], 2);
    }
}
