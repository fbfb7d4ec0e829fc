// The one door to the backend. Every call goes through the generated
// bindings; no other UI file imports them or @tauri-apps/*. A refusal is
// thrown as an ApiError carrying the stable code (a typed union).

import {
  commands,
  type AccountView,
  type ScheduledPlanView,
  type ChosenFile,
  type AppInfo_Serialize as AppInfo,
  type Error_Serialize as BackendError,
  type ErrorCode,
  type InboxView_Serialize as InboxView,
  type ExportKind,
  type ImportOptions_Deserialize as ImportOptions,
  type ImportReport_Serialize as ImportReport,
  type BackupInfo,
  type RestoreInfo,
  type Holdings_Serialize as Holdings,
  type Deletion_Serialize as Deletion,
  type AuditPage,
  type AuditVerdict_Serialize as AuditVerdict,
  type SupportTicket,
  type InboxDetail_Serialize as InboxDetail,
  type AssignmentChange_Deserialize as AssignmentChange,
  type DistributionInput,
  type IvrInput,
  type MembershipChange,
  type RingStrategy,
  type InviteEdit_Deserialize as InviteEdit,
  type InvitePreview_Serialize as InvitePreview,
  type InviteRequest_Deserialize as InviteRequest,
  type InviteResult_Serialize as InviteResult,
  type MemberView_Serialize as MemberView,
  type Role,
  type SeatChoice,
  type LedgerPage,
  type LedgerQuery_Deserialize as LedgerQuery,
  type PlanChange_Deserialize as PlanChange,
  type Purchase,
  type Quote,
  type SeatPoint,
  type SeatSummary,
  type MemberPage_Serialize as MemberPage,
  type MemberQuery_Deserialize as MemberQuery,
  type NewAccount_Deserialize as NewAccount,
  type NewInbox_Deserialize as NewInbox,
  type Overview_Serialize as Overview,
  type Preferences_Serialize as Preferences,
  type AccountRef_Deserialize as Scope,
  type SessionView_Serialize as SessionView,
} from "./bindings";

export type {
  ExportKind,
  ImportOptions,
  ImportReport,
  BackupInfo,
  RestoreInfo,
  Holdings,
  Deletion,
  AuditPage,
  AuditVerdict,
  SupportTicket,
  AssignmentChange,
  DistributionInput,
  InboxDetail,
  IvrInput,
  MembershipChange,
  RingStrategy,
  AccountView,
  ScheduledPlanView,
  ChosenFile,
  AppInfo,
  ErrorCode,
  InboxView,
  InviteEdit,
  InvitePreview,
  InviteRequest,
  InviteResult,
  MemberView,
  Role,
  SeatChoice,
  LedgerPage,
  LedgerQuery,
  PlanChange,
  Purchase,
  Quote,
  SeatPoint,
  SeatSummary,
  MemberPage,
  MemberQuery,
  NewAccount,
  NewInbox,
  Overview,
  Preferences,
  Scope,
  SessionView,
};
export type {
  LedgerEntryView,
  LedgerKind,
  InviteCheck_Serialize as InviteCheck,
  Density,
  Fallthrough,
  IvrTarget,
  GroupView,
  InviteOutcome,
  Status,
  Theme,
} from "./bindings";

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(e: BackendError) {
    super(e.message);
    this.code = e.code;
    this.details = e.details;
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: BackendError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (raw) {
    // A failure below the command (bad arguments, IPC): never a silent one.
    throw new ApiError({ code: "internal", message: String(raw), details: null });
  }
  if (result.status === "error") throw new ApiError(result.error);
  return result.data;
}

export const api = {
  appInfo: (): Promise<AppInfo> => unwrap(commands.appInfo()),
  listAccounts: (): Promise<AccountView[]> => unwrap(commands.listAccounts()),
  createAccount: (input: NewAccount): Promise<AccountView> => unwrap(commands.createAccount(input)),
  openDemo: (): Promise<AccountView> => unwrap(commands.openDemo()),
  overview: (scope: Scope): Promise<Overview> => unwrap(commands.overview(scope)),
  listMembers: (scope: Scope, query: MemberQuery): Promise<MemberPage> =>
    unwrap(commands.listMembers(scope, query)),
  listInboxes: (scope: Scope): Promise<InboxView[]> => unwrap(commands.listInboxes(scope)),
  createInbox: (scope: Scope, input: NewInbox): Promise<InboxView> => unwrap(commands.createInbox(scope, input)),
  getPreferences: (): Promise<Preferences> => unwrap(commands.getPreferences()),
  setPreferences: (p: Preferences): Promise<Preferences> => unwrap(commands.setPreferences(p)),
  quoteSeats: (scope: Scope, quantity: number): Promise<Quote> => unwrap(commands.quoteSeats(scope, quantity)),
  buySeats: (scope: Scope, quantity: number, quoteId: string): Promise<Purchase> =>
    unwrap(commands.buySeats(scope, quantity, quoteId)),
  removeSeats: (scope: Scope, quantity: number): Promise<SeatSummary> => unwrap(commands.removeSeats(scope, quantity)),
  quoteNumber: (scope: Scope, inbox: string, number: string): Promise<Quote> =>
    unwrap(commands.quoteNumber(scope, inbox, number)),
  buyNumber: (scope: Scope, inbox: string, number: string, quoteId: string): Promise<Purchase> =>
    unwrap(commands.buyNumber(scope, inbox, number, quoteId)),
  listLedger: (scope: Scope, query: LedgerQuery): Promise<LedgerPage> => unwrap(commands.listLedger(scope, query)),
  seatHistory: (scope: Scope): Promise<SeatPoint[]> => unwrap(commands.seatHistory(scope)),
  updatePlan: (scope: Scope, change: PlanChange): Promise<AccountView> => unwrap(commands.updatePlan(scope, change)),
  inviteMembers: (scope: Scope, request: InviteRequest): Promise<InviteResult> =>
    unwrap(commands.inviteMembers(scope, request)),
  previewInvites: (scope: Scope, emails: string[], role: Role, newInbox: boolean): Promise<InvitePreview> =>
    unwrap(commands.previewInvites(scope, emails, role, newInbox)),
  acceptInvite: (scope: Scope, email: string, name: string | null): Promise<MemberView> =>
    unwrap(commands.acceptInvite(scope, email, name)),
  resendInvite: (scope: Scope, email: string): Promise<MemberView> => unwrap(commands.resendInvite(scope, email)),
  revokeInvite: (scope: Scope, email: string): Promise<SeatSummary> => unwrap(commands.revokeInvite(scope, email)),
  editInvite: (scope: Scope, email: string, edit: InviteEdit): Promise<MemberView> =>
    unwrap(commands.editInvite(scope, email, edit)),
  changeRole: (scope: Scope, email: string, role: Role, seat: SeatChoice, reassignTo: string | null): Promise<MemberView> =>
    unwrap(commands.changeRole(scope, email, role, seat, reassignTo)),
  memberHoldings: (scope: Scope, email: string): Promise<Holdings> => unwrap(commands.memberHoldings(scope, email)),
  deleteMember: (scope: Scope, email: string, reassignTo: string, seat: SeatChoice): Promise<Deletion> =>
    unwrap(commands.deleteMember(scope, email, reassignTo, seat)),
  transferOwner: (scope: Scope, to: string): Promise<MemberView> => unwrap(commands.transferOwner(scope, to)),
  sessionInfo: (scope: Scope): Promise<SessionView> => unwrap(commands.sessionInfo(scope)),
  /// Asks in a native dialog; null when the person declined.
  switchActing: (scope: Scope, email: string): Promise<MemberView | null> => unwrap(commands.switchActing(scope, email)),
  /// Asks in a native dialog; false when the person declined.
  enterSupportMode: (scope: Scope, support: SupportTicket): Promise<boolean> => unwrap(commands.enterSupportMode(scope, support)),
  leaveSupportMode: (scope: Scope): Promise<null> => unwrap(commands.leaveSupportMode(scope)),
  auditLog: (scope: Scope, offset: number, limit: number): Promise<AuditPage> => unwrap(commands.auditLog(scope, offset, limit)),
  verifyAudit: (scope: Scope): Promise<AuditVerdict> => unwrap(commands.verifyAudit(scope)),
  exportCsv: (scope: Scope, kind: ExportKind): Promise<string | null> => unwrap(commands.exportCsv(scope, kind)),
  /** The file is chosen in a native dialog and read by Rust; `null` when cancelled. */
  chooseImportFile: (): Promise<ChosenFile | null> => unwrap(commands.chooseImportFile()),
  importMembersCsv: (scope: Scope, options: ImportOptions): Promise<ImportReport> => unwrap(commands.importMembersCsv(scope, options)),
  backupNow: (): Promise<BackupInfo | null> => unwrap(commands.backupNow()),
  restoreBackup: (scope: Scope): Promise<RestoreInfo | null> => unwrap(commands.restoreBackup(scope)),
  setMyEmail: (scope: Scope, email: string): Promise<MemberView> => unwrap(commands.setMyEmail(scope, email)),
  listActors: (scope: Scope, search: string): Promise<MemberView[]> => unwrap(commands.listActors(scope, search)),
  inboxDetail: (scope: Scope, inbox: string): Promise<InboxDetail> => unwrap(commands.inboxDetail(scope, inbox)),
  addInboxMember: (scope: Scope, inbox: string, email: string): Promise<MembershipChange> =>
    unwrap(commands.addInboxMember(scope, inbox, email)),
  addMe: (scope: Scope, inbox: string): Promise<MembershipChange> => unwrap(commands.addMe(scope, inbox)),
  removeInboxMember: (scope: Scope, inbox: string, email: string, everywhere: boolean): Promise<MembershipChange> =>
    unwrap(commands.removeInboxMember(scope, inbox, email, everywhere)),
  setRoutingMember: (scope: Scope, inbox: string, ringGroup: boolean, email: string, present: boolean): Promise<MembershipChange> =>
    unwrap(commands.setRoutingMember(scope, inbox, ringGroup, email, present)),
  setAssignment: (scope: Scope, inbox: string, change: AssignmentChange): Promise<InboxDetail> =>
    unwrap(commands.setAssignment(scope, inbox, change)),
  setRingGroup: (scope: Scope, inbox: string, strategy: RingStrategy, seconds: number): Promise<InboxDetail> =>
    unwrap(commands.setRingGroup(scope, inbox, strategy, seconds)),
  setDistribution: (scope: Scope, inbox: string, input: DistributionInput): Promise<InboxDetail> =>
    unwrap(commands.setDistribution(scope, inbox, input)),
  setIvr: (scope: Scope, inbox: string, input: IvrInput): Promise<InboxDetail> => unwrap(commands.setIvr(scope, inbox, input)),
};
