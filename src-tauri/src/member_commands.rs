//! The Tauri commands of a member's page and of work on many members at
//! once (issue #21): each calls one service method. No rules live here.

use seatdesk_core::service::{BulkAction, BulkOutcome, MemberStory, Selection};
use seatdesk_core::Error;
use tauri::{State, Window};

use crate::session::{AccountRef, AppState};

/// A member's page: seat, inboxes with their routing, holdings, invite and audit history.
#[tauri::command]
#[specta::specta]
pub async fn member_story(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<MemberStory, Error> {
    state.act("member_story", &window, &scope, |d, scope| d.member_story(scope, &email))
}

/// What a bulk action would do (or the refusal it would meet); nothing is kept.
#[tauri::command]
#[specta::specta]
pub async fn preview_bulk(state: State<'_, AppState>, window: Window, scope: AccountRef, selection: Selection, action: BulkAction) -> Result<BulkOutcome, Error> {
    state.act("preview_bulk", &window, &scope, |d, scope| d.preview_bulk(scope, &selection, &action, None))
}

/// Applies a bulk action to the whole selection, or to none of it.
#[tauri::command]
#[specta::specta]
pub async fn bulk(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    selection: Selection,
    action: BulkAction,
    buy_shortfall_quote: Option<String>,
) -> Result<BulkOutcome, Error> {
    state.act("bulk", &window, &scope, |d, scope| d.bulk(scope, &selection, &action, buy_shortfall_quote.as_deref()))
}
