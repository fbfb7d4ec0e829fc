// Declares every app command, so each gets an `allow-<command>` permission
// and the capability file can grant exactly the ones the window uses.

/// The names of `commands.list.rs` (the functions are lib.rs's business).
macro_rules! app_commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}
include!("commands.list.rs");

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/commands.list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES)),
    )
    .expect("failed to run tauri-build");
}
