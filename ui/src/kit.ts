// The dialog kit every feature builds its dialogs from: a fresh modal, a
// labelled field, and a confirm dialog that runs its action and shows why
// it was refused.

import { describe, state } from "./context";
import { h, replace } from "./dom";

/// A fresh modal `<dialog>` with this id (replacing any left over), removed
/// from the page when it closes. One dialog at a time: any other open
/// dialog closes first.
export function freshDialog(id: string, wide = true): HTMLDialogElement {
  document.getElementById(id)?.remove();
  for (const open of document.querySelectorAll<HTMLDialogElement>("dialog[open]")) open.close();
  for (const menu of document.querySelectorAll<HTMLDetailsElement>("details.app-menu[open]")) menu.open = false;
  const d = h("dialog", { id, class: wide ? "wide" : undefined });
  document.body.appendChild(d);
  d.addEventListener("close", () => d.remove());
  return d;
}

/// Escape closes the open dialog (or the open menu) wherever the focus is:
/// a search box would otherwise take it to clear itself and the dialog
/// would stay.
export function closeOnEscape() {
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Escape") return;
      // A picker's open list takes Escape first (it closes the list only).
      if (e.target instanceof HTMLElement && e.target.getAttribute("aria-expanded") === "true") return;
      const open = [...document.querySelectorAll<HTMLDialogElement>("dialog[open]")].pop();
      const menu = document.querySelector<HTMLDetailsElement>("details.app-menu[open]");
      if (open) open.close();
      else if (menu) menu.open = false;
      else return;
      e.preventDefault();
      e.stopPropagation();
    },
    true,
  );
  // A menu closes when one clicks anywhere else.
  document.addEventListener("click", (e) => {
    for (const menu of document.querySelectorAll<HTMLDetailsElement>("details.app-menu[open]")) {
      if (!(e.target instanceof Node && menu.contains(e.target))) menu.open = false;
    }
  });
}

/// A labelled form field: the label, the control, and an optional hint.
export function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), input, hint ? h("small", {}, hint) : null);
}

/// Not a refusal but a question: a confirm dialog's action throws it to
/// offer one more step (shown as a notice, and the button says the step).
export class Offer extends Error {}

/// A confirm dialog: a title, what will happen, Cancel and the action,
/// which runs `run`; a refusal is shown in the dialog, which stays open.
export function confirmDialog(id: string, title: string, body: (HTMLElement | string)[], action: string, run: () => Promise<void>, danger = false) {
  const d = freshDialog(id);
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: danger ? "danger" : "primary", id: `${id}-confirm` }, action);
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      await run();
      d.close();
    } catch (e) {
      error.className = e instanceof Offer ? "notice" : "form-error";
      if (e instanceof Offer) error.textContent = e.message;
      else showError(error, e);
      go.disabled = false;
    }
  });
  replace(d, h("h2", {}, title), ...body.map((b) => (typeof b === "string" ? h("p", {}, b) : b)), error, h("div", { class: "actions" }, cancel, go));
  d.showModal();
  return d;
}

/// Shows a refusal next to the field it concerns, marks that field invalid
/// and focuses it; a refusal that names no field of the form shows in
/// `fallback`. Earlier marks in `form` are cleared first.
export function showRefusal(form: HTMLElement, fallback: HTMLElement, e: unknown, fieldOf: (code: string, details: Record<string, unknown>) => HTMLElement | null) {
  clearRefusal(form, fallback);
  const { code, details } = describe(e);
  const input = fieldOf(code, (details ?? {}) as Record<string, unknown>);
  const label = input?.closest("label.field");
  if (!input || !label) {
    showError(fallback, e);
    return;
  }
  input.setAttribute("aria-invalid", "true");
  const note = h("small", { class: "field-error", role: "alert", id: `${input.id}-error`, "data-code": code }, ...errorContent(e));
  input.setAttribute("aria-describedby", note.id);
  label.appendChild(note);
  input.focus();
}

export function clearRefusal(form: HTMLElement, fallback: HTMLElement) {
  fallback.textContent = "";
  delete fallback.dataset.code;
  for (const note of form.querySelectorAll(".field-error")) note.remove();
  for (const bad of form.querySelectorAll("[aria-invalid='true']")) {
    bad.removeAttribute("aria-invalid");
    bad.removeAttribute("aria-describedby");
  }
}

/// The text an agent pastes into a support ticket about an error: its code,
/// message and details, and where it happened (Seatdesk's version and
/// schema, the store, the account, the acting member, support mode, the date).
export function errorReport(e: unknown): string {
  const { code, message, details } = describe(e);
  const app = state.app;
  const acting = state.overview?.acting_as;
  const where = state.store.server ? `shared server ${state.store.server}${state.store.login ? ` as ${state.store.login}` : ""}` : `this computer (${state.store.path ?? "no file"})`;
  const lines = [
    `Seatdesk error: ${code}`,
    `Message: ${message}`,
    `Details: ${details === null || details === undefined ? "none" : JSON.stringify(details)}`,
    `Seatdesk version: ${app?.version ?? "unknown"}`,
    `Schema version: ${app?.schema_version ?? "unknown"}`,
    `Database: ${where}`,
    `Account: ${state.account ?? "none open"}`,
    `Acting member: ${acting ? `${acting.name} <${acting.email}> (${acting.role})` : "none"}`,
    `Support mode: ${state.support ? `${state.support.agent}, ticket ${state.support.ticket}` : "off"}`,
    `Date: ${app?.today ?? "unknown"} (Seatdesk's date); ${new Date().toISOString()}`,
  ];
  return lines.join("\n");
}

/// Puts `text` on the clipboard (the page's clipboard API, or the older
/// copy command where WebKit refuses it); whether it worked.
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { "aria-hidden": "true", class: "offscreen" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

/// An error as the window shows it everywhere: the message, its stable
/// code, and "Copy details" (the report a support ticket needs), whose text
/// can be opened beside it too.
export function errorContent(e: unknown, said?: string): (HTMLElement | string)[] {
  const { code, message } = describe(e);
  const report = errorReport(e);
  const copy = h("button", { type: "button", class: "link copy-details", title: "Copy the code, message, details, version, account, acting member and date, for a support ticket" }, "Copy details");
  copy.addEventListener("click", async (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    const done = await copyText(report);
    copy.textContent = done ? "Copied" : "Copy failed: select the text below";
    const more = copy.parentElement?.querySelector<HTMLDetailsElement>("details.error-report");
    if (more && !done) more.open = true;
    window.setTimeout(() => (copy.textContent = "Copy details"), 2500);
  });
  return [
    h("span", { class: "error-message" }, said ?? message),
    " ",
    h("code", { class: "error-code", title: "The error's code: the same in the CLI and in the docs" }, code),
    " ",
    copy,
    h("details", { class: "error-report" }, h("summary", {}, "Details"), h("pre", { class: "error-report-text" }, report)),
  ];
}

/// Shows error `e` in `el` (message, code, Copy details); `said` words the
/// message for where it is shown (the report keeps the backend's).
export function showError(el: HTMLElement, e: unknown, said?: string) {
  replace(el, ...errorContent(e, said));
  el.dataset.code = describe(e).code;
}

/// An error in the status bar: it stays (with its code and Copy details)
/// until closed or the next message.
export function notifyError(e: unknown) {
  const el = document.getElementById("status");
  if (!el) return;
  const close = h("button", { type: "button", class: "link", "aria-label": "Close the message", title: "Close" }, "×");
  close.addEventListener("click", () => el.classList.remove("shown", "error"));
  replace(el, ...errorContent(e), " ", close);
  el.dataset.code = describe(e).code;
  el.classList.add("shown", "error");
}
