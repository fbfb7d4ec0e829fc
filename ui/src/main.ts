// Seatdesk's window: first run (create an account or open the demo), then
// the Members page with the seat counter, Active/Pending tabs and the table,
// and the Inboxes page. Everything shown comes from the backend.

import { api } from "./api";
import type { Preferences, Theme } from "./api";
import { renderBilling } from "./billing/page";
import { openManageSeats, seatWords } from "./billing/seats";
import { inboxView, renderInbox, renderInboxList } from "./inboxes/page";
import { memberView, renderMemberPage } from "./members/page";
import { describe, dialogs, hooks, notify, roleLabel, scope, state, type Page } from "./context";
import { renderMembers } from "./members/table";
import { openSupportMode, renderAudit } from "./lifecycle";
import { backupNow, exportCsv, openImport, openRestore } from "./files";
import { h, money, num, replace } from "./dom";
import { clearRefusal, closeOnEscape, errorContent, field, freshDialog, notifyError, showError, showRefusal } from "./kit";
import { desk, findOnCtrlK, openFind, renderDesk } from "./desk";
import { showAbout } from "./about";
import { noteStore, openConnect, storeBadge, useLocal, watchChanges } from "./shared";
import "./styles.css";

const root = document.getElementById("app")!;

const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

// "system" follows the desktop's setting, live; the stylesheet knows only
// light and dark.
function applyTheme(theme: Theme) {
  const effective = theme === "system" ? (systemDark.matches ? "dark" : "light") : theme;
  document.documentElement.dataset.theme = effective;
}
systemDark.addEventListener("change", () => applyTheme(state.prefs.theme ?? "system"));

async function savePrefs(change: Partial<Preferences>) {
  state.prefs = { ...state.prefs, ...change };
  try {
    state.prefs = await api.setPreferences(state.prefs);
  } catch {
    // Preferences are a convenience; failing to save one never blocks work.
  }
}

// ---------------------------------------------------------------- start-up

/// The date Seatdesk's clock is fixed at (--today, SEATDESK_TODAY), shown
/// in a banner; null on the computer's clock.
let clockFixed: string | null = null;

async function start() {
  closeOnEscape();
  findOnCtrlK();
  try {
    state.prefs = await api.getPreferences();
  } catch {
    /* defaults */
  }
  applyTheme(state.prefs.theme ?? "system");
  document.documentElement.dataset.density = state.prefs.density;
  try {
    const info = await api.appInfo();
    noteStore(info);
    clockFixed = info.clock_fixed ? info.today : null;
    watchChanges();
    state.accounts = await api.listAccounts();
  } catch (e) {
    return showFatal(e);
  }
  if (state.accounts.length === 0) return showFirstRun();
  // A support desk's database: every account at a glance first.
  if (state.accounts.length > 1) return showDesk();
  const remembered = state.accounts.find((a) => a.name === state.prefs.last_account);
  await openAccount((remembered ?? state.accounts[0]).name);
}

function showFatal(e: unknown) {
  const { code, message } = describe(e);
  // A shared server that cannot be reached (or no longer lets this login
  // in): try again, or go back to this computer's database.
  const onServer = ["server_unavailable", "invalid_database_url", "not_permitted"].includes(code);
  const retry = h("button", { type: "button", id: "fatal-retry" }, "Try again");
  retry.addEventListener("click", () => void start());
  const local = h("button", { type: "button", class: "primary", id: "fatal-use-local" }, "Use this computer's database");
  local.addEventListener("click", () => void useLocal(start));
  replace(
    root,
    h(
      "main",
      { class: "fatal", role: "alert" },
      h("h1", {}, onServer ? "Seatdesk cannot open the shared server" : "Seatdesk cannot open its database"),
      h("p", {}, message),
      h("p", { class: "muted" }, "Error code: ", h("code", { id: "fatal-code" }, code)),
      h("div", {}, errorContent(e).slice(4)),
      onServer ? h("div", { class: "actions" }, retry, local) : null,
    ),
  );
}

// ---------------------------------------------------------------- first run

function showFirstRun() {
  const err = h("p", { class: "form-error", id: "create-error", role: "alert" });
  const name = h("input", { id: "account-name", name: "name", required: true, autocomplete: "organization" });
  const ownerName = h("input", { id: "owner-name", name: "owner_name", required: true, autocomplete: "name" });
  const ownerEmail = h("input", { id: "owner-email", name: "owner_email", type: "email", required: true, autocomplete: "email" });
  const plan = h(
    "select",
    { id: "plan", name: "plan" },
    h("option", { value: "monthly" }, "Monthly"),
    h("option", { value: "annual" }, "Annual"),
  );
  const renews = h("input", { id: "renews-on", name: "renews_on", type: "date" });
  // The earliest renewal is tomorrow by Seatdesk's clock (which --today may set).
  void api.appInfo().then((info) => {
    const tomorrow = new Date(`${info.today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    renews.min = tomorrow.toISOString().slice(0, 10);
  }).catch(() => undefined);
  const seatPrice = h("input", { id: "seat-price", name: "seat_price", inputmode: "decimal", placeholder: "10.00" });
  const numberPrice = h("input", { id: "number-price", name: "number_price", inputmode: "decimal", placeholder: "5.00" });
  const currency = h("input", { id: "currency", name: "currency", value: "USD", maxlength: 3, size: 4 });
  plan.addEventListener("change", () => {
    const annual = plan.value === "annual";
    seatPrice.placeholder = annual ? "100.00" : "10.00";
    numberPrice.placeholder = annual ? "50.00" : "5.00";
  });

  const submit = h("button", { type: "submit", class: "primary", id: "create-account" }, "Create account");
  const form = h(
    "form",
    { id: "create-account-form", class: "card", novalidate: true },
    h("h2", {}, "Create account"),
    h("p", { class: "muted" }, "Your team-messaging account, with you as its Owner."),
    field("Account name", name),
    h("div", { class: "row" }, field("Owner name", ownerName), field("Owner email", ownerEmail)),
    h("div", { class: "row" }, field("Plan", plan), field("Renews on", renews, "Default: one period from today")),
    h(
      "div",
      { class: "row" },
      field("Seat price", seatPrice, "Per seat and period"),
      field("Number price", numberPrice, "Per extra number and period"),
      field("Currency", currency),
    ),
    err,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearRefusal(form, err);
    submit.disabled = true;
    try {
      const created = await api.createAccount({
        name: name.value,
        owner_email: ownerEmail.value,
        owner_name: ownerName.value,
        plan: plan.value,
        seat_price: seatPrice.value || null,
        number_price: numberPrice.value || null,
        currency: currency.value || null,
        renews_on: renews.value || null,
      });
      state.accounts = await api.listAccounts();
      await openAccount(created.name);
    } catch (e) {
      showRefusal(form, err, e, (code, d) => {
        if (code === "invalid_email") return ownerEmail;
        if (code === "invalid_name") return d.field === "account" ? name : ownerName;
        if (code === "duplicate_account") return name;
        if (code === "invalid_price") return d.price === seatPrice.value.trim() ? seatPrice : numberPrice;
        if (code === "invalid_currency") return currency;
        if (code === "invalid_date") return renews;
        return null;
      });
      submit.disabled = false;
    }
  });

  const demoError = h("p", { class: "form-error", role: "alert" });
  const demo = h("button", { type: "button", id: "open-demo", class: "secondary" }, "Open demo account");
  demo.addEventListener("click", async () => {
    demo.disabled = true;
    try {
      const account = await api.openDemo();
      state.accounts = await api.listAccounts();
      await openAccount(account.name);
    } catch (e) {
      showError(demoError, e);
      demo.disabled = false;
    }
  });

  replace(
    root,
    h(
      "main",
      { class: "first-run" },
      h("header", { class: "welcome" }, h("h1", {}, "Welcome to Seatdesk"), h("p", {}, "Members, seats, inboxes and billing for your messaging account, kept on this computer.")),
      h(
        "div",
        { class: "first-run-grid" },
        form,
        h(
          "div",
          { class: "first-run-side" },
          h(
            "section",
            { class: "card demo-card" },
            h("h2", {}, "Just looking?"),
            h("p", { class: "muted" }, "Open a demo account with a few dozen members across roles, pending invites and three inboxes."),
            demo,
            demoError,
          ),
          // A support desk's computer holds no account of its own: its way in
          // is the team's server (the header's Menu is not here yet).
          h(
            "section",
            { class: "card demo-card" },
            h("h2", {}, "Working on a team's server?"),
            h("p", { class: "muted" }, "Connect to the shared PostgreSQL server your team keeps its accounts on."),
            h("button", { type: "button", id: "welcome-connect", onclick: () => openConnect(start) }, "Connect to a shared server…"),
          ),
        ),
      ),
    ),
  );
  name.focus();
}

// ---------------------------------------------------------------- the desk

/// The accounts overview, with a menu of what needs no account.
/// The accounts overview; `refused` says why an account did not open.
async function showDesk(refused?: unknown) {
  const notOpened = refused === undefined ? null : h("div", { class: "form-error desk-refused", id: "desk-refused", role: "alert" }, `${state.account ?? "The account"} could not be opened: `, ...errorContent(refused));
  state.account = null;
  state.overview = null;
  state.support = null;
  const menu = h("details", { class: "app-menu", id: "app-menu" });
  const item = (id: string, label: string, run: () => void) => {
    const b = h("button", { type: "button", class: "link", id }, label);
    b.addEventListener("click", () => {
      menu.open = false;
      run();
    });
    return b;
  };
  replace(
    menu,
    h("summary", { title: "Settings and help" }, h("span", { "aria-hidden": "true" }, "☰ "), "Menu"),
    h(
      "div",
      { class: "dropdown" },
      item("menu-find", "Find a member… (Ctrl+K)", () => openFind()),
      item("menu-connect", "Connect to a shared server…", () => openConnect(start)),
      state.store.server !== null ? item("menu-use-local", "Use this computer's database", () => void useLocal(start)) : null,
      h("hr", {}),
      item("about", "About", () => void showAbout()),
    ),
  );
  const last = state.accounts.find((a) => a.name === state.prefs.last_account)?.name ?? null;
  await renderDesk(root, menu, last, h("div", {}, clockBanner(), notOpened));
  root.querySelector(".shell")!.appendChild(h("dialog", { id: "about-dialog" }));
}

desk.open = async (name: string, member?: string) => {
  state.accounts = await api.listAccounts();
  await openAccount(name, member);
};

// ---------------------------------------------------------------- the shell

/// Opens account `name` on its Members page, or on the page of `member`.
async function openAccount(name: string, member?: string) {
  state.account = name;
  state.offset = 0;
  memberView.open = member ?? null;
  if (member) state.page = "members";
  inboxView.open = null;
  try {
    await fetchOverview();
  } catch (e) {
    // An account whose rows do not read (a damaged page): the overview,
    // which names it, with why it did not open; the others still open
    // (found by trying: the whole window became an error, with no way back).
    if (describe(e).code === "database_corrupt") return showDesk(e);
    showFatal(e);
    throw e;
  }
  await savePrefs({ last_account: name });
  renderShell();
  await renderPage();
}

async function fetchOverview() {
  const [overview, session] = await Promise.all([api.overview(scope()), api.sessionInfo(scope())]);
  state.overview = overview;
  state.support = session.support;
  state.actingFixed = session.acting_fixed;
}

async function refreshOverview() {
  try {
    await fetchOverview();
  } catch (e) {
    showFatal(e);
    throw e;
  }
}

/// "174 of 177 paid seats used · 3 free", with what adds it up on hover.
function seatCounter(): HTMLElement {
  const s = state.overview!.seats;
  const words = seatWords(s);
  return h(
    "div",
    { class: "seat-counter", id: "seat-counter", title: `${words.detail} Renewal total ${money(s.renewal_total_cents, state.overview!.account.currency)} on ${s.renews_on}.` },
    h("strong", {}, `${num(s.assigned)} of ${num(s.purchased)}`),
    " paid seats used",
    words.free ? h("span", { class: "badge" }, words.free) : null,
  );
}

function actingButton(name: string, role: string) {
  const title = state.actingFixed
    ? `Acting as ${name} (${role}): on the shared server your login ${state.store.login ?? ""} is this member, so changes are always made as them`
    : `Acting as ${name} (${role}): changes are made as this member; click to act as another`;
  const b = h("button", { type: "button", class: "acting", id: "acting-as", title, disabled: state.actingFixed }, h("span", { class: "acting-label" }, "Acting as "), h("strong", {}, name), ` (${role})`);
  b.addEventListener("click", () => void openActingAs());
  return b;
}

/// The banner said while Seatdesk's clock is fixed (--today).
function clockBanner(): HTMLElement | null {
  return clockFixed
    ? h("div", { class: "clock-banner", id: "clock-banner", role: "note" }, `Seatdesk's clock is fixed at ${clockFixed} (--today or SEATDESK_TODAY): renewals and dates use that day, not this computer's.`)
    : null;
}

/// Where the header starts: with several accounts, the way back to the
/// overview in sight (found by trying: it was only in the account
/// switcher); with one, the name of the app.
function homeButton(): HTMLElement {
  if (state.accounts.length < 2) return h("div", { class: "brand" }, "Seatdesk");
  const b = h("button", { type: "button", class: "brand", id: "to-desk", title: "Every account at a glance" }, "‹ All accounts");
  b.addEventListener("click", () => void showDesk());
  return b;
}

/// The account switcher's choice that opens the accounts overview (no
/// account has an empty name).
const DESK = "";

function renderShell() {
  const o = state.overview!;
  const switcher = h(
    "select",
    { id: "account-switcher", "aria-label": "Account" },
    // A database of several accounts: the overview is one choice away.
    state.accounts.length > 1 ? h("option", { value: DESK, id: "switch-to-desk" }, `All accounts (${state.accounts.length})`) : null,
    state.accounts.map((a) => h("option", { value: a.name, selected: a.name === state.account }, a.name)),
  );
  switcher.addEventListener("change", () => void (switcher.value === DESK ? showDesk() : openAccount(switcher.value)));

  const themeSelect = h(
    "select",
    { id: "theme", "aria-label": "Theme" },
    (["system", "light", "dark"] as Theme[]).map((t) =>
      h("option", { value: t, selected: state.prefs.theme === t }, t[0].toUpperCase() + t.slice(1)),
    ),
  );
  themeSelect.addEventListener("change", () => {
    applyTheme(themeSelect.value as Theme);
    void savePrefs({ theme: themeSelect.value as Theme });
  });

  const nav = (page: Page, label: string) => {
    const b = h("button", { type: "button", class: "nav", id: `nav-${page}`, "aria-current": state.page === page ? "page" : undefined }, label);
    b.addEventListener("click", async () => {
      state.page = page;
      inboxView.open = null;
      memberView.open = null;
      // Another window or the command line may have changed the account.
      await refreshOverview();
      renderShell();
      await renderPage();
    });
    return b;
  };

  const supportText = () => (state.support ? `Support: ${state.support.agent} · ${state.support.ticket}` : "");
  const badge = h("span", { class: "support-badge", id: "support-badge", hidden: !state.support, title: supportText() }, supportText());
  const menu = h("details", { class: "app-menu", id: "app-menu" });
  const support = h("button", { type: "button", class: "link", id: "support-mode" }, "Support mode…");
  support.addEventListener("click", () => {
    menu.open = false;
    openSupportMode(() => {
      badge.hidden = !state.support;
      badge.textContent = supportText();
      badge.title = supportText();
      void renderPage();
    });
  });
  const personal = h("button", { type: "button", class: "link", id: "personal" }, "Personal settings");
  personal.addEventListener("click", () => {
    menu.open = false;
    openPersonal();
  });
  const about = h("button", { type: "button", class: "link", id: "about" }, "About");
  about.addEventListener("click", () => {
    menu.open = false;
    void showAbout();
  });
  const item = (id: string, label: string, run: () => void, disabledWhy: string | null = null) => {
    const b = h("button", { type: "button", class: "link", id, disabled: disabledWhy !== null, title: disabledWhy ?? undefined }, label);
    b.addEventListener("click", () => {
      menu.open = false;
      run();
    });
    return b;
  };
  const onServer = state.store.server !== null;
  const serverBackups = "A shared server is backed up by its administrator, not from a desktop";
  const density = h(
    "select",
    { id: "density", "aria-label": "Table density" },
    h("option", { value: "comfortable", selected: state.prefs.density === "comfortable" }, "Comfortable"),
    h("option", { value: "compact", selected: state.prefs.density === "compact" }, "Compact"),
  );
  density.addEventListener("change", () => {
    document.documentElement.dataset.density = density.value;
    void savePrefs({ density: density.value as Preferences["density"] });
  });
  const defaultRole = h(
    "select",
    { id: "default-role", "aria-label": "Default invite role" },
    (["admin", "manager", "member", "observer"] as const).map((r) => h("option", { value: r, selected: (state.prefs.default_role ?? "member") === r }, roleLabel(r))),
  );
  defaultRole.addEventListener("change", () => void savePrefs({ default_role: defaultRole.value as Preferences["default_role"] }));
  replace(
    menu,
    h("summary", { title: "Settings and help" }, h("span", { "aria-hidden": "true" }, "☰ "), "Menu"),
    h(
      "div",
      { class: "dropdown" },
      h("label", { class: "field" }, h("span", {}, "Theme"), themeSelect),
      h("label", { class: "field" }, h("span", {}, "Table density"), density),
      h("label", { class: "field" }, h("span", {}, "Default invite role"), defaultRole),
      h("hr", {}),
      item("menu-export-members", "Export members (CSV)…", () => void exportCsv("members")),
      item("menu-export-ledger", "Export ledger (CSV)…", () => void exportCsv("ledger")),
      item("menu-import", "Import members (CSV)…", () => openImport(), o.can.manage_account ? null : "Only the Owner and Admins import members"),
      item("menu-backup", "Back up now…", () => void backupNow(), onServer ? serverBackups : null),
      item("menu-restore", "Restore a backup…", () => openRestore(start), onServer ? serverBackups : o.can.restore ? null : "Only the Owner restores a backup"),
      h("hr", {}),
      item("menu-connect", "Connect to a shared server…", () => openConnect(start)),
      onServer ? item("menu-use-local", "Use this computer's database", () => void useLocal(start)) : null,
      h("hr", {}),
      support,
      item("menu-find", "Find a member… (Ctrl+K)", () => openFind()),
      personal,
      about,
    ),
  );

  replace(
    root,
    h(
      "div",
      { class: "shell" },
      h(
        "header",
        { class: "topbar" },
        homeButton(),
        switcher,
        h("nav", {}, nav("members", "Members"), nav("inboxes", "Inboxes"), nav("billing", "Plan & Billing"), nav("audit", "Audit log")),
        h("div", { class: "spacer" }),
        storeBadge(),
        badge,
        actingButton(o.acting_as.name, roleLabel(o.acting_as.role)),
        menu,
      ),
      clockBanner(),
      h("main", { id: "page" }),
      h("dialog", { id: "about-dialog" }),
      h("div", { id: "status", role: "status", "aria-live": "polite" }),
    ),
  );
}

async function renderPage() {
  const page = document.getElementById("page")!;
  page.classList.remove("page-fill");
  if (state.page === "members") {
    if (memberView.open) await renderMemberPage(page, memberView.open);
    else await renderMembers(page, seatCounter);
  }
  else if (state.page === "inboxes") {
    if (inboxView.open) await renderInbox(page, inboxView.open);
    else await renderInboxList(page, seatCounter);
  }
  else if (state.page === "audit") await renderAudit(page);
  else await renderBilling(page);
}

dialogs.manageSeats = openManageSeats;

/// Personal settings of the acting member: only they change their own email.
function openPersonal() {
  const me = state.overview!.acting_as;
  const d = freshDialog("personal-dialog", false);
  const email = h("input", { id: "my-email", type: "email", value: me.email, "aria-label": "Your email" });
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const save = h("button", { type: "button", class: "primary", id: "save-my-email" }, "Save");
  save.addEventListener("click", async () => {
    save.disabled = true;
    try {
      const updated = await api.setMyEmail(scope(), email.value);
      d.close();
      await hooks.changed();
      renderShell();
      await renderPage();
      notify(`Your email is now ${updated.email}.`);
    } catch (e) {
      showError(error, e);
      save.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, "Personal settings"),
    h("p", { class: "muted" }, `${me.name} (${roleLabel(me.role)}): only you change your own email.`),
    h("label", { class: "field" }, h("span", {}, "Email"), email),
    error,
    h("div", { class: "actions" }, cancel, save),
  );
  d.showModal();
  email.focus();
}

/// Chooses the member changes are made as, among Active Owner, Admin and Manager members.
async function openActingAs() {
  const d = freshDialog("acting-dialog", false);
  const search = h("input", { type: "search", id: "acting-search", placeholder: "Search Owner, Admins and Managers", "aria-label": "Search" });
  const list = h("div", { class: "pick-list", id: "acting-list", role: "listbox", "aria-label": "Members you can act as" });
  const draw = async () => {
    const people = await api.listActors(scope(), search.value).catch(() => []);
    replace(
      list,
      people.map((p) => {
        const b = h("button", { type: "button", role: "option", "data-email": p.email, "aria-selected": String(p.email === state.overview!.acting_as.email) }, h("strong", {}, p.name), ` ${p.email} · ${roleLabel(p.role)}`);
        b.addEventListener("click", async () => {
          // Seatdesk asks in a system dialog; the page cannot answer it.
          try {
            const now = await api.switchActing(scope(), p.email);
            if (!now) {
              notify("Still acting as before: the switch was not confirmed.");
              return;
            }
            d.close();
            await hooks.changed();
            renderShell();
            await renderPage();
            notify(`Now acting as ${now.name} (${roleLabel(now.role)}).`);
          } catch (e) {
            notifyError(e);
          }
        });
        return b;
      }),
    );
  };
  search.addEventListener("input", () => void draw());
  const close = h("button", { type: "button" }, "Close");
  close.addEventListener("click", () => d.close());
  replace(d, h("h2", {}, "Act as"), h("p", { class: "muted" }, "Changes are recorded as made by this member, and limited to what their role allows. Seatdesk asks you to confirm in a system dialog, and the switch is recorded in the audit log."), search, list, h("div", { class: "actions" }, close));
  await draw();
  d.showModal();
  search.focus();
}

/// After a change: the counts, the acting member (an owner transfer or a
/// deletion may change who the window acts as, or their role) and the page
/// are read again; a change of who is acting is said, never silent.
hooks.changed = async () => {
  const before = state.overview?.acting_as;
  await refreshOverview();
  const counter = document.getElementById("seat-counter");
  if (counter) counter.replaceWith(seatCounter());
  const now = state.overview!.acting_as;
  document.getElementById("acting-as")?.replaceWith(actingButton(now.name, roleLabel(now.role)));
  if (before && (before.email !== now.email || before.role !== now.role)) {
    const said = before.email === now.email ? `You now act as ${now.name} (${roleLabel(now.role)}).` : `Changes are now made as ${now.name} (${roleLabel(now.role)}), not ${before.name}.`;
    notify(said, true);
  }
  await renderPage();
};

void start();
