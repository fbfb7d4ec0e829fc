//! The Tauri commands: each opens the shared `Seatdesk` and calls one
//! service method. No rules live here.


use seatdesk_core::domain::billing::Quote;
use seatdesk_core::domain::SeatSummary;
use seatdesk_core::domain::routing::RingStrategy;
use seatdesk_core::domain::Role;
use seatdesk_core::service::{ConversationPage, ConversationQuery, InboxDeleted, InboxDeletion, InboxDeletionPreview, 
    AssignmentChange, AuditPage, AuditVerdict, Deletion, DistributionInput, Holdings, InboxDetail, InboxMemberPage, InboxMemberQuery, InboxPage, IvrInput,
    MembershipChange, SupportTicket,
    AccountView, DemoOptions, InboxView, InviteEdit, InvitePreview, InviteRequest, InviteResult, LedgerPage, LedgerQuery, MemberPage,
    MemberQuery, MemberView, NewAccount, NewInbox, Overview, PlanChange, Purchase, RoleChange, SeatChoice, SeatPoint,
    DEMO_ACCOUNT_NAME,
};
use seatdesk_core::{Error, ErrorCode, Scope};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State, Window};

use crate::native;
use crate::prefs::{self, Preferences};
pub use crate::session::{AccountRef, AppState};

/// Version and where things are, for the About box.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database_path: Option<String>,
    #[specta(type = specta_typescript::Number)]
    pub schema_version: i64,
    pub today: String,
    /// Set when the clock is fixed (`--today`, `SEATDESK_TODAY`): the
    /// window shows a banner while it is.
    pub clock_fixed: bool,
    /// The shared server open (its address without a password); `None`
    /// on this computer's database.
    pub server: Option<String>,
    /// The server login the window works as.
    pub login: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Error> {
    state.with("app_info", |d| app_info_of(&state, d))
}

pub(crate) fn app_info_of(state: &AppState, d: &mut seatdesk_core::Seatdesk) -> Result<AppInfo, Error> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        database_path: d.db_path().map(|p| p.display().to_string()),
        schema_version: d.open_report().schema_version,
        today: d.today().to_string(),
        clock_fixed: d.clock().fixed.is_some(),
        server: d.server_shown(),
        login: d.server_login()?,
    })
}

/// What the window's session holds for an account: support mode, if on.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SessionView {
    pub acting_as: MemberView,
    /// On a shared server whose login is mapped to a member: that member
    /// acts, and the window offers no switch.
    pub acting_fixed: bool,
    pub support: Option<SupportTicket>,
}

#[tauri::command]
#[specta::specta]
pub async fn session_info(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<SessionView, Error> {
    state.with("session_info", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        let acting_as = d.acting_member(&scope)?;
        let acting_fixed = d.acting_is_fixed(&scope)?;
        Ok(SessionView { acting_as, acting_fixed, support: state.support(&key) })
    })
}

/// Switches whom this window acts as in the account, after the person at
/// the computer confirms it in a native dialog (which the page cannot
/// answer). Returns the new acting member, or `null` when declined; either
/// way nothing else changes. The switch is recorded in the audit log.
#[tauri::command]
#[specta::specta]
pub async fn switch_acting(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<Option<MemberView>, Error> {
    let (current, target) = state.with("switch_acting", |d| {
        let (scope, _) = state.scope(d, &window, &scope)?;
        let current = d.acting_member(&scope)?;
        let target = d.acting_member(&Scope { acting_as: Some(email.clone()), acting_pin: None, ..scope })?;
        Ok((current, target))
    })?;
    if current.email == target.email {
        return Ok(Some(target));
    }
    let question = format!(
        "Act as {} ({}, {})?\n\nChanges made in this window will be recorded as theirs until you switch back. \
         The switch itself is recorded in the audit log.",
        target.name,
        target.email,
        target.role.label()
    );
    if !native::confirm(&window, "Act as another member", &question, &format!("Act as {}", target.name)) {
        return Ok(None);
    }
    state.with("switch_acting", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        let to = Scope { acting_as: Some(target.email.clone()), acting_pin: None, ..scope };
        let pin = d.acting_member_pin(&to)?;
        let switched = d.switch_acting(&Scope { acting_pin: Some(pin.clone()), ..to }, Some(&current.email), "window")?;
        state.set_acting(key, switched.email.clone(), pin);
        Ok(Some(switched))
    })
}

/// Switches support mode on, after a native confirmation naming the agent
/// and the ticket; `false` when declined. Audited on entry and exit.
#[tauri::command]
#[specta::specta]
pub async fn enter_support_mode(state: State<'_, AppState>, window: Window, scope: AccountRef, support: SupportTicket) -> Result<bool, Error> {
    let support = SupportTicket { agent: support.agent.trim().to_string(), ticket: support.ticket.trim().to_string() };
    let account = state.with("enter_support_mode", |d| {
        let (scope, _) = state.scope(d, &window, &scope)?;
        // Checked before asking: an empty name or ticket is refused outright.
        d.validate_support(&support)?;
        Ok(d.show_account(&scope)?.name)
    })?;
    let question = format!(
        "Switch on support mode for {account}?\n\nSupport agent: {}\nTicket: {}\n\nEvery change made in this account while support mode is on is recorded under this name and ticket (owner transfer needs it).",
        support.agent, support.ticket
    );
    if !native::confirm(&window, "Support mode", &question, "Switch on support mode") {
        return Ok(false);
    }
    state.with("enter_support_mode", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        d.record_support_mode(&scope, &support, true)?;
        state.set_support(key, Some(support));
        Ok(true)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn leave_support_mode(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<(), Error> {
    state.with("leave_support_mode", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        let Some(support) = state.support(&key) else { return Ok(()) };
        d.record_support_mode(&scope, &support, false)?;
        state.set_support(key, None);
        Ok(())
    })
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountView>, Error> {
    state.with("list_accounts", |d| d.list_accounts())
}

#[tauri::command]
#[specta::specta]
pub async fn create_account(state: State<'_, AppState>, input: NewAccount) -> Result<AccountView, Error> {
    state.with("create_account", |d| d.create_account(&input))
}

/// Opens the demo account, creating it on first use.
#[tauri::command]
#[specta::specta]
pub async fn open_demo(state: State<'_, AppState>) -> Result<AccountView, Error> {
    state.with("open_demo", |d| match d.show_account(&Scope::account(DEMO_ACCOUNT_NAME)) {
        Ok(existing) => Ok(existing),
        Err(e) if e.code == ErrorCode::NotFound => d.demo(&DemoOptions::default(), |_, _| {}),
        Err(e) => Err(e),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<Overview, Error> {
    state.act("overview", &window, &scope, |d, scope| d.overview(scope))
}

#[tauri::command]
#[specta::specta]
pub async fn list_members(state: State<'_, AppState>, window: Window, scope: AccountRef, query: MemberQuery) -> Result<MemberPage, Error> {
    state.act("list_members", &window, &scope, |d, scope| d.members(scope, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn list_inboxes(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<Vec<InboxView>, Error> {
    state.act("list_inboxes", &window, &scope, |d, scope| d.inboxes(scope))
}

#[tauri::command]
#[specta::specta]
pub async fn create_inbox(state: State<'_, AppState>, window: Window, scope: AccountRef, input: NewInbox) -> Result<InboxView, Error> {
    state.act("create_inbox", &window, &scope, |d, scope| d.create_inbox(scope, &input))
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
pub async fn quote_seats(state: State<'_, AppState>, window: Window, scope: AccountRef, quantity: i32) -> Result<Quote, Error> {
    state.act("quote_seats", &window, &scope, |d, scope| d.quote_seats(scope, quantity.into()))
}

/// Buys seats only at the quote the dialog shows (`quote_stale` otherwise).
#[tauri::command]
#[specta::specta]
pub async fn buy_seats(state: State<'_, AppState>, window: Window, scope: AccountRef, quantity: i32, quote_id: String) -> Result<Purchase, Error> {
    state.act("buy_seats", &window, &scope, |d, scope| d.buy_seats(scope, quantity.into(), Some(&quote_id)))
}

#[tauri::command]
#[specta::specta]
pub async fn remove_seats(state: State<'_, AppState>, window: Window, scope: AccountRef, quantity: i32) -> Result<SeatSummary, Error> {
    state.act("remove_seats", &window, &scope, |d, scope| d.remove_seats(scope, quantity.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn quote_number(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, number: String) -> Result<Quote, Error> {
    state.act("quote_number", &window, &scope, |d, scope| d.quote_number(scope, &inbox, &number))
}

#[tauri::command]
#[specta::specta]
pub async fn buy_number(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    inbox: String,
    number: String,
    quote_id: String,
) -> Result<Purchase, Error> {
    state.act("buy_number", &window, &scope, |d, scope| d.buy_number(scope, &inbox, &number, Some(&quote_id)))
}

#[tauri::command]
#[specta::specta]
pub async fn rename_inbox(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, name: String) -> Result<InboxView, Error> {
    state.act("rename_inbox", &window, &scope, |d, scope| d.rename_inbox(scope, &inbox, &name))
}

/// Gives an inbox's number up (no refund; renewals stop billing it).
#[tauri::command]
#[specta::specta]
pub async fn release_number(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String) -> Result<SeatSummary, Error> {
    state.act("release_number", &window, &scope, |d, scope| d.release_number(scope, &inbox))
}

/// The quote for replacing an inbox's number (the old one released in the same step).
#[tauri::command]
#[specta::specta]
pub async fn quote_replace_number(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, number: String) -> Result<Quote, Error> {
    state.act("quote_replace_number", &window, &scope, |d, scope| d.quote_replace_number(scope, &inbox, &number))
}

#[tauri::command]
#[specta::specta]
pub async fn replace_number(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    inbox: String,
    number: String,
    quote_id: String,
) -> Result<Purchase, Error> {
    state.act("replace_number", &window, &scope, |d, scope| d.replace_number(scope, &inbox, &number, Some(&quote_id)))
}

/// A page of an inbox's conversations (for its members).
#[tauri::command]
#[specta::specta]
pub async fn inbox_conversations(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, query: ConversationQuery) -> Result<ConversationPage, Error> {
    state.act("inbox_conversations", &window, &scope, |d, scope| d.inbox_conversations(scope, &inbox, &query))
}

/// Assigns conversations of an inbox to one of its members, or to nobody (`to` null).
#[tauri::command]
#[specta::specta]
pub async fn reassign_conversations(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, ids: Vec<i32>, to: Option<String>) -> Result<u32, Error> {
    let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
    state.act("reassign_conversations", &window, &scope, |d, scope| d.reassign_conversations(scope, &inbox, &ids, to.as_deref()).map(|n| n as u32))
}

/// What deleting an inbox would touch: the Delete inbox dialog's first step.
#[tauri::command]
#[specta::specta]
pub async fn preview_inbox_deletion(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String) -> Result<InboxDeletionPreview, Error> {
    state.act("preview_inbox_deletion", &window, &scope, |d, scope| d.preview_inbox_deletion(scope, &inbox))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_inbox(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, deletion: InboxDeletion) -> Result<InboxDeleted, Error> {
    state.act("delete_inbox", &window, &scope, |d, scope| d.delete_inbox(scope, &inbox, &deletion))
}

#[tauri::command]
#[specta::specta]
pub async fn list_ledger(state: State<'_, AppState>, window: Window, scope: AccountRef, query: LedgerQuery) -> Result<LedgerPage, Error> {
    state.act("list_ledger", &window, &scope, |d, scope| d.ledger(scope, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn seat_history(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<Vec<SeatPoint>, Error> {
    state.act("seat_history", &window, &scope, |d, scope| d.seat_history(scope))
}

#[tauri::command]
#[specta::specta]
pub async fn update_plan(state: State<'_, AppState>, window: Window, scope: AccountRef, change: PlanChange) -> Result<AccountView, Error> {
    state.act("update_plan", &window, &scope, |d, scope| d.update_plan(scope, &change))
}

#[tauri::command]
#[specta::specta]
pub async fn invite_members(state: State<'_, AppState>, window: Window, scope: AccountRef, request: InviteRequest) -> Result<InviteResult, Error> {
    state.act("invite_members", &window, &scope, |d, scope| d.invite(scope, &request))
}

#[tauri::command]
#[specta::specta]
pub async fn accept_invite(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String, name: Option<String>) -> Result<MemberView, Error> {
    state.act("accept_invite", &window, &scope, |d, scope| d.accept_invite(scope, &email, name.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn resend_invite(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<MemberView, Error> {
    state.act("resend_invite", &window, &scope, |d, scope| d.resend_invite(scope, &email))
}

/// Corrects an Active member's name.
#[tauri::command]
#[specta::specta]
pub async fn rename_member(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String, name: String) -> Result<MemberView, Error> {
    state.act("rename_member", &window, &scope, |d, scope| d.rename_member(scope, &email, &name))
}

/// Records a resend of every invite last sent more than `days` days ago; their addresses.
#[tauri::command]
#[specta::specta]
pub async fn resend_stale(state: State<'_, AppState>, window: Window, scope: AccountRef, days: i32) -> Result<Vec<String>, Error> {
    state.act("resend_stale", &window, &scope, |d, scope| d.resend_stale(scope, days.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_invite(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<SeatSummary, Error> {
    state.act("revoke_invite", &window, &scope, |d, scope| d.revoke_invite(scope, &email))
}

#[tauri::command]
#[specta::specta]
pub async fn edit_invite(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String, edit: InviteEdit) -> Result<MemberView, Error> {
    state.act("edit_invite", &window, &scope, |d, scope| d.edit_invite(scope, &email, &edit))
}

/// Going to Observer, `reassign_to` takes what they hold (the acting member when null).
#[tauri::command]
#[specta::specta]
pub async fn change_role(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    email: String,
    role: Role,
    seat: SeatChoice,
    reassign_to: Option<String>,
) -> Result<RoleChange, Error> {
    state.act("change_role", &window, &scope, |d, scope| d.change_role_reassigning(scope, &email, role, seat, reassign_to.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub async fn set_my_email(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<MemberView, Error> {
    state.with("set_my_email", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        let updated = d.set_my_email(&scope, &email)?;
        // The window goes on acting as the same member, under the new address.
        state.rename_acting(&key, &updated.email);
        Ok(updated)
    })
}

/// Active Owner, Admin and Manager members to act as, matching `search`.
#[tauri::command]
#[specta::specta]
pub async fn list_actors(state: State<'_, AppState>, window: Window, scope: AccountRef, search: String) -> Result<Vec<MemberView>, Error> {
    state.act("list_actors", &window, &scope, |d, scope| d.actors(scope, &search))
}

/// Marks each address of a batch as the dialog's chips are typed.
#[tauri::command]
#[specta::specta]
pub async fn preview_invites(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    emails: Vec<String>,
    role: Role,
    new_inbox: bool,
) -> Result<InvitePreview, Error> {
    state.act("preview_invites", &window, &scope, |d, scope| d.preview_invites(scope, &emails, role, new_inbox))
}

/// An inbox's page: its settings with counts and the people they name.
#[tauri::command]
#[specta::specta]
pub async fn inbox_page(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String) -> Result<InboxPage, Error> {
    state.act("inbox_page", &window, &scope, |d, scope| d.inbox_page(scope, &inbox))
}

/// A page of an inbox's members (or of a routing list, or of those routing may name).
#[tauri::command]
#[specta::specta]
pub async fn inbox_members(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, query: InboxMemberQuery) -> Result<InboxMemberPage, Error> {
    state.act("inbox_members", &window, &scope, |d, scope| d.inbox_members(scope, &inbox, &query))
}

#[tauri::command]
#[specta::specta]
pub async fn add_inbox_member(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, email: String) -> Result<MembershipChange, Error> {
    state.act("add_inbox_member", &window, &scope, |d, scope| d.add_inbox_member(scope, &inbox, &email))
}

/// "Add me": the acting Owner or Admin joins the inbox.
#[tauri::command]
#[specta::specta]
pub async fn add_me(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String) -> Result<MembershipChange, Error> {
    state.act("add_me", &window, &scope, |d, scope| d.add_me(scope, &inbox))
}

#[tauri::command]
#[specta::specta]
pub async fn remove_inbox_member(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    inbox: String,
    email: String,
    everywhere: bool,
) -> Result<MembershipChange, Error> {
    state.act("remove_inbox_member", &window, &scope, |d, scope| d.remove_inbox_member(scope, &inbox, &email, everywhere))
}

/// Adds to (present) or removes from Conversation Assignment or the Ring Group.
#[tauri::command]
#[specta::specta]
pub async fn set_routing_member(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    inbox: String,
    ring_group: bool,
    email: String,
    present: bool,
) -> Result<MembershipChange, Error> {
    state.act("set_routing_member", &window, &scope, |d, scope| d.set_routing_member(scope, &inbox, ring_group, &email, present))
}

#[tauri::command]
#[specta::specta]
pub async fn set_assignment(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, change: AssignmentChange) -> Result<InboxDetail, Error> {
    state.act("set_assignment", &window, &scope, |d, scope| d.set_assignment(scope, &inbox, &change))
}

#[tauri::command]
#[specta::specta]
pub async fn set_ring_group(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    inbox: String,
    strategy: RingStrategy,
    ring_seconds: i32,
) -> Result<InboxDetail, Error> {
    state.act("set_ring_group", &window, &scope, |d, scope| d.set_ring_group(scope, &inbox, Some(strategy), Some(ring_seconds.into())))
}

#[tauri::command]
#[specta::specta]
pub async fn set_distribution(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, input: DistributionInput) -> Result<InboxDetail, Error> {
    state.act("set_distribution", &window, &scope, |d, scope| d.set_distribution(scope, &inbox, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn set_ivr(state: State<'_, AppState>, window: Window, scope: AccountRef, inbox: String, input: IvrInput) -> Result<InboxDetail, Error> {
    state.act("set_ivr", &window, &scope, |d, scope| d.set_ivr(scope, &inbox, &input))
}

#[tauri::command]
#[specta::specta]
pub async fn member_holdings(state: State<'_, AppState>, window: Window, scope: AccountRef, email: String) -> Result<Holdings, Error> {
    state.act("member_holdings", &window, &scope, |d, scope| d.holdings(scope, &email))
}

#[tauri::command]
#[specta::specta]
pub async fn delete_member(
    state: State<'_, AppState>,
    window: Window,
    scope: AccountRef,
    email: String,
    reassign_to: String,
    seat: SeatChoice,
) -> Result<Deletion, Error> {
    state.act("delete_member", &window, &scope, |d, scope| d.delete_member(scope, &email, Some(&reassign_to), seat))
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_owner(state: State<'_, AppState>, window: Window, scope: AccountRef, to: String) -> Result<MemberView, Error> {
    state.with("transfer_owner", |d| {
        let (scope, key) = state.scope(d, &window, &scope)?;
        // Support mode is the window's state, entered through its native confirmation.
        let support = state.support(&key).unwrap_or_default();
        d.transfer_owner(&scope, &to, &support)
    })
}

#[tauri::command]
#[specta::specta]
pub async fn audit_log(state: State<'_, AppState>, window: Window, scope: AccountRef, offset: i32, limit: i32) -> Result<AuditPage, Error> {
    state.act("audit_log", &window, &scope, |d, scope| d.audit_log(scope, offset.into(), limit.into()))
}

#[tauri::command]
#[specta::specta]
pub async fn verify_audit(state: State<'_, AppState>, window: Window, scope: AccountRef) -> Result<AuditVerdict, Error> {
    state.act("verify_audit", &window, &scope, |d, scope| d.verify_audit(scope, None))
}
