//! The window on a shared PostgreSQL server (issue #20): Menu → "Connect to
//! a shared server…" and back to this computer's database, and live updates
//! (a change another desktop commits redraws this window within a second).
//! The server's address is remembered without its password; a password
//! typed in the window lives in memory for the session only.

use seatdesk_core::{Error, Seatdesk};
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::commands::{app_info_of, AppInfo};
use crate::prefs;
use crate::session::AppState;

/// Sent to the window when another desktop changed an account.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DataChanged {
    pub account: String,
}

/// Opens the database the window starts on: `--database` (or
/// `SEATDESK_DATABASE_URL`), else the shared server it was last connected
/// to, else the local file in `data_dir`.
pub fn open_at_start(opts: &crate::WindowOptions, prefs_path: &std::path::Path) -> Result<Seatdesk, Error> {
    let url = opts.database.clone().or_else(|| prefs::server_in_file(prefs_path));
    match url {
        Some(url) => Seatdesk::connect(&url, opts.clock),
        None => Seatdesk::open(&opts.data_dir, opts.clock)?.without_memory_map(),
    }
}

impl AppState {
    /// Makes `desk` the window's database: the window's sessions start
    /// again (acting as the login's member, or the Owner), and on a server
    /// the listener follows it.
    pub(crate) fn replace_desk(&self, desk: Seatdesk) -> Result<(), Error> {
        self.reset_session();
        let mut guard = self.desk.lock().unwrap_or_else(|p| {
            self.desk.clear_poison();
            p.into_inner()
        });
        *guard = Ok(desk);
        self.follow_changes(guard.as_ref().ok())
    }

    /// Starts (or stops) listening on the open database; changes go to the
    /// window's channel, once it gave one.
    pub(crate) fn follow_changes(&self, desk: Option<&Seatdesk>) -> Result<(), Error> {
        let channel = self.changes.clone();
        let listener = match desk {
            Some(desk) => desk.listen(move |account| {
                if let Some(channel) = channel.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                    let _ = channel.send(DataChanged { account });
                }
            })?,
            None => None,
        };
        *self.listener.lock().unwrap_or_else(|p| p.into_inner()) = listener;
        Ok(())
    }
}

/// The window's channel for [`DataChanged`] notices (called once at start).
#[tauri::command]
#[specta::specta]
pub async fn watch_changes(state: State<'_, AppState>, channel: Channel<DataChanged>) -> Result<(), Error> {
    *state.changes.lock().unwrap_or_else(|p| p.into_inner()) = Some(channel);
    Ok(())
}

/// Connects the window to a shared server. `password` is used for this
/// connection only (else `~/.pgpass` or `PGPASSWORD` supply it); the URL is
/// remembered without it, and the window opens the server on its next start.
#[tauri::command]
#[specta::specta]
pub async fn connect_server(app: AppHandle, state: State<'_, AppState>, url: String, password: Option<String>) -> Result<AppInfo, Error> {
    // The server's client blocks (it runs a small runtime of its own): never
    // on one of the window's async workers.
    tokio::task::block_in_place(|| {
        let desk = crate::log::command("connect_server", None, || Seatdesk::connect_with_password(url.trim(), password.as_deref(), state.clock))?;
        let shown = desk.server_shown();
        state.replace_desk(desk)?;
        prefs::save_server(&app, shown.as_deref())?;
        state.with("app_info", |d| app_info_of(&state, d))
    })
}

/// Goes back to this computer's database (the local file), and stays there
/// on the next start.
#[tauri::command]
#[specta::specta]
pub async fn use_local_database(app: AppHandle, state: State<'_, AppState>) -> Result<AppInfo, Error> {
    tokio::task::block_in_place(|| {
        let desk = crate::log::command("use_local_database", None, || Seatdesk::open(&state.data_dir, state.clock)?.without_memory_map())?;
        state.replace_desk(desk)?;
        prefs::save_server(&app, None)?;
        state.with("app_info", |d| app_info_of(&state, d))
    })
}
