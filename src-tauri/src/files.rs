//! Commands that read or write files the user chooses: CSV export, backups
//! and restores. The file is chosen in a native dialog and written by Rust;
//! the webview has no filesystem permission. (CSV import reads the file the
//! user picked in the page and sends its text.)
//!
//! `SEATDESK_DIALOG_PATH`, when set, answers every file dialog with that
//! path instead of showing it: for scripted runs and the end-to-end tests.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use seatdesk_core::service::{BackupInfo, ImportOptions, ImportReport, RestoreInfo};
use seatdesk_core::{Error, ErrorCode, Scope};

use crate::commands::AppState;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Members,
    Ledger,
}

fn choose(app: &AppHandle, save: bool, name: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SEATDESK_DIALOG_PATH") {
        return Some(PathBuf::from(p));
    }
    let dialog = app.dialog().file().add_filter(filter.0, filter.1).set_file_name(name);
    let picked = if save { dialog.blocking_save_file() } else { dialog.blocking_pick_file() };
    picked.and_then(|p| p.into_path().ok())
}

fn write_error(path: &std::path::Path, e: std::io::Error) -> Error {
    Error::new(ErrorCode::DataDirUnwritable, format!("Cannot write {}: {e}", path.display()))
}

/// Exports members or the ledger as CSV to a file chosen in a save dialog;
/// `null` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_csv(app: AppHandle, state: State<'_, AppState>, scope: Scope, kind: ExportKind) -> Result<Option<String>, Error> {
    let csv = state.with(|d| match kind {
        ExportKind::Members => d.export_members_csv(&scope),
        ExportKind::Ledger => d.export_ledger_csv(&scope),
    })?;
    let name = match kind {
        ExportKind::Members => "members.csv",
        ExportKind::Ledger => "ledger.csv",
    };
    let Some(path) = choose(&app, true, name, ("CSV", &["csv"])) else { return Ok(None) };
    std::fs::write(&path, csv).map_err(|e| write_error(&path, e))?;
    Ok(Some(path.display().to_string()))
}

/// Imports members from the CSV text of a file the user picked.
#[tauri::command]
#[specta::specta]
pub async fn import_members_csv(
    state: State<'_, AppState>,
    scope: Scope,
    content: String,
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    state.with(|d| d.import_members(&scope, content.as_bytes(), &options))
}

/// "Back up now": a consistent copy to a file chosen in a save dialog.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>) -> Result<Option<BackupInfo>, Error> {
    let stamp = chrono::Local::now().format("%Y-%m-%d");
    let Some(path) = choose(&app, true, &format!("seatdesk-{stamp}.db"), ("Seatdesk backup", &["db"])) else {
        return Ok(None);
    };
    state.with(|d| d.backup(&path)).map(Some)
}

/// Restores from a backup chosen in an open dialog (checked first; the
/// current database is kept beside it).
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(app: AppHandle, state: State<'_, AppState>) -> Result<Option<RestoreInfo>, Error> {
    let Some(path) = choose(&app, false, "seatdesk.db", ("Seatdesk backup", &["db", "bak"])) else {
        return Ok(None);
    };
    state.with(|d| d.restore(&path)).map(Some)
}
