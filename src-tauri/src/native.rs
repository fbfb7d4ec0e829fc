//! Native dialogs: the file pickers and the confirmations that a script in
//! the page cannot answer (switching the acting member, support mode).
//!
//! Builds with the `e2e` feature (the end-to-end tests, never a release)
//! take two hooks from the environment, since WebDriver cannot click a
//! native dialog: `SEATDESK_DIALOG_PATH=FILE` answers every file dialog
//! with FILE, and `SEATDESK_CONFIRM_FILE=FILE` answers every confirmation
//! with FILE's content (`yes` confirms; anything else, or no file,
//! declines). A build without the feature does not contain them.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Window};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// Asks the person at the computer, in a dialog on top of `window`; `true`
/// only when they press `ok`.
pub fn confirm(window: &Window, title: &str, question: &str, ok: &str) -> bool {
    #[cfg(feature = "e2e")]
    if let Some(file) = std::env::var_os("SEATDESK_CONFIRM_FILE") {
        return std::fs::read_to_string(file).map(|s| s.trim() == "yes").unwrap_or(false);
    }
    window
        .app_handle()
        .dialog()
        .message(question)
        .title(title)
        .parent(window)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(ok.to_string(), "Cancel".to_string()))
        .blocking_show()
}

/// A file chosen in a save (`save`) or open dialog; `None` when cancelled.
pub fn choose_file(app: &AppHandle, save: bool, name: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    #[cfg(feature = "e2e")]
    if let Some(p) = std::env::var_os("SEATDESK_DIALOG_PATH") {
        return Some(PathBuf::from(p));
    }
    let dialog = app.dialog().file().add_filter(filter.0, filter.1).set_file_name(name);
    let picked = if save { dialog.blocking_save_file() } else { dialog.blocking_pick_file() };
    picked.and_then(|p| p.into_path().ok())
}
