// Deleting a member (the wizard), the reassignment picker shared with the
// role dialog, owner transfer in support mode, and the Audit log page.

import { api } from "./api";
import type { AuditEntryView, MemberView } from "./api";
import { hooks, notify, scope, state } from "./context";
import { h, plural, replace } from "./dom";
import { memberPicker } from "./picker";
import { auditSentence } from "./audit_words";
import { clearRefusal, errorContent, freshDialog, notifyError, showError, showRefusal } from "./kit";

const dialog = freshDialog;

/// An input for "reassign to": yourself by default; suggestions are Active
/// members with a paid role found by name or email (the backend decides).
/// Who a leaver's work goes to: any Active member who holds work, found by
/// name or address; the acting member by default (shown whole).
export function reassignPicker(id: string, leaving: string, onPick: () => void = () => {}) {
  const me = state.overview!.acting_as;
  const picker = memberPicker({
    id,
    label: "Reassign to",
    keep: true,
    initial: me.email === leaving ? null : me,
    source: async (text, limit) => {
      const page = await api.listMembers(scope(), { status: "active", pending_days: null, search: text || null, limit, role: null, sort: "name", descending: false, offset: 0 }).catch(() => null);
      return page ? page.rows.filter((m) => m.role !== "observer") : [];
    },
    exclude: (email) => email === leaving,
    onPick,
  });
  return picker;
}

export async function openDeleteMember(m: MemberView) {
  const d = dialog("delete-dialog");
  let held;
  try {
    held = await api.memberHoldings(scope(), m.email);
  } catch (e) {
    notifyError(e);
    return;
  }
  const picker = reassignPicker("reassign-to", m.email, () => drawSummary());
  const paid = m.role !== "observer";
  const keep = h("input", { type: "radio", name: "delete-seat", value: "keep", id: "delete-keep-seat", checked: true });
  const remove = h("input", { type: "radio", name: "delete-seat", value: "remove", id: "delete-remove-seat" });
  const summary = h("p", { class: "warning", id: "delete-summary" });
  const drawSummary = () => {
    const chosen = picker.chosen();
    const to = chosen && chosen.email === picker.input.value ? `${chosen.name} (${chosen.email})` : picker.input.value || "(choose someone)";
    summary.textContent = `${m.name}'s ${plural(held.conversations, "conversation")}, ${plural(held.contacts, "contact")} and ${plural(held.owned_inboxes, "inbox", "inboxes")} go to ${to}; they leave every inbox and routing setting${paid ? `; their seat is ${remove.checked ? "removed (no refund)" : "kept, unassigned"}` : ""}. This cannot be undone.`;
  };
  for (const el of [picker.input, keep, remove]) el.addEventListener("input", drawSummary);
  drawSummary();
  const error = h("p", { class: "form-error", role: "alert", id: "delete-error" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: "danger", id: "delete-confirm" }, "Delete Member");
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      const r = await api.deleteMember(scope(), m.email, picker.input.value, remove.checked ? "remove" : "keep");
      d.close();
      const routed = r.routed.map((x) => ` ${x.conversations} of ${x.inbox} went to ${x.to ?? "nobody (unassigned)"}.`).join("");
      notify(`${r.deleted} was deleted; ${plural(r.conversations, "conversation")} went to ${r.reassigned_to}.${routed}${r.notes.map((n) => " " + n).join("")}`);
      await hooks.changed();
    } catch (e) {
      showError(error, e);
      go.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, `Delete ${m.name}`),
    h(
      "ul",
      { class: "holdings", id: "delete-holdings" },
      h("li", {}, plural(held.conversations, "conversation")),
      h("li", {}, plural(held.contacts, "contact")),
      h("li", {}, `${plural(held.owned_inboxes, "owned inbox", "owned inboxes")}`),
      h("li", {}, held.routing.length ? `Routing: ${held.routing.join("; ")}` : "In no routing setting"),
    ),
    h("label", { class: "field" }, h("span", {}, "Reassign conversations, contacts and inbox ownership to"), picker.element),
    paid
      ? h("fieldset", { class: "seat-choice" }, h("legend", {}, "Their seat"), h("label", {}, keep, " Keep Seat (it becomes unassigned)"), h("label", {}, remove, " Remove Seat (permanent, no refund)"))
      : null,
    summary,
    error,
    h("div", { class: "actions" }, cancel, go),
  );
  d.showModal();
  picker.focus();
}

/// Support mode is held by the backend: switching it on asks in a native
/// dialog (which no script in the page can answer) and is audited, as is
/// switching it off.
export function openSupportMode(after: () => void) {
  const d = dialog("support-dialog");
  const agent = h("input", { id: "support-agent", value: state.support?.agent ?? "", "aria-label": "Support agent's name" });
  const ticket = h("input", { id: "support-ticket", value: state.support?.ticket ?? "", placeholder: "T-1234", "aria-label": "Ticket reference" });
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const off = h("button", { type: "button", id: "support-off", disabled: !state.support }, "Switch off");
  off.addEventListener("click", async () => {
    try {
      await api.leaveSupportMode(scope());
      state.support = null;
      d.close();
      after();
      notify("Support mode is off.");
    } catch (e) {
      showError(error, e);
    }
  });
  const on = h("button", { type: "button", class: "primary", id: "support-on" }, "Switch on…");
  on.addEventListener("click", async () => {
    on.disabled = true;
    clearRefusal(d, error);
    try {
      const support = { agent: agent.value, ticket: ticket.value };
      if (!(await api.enterSupportMode(scope(), support))) {
        error.textContent = "Support mode was not switched on: the confirmation was cancelled.";
        return;
      }
      state.support = { agent: support.agent.trim(), ticket: support.ticket.trim() };
      d.close();
      after();
      notify(`Support mode on for ${state.support.agent}, ticket ${state.support.ticket}.`);
    } catch (e) {
      showRefusal(d, error, e, (code, details) => (code !== "invalid_name" ? null : details.field === "ticket" ? ticket : agent));
    } finally {
      on.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, "Support mode"),
    h("p", { class: "muted" }, "Every change made in this account while support mode is on is recorded with the agent's name and the ticket (the Audit log's Ticket box lists them, in every account); owner transfer needs it. Seatdesk asks you to confirm in a system dialog; entering and leaving support mode is recorded too."),
    h("label", { class: "field" }, h("span", {}, "Support agent"), agent),
    h("label", { class: "field" }, h("span", {}, "Ticket reference"), ticket),
    error,
    h("div", { class: "actions" }, cancel, off, on),
  );
  d.showModal();
  agent.focus();
}

export function openTransferOwner(m: MemberView) {
  const d = dialog("transfer-dialog");
  const me = state.overview!.acting_as;
  const ownerBefore = me.role === "owner" ? me.name : "the former Owner";
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: "danger", id: "transfer-confirm" }, "Transfer ownership");
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      await api.transferOwner(scope(), m.email);
      d.close();
      notify(`${m.name} is now the Owner; ${ownerBefore} is now an Admin.`);
      await hooks.changed();
    } catch (e) {
      showError(error, e);
      go.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, `Make ${m.name} the Owner`),
    h("p", {}, `The current Owner becomes an Admin. Recorded as done by ${state.support?.agent ?? "?"} (support) under ticket ${state.support?.ticket ?? "?"}, at the request of ${state.overview!.acting_as.name}.`),
    error,
    h("div", { class: "actions" }, cancel, go),
  );
  d.showModal();
  go.focus();
}

// ------------------------------------------------------------------ audit page

let auditOffset = 0;
const AUDIT_PAGE = 100;
/// A support ticket whose trail the page shows (every account), or "".
let auditTicket = "";

function auditRow(e: AuditEntryView): HTMLElement {
  return h(
    "tr",
    { "data-action": e.action },
    h("td", { class: "date", title: e.at }, e.at.replace("T", " ").slice(0, 16)),
    h(
      "td",
      { class: "what" },
      e.account ? h("span", { class: "badge", title: "The account the entry is filed under" }, e.account) : null,
      e.account ? " " : null,
      h("strong", { title: e.login ? `${e.actor_email}, as the server login ${e.login}` : e.actor_email }, e.actor_name),
      " ",
      auditSentence(e, state.overview!.account.currency),
    ),
    // The entry as recorded (and hashed), one click away.
    h("td", { class: "recorded" }, h("details", {}, h("summary", {}, e.action), h("dl", {}, h("dt", {}, "By"), h("dd", {}, e.actor_email), e.login ? h("dt", {}, "Server login") : null, e.login ? h("dd", {}, e.login) : null, h("dt", {}, "Target"), h("dd", {}, e.target), h("dt", {}, "Details"), h("dd", { class: "details" }, e.details)))),
  );
}

export async function renderAudit(page: HTMLElement) {
  const verdict = h("p", { class: "muted", id: "audit-verdict" });
  const verify = h("button", { type: "button", id: "verify-audit" }, "Verify chain");
  verify.addEventListener("click", async () => {
    try {
      const v = await api.verifyAudit(scope());
      verdict.className = v.ok ? "ok-note" : "form-error";
      verdict.textContent = v.ok ? `The chain of ${v.entries} entries is intact.` : `The chain breaks at entry ${v.first_broken} of ${v.entries}.`;
    } catch (e) {
      showError(verdict, e);
    }
  });
  // A ticket's trail: what support did under it, in every account.
  const ticket = h("input", { type: "search", id: "audit-ticket", placeholder: "Ticket, e.g. T-1042", "aria-label": "Support ticket: what was done under it, in every account", value: auditTicket });
  const show = () => {
    auditTicket = ticket.value.trim();
    auditOffset = 0;
    void load();
  };
  ticket.addEventListener("change", show);
  ticket.addEventListener("search", show);
  const current = state.support;
  const mine = current ? h("button", { type: "button", id: "audit-this-ticket", title: `What was done under ${current.ticket}, in every account` }, `Ticket ${current.ticket}`) : null;
  mine?.addEventListener("click", () => {
    ticket.value = current!.ticket;
    show();
  });
  const body = h("tbody", {});
  const pager = h("div", { class: "pager" });
  replace(
    page,
    h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Audit log"), h("p", { class: "muted" }, "Every change, hash-chained; entries keep the actor's name and email as they were.")), h("div", { class: "head-actions" }, ticket, mine, verify)),
    verdict,
    h("div", { class: "table-wrap" }, h("table", { id: "audit-table" }, h("thead", {}, h("tr", {}, ["When", "What was done", "Recorded"].map((l) => h("th", { scope: "col" }, l)))), body)),
    pager,
  );
  const load = async () => {
    try {
      const p = auditTicket ? await api.ticketTrail(auditTicket, auditOffset, AUDIT_PAGE) : await api.auditLog(scope(), auditOffset, AUDIT_PAGE);
      replace(body, p.rows.length ? p.rows.map(auditRow) : h("tr", { class: "empty" }, h("td", { colspan: 3 }, auditTicket ? `Nothing was done under ticket ${auditTicket}.` : "No entries.")));
      const prev = h("button", { type: "button", disabled: auditOffset === 0 }, "Newer");
      const next = h("button", { type: "button", disabled: auditOffset + p.rows.length >= p.total }, "Older");
      prev.addEventListener("click", () => {
        auditOffset = Math.max(0, auditOffset - AUDIT_PAGE);
        void load();
      });
      next.addEventListener("click", () => {
        auditOffset += AUDIT_PAGE;
        void load();
      });
      const span = `${p.total === 0 ? 0 : auditOffset + 1}–${auditOffset + p.rows.length} of ${p.total}`;
      if (!auditTicket) return replace(pager, h("span", { class: "muted" }, span), prev, next);
      const all = h("button", { type: "button", id: "audit-all" }, "This account's log");
      all.addEventListener("click", () => {
        ticket.value = "";
        show();
      });
      replace(pager, h("span", { class: "muted", id: "audit-ticket-count" }, `${span} ${p.total === 1 ? "entry" : "entries"} under ticket ${auditTicket}, in every account (newest first)`), prev, next, all);
    } catch (e) {
      replace(body, h("tr", {}, h("td", { colspan: 5, class: "form-error" }, ...errorContent(e))));
    }
  };
  await load();
}
