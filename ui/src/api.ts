// The one door to the backend. Every call goes through the generated
// bindings; no other UI file imports them or @tauri-apps/*. A refusal is
// thrown as an ApiError carrying the stable code (a typed union).

import {
  commands,
  type AccountView,
  type AppInfo_Serialize as AppInfo,
  type Error_Serialize as BackendError,
  type ErrorCode,
  type InboxView_Serialize as InboxView,
  type MemberPage_Serialize as MemberPage,
  type MemberQuery_Deserialize as MemberQuery,
  type NewAccount_Deserialize as NewAccount,
  type NewInbox_Deserialize as NewInbox,
  type Overview_Serialize as Overview,
  type Preferences_Serialize as Preferences,
  type Scope_Deserialize as Scope,
} from "./bindings";

export type {
  AccountView,
  AppInfo,
  ErrorCode,
  InboxView,
  MemberPage,
  MemberQuery,
  NewAccount,
  NewInbox,
  Overview,
  Preferences,
  Scope,
};
export type {
  MemberView_Serialize as MemberView,
  Role,
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
};
