// The Inboxes page and one inbox's page: its members ("Add me", add,
// remove with the guard) and the cards that open its four routing dialogs
// (routing.ts).

import { api } from "../api";
import type { InboxMemberView, InboxPage, Quote, StillAssigned } from "../api";
import { openBuyNumber } from "../billing/seats";
import { conversationsSection } from "./conversations";
import { lifecycleActions } from "./lifecycle";
import { openAssignment, openDistribution, openIvr, openRingGroup, strategyLabel } from "./routing";
import { describe, hooks, notify, roleLabel, scope, state } from "../context";
import { h, money, num, plural, replace } from "../dom";
import { errorContent, freshDialog, notifyError, showError } from "../kit";
import { memberPicker, namer } from "../picker";
import { openEditInviteFor } from "../members/actions";


/// The inbox shown, if one is open (else the list).
/// The inbox shown (else the list), and where its member list stood: a
/// change (a member removed) redraws the page on the same search and page.
export const inboxView = { open: null as string | null, search: "", offset: 0 };

function canManageInboxes() {
  return state.overview!.can.manage_inboxes;
}

const dialog = freshDialog;

// ------------------------------------------------------------------ list

export async function renderInboxList(page: HTMLElement, seatCounter: () => HTMLElement) {
  const err = h("p", { class: "form-error", id: "create-inbox-error", role: "alert" });
  const name = h("input", { id: "inbox-name", placeholder: "Inbox name", "aria-label": "Inbox name", required: true });
  const number = h("input", { id: "inbox-number", placeholder: "+15551234567 (optional)", "aria-label": "Phone number" });
  const create = h("button", { type: "submit", class: "primary", id: "create-inbox", disabled: !canManageInboxes(), title: canManageInboxes() ? undefined : "Only the Owner, Admins and Managers create inboxes" }, "New inbox");
  const form = h("form", { class: "inline-form", id: "create-inbox-form" }, name, number, create);
  // A billed number: the refusal's quote is shown, and the next submit
  // creates the inbox and buys the number at that quote, in one step.
  let quote: Quote | null = null;
  const reset = () => {
    quote = null;
    create.textContent = "New inbox";
  };
  name.addEventListener("input", reset);
  number.addEventListener("input", reset);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    try {
      const made = await api.createInbox(scope(), { name: name.value, number: number.value || null, quote_id: quote?.quote_id ?? null });
      notify(quote ? `Created ${made.name} and bought ${made.number} for ${money(quote.due_now_cents, quote.currency)}.` : `Created ${made.name}.`);
      await hooks.changed();
    } catch (e) {
      const { code, details } = describe(e);
      if (code === "quote_required" && !quote) {
        quote = (details as { quote: Quote }).quote;
        create.textContent = `Create and buy for ${money(quote.due_now_cents, quote.currency)}`;
        // Not a refusal: the price to confirm.
        err.textContent = describe(e).message;
        return;
      }
      reset();
      showError(err, e);
    }
  });
  const body = h("tbody", {});
  replace(
    page,
    h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Inboxes"), h("p", { class: "muted" }, state.overview!.account.name)), seatCounter()),
    form,
    err,
    h("div", { class: "table-wrap" }, h("table", { id: "inboxes-table" }, h("thead", {}, h("tr", {}, ["Inbox", "Number", "Owner", "Members"].map((l) => h("th", { scope: "col" }, l)))), body)),
  );
  try {
    const list = await api.listInboxes(scope());
    replace(
      body,
      list.length === 0
        ? h("tr", { class: "empty" }, h("td", { colspan: 4 }, "No inboxes yet."))
        : list.map((i) => {
            const open = h("button", { type: "button", class: "link inbox-link", "data-inbox": i.name }, i.name);
            open.addEventListener("click", () => {
              Object.assign(inboxView, { open: i.name, search: "", offset: 0 });
              void hooks.changed();
            });
            return h(
              "tr",
              { "data-inbox": i.name },
              h("td", { class: "name" }, open),
              h("td", {}, i.number ?? buyNumberCell(i.name)),
              h("td", { title: i.owner }, i.owner_name),
              h("td", { class: "num" }, num(i.member_count)),
            );
          }),
    );
  } catch (e) {
    showError(err, e);
  }
}

function buyNumberCell(inbox: string) {
  const may = state.overview!.can.manage_account;
  const b = h("button", { type: "button", class: "link buy-number", "data-inbox": inbox, disabled: !may, title: may ? undefined : "Only the Owner and Admins buy numbers" }, "Buy number");
  b.addEventListener("click", () => openBuyNumber(inbox));
  return h("span", { class: "awaiting" }, h("span", { class: "badge warn" }, "Awaiting number"), b);
}

// ------------------------------------------------------------------ one inbox

export async function renderInbox(page: HTMLElement, name: string) {
  let d: InboxPage;
  try {
    d = await api.inboxPage(scope(), name);
  } catch (e) {
    inboxView.open = null;
    notifyError(e);
    return;
  }
  const manage = canManageInboxes();
  const back = h("button", { type: "button", class: "link", id: "back-to-inboxes" }, "← All inboxes");
  back.addEventListener("click", () => {
    inboxView.open = null;
    void hooks.changed();
  });
  const addMe =
    !d.acting_member_is_in && state.overview!.can.add_self_to_inboxes
      ? h("button", { type: "button", class: "secondary", id: "add-me" }, "Add me")
      : null;
  addMe?.addEventListener("click", () => void run(() => api.addMe(scope(), d.name)));

  async function run(call: () => Promise<{ message: string }>) {
    try {
      const r = await call();
      notify(r.message);
      await hooks.changed();
    } catch (e) {
      notifyError(e);
    }
  }

  // Add member: any member of the account not in the inbox yet, found by
  // name or address through the backend's search.
  const addPicker = memberPicker({
    id: "add-member-email",
    label: "Member to add",
    placeholder: "Add a member: type a name or an address",
    source: async (text, limit) => {
      const page = await api.listMembers(scope(), { status: "active", pending_days: null, search: text || null, limit, role: null, sort: "name", descending: false, offset: 0 }).catch(() => null);
      // Those already in this inbox are not offered.
      return page ? page.rows.filter((m) => !m.inboxes.includes(d.name)) : [];
    },
    onPick: (p) => void run(() => api.addInboxMember(scope(), d.name, p.email)),
  });
  addPicker.input.disabled = !manage;

  // The members: searchable and paged like the members table.
  const memberSearch = h("input", { type: "search", id: "inbox-member-search", placeholder: "Search name or email", "aria-label": "Search this inbox's members", value: inboxView.search });
  const tbody = h("tbody", {});
  const pager = h("div", { class: "pager", id: "inbox-members-pager" });
  let offset = inboxView.offset;
  // A page at a time from the backend: an inbox may hold tens of thousands.
  let asked = 0;
  const drawMembers = async () => {
    const ask = ++asked;
    const q = memberSearch.value.trim();
    let page;
    try {
      page = await api.inboxMembers(scope(), d.name, { list: null, routable: false, search: q || null, offset, limit: INBOX_PAGE });
    } catch (e) {
      replace(tbody, h("tr", {}, h("td", { colspan: 5, class: "form-error" }, ...errorContent(e))));
      return;
    }
    if (ask !== asked) return; // a newer keystroke won
    if (page.rows.length === 0 && offset > 0) {
      // The last row of the last page went: the page before.
      offset = Math.max(0, offset - INBOX_PAGE);
      return drawMembers();
    }
    inboxView.search = q;
    inboxView.offset = offset;
    const rows = page.rows.map(memberRow);
    replace(tbody, rows.length ? rows : h("tr", { class: "empty" }, h("td", { colspan: 5 }, q ? "No member of this inbox matches." : "Nobody is in this inbox yet.")));
    const prev = h("button", { type: "button", id: "inbox-members-prev", disabled: offset === 0 }, "Previous");
    const next = h("button", { type: "button", id: "inbox-members-next", disabled: page.total_capped ? page.rows.length < INBOX_PAGE : offset + INBOX_PAGE >= page.total }, "Next");
    prev.addEventListener("click", () => {
      offset = Math.max(0, offset - INBOX_PAGE);
      void drawMembers();
    });
    next.addEventListener("click", () => {
      offset += INBOX_PAGE;
      void drawMembers();
    });
    replace(pager, h("span", { class: "muted" }, page.total ? `${num(offset + 1)}–${num(offset + page.rows.length)} of ${page.total_capped ? `${num(page.total)}+ members (refine the search)` : plural(page.total, "member")}` : ""), prev, next);
  };
  let typing: number | undefined;
  memberSearch.addEventListener("input", () => {
    offset = 0;
    window.clearTimeout(typing);
    typing = window.setTimeout(() => void drawMembers(), 80);
  });
  const memberRow = (m: InboxMemberView) => {
    // A pending invite holds its place: its inbox changes by editing the invite.
    const remove =
      m.status === "pending"
        ? h("button", { type: "button", class: "link edit-invite", "data-email": m.email, disabled: !state.overview!.can.manage_account, title: state.overview!.can.manage_account ? undefined : "Only the Owner and Admins edit invites" }, "Edit invite")
        : h("button", { type: "button", class: "link remove-member", "data-email": m.email, disabled: !manage, title: manage ? undefined : "Only the Owner, Admins and Managers change who is in an inbox" }, "Remove");
    remove.addEventListener("click", () => void (m.status === "pending" ? openEditInviteFor(m.email) : removeMember(d, m.email)));
    return h(
      "tr",
      { "data-email": m.email },
      h("td", { class: "name", title: m.name }, m.name),
      h("td", { class: "email", title: m.email }, m.email),
      h("td", {}, h("span", { class: `role role-${m.role}` }, roleLabel(m.role))),
      h("td", {}, m.status === "pending" ? h("span", { class: "badge" }, "Pending invite") : "Active"),
      h("td", { class: "actions-cell" }, remove),
    );
  };
  const who = namer(d.people);

  const a = d.conversation_assignment;
  const card = (id: string, title: string, open: () => void, ...body: (HTMLElement | string | null)[]) => {
    const edit = h("button", { type: "button", id: `edit-${id}`, disabled: !manage, title: manage ? undefined : "Only the Owner, Admins and Managers change routing" }, "Edit");
    edit.addEventListener("click", open);
    return h("section", { class: "card setting", id: `card-${id}` }, h("div", { class: "card-head" }, h("h2", {}, title), edit), ...body);
  };
  const flagged = d.ivr.options.filter((o) => o.points_nowhere).length;

  replace(
    page,
    back,
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", { id: "inbox-title" }, d.name), h("p", { class: "muted", title: d.owner }, d.number ?? "Awaiting number", ` · owned by ${d.owner_name}`)),
      h("div", { class: "head-actions" }, d.number ? null : buyNumberCell(d.name), addMe, ...lifecycleActions(d)),
    ),
    h(
      "div",
      { class: "cards routing-cards" },
      card(
        "assignment",
        "Conversation Assignment",
        () => openAssignment(d),
        h("p", {}, a.default_assignee ? "Default assignee (round robin off)" : `Round robin among ${plural(a.count, "member")}, inbound only`),
        h("p", { class: "muted", id: "assignment-next" }, a.default_assignee ? `Every inbound conversation goes to ${who.name(a.default_assignee)}` : a.next.length ? `Next: ${who.names(a.next)}` : "Next conversations: unassigned"),
      ),
      card("ring-group", "Ring Group", () => openRingGroup(d), h("p", {}, `${strategyLabel(d.ring_group.strategy)} for ${d.ring_group.ring_seconds} s`), h("p", { class: "muted" }, d.ring_group.count ? `${plural(d.ring_group.count, "member")}: ${d.ring_group.first.map(who.name).join(", ")}${d.ring_group.count > d.ring_group.first.length ? `, +${num(d.ring_group.count - d.ring_group.first.length)}` : ""}` : "Nobody: calls go to voicemail")),
      card(
        "distribution",
        "Call Distribution",
        () => openDistribution(d),
        h("p", {}, `${plural(d.distribution.groups.length, "group")}, ${d.distribution.total_ring_seconds} s in all`),
        h("p", { class: "muted" }, `Then ${d.distribution.fallthrough === "voicemail" ? "voicemail" : "drop the call"}`),
      ),
      card(
        "ivr",
        "IVR",
        () => openIvr(d),
        h("p", {}, d.ivr.greeting ? `“${d.ivr.greeting}”` : "No greeting"),
        h("p", { class: flagged ? "form-error" : "muted", id: "ivr-summary" }, `${plural(d.ivr.options.length, "option")}${flagged ? `, ${flagged} pointing nowhere` : ""}`),
      ),
    ),
    h("div", { class: "toolbar" }, h("h2", {}, `Members (${num(d.member_count)})`), h("div", { class: "spacer" }), memberSearch, addPicker.element),
    h(
      "div",
      { class: "table-wrap" },
      h("table", { id: "inbox-members" }, h("thead", {}, h("tr", {}, ["Name", "Email", "Role", "Status", ""].map((l) => h("th", { scope: "col" }, l)))), tbody),
    ),
    pager,
    await conversationsSection(d),
  );
  await drawMembers();
}

/// Rows of an inbox's member list drawn at once.
const INBOX_PAGE = 50;

/// Takes a member out of an inbox; while a routing setting still names
/// them, says which (each opens its dialog) and offers to take them off
/// those first, in the same step. From the inbox page (`d`) or a member's.
export async function removeMember(inbox: string | InboxPage, email: string) {
  const name = typeof inbox === "string" ? inbox : inbox.name;
  const pageOf = async () => (typeof inbox === "string" ? await api.inboxPage(scope(), name) : inbox);
  try {
    const r = await api.removeInboxMember(scope(), name, email, false);
    notify(r.message);
    await hooks.changed();
  } catch (e) {
    const { code, message, details } = describe(e);
    if (code !== "member_still_assigned") return notifyError(e);
    const settings = (details as StillAssigned).settings;
    const dlg = dialog("still-assigned-dialog");
    const openers: Record<string, (d: InboxPage) => void> = {
      conversation_assignment: openAssignment,
      ring_group: openRingGroup,
      call_distribution: openDistribution,
      ivr: openIvr,
    };
    const list = h(
      "ul",
      { id: "still-assigned" },
      settings.map((s) => {
        const link = h("button", { type: "button", class: "link", "data-setting": s.setting }, s.label);
        link.addEventListener("click", async () => {
          dlg.close();
          try {
            openers[s.setting]?.(await pageOf());
          } catch (err) {
            notifyError(err);
          }
        });
        return h("li", {}, link);
      }),
    );
    const cancel = h("button", { type: "button" }, "Cancel");
    cancel.addEventListener("click", () => dlg.close());
    const all = h("button", { type: "button", class: "danger", id: "remove-everywhere" }, settings.length === 1 ? "Remove from it, then from the inbox" : `Remove from these ${settings.length}, then from the inbox`);
    all.addEventListener("click", async () => {
      all.disabled = true;
      try {
        const r = await api.removeInboxMember(scope(), name, email, true);
        dlg.close();
        notify(r.message);
        await hooks.changed();
      } catch (err) {
        notifyError(err);
        all.disabled = false;
      }
    });
    replace(dlg, h("h2", {}, `${email} is still assigned in ${name}`), h("p", {}, message), list, h("div", { class: "actions" }, cancel, all));
    dlg.showModal();
  }
}

