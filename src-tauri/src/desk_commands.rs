//! The Tauri commands of the support desk (issue #22): the accounts
//! overview, a member found in any account, and a ticket's trail. Each
//! calls one service method over every account the store shows; no rules
//! live here.

use seatdesk_core::service::{AuditPage, Desk, DeskQuery, FoundMembers};
use seatdesk_core::Error;
use tauri::State;

use crate::session::AppState;

/// Every account (or the one `query` names) with its counts and what
/// `check` found in each: the verdicts kept, or checked again as
/// `query.check` says.
#[tauri::command]
#[specta::specta]
pub async fn desk(state: State<'_, AppState>, query: DeskQuery) -> Result<Desk, Error> {
    state.with("desk", |d| d.desk(query))
}

/// What `check` finds in the database itself (not in one account).
#[tauri::command]
#[specta::specta]
pub async fn desk_storage_check(state: State<'_, AppState>) -> Result<Vec<String>, Error> {
    // The file's pages are scanned without holding the database: the
    // window checks each account meanwhile.
    let scan = state.with("desk_storage_check", |d| d.storage_check_apart())?;
    tokio::task::spawn_blocking(scan).await.map_err(|e| Error::internal(format!("the check of the database stopped: {e}")))?
}

/// Members of any account whose name or address holds `text`.
#[tauri::command]
#[specta::specta]
pub async fn find_members(state: State<'_, AppState>, text: String) -> Result<FoundMembers, Error> {
    state.with("find_members", |d| d.find_members(&text, None))
}

/// A page of what was done under a support ticket, in every account.
#[tauri::command]
#[specta::specta]
pub async fn ticket_trail(state: State<'_, AppState>, ticket: String, offset: i32, limit: i32) -> Result<AuditPage, Error> {
    state.with("ticket_trail", |d| d.ticket_trail(&ticket, None, offset.into(), limit.into()))
}
