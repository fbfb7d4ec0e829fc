//! Commands that read or write files the user chooses: CSV import and
//! export, backups and restores. The file is chosen in a native dialog and
//! read or written by Rust; the webview has no filesystem permission and
//! never handles a file's bytes. Exports, like the database and its
//! backups, are written readable by their user only.


use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, State, Window};

use seatdesk_core::service::{BackupInfo, ImportOptions, ImportReport, Progress, RestoreInfo};
use seatdesk_core::{Error, ErrorCode};

use crate::commands::{AccountRef, AppState};
use crate::native;

#[derive(Debug, Clone, Copy, Deserialize, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Members,
    Ledger,
}

fn write_error(path: &std::path::Path, e: std::io::Error) -> Error {
    Error::new(ErrorCode::DataDirUnwritable, format!("Cannot write {}: {e}", path.display()))
}

/// Exports members or the ledger as CSV to a file chosen in a save dialog;
/// `null` when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_csv(app: AppHandle, state: State<'_, AppState>, window: Window, scope: AccountRef, kind: ExportKind) -> Result<Option<String>, Error> {
    let csv = state.act("export_csv", &window, &scope, |d, scope| match kind {
        ExportKind::Members => d.export_members_csv(scope),
        ExportKind::Ledger => d.export_ledger_csv(scope),
    })?;
    let name = match kind {
        ExportKind::Members => "members.csv",
        ExportKind::Ledger => "ledger.csv",
    };
    let Some(path) = native::choose_file(&app, true, name, ("CSV", &["csv"])) else { return Ok(None) };
    seatdesk_core::store::write_private(&path, csv.as_bytes()).map_err(|e| write_error(&path, e))?;
    Ok(Some(path.display().to_string()))
}

/// The file an Import dialog chose: its name and size.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChosenFile {
    pub name: String,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

/// Import: chooses a CSV file in a native dialog and reads it in Rust
/// (refused over [`MAX_IMPORT_BYTES`] with `file_too_large`, before reading
/// it); the window's dry runs and its apply then use these bytes. `null`
/// when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_import_file(app: AppHandle, state: State<'_, AppState>, window: Window) -> Result<Option<ChosenFile>, Error> {
    let Some(path) = native::choose_file(&app, false, "members.csv", ("CSV", &["csv", "txt"])) else { return Ok(None) };
    let bytes = read_import_file(&path)?;
    let chosen = ChosenFile { name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes: bytes.len() as u64 };
    state.set_import_file(&window, bytes);
    Ok(Some(chosen))
}

/// The most bytes an imported CSV may hold: 100 000 rows of long names and
/// addresses fit in well under it.
pub const MAX_IMPORT_BYTES: u64 = 32 * 1024 * 1024;

fn read_import_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    let read_error = |e: std::io::Error| Error::new(ErrorCode::InvalidCsv, format!("Cannot read {}: {e}", path.display())).with_details(serde_json::json!({ "line": 0 }));
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(Error::new(
            ErrorCode::FileTooLarge,
            format!("{} holds {} MB; an import takes at most {} MB (about 100 000 rows). Split the file.", path.display(), size / 1_000_000, MAX_IMPORT_BYTES / 1_000_000),
        )
        .with_details(serde_json::json!({ "bytes": size, "max_bytes": MAX_IMPORT_BYTES })));
    }
    std::fs::read(path).map_err(read_error)
}

/// Imports members from the file the window chose ([`choose_import_file`]):
/// a dry run, or the apply, reporting how far it has got on `progress`
/// until it ends or [`cancel_import`] stops it (rolled back: `cancelled`).
#[tauri::command]
#[specta::specta]
pub async fn import_members_csv(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    options: ImportOptions,
    progress: Channel<Progress>,
) -> Result<ImportReport, Error> {
    state.import_goes_on(&window); // a Cancel left from an earlier import
    state.with_import_file(&window, |bytes| {
        state.act("import_members_csv", &window, &scope, |d, scope| {
            d.import_members_with_progress(scope, bytes, &options, |p| {
                // A window gone away stops listening; the import goes on.
                let _ = progress.send(p);
                state.import_goes_on(&window)
            })
        })
    })
}

/// Stops this window's running import (it rolls back, whole).
#[tauri::command]
#[specta::specta]
pub async fn cancel_import(state: State<'_, AppState>, window: Window) -> Result<(), Error> {
    state.cancel_import(&window);
    Ok(())
}

/// "Back up now": a consistent copy to a file chosen in a save dialog.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>) -> Result<Option<BackupInfo>, Error> {
    let stamp = chrono::Local::now().format("%Y-%m-%d");
    let Some(path) = native::choose_file(&app, true, &format!("seatdesk-{stamp}.db"), ("Seatdesk backup", &["db"])) else {
        return Ok(None);
    };
    state.with("backup_now", |d| d.backup(&path)).map(Some)
}

/// Restores from a backup chosen in an open dialog (checked first; the
/// current database is kept beside it). Only the Owner acting may.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(app: AppHandle, state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<Option<RestoreInfo>, Error> {
    // Refused before the file dialog opens when the acting member may not.
    // Support mode (the window's state) lets a restore replace other Owners' accounts too.
    let support = state.support_for(&window, &scope)?;
    state.act("restore_backup", &window, &scope, |d, scope| d.check_may_restore(scope, support.as_ref()))?;
    let Some(path) = native::choose_file(&app, false, "seatdesk.db", ("Seatdesk backup", &["db", "bak"])) else {
        return Ok(None);
    };
    let info = state.act("restore_backup", &window, &scope, |d, scope| d.restore(scope, &path, support.as_ref()))?;
    // The restored books have their own members: the window starts again as
    // the Owner, out of support mode.
    state.reset_session();
    Ok(Some(info))
}
