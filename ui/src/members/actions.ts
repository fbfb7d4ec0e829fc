// The dialogs of one member: accept, resend, revoke and edit an invite,
// change a role (built from the dialog kit, ../kit.ts).

import { api } from "../api";
import type { InboxView, MemberView, Quote, Role, SeatShortfall } from "../api";
import { describe, hooks, notify, roleLabel, scope } from "../context";
import { h, money, plural } from "../dom";
import { quoteMath } from "../billing/seats";
import { Offer, confirmDialog as kitConfirm, field, freshDialog, notifyError } from "../kit";
import { reassignPicker } from "../lifecycle";
import { ROLES } from "./table";

// ------------------------------------------------------------------ dialogs

/// A dialog that hands the focus back to the table when it closes.
export function dialog(id: string): HTMLDialogElement {
  const d = freshDialog(id);
  d.addEventListener("close", () => document.getElementById("members-scroll")?.focus());
  return d;
}

export function roleSelect(id: string, value: Role) {
  return h("select", { id }, ROLES.map((r) => h("option", { value: r, selected: r === value }, roleLabel(r))));
}

export async function inboxSelect(id: string, value?: string) {
  const inboxes: InboxView[] = await api.listInboxes(scope()).catch(() => []);
  return h("select", { id, "aria-label": "Inbox" }, inboxes.map((i) => h("option", { value: i.name, selected: i.name === value }, i.number ? `${i.name} (${i.number})` : `${i.name} (awaiting number)`)));
}

export async function changed(message: string) {
  notify(message);
  await hooks.changed();
}

export async function resend(m: MemberView) {
  try {
    const r = await api.resendInvite(scope(), m.email);
    await changed(`Resend recorded for ${r.email} (${plural(r.resend_count, "resend")}): Seatdesk sends no email, send the invitation yourself.`);
  } catch (e) {
    notifyError(e);
  }
}


/// A confirm dialog that hands the focus back to the table when it closes.
export function confirmDialog(id: string, title: string, body: (HTMLElement | string)[], action: string, run: () => Promise<void>, danger = false) {
  const d = kitConfirm(id, title, body, action, run, danger);
  d.addEventListener("close", () => document.getElementById("members-scroll")?.focus());
  return d;
}

export function openRevoke(m: MemberView) {
  confirmDialog("revoke-dialog", "Revoke invite", [`Revoke the invite to ${m.email}? ${m.role === "observer" ? "Observers hold no seat, so the seat count stays as it is;" : "Their reserved seat becomes unassigned and"} their place in ${m.inboxes.join(", ") || "the inbox"} is dropped.`], "Revoke invite", async () => {
    await api.revokeInvite(scope(), m.email);
    await changed(`Invite to ${m.email} revoked.`);
  }, true);
}

export function openAccept(m: MemberView) {
  const name = h("input", { id: "accept-name", value: m.name, "aria-label": "Name" });
  confirmDialog("accept-dialog", "Mark invite accepted", [`Record that ${m.email} confirmed their invite. They move to Active.`, field("Their name", name)], "Mark accepted", async () => {
    await api.acceptInvite(scope(), m.email, name.value);
    await changed(`${m.email} is now active.`);
  });
  name.select();
}

/// Corrects an Active member's name (issue #21).
export function openRename(m: MemberView) {
  const name = h("input", { id: "rename-member-name", value: m.name, "aria-label": "Name" });
  confirmDialog("rename-member-dialog", `Correct the name of ${m.email}`, [field("Their name", name)], "Save name", async () => {
    const fixed = await api.renameMember(scope(), m.email, name.value);
    await changed(`${m.email} is now ${fixed.name}.`);
  });
  name.select();
}

/// "Edit invite" from elsewhere (the inbox page's pending rows).
export async function openEditInviteFor(email: string) {
  try {
    const held = await api.memberHoldings(scope(), email);
    await openEditInvite(held.member);
  } catch (e) {
    notifyError(e);
  }
}

export async function openEditInvite(m: MemberView) {
  const email = h("input", { id: "edit-email", value: m.email });
  const role = roleSelect("edit-role", m.role);
  const inbox = await inboxSelect("edit-inbox", m.inboxes[0]);
  // A new role that needs a seat when none is free: the refusal's quote
  // becomes "Buy 1 seat and save", one step in the backend.
  let buy: Quote | null = null;
  role.addEventListener("change", () => {
    buy = null;
    const go = document.getElementById("edit-dialog-confirm");
    if (go) go.textContent = "Save";
  });
  confirmDialog("edit-dialog", "Edit invite", [h("div", { class: "row" }, field("Email", email)), h("div", { class: "row" }, field("Role", role), field("Inbox", inbox))], "Save", async () => {
    try {
      await api.editInvite(scope(), m.email, {
        email: email.value !== m.email ? email.value : null,
        role: role.value as Role,
        inbox: inbox.value && inbox.value !== m.inboxes[0] ? inbox.value : null,
        buy_shortfall_quote: buy?.quote_id ?? null,
      });
    } catch (e) {
      const { code, details } = describe(e);
      if (code !== "no_free_seats" || buy) throw e;
      buy = (details as SeatShortfall).quote;
      document.getElementById("edit-dialog-confirm")!.textContent = `Buy 1 seat and save`;
      throw new Offer(`No paid seat is free for a ${roleLabel(role.value as Role)}. Buy 1 seat for ${money(buy.due_now_cents, buy.currency)} now (${quoteMath(buy)}) and save?`);
    }
    await changed(buy ? `Invite updated; bought 1 seat for ${money(buy.due_now_cents, buy.currency)}.` : "Invite updated.");
  });
}

export function openChangeRole(m: MemberView) {
  const role = roleSelect("change-role", m.role);
  const seatChoice = h(
    "fieldset",
    { class: "seat-choice", id: "seat-choice" },
    h("legend", {}, "The freed seat"),
    h("label", {}, h("input", { type: "radio", name: "seat", value: "keep", checked: true }), " Keep seat (it becomes unassigned)"),
    h("label", {}, h("input", { type: "radio", name: "seat", value: "remove" }), " Remove seat (permanent, no refund)"),
  );
  const picker = reassignPicker("role-reassign-to", m.email);
  const reassign = h("label", { class: "field", id: "role-reassign" }, h("span", {}, "Their conversations, contacts and inboxes go to"), picker.element);
  const paid = (r: string) => r !== "observer" && r !== "owner";
  const sync = () => {
    seatChoice.hidden = !(paid(m.role) && role.value === "observer");
    reassign.hidden = seatChoice.hidden || m.status !== "active";
  };
  role.addEventListener("change", sync);
  sync();
  confirmDialog("role-dialog", `Change the role of ${m.name}`, [field("Role", role), seatChoice, reassign], "Change role", async () => {
    const seat = (seatChoice.querySelector<HTMLInputElement>("input:checked")?.value ?? "keep") as "keep" | "remove";
    const r = await api.changeRole(scope(), m.email, role.value as Role, seat, reassign.hidden ? null : picker.input.value || null);
    // What the hand-over did (a move to Observer), as a deletion says it.
    const routed = r.routed.map((x) => (x.to ? `${x.conversations} conversation${x.conversations === 1 ? "" : "s"} of ${x.inbox} went to ${x.to}.` : `${x.conversations} conversation${x.conversations === 1 ? "" : "s"} of ${x.inbox} left unassigned.`));
    const heir = r.reassigned_to ? [`Their work went to ${r.reassigned_to}.`] : [];
    await changed([`${m.email} is now ${roleLabel(role.value as Role)}.`, ...heir, ...routed, ...r.notes].join(" "));
  });
}

