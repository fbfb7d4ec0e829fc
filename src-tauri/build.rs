// Declares every app command, so each gets an `allow-<command>` permission
// and the capability file can grant exactly the ones the window uses.

/// Keep in step with `collect_commands!` in src-tauri/src/lib.rs (a test checks).
pub const COMMANDS: &[&str] = &[
    "app_info",
    "list_accounts",
    "create_account",
    "open_demo",
    "overview",
    "list_members",
    "list_inboxes",
    "create_inbox",
    "get_preferences",
    "set_preferences",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
