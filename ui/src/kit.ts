// The dialog kit every feature builds its dialogs from: a fresh modal, a
// labelled field, and a confirm dialog that runs its action and shows why
// it was refused.

import { describe } from "./context";
import { h, replace } from "./dom";

/// A fresh modal `<dialog>` with this id (replacing any left over), removed
/// from the page when it closes.
export function freshDialog(id: string): HTMLDialogElement {
  document.getElementById(id)?.remove();
  const d = h("dialog", { id, class: "wide" });
  document.body.appendChild(d);
  d.addEventListener("close", () => d.remove());
  return d;
}

/// A labelled form field: the label, the control, and an optional hint.
export function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", {}, label), input, hint ? h("small", {}, hint) : null);
}

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
      error.textContent = describe(e).message;
      go.disabled = false;
    }
  });
  replace(d, h("h2", {}, title), ...body.map((b) => (typeof b === "string" ? h("p", {}, b) : b)), error, h("div", { class: "actions" }, cancel, go));
  d.showModal();
  return d;
}
