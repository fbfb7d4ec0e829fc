// The dialog kit every feature builds its dialogs from: a fresh modal, a
// labelled field, and a confirm dialog that runs its action and shows why
// it was refused.

import { describe } from "./context";
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
      error.textContent = describe(e).message;
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
  const { code, message, details } = describe(e);
  const input = fieldOf(code, (details ?? {}) as Record<string, unknown>);
  const label = input?.closest("label.field");
  if (!input || !label) {
    fallback.textContent = message;
    fallback.dataset.code = code;
    return;
  }
  input.setAttribute("aria-invalid", "true");
  const note = h("small", { class: "field-error", role: "alert", id: `${input.id}-error`, "data-code": code }, message);
  input.setAttribute("aria-describedby", note.id);
  label.appendChild(note);
  input.focus();
}

export function clearRefusal(form: HTMLElement, fallback: HTMLElement) {
  fallback.textContent = "";
  for (const note of form.querySelectorAll(".field-error")) note.remove();
  for (const bad of form.querySelectorAll("[aria-invalid='true']")) {
    bad.removeAttribute("aria-invalid");
    bad.removeAttribute("aria-describedby");
  }
}
