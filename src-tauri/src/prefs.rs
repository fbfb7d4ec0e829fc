//! UI preferences (theme, last account, window size) through
//! tauri-plugin-store, used from Rust only. Nothing that matters lives here:
//! the store writes non-atomically, so a damaged file just means defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_store::StoreExt;

use seatdesk_core::Error;

pub const FILE_NAME: &str = "preferences.json";
const KEY: &str = "preferences";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum Density {
    #[default]
    Comfortable,
    Compact,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
pub struct WindowSize {
    pub width: f64,
    pub height: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Preferences {
    pub theme: Theme,
    pub last_account: Option<String>,
    pub window: Option<WindowSize>,
    /// The role the invite dialog starts with.
    pub default_role: Option<seatdesk_core::domain::Role>,
    pub density: Density,
}

/// Where the preference file lives (beside the database).
pub struct PrefsPath(pub PathBuf);

/// Moves a preference file that is not a JSON object aside, so the store
/// starts from defaults instead of failing.
pub fn quarantine_if_damaged(path: &Path) {
    let Ok(bytes) = std::fs::read(path) else { return };
    let ok = matches!(serde_json::from_slice::<serde_json::Value>(&bytes), Ok(serde_json::Value::Object(_)));
    if !ok {
        let _ = std::fs::rename(path, path.with_extension("json.damaged"));
    }
}

fn path<R: Runtime>(app: &AppHandle<R>) -> PathBuf {
    app.state::<PrefsPath>().0.clone()
}

pub fn load<R: Runtime>(app: &AppHandle<R>) -> Preferences {
    let Ok(store) = app.store(path(app)) else { return Preferences::default() };
    store.get(KEY).and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
}

pub fn save<R: Runtime>(app: &AppHandle<R>, prefs: &Preferences) -> Result<(), Error> {
    let store = app.store(path(app)).map_err(|e| Error::internal(format!("preferences unavailable: {e}")))?;
    let value = serde_json::to_value(prefs).map_err(|e| Error::internal(e.to_string()))?;
    store.set(KEY, value);
    store.save().map_err(|e| Error::internal(format!("could not save preferences: {e}")))?;
    Ok(())
}

/// The key of the shared server the window last connected to (its URL
/// without a password), kept apart from [`Preferences`]: only Rust writes it.
const SERVER_KEY: &str = "shared_server";

/// The shared server the window opens on start, if it was connected to one.
pub fn load_server<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let store = app.store(path(app)).ok()?;
    store.get(SERVER_KEY).and_then(|v| v.as_str().map(String::from))
}

/// Remembers the shared server (`None`: this computer's database).
pub fn save_server<R: Runtime>(app: &AppHandle<R>, url: Option<&str>) -> Result<(), Error> {
    let store = app.store(path(app)).map_err(|e| Error::internal(format!("preferences unavailable: {e}")))?;
    match url {
        Some(url) => store.set(SERVER_KEY, serde_json::Value::String(url.to_string())),
        None => {
            store.delete(SERVER_KEY);
        }
    }
    store.save().map_err(|e| Error::internal(format!("could not save preferences: {e}")))
}

/// The remembered shared server, read straight from the file before the
/// window (and the store plugin) starts.
pub fn server_in_file(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get(SERVER_KEY)?.as_str().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_preference_file_is_moved_aside_and_a_good_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        for damaged in [&b"{not json"[..], b"[1,2,3]", b"\xff\xfe garbage", b""] {
            std::fs::write(&path, damaged).unwrap();
            quarantine_if_damaged(&path);
            assert!(!path.exists(), "{damaged:?} was moved aside");
            assert_eq!(std::fs::read(path.with_extension("json.damaged")).unwrap(), damaged);
        }
        std::fs::write(&path, br#"{"preferences":{"theme":"dark"}}"#).unwrap();
        quarantine_if_damaged(&path);
        assert!(path.exists(), "a valid file stays");
        quarantine_if_damaged(&dir.path().join("missing.json"));
    }

    #[test]
    fn partial_or_unknown_preferences_fall_back_field_by_field() {
        let p: Preferences = serde_json::from_value(serde_json::json!({"theme": "dark", "extra": 1})).unwrap();
        assert_eq!(p.theme, Theme::Dark);
        assert_eq!(p.last_account, None);
        assert!(serde_json::from_value::<Preferences>(serde_json::json!({"theme": "purple"})).is_err());
    }
}
