// The Members page: Active / Pending tabs, search, role filter, sortable
// columns, a virtualised body paged from the backend, keyboard navigation,
// a row menu, and the invite / edit / accept / revoke / role dialogs.

import { api } from "./api";
import type { InboxView, InviteCheck, InvitePreview, MemberQuery, MemberView, Quote, Role } from "./api";
import { describe, dialogs, hooks, notify, roleLabel, scope, state } from "./context";
import { field, freshDialog, h, money, replace } from "./dom";
import { openDeleteMember, openTransferOwner, reassignPicker } from "./lifecycle";

/// Row height in pixels for the table density preference (the CSS matches).
function rowHeight(): number {
  return document.documentElement.dataset.density === "compact" ? 33 : 41;
}
const PAGE = 100;
const OVERSCAN = 12;
const ROLES: Role[] = ["admin", "manager", "member", "observer"];

type Sort = NonNullable<MemberQuery["sort"]>;

const COLUMNS: { key: Sort | null; label: string }[] = [
  { key: "name", label: "Name" },
  { key: "email", label: "Email" },
  { key: "role", label: "Role" },
  { key: "inboxes", label: "Inboxes" },
  { key: "joined", label: "Joined / invited" },
  { key: null, label: "" },
];

/// Rows fetched so far for the current filters, by page index.
interface Cache {
  generation: number;
  total: number;
  pages: Map<number, MemberView[]>;
  loading: Set<number>;
}

let cache: Cache = { generation: 0, total: 0, pages: new Map(), loading: new Set() };
let selected = 0;
let searchTimer: number | undefined;

function query(offset: number): MemberQuery {
  return {
    status: state.tab,
    role: state.role || null,
    search: state.search || null,
    sort: state.sort,
    descending: state.descending,
    offset,
    limit: PAGE,
  };
}

function rowAt(i: number): MemberView | undefined {
  return cache.pages.get(Math.floor(i / PAGE))?.[i % PAGE];
}

// ------------------------------------------------------------------ page

export async function renderMembers(page: HTMLElement, seatCounter: () => HTMLElement) {
  const o = state.overview!;
  page.classList.add("page-fill");
  const search = h("input", { type: "search", id: "member-search", placeholder: "Search name or email", value: state.search, "aria-label": "Search members" });
  search.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => {
      state.search = search.value;
      void reload();
    }, 80);
  });
  const role = h(
    "select",
    { id: "role-filter", "aria-label": "Role" },
    h("option", { value: "" }, "All roles"),
    (["owner", ...ROLES] as Role[]).map((r) => h("option", { value: r, selected: state.role === r }, roleLabel(r))),
  );
  role.addEventListener("change", () => {
    state.role = role.value as Role | "";
    void reload();
  });
  const canManage = o.can.manage_account;
  const invite = h("button", { type: "button", class: "primary", id: "invite", disabled: !canManage, title: canManage ? "" : "Only the Owner and Admins invite members" }, "Invite members");
  invite.addEventListener("click", () => void openInvite());
  const manage = h("button", { type: "button", class: "secondary", id: "manage-seats", disabled: !canManage }, "Manage seats");
  manage.addEventListener("click", () => dialogs.manageSeats());

  const scroller = h("div", { class: "table-scroll", id: "members-scroll", tabindex: 0, "aria-label": "Members; arrow keys move, Enter opens actions" });
  const table = h(
    "table",
    { id: "members-table", class: "members", "aria-rowcount": 0 },
    h("thead", {}, h("tr", {}, COLUMNS.map((c) => headerCell(c.key, c.label)))),
    h("tbody", {}),
  );
  scroller.appendChild(table);
  scroller.addEventListener("scroll", () => scheduleDraw());
  scroller.addEventListener("keydown", onKey);

  replace(
    page,
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", {}, "Members"), h("p", { class: "muted" }, o.account.name)),
      h("div", { class: "head-actions" }, seatCounter(), manage, invite),
    ),
    h("div", { class: "toolbar" }, h("div", { class: "tabs", role: "tablist", id: "member-tabs" }), h("div", { class: "spacer" }), search, role),
    h("div", { class: "table-wrap fill" }, scroller),
    h("div", { class: "table-foot muted", id: "members-count" }),
  );
  new ResizeObserver(() => scheduleDraw()).observe(scroller);
  await reload();
}

function headerCell(key: Sort | null, label: string) {
  if (!key) return h("th", { scope: "col" }, label);
  const sorted = state.sort === key;
  const button = h("button", { type: "button", class: "sort", "data-sort": key }, label, h("span", { class: "arrow", "aria-hidden": "true" }, sorted ? (state.descending ? "▼" : "▲") : ""));
  button.addEventListener("click", () => {
    if (state.sort === key) state.descending = !state.descending;
    else {
      state.sort = key;
      state.descending = false;
    }
    document.querySelectorAll("#members-table thead th").forEach((th) => th.setAttribute("aria-sort", "none"));
    document.querySelectorAll("#members-table thead .arrow").forEach((a) => (a.textContent = ""));
    button.parentElement!.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
    button.querySelector(".arrow")!.textContent = state.descending ? "▼" : "▲";
    void reload();
  });
  return h("th", { scope: "col", "aria-sort": sorted ? (state.descending ? "descending" : "ascending") : "none" }, button);
}

/// Starts over with the current filters: first page, top of the list.
export async function reload() {
  cache = { generation: cache.generation + 1, total: 0, pages: new Map(), loading: new Set() };
  selected = 0;
  const scroller = document.getElementById("members-scroll");
  if (scroller) scroller.scrollTop = 0;
  await fetchPage(0, cache.generation);
}

async function fetchPage(index: number, generation: number) {
  if (cache.pages.has(index) || cache.loading.has(index)) return;
  cache.loading.add(index);
  try {
    const result = await api.listMembers(scope(), query(index * PAGE));
    if (generation !== cache.generation) return; // the filters changed meanwhile
    cache.total = result.total;
    cache.pages.set(index, result.rows);
    renderTabs(result.active_count, result.pending_count);
    const count = document.getElementById("members-count");
    if (count) {
      const n = `${result.total.toLocaleString("en-US")}${result.total_capped ? "+" : ""}`;
      count.textContent = `${n} ${result.total === 1 ? "member" : "members"}${result.total_capped ? " (showing the first 10,000: refine the search)" : ""}`;
    }
    draw();
  } catch (e) {
    const tbody = document.querySelector("#members-table tbody");
    if (tbody) replace(tbody, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "form-error" }, describe(e).message)));
  } finally {
    cache.loading.delete(index);
  }
}

let drawQueued = false;
function scheduleDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(() => {
    drawQueued = false;
    draw();
  });
}

/// Renders only the rows in view (plus a margin) between two spacers.
function draw() {
  const scroller = document.getElementById("members-scroll");
  const tbody = document.querySelector<HTMLTableSectionElement>("#members-table tbody");
  if (!scroller || !tbody) return;
  const total = cache.total;
  document.getElementById("members-table")!.setAttribute("aria-rowcount", String(total + 1));
  if (total === 0) {
    const empty = state.search || state.role ? "No members match." : state.tab === "pending" ? "No pending invites." : "No active members.";
    replace(tbody, h("tr", { class: "empty" }, h("td", { colspan: COLUMNS.length }, cache.pages.size ? empty : "Loading…")));
    return;
  }
  const visible = Math.ceil(scroller.clientHeight / rowHeight());
  const first = Math.max(0, Math.floor(scroller.scrollTop / rowHeight()) - OVERSCAN);
  const last = Math.min(total, first + visible + 2 * OVERSCAN);
  for (let p = Math.floor(first / PAGE); p <= Math.floor((last - 1) / PAGE); p++) void fetchPage(p, cache.generation);
  const rows: HTMLElement[] = [];
  const top = h("tr", { class: "spacer", "aria-hidden": "true" });
  top.style.height = `${first * rowHeight()}px`;
  rows.push(top);
  for (let i = first; i < last; i++) {
    const m = rowAt(i);
    rows.push(m ? memberRow(m, i) : h("tr", { class: "placeholder" }, h("td", { colspan: COLUMNS.length }, "Loading…")));
  }
  const bottom = h("tr", { class: "spacer", "aria-hidden": "true" });
  bottom.style.height = `${(total - last) * rowHeight()}px`;
  rows.push(bottom);
  const hadFocus = tbody.contains(document.activeElement);
  replace(tbody, rows);
  if (hadFocus) focusRow(false);
}

function renderTabs(active: number, pending: number) {
  const tabs = document.getElementById("member-tabs");
  if (!tabs) return;
  const tab = (key: "active" | "pending", label: string, count: number) => {
    const b = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-selected": String(state.tab === key) }, `${label} (${count.toLocaleString("en-US")})`);
    b.addEventListener("click", () => {
      state.tab = key;
      void reload();
    });
    return b;
  };
  replace(tabs, tab("active", "Active", active), tab("pending", "Pending", pending));
}

function memberRow(m: MemberView, index: number) {
  const date = m.status === "active" ? m.joined_on : m.invited_on;
  const more = h("button", { type: "button", class: "row-menu-button", "aria-label": `Actions for ${m.email}`, "aria-haspopup": "menu", tabindex: -1 }, "⋯");
  more.addEventListener("click", (ev) => {
    ev.stopPropagation();
    selected = index;
    openRowMenu(m, more);
  });
  const tr = h(
    "tr",
    { "data-email": m.email, "data-index": index, "aria-rowindex": index + 2, "aria-selected": String(index === selected), tabindex: -1 },
    h("td", { class: "name" }, m.name),
    h("td", { class: "email" }, m.email),
    h("td", {}, h("span", { class: `role role-${m.role}` }, roleLabel(m.role))),
    h("td", { class: "inboxes" }, m.inboxes.join(", ")),
    h("td", { class: "date" }, date ? (m.status === "pending" ? `Invited ${date}${m.resend_count ? ` · resent ${m.resend_count}×` : ""}` : date) : ""),
    h("td", { class: "actions-cell" }, more),
  );
  tr.addEventListener("click", () => {
    selected = index;
    focusRow(true);
  });
  return tr;
}

function focusRow(scroll: boolean) {
  const scroller = document.getElementById("members-scroll")!;
  if (scroll) {
    const top = selected * rowHeight();
    const header = rowHeight();
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowHeight() + header > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + rowHeight() + header - scroller.clientHeight;
    draw();
  }
  document.querySelectorAll("#members-table tbody tr[aria-selected='true']").forEach((r) => r.setAttribute("aria-selected", "false"));
  const row = document.querySelector<HTMLElement>(`#members-table tbody tr[data-index='${selected}']`);
  if (row) {
    row.setAttribute("aria-selected", "true");
    row.focus({ preventScroll: true });
  }
}

function onKey(ev: KeyboardEvent) {
  const total = cache.total;
  if (total === 0) return;
  const page = Math.max(1, Math.floor(document.getElementById("members-scroll")!.clientHeight / rowHeight()) - 1);
  const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
  if (ev.key in moves) selected = Math.min(total - 1, Math.max(0, selected + moves[ev.key]));
  else if (ev.key === "Home") selected = 0;
  else if (ev.key === "End") selected = total - 1;
  else if (ev.key === "Enter" || ev.key === "ContextMenu" || (ev.key === "F10" && ev.shiftKey)) {
    const m = rowAt(selected);
    const button = document.querySelector<HTMLElement>(`#members-table tbody tr[data-index='${selected}'] .row-menu-button`);
    if (m && button) openRowMenu(m, button);
    ev.preventDefault();
    return;
  } else return;
  ev.preventDefault();
  focusRow(true);
}

// ------------------------------------------------------------------ row menu

function canManage() {
  return state.overview!.can.manage_account;
}

function openRowMenu(m: MemberView, anchor: HTMLElement) {
  document.getElementById("row-menu")?.remove();
  // [label, action, why it is disabled (null: enabled)]
  const items: [string, () => void, string | null][] = [];
  if (canManage()) {
    if (m.status === "pending") {
      items.push(["Edit invite", () => openEditInvite(m), null], ["Resend invite", () => void resend(m), null], ["Mark accepted", () => openAccept(m), null], ["Revoke invite", () => openRevoke(m), null]);
    } else if (m.role !== "owner") {
      // Nobody deletes or demotes themselves (the backend refuses it too).
      const self = m.email === state.overview!.acting_as.email ? "Another Owner or Admin changes your own membership" : null;
      items.push(["Change role", () => openChangeRole(m), self], ["Delete Member", () => void openDeleteMember(m), self]);
    }
  }
  // The account asks (whoever manages it: its Owner or an Admin); support carries it out.
  if (state.support && m.status === "active" && m.role !== "owner") {
    const why = canManage() ? null : "The account's Owner or an Admin must be acting to ask for an owner transfer";
    items.push(["Transfer ownership", () => openTransferOwner(m), why]);
  }
  if (items.length === 0) items.push([m.role === "owner" ? "The Owner changes only by a support transfer" : "Only the Owner and Admins change members", () => {}, null]);
  const menu = h("div", { id: "row-menu", class: "menu", role: "menu", "aria-label": `Actions for ${m.email}` });
  for (const [label, run, why] of items) {
    const item = h("button", { type: "button", role: "menuitem", "data-action": label, disabled: why !== null, title: why ?? undefined }, label);
    item.addEventListener("click", () => {
      close();
      run();
    });
    menu.appendChild(item);
  }
  const close = () => {
    menu.remove();
    document.removeEventListener("mousedown", outside, true);
    anchor.closest("tr")?.focus();
  };
  const outside = (ev: MouseEvent) => {
    if (!menu.contains(ev.target as Node)) close();
  };
  menu.addEventListener("keydown", (ev) => {
    const buttons = [...menu.querySelectorAll<HTMLButtonElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (ev.key === "Escape") close();
    else if (ev.key === "ArrowDown") buttons[(at + 1) % buttons.length].focus();
    else if (ev.key === "ArrowUp") buttons[(at - 1 + buttons.length) % buttons.length].focus();
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  });
  document.body.appendChild(menu);
  const rect = anchor.getBoundingClientRect();
  menu.style.top = `${Math.min(rect.bottom + 4, window.innerHeight - menu.offsetHeight - 8)}px`;
  menu.style.left = `${Math.max(8, rect.right - menu.offsetWidth)}px`;
  document.addEventListener("mousedown", outside, true);
  menu.querySelector<HTMLButtonElement>("button")?.focus();
}

// ------------------------------------------------------------------ dialogs

/// A dialog that hands the focus back to the table when it closes.
function dialog(id: string): HTMLDialogElement {
  const d = freshDialog(id);
  d.addEventListener("close", () => document.getElementById("members-scroll")?.focus());
  return d;
}

function roleSelect(id: string, value: Role) {
  return h("select", { id }, ROLES.map((r) => h("option", { value: r, selected: r === value }, roleLabel(r))));
}

async function inboxSelect(id: string, value?: string) {
  const inboxes: InboxView[] = await api.listInboxes(scope()).catch(() => []);
  return h("select", { id }, inboxes.map((i) => h("option", { value: i.name, selected: i.name === value }, i.number ? `${i.name} (${i.number})` : `${i.name} (awaiting number)`)));
}

async function changed(message: string) {
  notify(message);
  await hooks.changed();
}

async function resend(m: MemberView) {
  try {
    const r = await api.resendInvite(scope(), m.email);
    await changed(`Invite resent to ${r.email} (${r.resend_count} ${r.resend_count === 1 ? "resend" : "resends"}).`);
  } catch (e) {
    notify(describe(e).message);
  }
}

function confirmDialog(id: string, title: string, body: (HTMLElement | string)[], action: string, run: () => Promise<void>, danger = false) {
  const d = dialog(id);
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

function openRevoke(m: MemberView) {
  confirmDialog("revoke-dialog", "Revoke invite", [`Revoke the invite to ${m.email}? Their reserved seat becomes unassigned and their place in ${m.inboxes.join(", ") || "the inbox"} is dropped.`], "Revoke invite", async () => {
    await api.revokeInvite(scope(), m.email);
    await changed(`Invite to ${m.email} revoked.`);
  }, true);
}

function openAccept(m: MemberView) {
  const name = h("input", { id: "accept-name", value: m.name, "aria-label": "Name" });
  confirmDialog("accept-dialog", "Mark invite accepted", [`Record that ${m.email} confirmed their invite. They move to Active.`, field("Their name", name)], "Mark accepted", async () => {
    await api.acceptInvite(scope(), m.email, name.value);
    await changed(`${m.email} is now active.`);
  });
  name.select();
}

/// "Edit invite" from elsewhere (the inbox page's pending rows).
export async function openEditInviteFor(email: string) {
  try {
    const held = await api.memberHoldings(scope(), email);
    await openEditInvite(held.member);
  } catch (e) {
    notify(describe(e).message);
  }
}

async function openEditInvite(m: MemberView) {
  const email = h("input", { id: "edit-email", value: m.email });
  const role = roleSelect("edit-role", m.role);
  const inbox = await inboxSelect("edit-inbox", m.inboxes[0]);
  confirmDialog("edit-dialog", "Edit invite", [h("div", { class: "row" }, field("Email", email)), h("div", { class: "row" }, field("Role", role), field("Inbox", inbox))], "Save", async () => {
    await api.editInvite(scope(), m.email, {
      email: email.value !== m.email ? email.value : null,
      role: role.value as Role,
      inbox: inbox.value && inbox.value !== m.inboxes[0] ? inbox.value : null,
    });
    await changed("Invite updated.");
  });
}

function openChangeRole(m: MemberView) {
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
    await api.changeRole(scope(), m.email, role.value as Role, seat, reassign.hidden ? null : picker.input.value || null);
    await changed(`${m.email} is now ${roleLabel(role.value as Role)}.`);
  });
}

// ------------------------------------------------------------------ invite

const OUTCOME_TEXT: Record<InviteCheck["outcome"], string> = {
  ok: "",
  invalid_email: "not a valid address",
  duplicate_in_batch: "listed twice",
  already_member: "already a member",
  inbox_name_taken: "an inbox has this name",
};

export async function openInvite() {
  const d = dialog("invite-dialog");
  let emails: string[] = [];
  let preview: InvitePreview | null = null;
  let shortfallQuote: Quote | null = null;
  let timer: number | undefined;

  const chips = h("div", { class: "chips", id: "invite-chips" });
  const input = h("input", { id: "invite-input", placeholder: "name@company.com, …", "aria-label": "Email addresses", autocomplete: "off" });
  const box = h("div", { class: "chip-box" }, chips, input);
  box.addEventListener("click", () => input.focus());
  const role = roleSelect("invite-role", state.prefs.default_role && state.prefs.default_role !== "owner" ? state.prefs.default_role : "member");
  const existing = h("input", { type: "radio", name: "inbox-kind", value: "existing", id: "invite-existing", checked: true });
  const fresh = h("input", { type: "radio", name: "inbox-kind", value: "new", id: "invite-new-inbox" });
  const inbox = await inboxSelect("invite-inbox");
  if (inbox.options.length === 0) {
    existing.disabled = true;
    fresh.checked = true;
  }
  const seatsLine = h("div", { class: "quote", id: "invite-seats", "aria-live": "polite" });
  const error = h("p", { class: "form-error", role: "alert", id: "invite-error" });
  const send = h("button", { type: "button", class: "primary", id: "invite-send", disabled: true }, "Send invites");
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());

  const takeInput = () => {
    const parts = input.value.split(/[\s,;]+/).filter(Boolean);
    if (parts.length) {
      emails.push(...parts);
      input.value = "";
      schedule();
    }
  };
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" || ev.key === "," || ev.key === " " || ev.key === ";" || ev.key === "Tab") {
      if (input.value.trim()) {
        ev.preventDefault();
        takeInput();
      }
    } else if (ev.key === "Backspace" && input.value === "" && emails.length) {
      emails.pop();
      schedule();
    }
  });
  input.addEventListener("paste", () => window.setTimeout(takeInput, 0));
  input.addEventListener("blur", takeInput);
  for (const el of [role, existing, fresh, inbox]) el.addEventListener("change", () => schedule());

  function schedule() {
    drawChips();
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void check(), 120);
  }

  function drawChips() {
    replace(
      chips,
      emails.map((email, i) => {
        const verdict = preview?.report[i];
        const bad = verdict && verdict.outcome !== "ok";
        const remove = h("button", { type: "button", class: "chip-x", "aria-label": `Remove ${email}` }, "×");
        remove.addEventListener("click", (ev) => {
          ev.stopPropagation();
          emails.splice(i, 1);
          schedule();
        });
        return h("span", { class: bad ? "chip bad" : "chip", title: bad ? OUTCOME_TEXT[verdict.outcome] : "", "data-outcome": verdict?.outcome ?? "pending" }, email, remove);
      }),
    );
  }

  async function check() {
    error.textContent = "";
    shortfallQuote = null;
    send.disabled = true;
    if (emails.length === 0) {
      preview = null;
      replace(seatsLine);
      drawChips();
      return;
    }
    try {
      preview = await api.previewInvites(scope(), emails, role.value as Role, fresh.checked);
    } catch (e) {
      error.textContent = describe(e).message;
      return;
    }
    drawChips();
    const bad = preview.report.filter((c) => c.outcome !== "ok");
    if (bad.length) {
      replace(seatsLine, h("p", { class: "form-error" }, `${bad.length} of ${preview.report.length} cannot be invited: `, bad.map((c) => `${c.email} (${OUTCOME_TEXT[c.outcome]})`).join(", "), ". Fix or remove them to send."));
      return;
    }
    const n = preview.report.length;
    const shortfall = preview.needed - preview.free;
    if (shortfall > 0) {
      try {
        shortfallQuote = await api.quoteSeats(scope(), shortfall);
      } catch (e) {
        error.textContent = describe(e).message;
        return;
      }
      const q = shortfallQuote;
      replace(
        seatsLine,
        h("p", { class: "warning", id: "invite-shortfall" }, `${preview.needed} seat${preview.needed === 1 ? " is" : "s are"} needed and ${preview.free} unassigned: ${shortfall} more must be bought.`),
        h("div", { class: "quote-line" }, h("span", {}, `Buy ${shortfall} seat${shortfall === 1 ? "" : "s"} now`), h("strong", { id: "invite-quote-due" }, money(q.due_now_cents, q.currency)), h("small", {}, `${q.days_remaining} of ${q.period_days} days left in this period`)),
        h("div", { class: "quote-line" }, h("span", {}, "New renewal total"), h("strong", {}, money(q.renewal_total_cents, q.currency)), h("small", {}, `from ${q.renews_on}`)),
      );
      send.textContent = `Buy ${shortfall} seat${shortfall === 1 ? "" : "s"} and send ${n} invite${n === 1 ? "" : "s"}`;
    } else {
      replace(seatsLine, h("p", { class: "muted" }, preview.needed ? `Uses ${preview.needed} of ${preview.free} unassigned seats.` : "Observers take no seat."));
      send.textContent = `Send ${n} invite${n === 1 ? "" : "s"}`;
    }
    send.disabled = false;
  }

  send.addEventListener("click", async () => {
    takeInput();
    send.disabled = true;
    try {
      const result = await api.inviteMembers(scope(), {
        emails,
        role: role.value as Role,
        inbox: fresh.checked ? null : inbox.value,
        new_inbox: fresh.checked,
        buy_shortfall_quote: shortfallQuote?.quote_id ?? null,
      });
      d.close();
      state.tab = "pending";
      await changed(`${result.invited.length} invite${result.invited.length === 1 ? "" : "s"} sent${result.purchase ? `; bought ${result.purchase.quote.quantity} seats` : ""}.`);
    } catch (e) {
      const { code, message } = describe(e);
      error.textContent = code === "quote_stale" ? "The seat price changed since this quote; review the new one. Nothing was charged." : message;
      await check();
    }
  });

  replace(
    d,
    h("h2", {}, "Invite members"),
    h("p", { class: "muted" }, "Paste one or many addresses: commas, spaces and new lines all separate them."),
    box,
    h("div", { class: "row" }, field("Role", role)),
    h(
      "fieldset",
      { class: "inbox-choice" },
      h("legend", {}, "Inbox"),
      h("label", {}, existing, " Existing Inbox "),
      inbox,
      h("label", {}, fresh, " New Inbox (they buy its number)"),
    ),
    seatsLine,
    error,
    h("div", { class: "actions" }, cancel, send),
  );
  d.showModal();
  input.focus();
}
