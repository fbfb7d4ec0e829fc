// The Members page: Active / Pending tabs, search, role filter, sortable
// columns, a virtualised body paged from the backend and keyboard
// navigation. The row menu, the member dialogs and the invite dialog are
// beside it (row_menu.ts, actions.ts, invite.ts).

import { api } from "../api";
import type { MemberQuery, MemberView, Role } from "../api";
import { dialogs, notify, roleLabel, scope, state } from "../context";
import { confirmDialog, errorContent } from "../kit";
import { h, replace } from "../dom";
import { openInvite } from "./invite";
import { drawBulkBar } from "./bulk";
import { openMemberPage } from "./page";
import { openRowMenu } from "./row_menu";

/// Row height in pixels for the table density preference (the CSS matches).
function rowHeight(): number {
  return document.documentElement.dataset.density === "compact" ? 33 : 41;
}
const PAGE = 100;
const OVERSCAN = 12;
export const ROLES: Role[] = ["admin", "manager", "member", "observer"];

type Sort = NonNullable<MemberQuery["sort"]>;

const COLUMNS: { key: Sort | null; label: string }[] = [
  { key: null, label: "pick" },
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
  /// Why a page did not read (shown instead of the rows).
  failed: unknown | null;
}

let cache: Cache = { generation: 0, total: 0, pages: new Map(), loading: new Set(), failed: null };
/// The row the keyboard is on.
let selected = 0;
/// The rows picked for a bulk action (bulk.ts): addresses, or every member
/// matching the filters; `anchor` is where a Shift-click range starts.
const picked = { emails: new Set<string>(), all: false, anchor: 0, under: "" };

function isPicked(email: string) {
  return picked.all || picked.emails.has(email);
}

function togglePick(m: MemberView, index: number) {
  if (picked.all) {
    // From "all matching" to the loaded rows but this one.
    picked.all = false;
    for (const page of cache.pages.values()) for (const r of page) picked.emails.add(r.email);
  }
  if (picked.emails.has(m.email)) picked.emails.delete(m.email);
  else picked.emails.add(m.email);
  picked.anchor = index;
  pickChanged();
}

function pickRange(to: number) {
  const [a, b] = [Math.min(picked.anchor, to), Math.max(picked.anchor, to)];
  for (let i = a; i <= b; i++) {
    const m = rowAt(i);
    if (m) picked.emails.add(m.email);
  }
  pickChanged();
}

function clearPicks() {
  picked.emails.clear();
  picked.all = false;
  pickChanged();
}

function pickChanged() {
  const bar = document.getElementById("bulk-bar");
  if (bar) {
    drawBulkBar(bar, {
      count: picked.all ? cache.total : picked.emails.size,
      total: cache.total,
      all: picked.all,
      selection: () => (picked.all ? { emails: [], matching: { ...query(0), offset: null, limit: null } } : { emails: [...picked.emails], matching: null }),
      clear: clearPicks,
      selectAll: () => {
        picked.all = true;
        pickChanged();
      },
    });
  }
  const head = document.getElementById("pick-all") as HTMLInputElement | null;
  if (head) {
    head.checked = picked.all || (cache.total > 0 && picked.emails.size >= cache.total);
    head.indeterminate = !head.checked && picked.emails.size > 0;
  }
  document.querySelectorAll<HTMLTableRowElement>("#members-table tbody tr[data-email]").forEach((tr) => {
    const on = isPicked(tr.dataset.email!);
    tr.classList.toggle("picked", on);
    const box = tr.querySelector<HTMLInputElement>("input.pick");
    if (box) box.checked = on;
  });
}
let searchTimer: number | undefined;

function query(offset: number): MemberQuery {
  return {
    status: state.tab,
    role: state.role || null,
    search: state.search || null,
    pending_days: state.tab === "pending" ? state.pendingDays : null,
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
  // Invites that have waited: on the Pending tab, by how long since last
  // sent, and a resend of them all in one step.
  const age = h(
    "select",
    { id: "pending-age", "aria-label": "Last sent", hidden: state.tab !== "pending" },
    h("option", { value: "" }, "Any time"),
    [7, 30].map((d) => h("option", { value: String(d), selected: state.pendingDays === d }, `Sent over ${d} days ago`)),
  );
  age.addEventListener("change", () => {
    state.pendingDays = age.value ? Number(age.value) : null;
    void renderMembers(page, seatCounter);
  });
  const stale = state.tab === "pending" && state.pendingDays !== null;
  const resendAll = h("button", { type: "button", id: "resend-stale", hidden: !stale, disabled: !o.can.manage_account, title: o.can.manage_account ? undefined : "Only the Owner and Admins resend invites" }, "Resend all shown");
  resendAll.addEventListener("click", () => {
    const days = state.pendingDays ?? 0;
    confirmDialog(
      "resend-stale-dialog",
      `Resend the invites sent over ${days} days ago?`,
      ["Seatdesk sends no email: this records a resend of each and stamps it now. Send each person the invitation yourself (the list follows)."],
      "Record resends",
      async () => {
        const resent = await api.resendStale(scope(), days);
        notify(resent.length ? `Resend recorded for ${resent.length} invites: ${resent.slice(0, 5).join(", ")}${resent.length > 5 ? ", …" : ""}. Send them the invitation yourself.` : "No invite has waited that long.");
        await reload();
      },
    );
  });
  const canManage = o.can.manage_account;
  const invite = h("button", { type: "button", class: "primary", id: "invite", disabled: !canManage, title: canManage ? undefined : "Only the Owner and Admins invite members" }, "Invite members");
  invite.addEventListener("click", () => void openInvite());
  const manage = h("button", { type: "button", class: "secondary", id: "manage-seats", disabled: !canManage, title: canManage ? undefined : "Only the Owner and Admins buy and remove seats" }, "Manage seats");
  manage.addEventListener("click", () => dialogs.manageSeats());

  const scroller = h("div", { class: "table-scroll", id: "members-scroll", tabindex: 0, "aria-label": "Members; arrow keys move, Enter opens the member's page, Space selects, the Menu key opens actions" });
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
    h("div", { class: "toolbar" }, h("div", { class: "tabs", role: "tablist", id: "member-tabs" }), age, resendAll, h("div", { class: "spacer" }), search, role),
    h("div", { class: "table-wrap fill" }, scroller),
    // Under the table: appearing with the first pick, it moves no row (above
    // the table it pushed every row down, and a Shift-click aimed at a row
    // seen before landed on another; found by trying).
    h("div", { class: "bulk-bar", id: "bulk-bar", hidden: true, role: "region", "aria-label": "Selected members" }),
    h("div", { class: "table-foot muted", id: "members-count" }),
  );
  new ResizeObserver(() => scheduleDraw()).observe(scroller);
  await reload();
}

function headerCell(key: Sort | null, label: string) {
  if (label === "pick") {
    const all = h("input", { type: "checkbox", id: "pick-all", "aria-label": "Select every member matching" });
    all.addEventListener("change", () => {
      if (all.checked) {
        picked.all = true;
        pickChanged();
      } else clearPicks();
    });
    return h("th", { scope: "col", class: "pick-cell" }, all);
  }
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
  cache = { generation: cache.generation + 1, total: 0, pages: new Map(), loading: new Set(), failed: null };
  selected = 0;
  // Picks belong to the filters they were made under: a refresh (another
  // window's change, a dialog's) keeps them; new filters let them go.
  const under = JSON.stringify(query(0));
  if (under !== picked.under) {
    picked.emails.clear();
    picked.all = false;
    picked.anchor = 0;
    picked.under = under;
  }
  pickChanged();
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
    if (picked.all && index === 0) pickChanged();
    const count = document.getElementById("members-count");
    if (count) {
      const n = `${result.total.toLocaleString("en-US")}${result.total_capped ? "+" : ""}`;
      count.textContent = `${n} ${result.total === 1 ? "member" : "members"}${result.total_capped ? " (counted up to 10,000: narrow the search or filters)" : ""}`;
    }
    // Drawn with the next frame (once, whatever else asked for one).
    scheduleDraw();
  } catch (e) {
    // Kept, so that a draw meanwhile shows it rather than "Loading…" (found
    // by trying: a page that did not read stayed "Loading…" for good).
    if (generation === cache.generation) cache.failed = e;
    scheduleDraw();
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

/// The rows in the table body, by index, with what each shows: a scroll
/// keeps the rows still in view and adds or drops those at the ends,
/// instead of building every row again each frame (which dropped frames on
/// a 72 540-member table).
let drawn = new Map<number, { tr: HTMLElement; m: MemberView | undefined; picked: boolean }>();
let spacers: { top: HTMLElement; bottom: HTMLElement } | null = null;

/// Renders only the rows in view (plus a margin) between two spacers.
function draw() {
  const scroller = document.getElementById("members-scroll");
  const tbody = document.querySelector<HTMLTableSectionElement>("#members-table tbody");
  if (!scroller || !tbody) return;
  const total = cache.total;
  document.getElementById("members-table")!.setAttribute("aria-rowcount", String(total + 1));
  if (cache.failed !== null) {
    replace(tbody, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "form-error", id: "members-failed" }, ...errorContent(cache.failed))));
    return;
  }
  if (total === 0) {
    const empty = state.search || state.role ? "No members match." : state.tab === "pending" ? "No pending invites." : "No active members.";
    replace(tbody, h("tr", { class: "empty" }, h("td", { colspan: COLUMNS.length }, cache.pages.size ? empty : "Loading…")));
    return;
  }
  const visible = Math.ceil(scroller.clientHeight / rowHeight());
  const first = Math.max(0, Math.floor(scroller.scrollTop / rowHeight()) - OVERSCAN);
  const last = Math.min(total, first + visible + 2 * OVERSCAN);
  // The pages in view, and the next (or the one before) once within half a
  // page of it: asked for before its rows scroll in, so a steady scroll
  // meets rows, not "Loading…".
  const from = Math.floor(Math.max(0, first - PAGE / 2) / PAGE);
  const to = Math.floor((Math.min(total, last + PAGE / 2) - 1) / PAGE);
  for (let p = from; p <= to; p++) void fetchPage(p, cache.generation);
  // The body is the two spacers and the rows between them; anything else
  // in it (a message, an error) is replaced.
  if (!spacers || spacers.top.parentNode !== tbody) {
    spacers = { top: h("tr", { class: "spacer", "aria-hidden": "true" }), bottom: h("tr", { class: "spacer", "aria-hidden": "true" }) };
    replace(tbody, spacers.top, spacers.bottom);
    drawn = new Map();
  }
  const hadFocus = tbody.contains(document.activeElement);
  const next = new Map<number, { tr: HTMLElement; m: MemberView | undefined; picked: boolean }>();
  for (let i = first; i < last; i++) {
    const m = rowAt(i);
    const pick = m ? isPicked(m.email) : false;
    const old = drawn.get(i);
    if (old && old.m === m && old.picked === pick) {
      if (m) old.tr.setAttribute("aria-selected", String(i === selected));
      next.set(i, old);
    } else {
      next.set(i, { tr: m ? memberRow(m, i) : h("tr", { class: "placeholder" }, h("td", { colspan: COLUMNS.length }, "Loading…")), m, picked: pick });
    }
  }
  for (const [i, row] of drawn) if (next.get(i) !== row) row.tr.remove();
  // The rows kept are still in order: each new one goes in where it falls.
  let cursor: ChildNode | null = spacers.top.nextSibling;
  for (let i = first; i < last; i++) {
    const tr = next.get(i)!.tr;
    if (cursor === tr) cursor = tr.nextSibling;
    else tbody.insertBefore(tr, cursor);
  }
  drawn = next;
  spacers.top.style.height = `${first * rowHeight()}px`;
  spacers.bottom.style.height = `${(total - last) * rowHeight()}px`;
  if (hadFocus) focusRow(false);
}

function renderTabs(active: number, pending: number) {
  const tabs = document.getElementById("member-tabs");
  if (!tabs) return;
  const tab = (key: "active" | "pending", label: string, count: number) => {
    const b = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-selected": String(state.tab === key) }, `${label} (${count.toLocaleString("en-US")})`);
    b.addEventListener("click", () => {
      state.tab = key;
      // The age filter belongs to the Pending tab.
      const age = document.getElementById("pending-age");
      const resend = document.getElementById("resend-stale");
      if (age) age.hidden = key !== "pending";
      if (resend) resend.hidden = key !== "pending" || state.pendingDays === null;
      void reload();
    });
    return b;
  };
  replace(tabs, tab("active", "Active", active), tab("pending", "Pending", pending));
}

/// "Sent today", "Sent 3 days ago", "Sent 4 months ago": short enough for the
/// narrowest window (on this computer's clock, as the sending was stamped).
function lastSent(at: string | null): string {
  if (!at) return "Never sent";
  const days = Math.floor((Date.now() - Date.parse(at)) / 86_400_000);
  if (days <= 0) return "Sent today";
  if (days === 1) return "Sent yesterday";
  if (days < 60) return `Sent ${days} days ago`;
  if (days < 730) return `Sent ${Math.floor(days / 30)} months ago`;
  return `Sent ${Math.floor(days / 365)} years ago`;
}

function memberRow(m: MemberView, index: number) {
  const date = m.status === "active" ? m.joined_on : m.invited_on;
  const more = h("button", { type: "button", class: "row-menu-button", "aria-label": `Actions for ${m.email}`, "aria-haspopup": "menu", tabindex: -1 }, "⋯");
  more.addEventListener("click", (ev) => {
    ev.stopPropagation();
    selected = index;
    openRowMenu(m, more);
  });
  const pick = h("input", { type: "checkbox", class: "pick", tabindex: -1, "aria-label": `Select ${m.email}`, checked: isPicked(m.email) });
  pick.addEventListener("click", (ev) => {
    ev.stopPropagation();
    selected = index;
    if (ev.shiftKey) pickRange(index);
    else togglePick(m, index);
  });
  const open = h("button", { type: "button", class: "link member-link", tabindex: -1, title: `${m.name}: open their page` }, m.name);
  open.addEventListener("click", (ev) => {
    ev.stopPropagation();
    openMemberPage(m.email);
  });
  const tr = h(
    "tr",
    { "data-email": m.email, "data-index": index, "aria-rowindex": index + 2, "aria-selected": String(index === selected), class: isPicked(m.email) ? "picked" : undefined, tabindex: -1 },
    h("td", { class: "pick-cell" }, pick),
    h("td", { class: "name", title: m.name }, open),
    h("td", { class: "email", title: m.email }, m.email),
    h("td", { class: "role-cell" }, h("span", { class: `role role-${m.role}` }, roleLabel(m.role))),
    h("td", { class: "inboxes", title: m.inboxes.join(", ") }, m.inboxes.join(", ")),
    m.status === "pending"
      ? h(
          "td",
          { class: "date", title: `Invited ${date}${m.resend_count ? `; ${m.resend_count === 1 ? "1 resend" : `${m.resend_count} resends`} recorded` : ""}; last sent ${m.last_sent_at ?? "never"}` },
          // How long the invite has waited is what an owner acts on; the
          // day it was first sent is in the tooltip.
          h("span", { class: "last-sent" }, lastSent(m.last_sent_at)),
          m.resend_count ? h("span", { class: "resends" }, ` · ${m.resend_count}×`) : null,
        )
      : h("td", { class: "date" }, date ?? ""),
    h("td", { class: "actions-cell" }, more),
  );
  tr.addEventListener("click", (ev) => {
    // Ctrl-click adds or takes one row; Shift-click a range from the last.
    if (ev.ctrlKey || ev.metaKey) togglePick(m, index);
    else if (ev.shiftKey) pickRange(index);
    selected = index;
    focusRow(true);
  });
  tr.addEventListener("dblclick", () => openMemberPage(m.email));
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
  else if (ev.key === " ") {
    // Space picks the row (Shift+Space: a range up to it).
    const m = rowAt(selected);
    if (m && ev.shiftKey) pickRange(selected);
    else if (m) togglePick(m, selected);
    ev.preventDefault();
    return;
  } else if (ev.key === "Escape" && (picked.all || picked.emails.size)) {
    clearPicks();
    ev.preventDefault();
    return;
  } else if (ev.key === "Enter") {
    const m = rowAt(selected);
    if (m) openMemberPage(m.email);
    ev.preventDefault();
    return;
  } else if (ev.key === "ContextMenu" || (ev.key === "F10" && ev.shiftKey)) {
    const m = rowAt(selected);
    const button = document.querySelector<HTMLElement>(`#members-table tbody tr[data-index='${selected}'] .row-menu-button`);
    if (m && button) openRowMenu(m, button);
    ev.preventDefault();
    return;
  } else return;
  ev.preventDefault();
  focusRow(true);
}

