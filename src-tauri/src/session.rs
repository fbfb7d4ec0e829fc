//! The window's state: the database handle and, per window and account,
//! whom the window acts as and whether support mode is on. The page never
//! says who acts; every command builds its service scope here.

use std::collections::HashMap;
use std::sync::Mutex;

use seatdesk_core::service::SupportTicket;
use seatdesk_core::{Error, ErrorCode, Scope, Seatdesk};
use serde::Deserialize;
use specta::Type;
use tauri::Window;

/// The account a command works in, as the page names it (`null`: the only
/// account). Whom the command acts as is never the page's to say: it is
/// the window's [`Session`], kept here in Rust, and any other field sent
/// with it (an acting member from a script) is refused.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct AccountRef {
    pub account: Option<String>,
}

/// Whom a window acts as: the member's address and their pin, which a
/// later member given the same address does not match.
#[derive(Debug, Clone)]
struct Acting {
    email: String,
    pin: String,
}

/// What a window holds per account: whom it acts as (the Owner unless
/// switched, after a native confirmation) and support mode.
#[derive(Debug, Default)]
pub struct Session {
    acting: HashMap<(String, i64), Acting>,
    support: HashMap<(String, i64), SupportTicket>,
    /// The CSV file each window's Import dialog chose, read by Rust.
    import: HashMap<String, std::sync::Arc<Vec<u8>>>,
    /// Windows whose running import was asked to stop (Cancel).
    cancelled: std::collections::HashSet<String>,
}

/// The window's handle on the database. `desk` is an error when the
/// database could not be opened (too new, damaged, read-only): every command
/// then returns that error and the window shows it.
pub struct AppState {
    pub desk: Mutex<Result<Seatdesk, Error>>,
    pub data_dir: std::path::PathBuf,
    /// The clock the window was started with (`--today`), for reopening.
    pub clock: seatdesk_core::Clock,
    pub session: Mutex<Session>,
    /// Where the window wants to hear of other desktops' changes.
    pub(crate) changes: std::sync::Arc<Mutex<Option<tauri::ipc::Channel<crate::shared::DataChanged>>>>,
    /// The shared server's listener, while one is open.
    pub(crate) listener: Mutex<Option<seatdesk_core::store::postgres::Listener>>,
}

impl AppState {
    pub fn new(desk: Result<Seatdesk, Error>, data_dir: std::path::PathBuf, clock: seatdesk_core::Clock) -> AppState {
        AppState {
            desk: Mutex::new(desk),
            data_dir,
            clock,
            session: Mutex::new(Session::default()),
            changes: Default::default(),
            listener: Mutex::new(None),
        }
    }

    /// Runs `f` on the database. A panic inside is caught: the command
    /// returns `internal`, any transaction it left open is rolled back, and
    /// the handle stays usable for the next command.
    /// Runs command `name` on the database, logged ([`crate::log::command`]).
    pub fn with<T>(&self, name: &str, f: impl FnOnce(&mut Seatdesk) -> Result<T, Error>) -> Result<T, Error> {
        crate::log::command(name, None, || self.run(f))
    }

    /// Runs `f` on the database; a panic inside is undone and reported.
    /// The work is blocking (SQLite, a lock): the async runtime's worker
    /// that runs the command hands its other tasks to another thread first
    /// (`block_in_place`), so a long `check` or demo load never stalls the
    /// commands and events of other windows.
    fn run<T>(&self, f: impl FnOnce(&mut Seatdesk) -> Result<T, Error>) -> Result<T, Error> {
        tokio::task::block_in_place(|| self.run_here(f))
    }

    fn run_here<T>(&self, f: impl FnOnce(&mut Seatdesk) -> Result<T, Error>) -> Result<T, Error> {
        let mut guard = self.desk.lock().unwrap_or_else(|poisoned| {
            self.desk.clear_poison();
            poisoned.into_inner()
        });
        let desk = match guard.as_mut() {
            Ok(desk) => desk,
            Err(e) => return Err(e.clone()),
        };
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut *desk))) {
            Ok(result) => result,
            Err(panic) => {
                desk.recover_after_panic();
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into());
                Err(Error::internal(format!("Seatdesk hit an internal fault and undid the change ({what}); nothing was saved. You can go on working.")))
            }
        }
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| {
            self.session.clear_poison();
            p.into_inner()
        })
    }

    /// The service scope for a command of `window` in `account`: the
    /// account, the member this window acts as there, and support mode.
    pub fn scope(&self, d: &mut Seatdesk, window: &Window, account: &AccountRef) -> Result<(Scope, (String, i64)), Error> {
        let id = d.account_id(account.account.as_deref())?;
        let key = (window.label().to_string(), id);
        let (acting, support) = {
            let session = self.session();
            (session.acting.get(&key).cloned(), session.support.get(&key).cloned())
        };
        // In support mode every entry the command writes carries the agent and ticket.
        let scope = Scope {
            account: account.account.clone(),
            acting_as: acting.as_ref().map(|a| a.email.clone()),
            acting_pin: acting.map(|a| a.pin),
            via: None,
            support,
        };
        Ok((scope, key))
    }

    /// Runs command `name`, a service call in `account` as the window's
    /// acting member, logged.
    pub fn act<T>(&self, name: &str, window: &Window, account: &AccountRef, f: impl FnOnce(&mut Seatdesk, &Scope) -> Result<T, Error>) -> Result<T, Error> {
        crate::log::command(name, account.account.as_deref(), || self.run(|d| {
            let (scope, key) = self.scope(d, window, account)?;
            let result = f(d, &scope);
            // The member this window acted as is gone (deleted elsewhere, by
            // the CLI or a restore): it acts as the Owner from the next call.
            if let (Err(e), Some(email)) = (&result, &scope.acting_as) {
                if e.code == ErrorCode::NotAMember && e.details.as_ref().and_then(|d| d.get("key")).and_then(|k| k.as_str()) == Some(email.as_str()) {
                    self.session().acting.remove(&key);
                }
            }
            result
        }))
    }

    /// Keeps the bytes of the file the window's Import dialog chose.
    /// Asks the window's running import to stop; it rolls back.
    pub fn cancel_import(&self, window: &Window) {
        self.session().cancelled.insert(window.label().to_string());
    }

    /// Whether the window's import should go on (clears a Cancel once seen).
    pub fn import_goes_on(&self, window: &Window) -> bool {
        !self.session().cancelled.remove(window.label())
    }

    pub fn set_import_file(&self, window: &Window, bytes: Vec<u8>) {
        self.session.lock().unwrap_or_else(|p| p.into_inner()).import.insert(window.label().to_string(), std::sync::Arc::new(bytes));
    }

    /// Runs `f` on the bytes of the file the window chose for import
    /// (`not_found` when it chose none).
    pub fn with_import_file<T>(&self, window: &Window, f: impl FnOnce(&[u8]) -> Result<T, Error>) -> Result<T, Error> {
        // The session's lock is let go before `f` (which acts, and takes it).
        let bytes = self.session.lock().unwrap_or_else(|p| p.into_inner()).import.get(window.label()).cloned();
        match bytes {
            Some(bytes) => f(&bytes),
            None => Err(Error::new(ErrorCode::NotFound, "Choose a CSV file to import first.")
                .with_details(serde_json::json!({ "kind": "file", "key": "import" }))),
        }
    }

    pub fn reset_session(&self) {
        *self.session() = Session::default();
    }

    /// Support mode of `window` in `account`, if on.
    pub fn support_for(&self, window: &Window, account: &AccountRef) -> Result<Option<SupportTicket>, Error> {
        self.run(|d| {
            let (_, key) = self.scope(d, window, account)?;
            Ok(self.support(&key))
        })
    }

    /// This window now acts as `email` (pinned by `pin`) in the account.
    pub(crate) fn set_acting(&self, key: (String, i64), email: String, pin: String) {
        self.session().acting.insert(key, Acting { email, pin });
    }

    /// The member acted as changed their own address: the same member, renamed.
    pub(crate) fn rename_acting(&self, key: &(String, i64), email: &str) {
        if let Some(acting) = self.session().acting.get_mut(key) {
            acting.email = email.to_string();
        }
    }

    /// Support mode on (`Some`) or off for the window in the account.
    pub(crate) fn set_support(&self, key: (String, i64), support: Option<SupportTicket>) {
        let mut session = self.session();
        match support {
            Some(s) => session.support.insert(key, s),
            None => session.support.remove(&key),
        };
    }

    pub(crate) fn support(&self, key: &(String, i64)) -> Option<SupportTicket> {
        self.session().support.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatdesk_core::service::{NewAccount, NewInbox};
    use seatdesk_core::Clock;

    #[test]
    fn a_panic_inside_a_command_is_caught_rolled_back_and_the_handle_keeps_working() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Seatdesk::open(dir.path(), Clock::system()).unwrap();
        let state = AppState::new(Ok(desk), dir.path().into(), Clock::system());
        let acme = NewAccount { name: "Acme".into(), owner_email: "o@acme.example.com".into(), owner_name: "O".into(), ..Default::default() };
        state.with("test", |d| d.create_account(&acme)).unwrap();

        let e = state.with("test", |d| d.panic_inside_a_write("Ghost")).unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(e.message.contains("a panic inside a write"), "{}", e.message);
        assert!(!state.desk.is_poisoned());
        // The next commands work, on a database without the half-made inbox.
        let scope = Scope::default();
        assert!(state.with("test", |d| d.inboxes(&scope)).unwrap().is_empty(), "the write was rolled back");
        state.with("test", |d| d.create_inbox(&scope, &NewInbox { name: "Sales".into(), number: None, quote_id: None })).unwrap();
        assert_eq!(state.with("test", |d| d.inboxes(&scope)).unwrap().len(), 1);
        assert!(state.with("test", |d| d.check(None)).unwrap().is_empty());
    }

    #[test]
    fn the_page_cannot_name_an_acting_member() {
        let refused = serde_json::from_value::<AccountRef>(serde_json::json!({ "account": "Acme", "acting_as": "olivia@acme.example.com" }));
        assert!(refused.is_err());
        let fine = serde_json::from_value::<AccountRef>(serde_json::json!({ "account": "Acme" })).unwrap();
        assert_eq!(fine.account.as_deref(), Some("Acme"));
    }
}
