// The app's command names, included by build.rs (permissions) and by lib.rs
// (the test that checks them against the bindings and the capability file).
// Keep in step with `collect_commands!` in src-tauri/src/lib.rs.
pub const COMMAND_NAMES: &[&str] = &[
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
    "quote_seats",
    "buy_seats",
    "remove_seats",
    "quote_number",
    "buy_number",
    "list_ledger",
    "seat_history",
    "update_plan",
];
