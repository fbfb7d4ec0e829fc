// What the pages share: the window's state, the scope of every call, and
// small formatting helpers.

import { ApiError } from "./api";
import type { AccountView, AppInfo, MemberQuery, Overview, Preferences, Role, Scope, SupportTicket } from "./api";

export type Page = "members" | "inboxes" | "billing" | "audit";

export interface State {
  accounts: AccountView[];
  account: string | null;
  /// Support mode as the backend holds it for this window and account
  /// (entered through a native confirmation); null when off. Whom the
  /// window acts as is the backend's too: `overview.acting_as`.
  support: SupportTicket | null;
  overview: Overview | null;
  page: Page;
  tab: "active" | "pending";
  /// On the Pending tab: only invites last sent more than this many days ago.
  pendingDays: number | null;
  search: string;
  role: Role | "";
  sort: NonNullable<MemberQuery["sort"]>;
  descending: boolean;
  offset: number;
  prefs: Preferences;
  /// Where the data lives: a shared server (its address, no password, and
  /// the login) or this computer's file.
  store: { server: string | null; login: string | null; path: string | null };
  /// On a shared server whose login is one member: no "Act as" switch.
  actingFixed: boolean;
  /// What `app_info` last said (version, schema, date): an error's details.
  app: AppInfo | null;
}

export const state: State = {
  accounts: [],
  account: null,
  support: null,
  overview: null,
  page: "members",
  tab: "active",
  pendingDays: null,
  search: "",
  role: "",
  sort: "name",
  descending: false,
  offset: 0,
  prefs: { theme: "system", last_account: null, window: null, default_role: null, density: "comfortable" },
  store: { server: null, login: null, path: null },
  actingFixed: false,
  app: null,
};

export function scope(): Scope {
  return { account: state.account };
}

export function describe(e: unknown): { code: string; message: string; details: unknown } {
  if (e instanceof ApiError) return { code: e.code, message: e.message, details: e.details };
  // A check of the page's own (a plain Error) reads as its message.
  if (e instanceof Error) return { code: "invalid_input", message: e.message, details: null };
  return { code: "internal", message: String(e), details: null };
}

export function roleLabel(role: Role): string {
  return role[0].toUpperCase() + role.slice(1);
}

/// Called after anything that changes seats or the plan: the shell reloads
/// the overview and redraws the current page.
export const hooks = {
  changed: async (): Promise<void> => {},
};

/// A short message at the bottom of the window (read out by screen readers).
/// Shows a message in the status bar for a few seconds; `add` appends it to
/// the message still shown (a consequence said after what was done).
export function notify(message: string, add = false) {
  const el = document.getElementById("status");
  if (!el) return;
  // A message replaces an error shown (kit's `notifyError`), never joins it.
  const joins = add && el.classList.contains("shown") && !el.classList.contains("error") && el.textContent;
  el.textContent = joins ? `${el.textContent} ${message}` : message;
  el.classList.remove("error");
  delete el.dataset.code;
  el.classList.add("shown");
  window.clearTimeout(notifyTimer);
  // An error shown since stays until closed.
  notifyTimer = window.setTimeout(() => el.classList.contains("error") || el.classList.remove("shown"), 4000);
}
let notifyTimer: number | undefined;

/// The "Manage seats" dialog, registered by the billing module (avoids an import cycle).
export const dialogs = {
  manageSeats: (_options: { tab?: "buy" | "remove"; quantity?: number } = {}): void => {},
};
