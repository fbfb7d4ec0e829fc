// The one door to the backend. Every call goes through the generated
// bindings; no other UI file imports them or @tauri-apps/*. A refusal is
// thrown as an ApiError carrying the stable code (a typed union).
//
// Nothing here is written per command: `api` is the generated `commands`,
// each resolving to its value or throwing, and the types are re-exported
// under their Rust names. A new Tauri command needs no edit in this file.

import { Channel } from "@tauri-apps/api/core";
import { commands, type Error as BackendError, type ErrorCode, type Progress } from "./bindings";

export type * from "./bindings";
/** The limits the backend enforces, for the fields that show them. */
export { MAX_QUANTITY, MAX_GROUPS, MAX_SIMULTANEOUS, MIN_RING_SECONDS, MAX_RING_SECONDS } from "./bindings";
/** What the page sends to name the account it works in. */
export type { AccountRef as Scope } from "./bindings";

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

/** A channel the backend reports long work's progress on; `on` gets each report. */
export function progressChannel(on: (p: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = on;
  return channel;
}

/** A channel the backend sends notices on (another desktop's change); `on` gets each. */
export function noticeChannel<T>(on: (notice: T) => void): Channel<T> {
  const channel = new Channel<T>();
  channel.onmessage = on;
  return channel;
}

type Commands = typeof commands;

/** Every command of the backend, resolving to its value or throwing an ApiError. */
export type Api = {
  [K in keyof Commands]: Commands[K] extends (...args: infer A) => Promise<Result<infer T>> ? (...args: A) => Promise<T> : never;
};

export const api = Object.fromEntries(
  Object.entries(commands).map(([name, call]) => [
    name,
    (...args: unknown[]) => unwrap((call as (...a: unknown[]) => Promise<Result<unknown>>)(...args)),
  ]),
) as Api;
