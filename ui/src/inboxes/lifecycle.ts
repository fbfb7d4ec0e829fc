// An inbox's later life (issue #21): Rename, Release number and the
// Delete inbox dialog (what it holds, where each thing goes, one step).

import { api } from "../api";
import type { InboxPage } from "../api";
import { openBuyNumber } from "../billing/seats";
import { hooks, notify, scope, state } from "../context";
import { h, num, plural, replace } from "../dom";
import { confirmDialog, field, freshDialog, notifyError, showError } from "../kit";
import { inboxView } from "./page";

/// The head's buttons: each disabled, with the reason, for a role that may
/// not use it.
export function lifecycleActions(d: InboxPage): HTMLElement[] {
  const can = state.overview!.can;
  const rename = h("button", { type: "button", id: "inbox-rename", disabled: !can.manage_inboxes, title: can.manage_inboxes ? undefined : "Only the Owner, Admins and Managers rename inboxes" }, "Rename…");
  rename.addEventListener("click", () => openRename(d));
  const release = d.number
    ? h("button", { type: "button", id: "inbox-release-number", disabled: !can.manage_account, title: can.manage_account ? undefined : "Only the Owner and Admins release numbers" }, "Release number…")
    : null;
  release?.addEventListener("click", () => openRelease(d));
  const swap = d.number
    ? h("button", { type: "button", id: "inbox-replace-number", disabled: !can.manage_account, title: can.manage_account ? undefined : "Only the Owner and Admins replace numbers" }, "Replace number…")
    : null;
  swap?.addEventListener("click", () => openBuyNumber(d.name, d.number ?? undefined));
  // An inbox with a number: its number must be released or moved, which is billing.
  const mayDelete = can.manage_inboxes && (!d.number || can.manage_account);
  const why = !can.manage_inboxes ? "Only the Owner, Admins and Managers delete inboxes" : "Its number is released or moved on deletion: only the Owner and Admins do that";
  const del = h("button", { type: "button", id: "inbox-delete", disabled: !mayDelete, title: mayDelete ? undefined : why }, "Delete inbox…");
  del.addEventListener("click", () => void openDelete(d));
  return [rename, swap, release, del].filter((b): b is HTMLButtonElement => b !== null);
}

function openRename(d: InboxPage) {
  const input = h("input", { id: "rename-inbox-name", value: d.name, maxlength: "100", required: true });
  confirmDialog("rename-inbox-dialog", `Rename ${d.name}`, [field("New name", input, "Its number, members and routing stay as they are.")], "Rename", async () => {
    const renamed = await api.renameInbox(scope(), d.name, input.value);
    inboxView.open = renamed.name;
    notify(`Renamed ${d.name} to ${renamed.name}.`);
    await hooks.changed();
  });
  input.select();
}

function openRelease(d: InboxPage) {
  confirmDialog(
    "release-number-dialog",
    `Release ${d.number}?`,
    [
      `${d.name} gives up ${d.number}. There is no refund for the rest of this period, and the renewal stops billing it.`,
      "Its routing stays, waiting for a new number.",
    ],
    "Release number",
    async () => {
      try {
        const seats = await api.releaseNumber(scope(), d.name);
        notify(`Released ${d.number}. The renewal on ${seats.renews_on} drops accordingly.`);
      } finally {
        // Refused because another desktop changed it: the page shows what is true now.
        await hooks.changed();
      }
    },
    true,
  );
}

async function openDelete(d: InboxPage) {
  const dlg = freshDialog("delete-inbox-dialog");
  let p;
  try {
    p = await api.previewInboxDeletion(scope(), d.name);
  } catch (e) {
    notifyError(e);
    dlg.remove();
    return;
  }
  const error = h("p", { class: "form-error", role: "alert", id: "delete-inbox-error" });
  const options = (names: string[]) => names.map((n) => h("option", { value: n }, n));
  const convTo = p.conversations ? h("select", { id: "delete-inbox-conversations-to" }, options(p.other_inboxes)) : null;
  const numberChoice = p.number
    ? h(
        "select",
        { id: "delete-inbox-number" },
        h("option", { value: "" }, "Release it (no refund)"),
        p.awaiting_number.map((n) => h("option", { value: n }, `Move it to ${n}`)),
      )
    : null;
  const holds = h(
    "ul",
    { id: "delete-inbox-holds" },
    h("li", {}, plural(p.members, "member"), " leave it (their other inboxes stay)"),
    h("li", {}, plural(p.conversations, "conversation")),
    h("li", {}, p.number ? `The number ${p.number}` : "No number"),
  );
  const onlyInbox = p.conversations > 0 && p.other_inboxes.length === 0;
  const blocked = onlyInbox || p.awaits_invite;
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => dlg.close());
  const go = h("button", { type: "button", class: "danger", id: "delete-inbox-confirm", disabled: blocked }, `Delete ${d.name}`);
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      const moveTo = numberChoice?.value;
      const done = await api.deleteInbox(scope(), d.name, {
        move_conversations_to: convTo?.value ?? null,
        number: p.number ? (moveTo ? { choice: "move_to", inbox: moveTo } : { choice: "release" }) : null,
      });
      dlg.close();
      inboxView.open = null;
      const parts = [`Deleted ${done.inbox}`];
      if (done.conversations_to) parts.push(`${num(done.conversations_moved)} conversations moved to ${done.conversations_to}${done.conversations_unassigned ? ` (${num(done.conversations_unassigned)} now unassigned)` : ""}`);
      if (done.number_released) parts.push(`${done.number_released} released`);
      if (done.number_moved_to) parts.push(`its number moved to ${done.number_moved_to}`);
      notify(`${parts.join("; ")}.`);
      await hooks.changed();
    } catch (e) {
      showError(error, e);
      go.disabled = false;
      // Another desktop may have changed it: the page and the choices follow.
      await hooks.changed();
      try {
        const fresh = await api.previewInboxDeletion(scope(), d.name);
        if (numberChoice) replace(numberChoice, h("option", { value: "" }, "Release it (no refund)"), fresh.awaiting_number.map((n) => h("option", { value: n }, `Move it to ${n}`)));
        if (convTo) replace(convTo, options(fresh.other_inboxes));
      } catch {
        dlg.close();
      }
    }
  });
  replace(
    dlg,
    h("h2", {}, `Delete ${d.name}`),
    h("p", {}, "It holds:"),
    holds,
    convTo ? field("Its conversations go to", convTo, "A conversation whose assignee does not work in that inbox becomes unassigned.") : null,
    onlyInbox ? h("p", { class: "form-error", id: "delete-inbox-blocked" }, "It is the account's only inbox: create another inbox first, to take its conversations.") : null,
    p.awaits_invite ? h("p", { class: "form-error", id: "delete-inbox-blocked" }, "It was made for a pending New Inbox invite: revoke or edit that invite instead.") : null,
    numberChoice ? field("Its number", numberChoice, p.awaiting_number.length ? undefined : "No other inbox awaits a number, so it can only be released.") : null,
    h("p", { class: "muted" }, "Everything happens in one step, and the audit log records it."),
    error,
    h("div", { class: "actions" }, cancel, go),
  );
  dlg.showModal();
}
