// The support desk (issue #22): every account at a glance, the window's
// first page when the database holds several, and a member found in any
// account (Ctrl+K). Opening an account (or a member found) is the shell's:
// `desk.open` is set by main.ts.

import { api } from "./api";
import type { Desk, DeskAccount, DeskCheck, FoundMember } from "./api";
import { roleLabel } from "./context";
import { h, money, num, plural, replace } from "./dom";
import { errorContent, freshDialog } from "./kit";
import { storeBadge } from "./shared";

export const desk = {
  /// Opens an account, and the page of one of its members when given.
  open: async (_account: string, _member?: string): Promise<void> => {},
};

/// A column: its sort key, and whether its first click sorts largest or
/// latest first (as `seatdesk accounts --sort` does; names and renewals
/// sort ascending, the next renewal first).
type Column = { key: keyof DeskAccount | "seats" | "check"; label: string; title: string; sort: (a: DeskAccount) => string | number; down?: boolean };

const problems = (a: DeskAccount) => a.problems?.length ?? -1;

const COLUMNS: Column[] = [
  { key: "name", label: "Account", title: "The account's name", sort: (a) => a.name.toLowerCase() },
  { key: "owner_email", label: "Owner", title: "The account's Owner", sort: (a) => a.owner_name.toLowerCase() },
  { key: "renews_on", label: "Renews", title: "The next renewal, and the plan (billed monthly or annually)", sort: (a) => a.renews_on },
  { key: "seats", label: "Seats", title: "Paid seats: purchased, assigned, unassigned", sort: (a) => a.purchased, down: true },
  { key: "unassigned", label: "Free", title: "Unassigned paid seats", sort: (a) => a.unassigned, down: true },
  { key: "pending", label: "Pending", title: "Pending invitations, and how many were last sent over 30 days ago", sort: (a) => a.pending_stale * 1e9 + a.pending, down: true },
  { key: "numbers", label: "Numbers", title: "Phone numbers held", sort: (a) => a.numbers, down: true },
  { key: "last_change", label: "Last change", title: "When the account last changed (its newest audit entry)", sort: (a) => a.last_change ?? "", down: true },
  { key: "check", label: "Check", title: "What `check` finds in the account's data", sort: problems, down: true },
];

/// The overview's sort and search, kept while the window is open.
const view = { sort: "name" as Column["key"], descending: false, search: "" };

function checkCell(a: DeskAccount): HTMLElement {
  if (a.problems === null) return h("span", { class: "muted", title: a.checked_at ? "Changed since its last check" : "Never checked" }, "Checking…");
  const when = a.checked_at ? `\nChecked ${a.checked_at.slice(0, 16).replace("T", " ")} UTC; nothing changed here since.` : "";
  if (a.problems.length === 0) return h("span", { class: "ok-note", title: `Every rule holds in this account.${when}` }, "OK");
  return h("span", { class: "form-error", title: a.problems.join("\n") + when }, plural(a.problems.length, "problem"));
}

function row(a: DeskAccount, stale: number): HTMLElement {
  const open = h("button", { type: "button", class: "link account-open", title: `Open ${a.name}` }, a.name);
  open.addEventListener("click", () => void desk.open(a.name));
  const tr = h(
    "tr",
    { "data-account": a.name, tabindex: "0" },
    h("td", { class: "name" }, open),
    h("td", { class: "owner", title: `${a.owner_name} <${a.owner_email}>` }, a.owner_name, h("br", {}), h("span", { class: "muted" }, a.owner_email)),
    h("td", { class: "date", title: `Renewal total ${money(a.renewal_total_cents, a.currency)}` }, a.renews_on, h("br", {}), h("span", { class: "muted" }, a.plan === "annual" ? "Annual" : "Monthly")),
    h("td", { class: "num", title: `${a.purchased} purchased, ${a.assigned} assigned, ${a.unassigned} unassigned` }, `${num(a.assigned)} of ${num(a.purchased)}`),
    h("td", { class: "num" }, a.unassigned < 0 ? h("span", { class: "form-error" }, num(a.unassigned)) : num(a.unassigned)),
    // The stale invitations under the count: the row stays narrow enough
    // for every column at the window's default size.
    h("td", { class: "num", title: `${a.pending_stale} last sent over ${stale} days ago` }, num(a.pending), a.pending_stale ? [h("br", {}), h("span", { class: "badge warn" }, `${num(a.pending_stale)} > ${stale}d`)] : null),
    h("td", { class: "num" }, num(a.numbers)),
    h("td", { class: "date", title: a.last_change ? a.last_change.replace("T", " ").slice(0, 19) : "No change recorded" }, a.last_change ? a.last_change.slice(0, 10) : "—"),
    h("td", { class: "check" }, checkCell(a)),
  );
  tr.addEventListener("dblclick", () => void desk.open(a.name));
  tr.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target === tr) void desk.open(a.name);
  });
  return tr;
}

/// The accounts overview as the whole window: a header, the search, the
/// sortable table and its totals. `check` fills its column once done.
/// `resume`: the account the window last worked in, one click away.
export async function renderDesk(root: HTMLElement, menu: HTMLElement, resume: string | null, banner: HTMLElement | null) {
  const body = h("tbody", {});
  const foot = h("tfoot", {});
  const summary = h("p", { class: "muted", id: "desk-summary" });
  const search = h("input", { type: "search", id: "desk-search", placeholder: "Search accounts or Owners", "aria-label": "Search accounts", value: view.search });
  const find = h("button", { type: "button", id: "find-member", title: "Find a member in any account (Ctrl+K)" }, "Find a member… ", h("kbd", {}, "Ctrl K"));
  find.addEventListener("click", () => openFind());
  // Each account's verdict is kept from its last check while nothing changed
  // there; this looks at every account again, and at the database itself
  // (what a change made outside Seatdesk would need).
  const recheck = h("button", { type: "button", id: "desk-recheck", title: "Run check on every account again, and on the database itself" }, "Check every account again");
  recheck.addEventListener("click", () => void recheckAll());
  const head = h(
    "tr",
    {},
    COLUMNS.map((c) => {
      const sorted = view.sort === c.key;
      const b = h("button", { type: "button", class: "sort", "data-sort": c.key, title: c.title }, c.label, h("span", { class: "arrow", "aria-hidden": "true" }, sorted ? (view.descending ? "▼" : "▲") : ""));
      b.addEventListener("click", () => {
        view.descending = view.sort === c.key ? !view.descending : Boolean(c.down);
        view.sort = c.key;
        draw();
      });
      return h("th", { scope: "col", "aria-sort": sorted ? (view.descending ? "descending" : "ascending") : "none" }, b);
    }),
  );
  replace(
    root,
    h(
      "div",
      { class: "shell" },
      h("header", { class: "topbar" }, h("div", { class: "brand" }, "Seatdesk"), h("nav", {}, h("button", { type: "button", class: "nav", id: "nav-desk", "aria-current": "page" }, "All accounts")), h("div", { class: "spacer" }), find, storeBadge(), menu),
      banner,
      h(
        "main",
        { id: "page" },
        h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Accounts"), summary), resume ? resumeButton(resume) : null),
        h("div", { class: "toolbar" }, search, recheck),
        h("div", { class: "table-wrap desk-wrap" }, h("table", { id: "desk-table" }, h("thead", {}, head), body, foot)),
      ),
      h("div", { id: "status", role: "status", "aria-live": "polite" }),
    ),
  );
  let shown: Desk | null = null;
  const draw = () => {
    if (!shown) return;
    const col = COLUMNS.find((c) => c.key === view.sort) ?? COLUMNS[0];
    const text = view.search.trim().toLowerCase();
    const rows = shown.accounts
      .filter((a) => !text || [a.name, a.owner_name, a.owner_email].some((f) => f.toLowerCase().includes(text)))
      .sort((a, b) => {
        const [x, y] = [col.sort(a), col.sort(b)];
        const order = x < y ? -1 : x > y ? 1 : 0;
        // Ties by name, A to Z, whichever way the column sorts (as the CLI).
        return (view.descending ? -order : order) || a.name.localeCompare(b.name);
      });
    for (const th of head.querySelectorAll("th")) {
      const key = th.querySelector<HTMLElement>("button.sort")!.dataset.sort;
      th.setAttribute("aria-sort", key === view.sort ? (view.descending ? "descending" : "ascending") : "none");
      th.querySelector(".arrow")!.textContent = key === view.sort ? (view.descending ? "▼" : "▲") : "";
    }
    const none = view.search.trim() ? `No account matches “${view.search.trim()}”.` : shown.unreadable.length ? "No account's figures read: each is named above." : "No accounts.";
    replace(body, rows.length ? rows.map((a) => row(a, shown!.stale_days)) : h("tr", { class: "empty" }, h("td", { colspan: COLUMNS.length }, none)));
    // The totals of the rows shown (all of them, or those the search keeps).
    const all = rows.length === shown.accounts.length;
    const sum = (f: (a: DeskAccount) => number) => rows.reduce((n, a) => n + f(a), 0);
    const t = all
      ? shown.totals
      : { ...shown.totals, accounts: rows.length, purchased: sum((a) => a.purchased), assigned: sum((a) => a.assigned), unassigned: sum((a) => a.unassigned), active: sum((a) => a.active), pending: sum((a) => a.pending), pending_stale: sum((a) => a.pending_stale), numbers: sum((a) => a.numbers), accounts_with_problems: shown.totals.accounts_with_problems === null ? null : rows.filter((a) => (a.problems?.length ?? 0) > 0).length };
    replace(
      foot,
      h(
        "tr",
        { id: "desk-totals" },
        h("th", { scope: "row" }, all ? `All ${num(t.accounts)}` : `${num(t.accounts)} of ${num(shown.totals.accounts)}`),
        h("td", { colspan: 2 }),
        h("td", { class: "num" }, `${num(t.assigned)} of ${num(t.purchased)}`),
        h("td", { class: "num" }, num(t.unassigned)),
        h("td", { class: "num" }, num(t.pending), t.pending_stale ? [h("br", {}), h("span", { class: "badge warn" }, `${num(t.pending_stale)} > ${shown.stale_days}d`)] : null),
        h("td", { class: "num" }, num(t.numbers)),
        h("td", {}),
        h("td", {}, t.accounts_with_problems === null ? "" : t.accounts_with_problems === 0 ? (!rows.length ? "" : shown.unreadable.length ? "All shown OK" : "All OK") : `${plural(t.accounts_with_problems, "account")} with problems`),
      ),
    );
    const storage = shown.storage_problems?.length ? ` The database itself: ${shown.storage_problems.join("; ")}.` : "";
    // Accounts whose figures do not read are named, never shown with
    // figures; each may still open (a damaged index can stop the overview's
    // read and no other: found by trying).
    const unreadable = shown.unreadable.length
      ? [
          " Not shown, their figures do not read (a damaged page): ",
          ...shown.unreadable.flatMap((v, i) => {
            const b = h("button", { type: "button", class: "link unread-open", title: `Try to open ${v.account}` }, v.account);
            b.addEventListener("click", () => void desk.open(v.account));
            return i ? [", ", b] : [b];
          }),
          ". “Check every account again” says where, and which other accounts it reaches.",
        ]
      : [];
    const s = t;
    replace(summary, `${plural(s.accounts, "account")} · ${num(s.active)} Active members · ${num(s.pending)} pending · ${plural(s.numbers, "number")}.`, ...unreadable, storage);
  };
  search.addEventListener("input", () => {
    view.search = search.value;
    draw();
  });
  const load = async (check: DeskCheck): Promise<Desk | null> => {
    recheck.disabled = true;
    recheck.textContent = "Checking…";
    try {
      shown = await api.desk({ check, account: null, search: null });
      draw();
      return shown;
    } catch (e) {
      replace(body, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "form-error" }, ...errorContent(e))));
      return null;
    } finally {
      recheck.disabled = false;
      recheck.textContent = "Check every account again";
    }
  };
  // Puts one account's fresh row in place of its old one.
  const merge = (row: DeskAccount | undefined) => {
    const current = shown as Desk | null; // set by `load`, which TypeScript does not follow
    if (current && row) shown = { ...current, accounts: current.accounts.map((a) => (a.name === row.name ? row : a)) };
    draw();
  };
  // Every account again, one call each (opening an account meanwhile waits
  // for one account's check, not for all), while the database itself is
  // scanned beside them (the backend holds no lock for its pages).
  const recheckAll = async () => {
    const names = shown?.accounts.map((a) => a.name) ?? [];
    // No verdict in the footer until every account has its new one.
    const before = shown as Desk | null;
    if (before) shown = { ...before, totals: { ...before.totals, accounts_with_problems: null } };
    recheck.disabled = true;
    const scanning = api.deskStorageCheck();
    scanning.catch(() => {}); // awaited below; left early, nobody waits for it
    try {
      for (const [i, name] of names.entries()) {
        if (!body.isConnected) return;
        recheck.textContent = `Checking ${i + 1} of ${names.length}…`;
        try {
          merge((await api.desk({ check: "all", account: name, search: null })).accounts[0]);
        } catch {
          // Renamed or gone meanwhile: the overview read next shows it as it is.
        }
      }
      if (!body.isConnected) return;
      recheck.textContent = "Checking the database…";
      const storage = await scanning;
      if (await load("kept")) {
        shown = { ...(shown as Desk), storage_problems: storage };
        draw();
      }
    } catch (e) {
      replace(body, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "form-error" }, ...errorContent(e))));
    } finally {
      recheck.disabled = false;
      recheck.textContent = "Check every account again";
    }
  };
  // The counts and the verdicts kept from earlier checks at once; then
  // `check` of each account changed since, which reads its data: one
  // account a call, so that opening an account (or anything else the
  // window asks) waits for one account's check at most, not every one.
  const kept = await load("kept");
  search.focus();
  const unchecked = kept?.accounts.filter((a) => a.problems === null).map((a) => a.name) ?? [];
  for (const name of unchecked) {
    if (!body.isConnected) return; // the window went on to an account
    try {
      merge((await api.desk({ check: "changed", account: name, search: null })).accounts[0]);
    } catch {
      // Renamed or gone meanwhile: the overview read next shows it as it is.
    }
  }
  // Every verdict in: the totals as the backend sums them.
  if (unchecked.length && body.isConnected) await load("kept");
}

function resumeButton(account: string): HTMLElement {
  const b = h("button", { type: "button", class: "primary", id: "desk-resume", title: `Open ${account}, the account this window last worked in` }, `Continue in ${account} →`);
  b.addEventListener("click", () => void desk.open(account));
  return b;
}

/// Find a member in any account: results grouped by account; choosing one
/// opens their page in that account.
export function openFind() {
  const d = freshDialog("find-dialog");
  const input = h("input", { type: "search", id: "find-text", placeholder: "Three or more letters of a name or an email address", "aria-label": "Find a member in any account", autocomplete: "off" });
  const results = h("div", { id: "find-results", class: "find-results", "aria-live": "polite" });
  const close = h("button", { type: "button" }, "Close");
  close.addEventListener("click", () => d.close());
  let asked = 0;
  const search = async () => {
    const ask = ++asked;
    const text = input.value.trim();
    if ([...text].length < 3) {
      replace(results, h("p", { class: "muted" }, text ? "Type at least three characters." : "Searches every account's members by name or email address."));
      return;
    }
    try {
      const found = await api.findMembers(text);
      if (ask !== asked) return;
      if (found.members.length === 0) {
        replace(results, h("p", { class: "muted", id: "find-none" }, `No member of any account matches “${text}”.`));
        return;
      }
      const groups = new Map<string, FoundMember[]>();
      for (const m of found.members) groups.set(m.account, [...(groups.get(m.account) ?? []), m]);
      // More than the list holds: the first found are shown (not the first
      // by name), so no group's count is the whole of it.
      replace(
        results,
        found.more ? h("p", { class: "notice", id: "find-more" }, `More than ${found.members.length} members match; the first ${found.members.length} found are shown. Type more of the name or address.`) : null,
        [...groups].map(([account, members]) =>
          h(
            "section",
            { class: "find-group", "data-account": account },
            h("h3", {}, account, found.more ? null : h("span", { class: "muted" }, ` · ${plural(members.length, "member")}`)),
            h(
              "div",
              { class: "pick-list", role: "list" },
              members.map((m) => {
                const b = h("button", { type: "button", role: "listitem", "data-email": m.email, title: `Open ${m.name}'s page in ${account}` }, h("strong", {}, m.name), ` ${m.email}`, h("span", { class: "role" }, roleLabel(m.role)), m.status === "pending" ? h("span", { class: "badge warn" }, "Pending") : null);
                b.addEventListener("click", () => {
                  d.close();
                  void desk.open(account, m.email);
                });
                return b;
              }),
            ),
          ),
        ),
      );
    } catch (e) {
      if (ask === asked) replace(results, h("p", { class: "form-error" }, ...errorContent(e)));
    }
  };
  input.addEventListener("input", () => void search());
  // Down from the box goes to the first result.
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      results.querySelector<HTMLButtonElement>("button")?.focus();
      e.preventDefault();
    }
  });
  replace(d, h("h2", {}, "Find a member in any account"), input, results, h("div", { class: "actions" }, close));
  d.showModal();
  void search();
  input.focus();
}

/// Ctrl+K opens the search from anywhere in the window.
export function findOnCtrlK() {
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
      e.preventDefault();
      openFind();
    }
  });
}
