//! The Tauri commands: each opens the shared `Seatdesk` and calls one
//! service method. No rules live here.

use std::sync::Mutex;

use seatdesk_core::domain::billing::Quote;
use seatdesk_core::domain::SeatSummary;
use seatdesk_core::domain::routing::RingStrategy;
use seatdesk_core::domain::Role;
use seatdesk_core::service::{
    AssignmentChange, AuditPage, AuditVerdict, Deletion, DistributionInput, Holdings, InboxDetail, IvrInput,
    MembershipChange, SupportTicket,
    AccountView, DemoOptions, InboxView, InviteEdit, InvitePreview, InviteRequest, InviteResult, LedgerPage, LedgerQuery, MemberPage,
    MemberQuery, MemberView, NewAccount, NewInbox, Overview, PlanChange, Purchase, SeatChoice, SeatPoint,
    DEMO_ACCOUNT_NAME,
};
use seatdesk_core::{Error, ErrorCode, Scope, Seatdesk};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};

use crate::prefs::{self, Preferences};

/// The window's handle on the database. `desk` is an error when the
/// database could not be opened (too new, damaged, read-only): every command
/// then returns that error and the window shows it.
pub struct AppState {
    pub desk: Mutex<Result<Seatdesk, Error>>,
    pub data_dir: std::path::PathBuf,
}

impl AppState {
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut Seatdesk) -> Result<T, Error>) -> Result<T, Error> {
        let mut guard = self.desk.lock().map_err(|_| Error::internal("the database handle was poisoned"))?;
        match guard.as_mut() {
            Ok(desk) => f(desk),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Version and where things are, for the About box.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database_path: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub schema_version: i64,
    pub today: String,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Error> {
    state.with(|d| {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: state.data_dir.display().to_string(),
            database_path: d.db_path().map(|p| p.display().to_string()),
            schema_version: d.open_report().schema_version,
            today: d.today().to_string(),
        })
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, Error> {
    state.with(|d| d.list_accounts())
}

#[tauri::command]
#[specta::specta]
pub async fn create_account(state: State<'_, AppState>, input: NewAccount) -> Result<AccountView, Error> {
    state.with(|d| d.create_account(&input))
}

/// Opens the demo account, creating it on first use.
#[tauri::command]
#[specta::specta]
pub async fn open_demo(state: State<'_, AppState>) -> Result<AccountView, Error> {
    state.with(|d| match d.show_account(&Scope::account(DEMO_ACCOUNT_NAME)) {
        Ok(existing) => Ok(existing),
        Err(e) if e.code == ErrorCode::NotFound => d.demo(&DemoOptions::default(), |_, _| {}),
        Err(e) => Err(e),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>, scope: Scope) -> Result<Overview, Error> {
    state.with(|d| d.overview(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn list_members(state: State<'_, AppState>, scope: Scope, query: MemberQuery) -> Result<MemberPage, Error> {
    state.with(|d| d.members(&scope, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn list_inboxes(state: State<'_, AppState>, scope: Scope) -> Result<Vec<InboxView>, Error> {
    state.with(|d| d.inboxes(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn create_inbox(state: State<'_, AppState>, scope: Scope, input: NewInbox) -> Result<InboxView, Error> {
    state.with(|d| d.create_inbox(&scope, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(app: AppHandle) -> Result<Preferences, Error> {
    Ok(prefs::load(&app))
}

#[tauri::command]
#[specta::specta]
pub async fn set_preferences(app: AppHandle, preferences: Preferences) -> Result<Preferences, Error> {
    prefs::save(&app, &preferences)?;
    Ok(prefs::load(&app))
}

#[tauri::command]
#[specta::specta]
pub async fn quote_seats(state: State<'_, AppState>, scope: Scope, quantity: i32) -> Result<Quote, Error> {
    state.with(|d| d.quote_seats(&scope, quantity.into()))
}

/// Buys seats only at the quote the dialog shows (`quote_stale` otherwise).
#[tauri::command]
#[specta::specta]
pub async fn buy_seats(state: State<'_, AppState>, scope: Scope, quantity: i32, quote_id: String) -> Result<Purchase, Error> {
    state.with(|d| d.buy_seats(&scope, quantity.into(), Some(&quote_id)))
}

#[tauri::command]
#[specta::specta]
pub async fn remove_seats(state: State<'_, AppState>, scope: Scope, quantity: i32) -> Result<SeatSummary, Error> {
    state.with(|d| d.remove_seats(&scope, quantity.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn quote_number(state: State<'_, AppState>, scope: Scope, inbox: String, number: String) -> Result<Quote, Error> {
    state.with(|d| d.quote_number(&scope, &inbox, &number))
}

#[tauri::command]
#[specta::specta]
pub async fn buy_number(
    state: State<'_, AppState>,
    scope: Scope,
    inbox: String,
    number: String,
    quote_id: String,
) -> Result<Purchase, Error> {
    state.with(|d| d.buy_number(&scope, &inbox, &number, Some(&quote_id)))
}

#[tauri::command]
#[specta::specta]
pub async fn list_ledger(state: State<'_, AppState>, scope: Scope, query: LedgerQuery) -> Result<LedgerPage, Error> {
    state.with(|d| d.ledger(&scope, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn seat_history(state: State<'_, AppState>, scope: Scope) -> Result<Vec<SeatPoint>, Error> {
    state.with(|d| d.seat_history(&scope))
}

#[tauri::command]
#[specta::specta]
pub async fn update_plan(state: State<'_, AppState>, scope: Scope, change: PlanChange) -> Result<AccountView, Error> {
    state.with(|d| d.update_plan(&scope, &change))
}

#[tauri::command]
#[specta::specta]
pub async fn invite_members(state: State<'_, AppState>, scope: Scope, request: InviteRequest) -> Result<InviteResult, Error> {
    state.with(|d| d.invite(&scope, &request))
}

#[tauri::command]
#[specta::specta]
pub async fn accept_invite(state: State<'_, AppState>, scope: Scope, email: String, name: Option<String>) -> Result<MemberView, Error> {
    state.with(|d| d.accept_invite(&scope, &email, name.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn resend_invite(state: State<'_, AppState>, scope: Scope, email: String) -> Result<MemberView, Error> {
    state.with(|d| d.resend_invite(&scope, &email))
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_invite(state: State<'_, AppState>, scope: Scope, email: String) -> Result<SeatSummary, Error> {
    state.with(|d| d.revoke_invite(&scope, &email))
}

#[tauri::command]
#[specta::specta]
pub async fn edit_invite(state: State<'_, AppState>, scope: Scope, email: String, edit: InviteEdit) -> Result<MemberView, Error> {
    state.with(|d| d.edit_invite(&scope, &email, &edit))
}

/// Going to Observer, `reassign_to` takes what they hold (the acting member when null).
#[tauri::command]
#[specta::specta]
pub async fn change_role(
    state: State<'_, AppState>,
    scope: Scope,
    email: String,
    role: Role,
    seat: SeatChoice,
    reassign_to: Option<String>,
) -> Result<MemberView, Error> {
    state.with(|d| d.change_role_reassigning(&scope, &email, role, seat, reassign_to.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn set_my_email(state: State<'_, AppState>, scope: Scope, email: String) -> Result<MemberView, Error> {
    state.with(|d| d.set_my_email(&scope, &email))
}

/// Active Owner, Admin and Manager members to act as, matching `search`.
#[tauri::command]
#[specta::specta]
pub async fn list_actors(state: State<'_, AppState>, scope: Scope, search: String) -> Result<Vec<MemberView>, Error> {
    state.with(|d| d.actors(&scope, &search))
}

/// Marks each address of a batch as the dialog's chips are typed.
#[tauri::command]
#[specta::specta]
pub async fn preview_invites(
    state: State<'_, AppState>,
    scope: Scope,
    emails: Vec<String>,
    role: Role,
    new_inbox: bool,
) -> Result<InvitePreview, Error> {
    state.with(|d| d.preview_invites(&scope, &emails, role, new_inbox))
}

#[tauri::command]
#[specta::specta]
pub async fn inbox_detail(state: State<'_, AppState>, scope: Scope, inbox: String) -> Result<InboxDetail, Error> {
    state.with(|d| d.inbox_detail(&scope, &inbox))
}

#[tauri::command]
#[specta::specta]
pub async fn add_inbox_member(state: State<'_, AppState>, scope: Scope, inbox: String, email: String) -> Result<MembershipChange, Error> {
    state.with(|d| d.add_inbox_member(&scope, &inbox, &email))
}

/// "Add me": the acting Owner or Admin joins the inbox.
#[tauri::command]
#[specta::specta]
pub async fn add_me(state: State<'_, AppState>, scope: Scope, inbox: String) -> Result<MembershipChange, Error> {
    state.with(|d| d.add_me(&scope, &inbox))
}

#[tauri::command]
#[specta::specta]
pub async fn remove_inbox_member(
    state: State<'_, AppState>,
    scope: Scope,
    inbox: String,
    email: String,
    everywhere: bool,
) -> Result<MembershipChange, Error> {
    state.with(|d| d.remove_inbox_member(&scope, &inbox, &email, everywhere))
}

/// Adds to (present) or removes from Conversation Assignment or the Ring Group.
#[tauri::command]
#[specta::specta]
pub async fn set_routing_member(
    state: State<'_, AppState>,
    scope: Scope,
    inbox: String,
    ring_group: bool,
    email: String,
    present: bool,
) -> Result<MembershipChange, Error> {
    state.with(|d| d.set_routing_member(&scope, &inbox, ring_group, &email, present))
}

#[tauri::command]
#[specta::specta]
pub async fn set_assignment(state: State<'_, AppState>, scope: Scope, inbox: String, change: AssignmentChange) -> Result<InboxDetail, Error> {
    state.with(|d| d.set_assignment(&scope, &inbox, &change))
}

#[tauri::command]
#[specta::specta]
pub async fn set_ring_group(
    state: State<'_, AppState>,
    scope: Scope,
    inbox: String,
    strategy: RingStrategy,
    ring_seconds: i32,
) -> Result<InboxDetail, Error> {
    state.with(|d| d.set_ring_group(&scope, &inbox, strategy, ring_seconds.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn set_distribution(state: State<'_, AppState>, scope: Scope, inbox: String, input: DistributionInput) -> Result<InboxDetail, Error> {
    state.with(|d| d.set_distribution(&scope, &inbox, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn set_ivr(state: State<'_, AppState>, scope: Scope, inbox: String, input: IvrInput) -> Result<InboxDetail, Error> {
    state.with(|d| d.set_ivr(&scope, &inbox, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn member_holdings(state: State<'_, AppState>, scope: Scope, email: String) -> Result<Holdings, Error> {
    state.with(|d| d.holdings(&scope, &email))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_member(
    state: State<'_, AppState>,
    scope: Scope,
    email: String,
    reassign_to: String,
    seat: SeatChoice,
) -> Result<Deletion, Error> {
    state.with(|d| d.delete_member(&scope, &email, Some(&reassign_to), seat))
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_owner(state: State<'_, AppState>, scope: Scope, to: String, support: SupportTicket) -> Result<MemberView, Error> {
    state.with(|d| d.transfer_owner(&scope, &to, &support))
}

#[tauri::command]
#[specta::specta]
pub async fn audit_log(state: State<'_, AppState>, scope: Scope, offset: i32, limit: i32) -> Result<AuditPage, Error> {
    state.with(|d| d.audit_log(&scope, offset.into(), limit.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn verify_audit(state: State<'_, AppState>, scope: Scope) -> Result<AuditVerdict, Error> {
    state.with(|d| d.verify_audit(&scope))
}
