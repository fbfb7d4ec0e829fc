// Work on many members at once (issue #21): the bar above the members table
// once rows are picked, and the dialog of each bulk action. The dialog
// shows the backend's preview (the same transaction, rolled back: seats
// freed or needed, the quote when short, where the work goes) and applies
// it all or nothing.

import { api } from "../api";
import type { BulkAction, BulkOutcome, Quote, Role, Selection, SeatShortfall } from "../api";
import { describe, hooks, notify, scope, state } from "../context";
import { h, money, num, plural, replace } from "../dom";
import { quoteMath } from "../billing/seats";
import { field, freshDialog, showError } from "../kit";
import { reassignPicker } from "../lifecycle";
import { inboxSelect, roleSelect } from "./actions";

/// What the table tells the bar: how many are picked, of how many matching.
export interface Picked {
  count: number;
  total: number;
  all: boolean;
  selection: () => Selection;
  clear: () => void;
  selectAll: () => void;
}

type Kind = BulkAction["kind"];

const LABELS: Record<Kind, string> = {
  resend: "Resend invites",
  revoke: "Revoke invites",
  change_role: "Change role",
  add_to_inbox: "Add to inbox",
  delete: "Delete",
};

/// Redraws the bar: hidden when nothing is picked.
export function drawBulkBar(bar: HTMLElement, p: Picked) {
  bar.hidden = p.count === 0;
  if (bar.hidden) return replace(bar);
  const can = state.overview!.can;
  const why = (kind: Kind) => {
    if (kind === "add_to_inbox") return can.manage_inboxes ? null : "Only the Owner, Admins and Managers change who is in an inbox";
    return can.manage_account ? null : "Only the Owner and Admins change members";
  };
  const kinds: Kind[] = state.tab === "pending" ? ["resend", "revoke", "change_role"] : ["change_role", "add_to_inbox", "delete"];
  const buttons = kinds.map((kind) => {
    const reason = why(kind);
    const b = h("button", { type: "button", class: kind === "delete" || kind === "revoke" ? "danger" : "secondary", id: `bulk-${kind}`, disabled: reason !== null, title: reason ?? undefined }, LABELS[kind]);
    b.addEventListener("click", () => openBulk(kind, p));
    return b;
  });
  const all = h("button", { type: "button", class: "link", id: "bulk-select-all", hidden: p.all || p.count >= p.total }, `Select all ${num(p.total)} matching`);
  all.addEventListener("click", p.selectAll);
  const clear = h("button", { type: "button", class: "link", id: "bulk-clear" }, "Clear");
  clear.addEventListener("click", p.clear);
  bar.onkeydown = (ev) => {
    // Escape lets the picks go wherever the focus is in the bar.
    if (ev.key === "Escape" && !document.querySelector("dialog[open]")) {
      p.clear();
      document.getElementById("members-scroll")?.focus();
    }
  };
  replace(bar, h("span", { id: "bulk-count" }, p.all ? `All ${num(p.total)} matching selected` : `${num(p.count)} selected`), all, clear, h("div", { class: "spacer" }), buttons);
}

function seatChoice(id: string, legend: string) {
  return h(
    "fieldset",
    { class: "seat-choice", id },
    h("legend", {}, legend),
    h("label", {}, h("input", { type: "radio", name: id, value: "keep", checked: true }), " Keep them (they become unassigned)"),
    h("label", {}, h("input", { type: "radio", name: id, value: "remove" }), " Remove them (permanent, no refund)"),
  );
}

function chosenSeat(set: HTMLElement): "keep" | "remove" {
  return (set.querySelector<HTMLInputElement>("input:checked")?.value ?? "keep") as "keep" | "remove";
}

/// What the preview says, line by line.
function effects(o: BulkOutcome): HTMLElement[] {
  const shown = o.members.slice(0, 8).join(", ") + (o.members.length > 8 ? `, and ${num(o.members.length - 8)} more` : "");
  const lines = [h("li", { id: "bulk-who" }, `${plural(o.members.length, "member")}: ${shown}`)];
  const same = o.members.length - o.changed;
  if (same > 0) lines.push(h("li", { id: "bulk-same" }, `${plural(same, "member is", "members are")} that way already: nothing changes for them.`));
  const [b, a] = [o.seats_before, o.seats];
  lines.push(h("li", { id: "bulk-seats" }, b.assigned === a.assigned && b.purchased === a.purchased ? `Seats stay ${a.assigned} of ${a.purchased} used.` : `Seats: ${b.assigned} of ${b.purchased} used → ${a.assigned} of ${a.purchased}.`));
  if (o.conversations + o.contacts + o.inboxes > 0) lines.push(h("li", {}, `Handed over: ${plural(o.conversations, "conversation")}, ${plural(o.contacts, "contact")}, ${plural(o.inboxes, "owned inbox", "owned inboxes")}.`));
  for (const n of o.notes.slice(0, 6)) lines.push(h("li", {}, n));
  if (o.notes.length > 6) lines.push(h("li", {}, `…and ${num(o.notes.length - 6)} more changes to routing.`));
  return lines;
}

/// The dialog of one bulk action: its choices, the live preview, Apply.
function openBulk(kind: Kind, p: Picked) {
  const d = freshDialog("bulk-dialog");
  const selection = p.selection();
  const count = p.all ? p.total : p.count;
  const controls: HTMLElement[] = [];
  let action: () => BulkAction = () => ({ kind }) as BulkAction;
  const role = roleSelect("bulk-role", "member");
  const roleSeat = seatChoice("bulk-role-seat", "Seats freed by a move to Observer");
  const deleteSeat = seatChoice("bulk-delete-seat", "Their seats");
  const picker = reassignPicker("bulk-reassign-to", "", () => void preview());
  const reassign = h("label", { class: "field", id: "bulk-reassign" }, h("span", {}, "Their conversations, contacts and inboxes go to"), picker.element);
  const heir = () => picker.input.value || null;
  let inbox: HTMLSelectElement | null = null;
  if (kind === "change_role") {
    controls.push(field("New role", role), roleSeat, reassign);
    action = () => ({ kind, role: role.value as Role, seat: chosenSeat(roleSeat), reassign_to: heir() });
  } else if (kind === "delete") {
    controls.push(reassign, deleteSeat);
    action = () => ({ kind, seat: chosenSeat(deleteSeat), reassign_to: heir() });
  }
  const summary = h("ul", { class: "holdings", id: "bulk-preview" }, h("li", {}, "Working out what changes…"));
  const error = h("p", { class: "form-error", role: "alert", id: "bulk-error" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: kind === "delete" || kind === "revoke" ? "danger" : "primary", id: "bulk-confirm", disabled: true }, `${LABELS[kind]}: ${plural(count, "member")}`);
  // A change to a paid role short of seats: the refusal's quote, bought in the same step.
  let buy: Quote | null = null;
  let asked = 0;
  async function preview() {
    const ask = ++asked;
    buy = null;
    go.disabled = true;
    error.textContent = "";
    try {
      const o = await api.previewBulk(scope(), selection, action());
      if (ask !== asked) return;
      replace(summary, effects(o));
      // The button counts those who change (the others are said above).
      go.textContent = `${LABELS[kind]}: ${plural(o.changed, "member")}`;
      go.disabled = o.changed === 0;
    } catch (e) {
      if (ask !== asked) return;
      const { code, message, details } = describe(e);
      replace(summary);
      if (code === "no_free_seats") {
        const short = details as SeatShortfall;
        buy = short.quote;
        error.className = "notice";
        error.textContent = `${message} Buy ${plural(short.shortfall, "seat")} for ${money(buy.due_now_cents, buy.currency)} now (${quoteMath(buy)}) and apply?`;
        go.textContent = `Buy ${plural(short.shortfall, "seat")} and apply`;
        go.disabled = false;
      } else {
        error.className = "form-error";
        showError(error, e);
      }
    }
  }
  for (const el of [role, roleSeat, deleteSeat]) el.addEventListener("change", () => void preview());
  picker.input.addEventListener("input", () => void preview());
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      const o = await api.bulk(scope(), selection, action(), buy?.quote_id ?? null);
      d.close();
      const bought = o.purchase ? ` Bought ${plural(o.purchase.quote.quantity, "seat")} for ${money(o.purchase.charged_cents, o.purchase.quote.currency)}.` : "";
      const sent = kind === "resend" ? " Seatdesk sends no email: send each of them the invitation yourself." : "";
      notify(`${LABELS[kind]}: done for ${plural(o.members.length, "member")} in one step.${bought}${sent}`);
      p.clear();
      await hooks.changed();
    } catch (e) {
      if (describe(e).code === "quote_stale") {
        // The account changed meanwhile: the preview again, with a fresh quote.
        await preview();
        error.className = "notice";
        error.textContent = `The account changed since that quote. ${error.textContent}`;
        return;
      }
      error.className = "form-error";
      showError(error, e);
      go.disabled = false;
    }
  });
  const title = kind === "change_role" ? `Change the role of ${plural(count, "member")}` : kind === "add_to_inbox" ? `Add ${plural(count, "member")} to an inbox` : `${LABELS[kind]}: ${plural(count, "member")}`;
  const body = [h("h2", {}, title), ...controls];
  replace(d, ...body, summary, error, h("div", { class: "actions" }, cancel, go));
  d.showModal();
  if (kind === "add_to_inbox") {
    void inboxSelect("bulk-inbox").then((select) => {
      inbox = select;
      select.addEventListener("change", () => void preview());
      d.insertBefore(field("Inbox", select), summary);
      action = () => ({ kind, inbox: inbox?.value ?? "" });
      void preview();
    });
  } else void preview();
  if (kind === "change_role") {
    const sync = () => {
      const toObserver = role.value === "observer";
      roleSeat.hidden = !toObserver;
      reassign.hidden = !toObserver;
    };
    role.addEventListener("change", sync);
    sync();
  }
}
