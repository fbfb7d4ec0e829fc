//! Opening the window: the database, the preferences, the commands.

use std::path::PathBuf;

use seatdesk_core::{Clock, Error, ErrorCode};
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder, WindowEvent};

use crate::commands::AppState;
use crate::prefs::{self, PrefsPath, WindowSize};

pub struct WindowOptions {
    pub data_dir: PathBuf,
    /// A shared server to open instead of the local file (`--database`).
    pub database: Option<String>,
    pub clock: Clock,
    /// Log to stderr too (`-v`).
    pub verbose: bool,
}

/// Whether a graphical display is reachable (X11 or Wayland).
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

pub fn no_display_error() -> Error {
    Error::new(
        ErrorCode::NoDisplay,
        "No graphical display is available (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open. \
         Run it under a virtual display with `xvfb-run seatdesk`, or use the command line: `seatdesk --help`.",
    )
}

pub fn run_window(opts: WindowOptions) -> Result<(), Error> {
    if !display_available() {
        return Err(no_display_error());
    }
    crate::log::init(&opts.data_dir, opts.verbose);
    let prefs_path = opts.data_dir.join(prefs::FILE_NAME);
    prefs::quarantine_if_damaged(&prefs_path);
    let desk = crate::log::command("open", None, || crate::shared::open_at_start(&opts, &prefs_path));
    let builder = crate::specta_builder();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(desk, opts.data_dir.clone(), opts.clock))
        .manage(PrefsPath(prefs_path))
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let state = app.state::<AppState>();
            let opened = state.desk.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = state.follow_changes(opened.as_ref().ok()) {
                tracing_note(&e);
            }
            drop(opened);
            let saved = prefs::load(app.handle()).window;
            let size = saved.unwrap_or(WindowSize { width: 1180.0, height: 760.0 });
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title("Seatdesk")
                .inner_size(size.width.clamp(800.0, 4000.0), size.height.clamp(560.0, 3000.0))
                .min_inner_size(800.0, 560.0)
                // The page never leaves the app's own origin and never opens
                // another window (a link, a script, a redirect).
                .on_navigation(|url| is_app_origin(url))
                .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
                .build()?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { .. } = event {
                let (Ok(size), Ok(scale)) = (window.inner_size(), window.scale_factor()) else { return };
                let logical = size.to_logical::<f64>(scale);
                let app = window.app_handle();
                let mut p = prefs::load(app);
                p.window = Some(WindowSize { width: logical.width, height: logical.height });
                let _ = prefs::save(app, &p);
            }
        })
        .build(tauri::generate_context!())
        .map_err(|e| Error::internal(format!("the window could not start: {e}")))?;
    app.run(|_, _| {});
    Ok(())
}

/// A listener that could not start: the window works on, without live
/// updates; the log says why.
fn tracing_note(e: &Error) {
    tracing::warn!(live_updates = "off", code = e.code.as_str(), reason = %e.message);
}

/// The app's own pages: `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows); nothing else may load.
fn is_app_origin(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_apps_own_origin_may_load() {
        for (url, ok) in [
            ("tauri://localhost/index.html", true),
            ("http://tauri.localhost/", true),
            ("https://example.com/", false),
            ("http://localhost:8080/", false),
            ("file:///etc/passwd", false),
            ("tauri://evil.example/", false),
            ("about:blank", false),
        ] {
            assert_eq!(super::is_app_origin(&url.parse().unwrap()), ok, "{url}");
        }
    }
}
