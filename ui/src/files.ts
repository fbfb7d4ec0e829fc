// Support-team tools in the window: CSV export (saved by Rust through a
// native dialog), CSV import (dry run first, then all or nothing), backup
// and restore.

import { api, progressChannel } from "./api";
import type { ExportKind, ImportReport, Progress } from "./api";
import { hooks, notify, scope } from "./context";
import { h, money, num, plural, replace } from "./dom";
import { freshDialog, notifyError, showError } from "./kit";

const dialog = freshDialog;

export async function exportCsv(kind: ExportKind) {
  try {
    const path = await api.exportCsv(scope(), kind);
    if (path) notify(`Saved ${kind === "members" ? "the members" : "the ledger"} to ${path}.`);
  } catch (e) {
    notifyError(e);
  }
}

export async function backupNow() {
  try {
    const info = await api.backupNow();
    if (info) notify(`Backed up to ${info.path} (${Math.round(info.bytes / 1024)} KiB).`);
  } catch (e) {
    notifyError(e);
  }
}

export function openRestore(reopen: () => Promise<void>) {
  const d = dialog("restore-dialog");
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: "danger", id: "restore-confirm" }, "Choose a backup and restore");
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      const info = await api.restoreBackup(scope());
      if (!info) {
        go.disabled = false;
        return;
      }
      d.close();
      await reopen();
      notify(`Restored from ${info.restored_from}; the previous database is kept as ${info.previous_saved_as}.`);
    } catch (e) {
      showError(error, e);
      go.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, "Restore a backup"),
    h("p", {}, "Everything in this database is replaced by the backup you choose. The backup is checked first (schema version, integrity); the current database is kept as a copy beside it."),
    error,
    h("div", { class: "actions" }, cancel, go),
  );
  d.showModal();
}

const OUTCOMES: Record<ImportReport["rows"][number]["outcome"], string> = {
  invite: "Invite",
  already_member: "Already a member (skipped)",
  skipped_owner: "An Owner row (skipped: the account has its Owner)",
  invalid_email: "Invalid email",
  duplicate_in_file: "Duplicate in file",
  invalid_role: "Invalid role",
  unknown_inbox: "Unknown inbox",
  invalid_name: "Invalid name",
  unknown_account: "Unknown account",
};

/// The seats a dry run says to buy, in every account short of them.
function shortfalls(report: ImportReport) {
  return report.accounts.flatMap((a) => (a.shortfall_quote ? [a.shortfall_quote] : []));
}

export function openImport() {
  const d = dialog("import-dialog");
  d.className = "xwide"; // the dry run's table needs its "What happens" column
  // The file is chosen in a native dialog and read by Rust (size-checked):
  // its bytes never pass through the page.
  const file = h("button", { type: "button", id: "import-choose" }, "Choose CSV file…");
  const fileName = h("span", { class: "muted", id: "import-file-name" }, "No file chosen");
  const inbox = h("input", { id: "import-inbox", placeholder: "Inbox for rows without one (optional)", "aria-label": "Default inbox" });
  const result = h("div", { id: "import-result" });
  const error = h("p", { class: "form-error", role: "alert", id: "import-error" });
  const progress = h("progress", { id: "import-progress", hidden: true, max: 1, value: 0 });
  const progressText = h("span", { class: "muted", id: "import-progress-text", "aria-live": "polite" });
  const cancel = h("button", { type: "button", id: "import-cancel" }, "Cancel");
  let running = false;
  // While the import runs, Cancel stops it (it rolls back, whole); otherwise it closes.
  cancel.addEventListener("click", () => (running ? void api.cancelImport() : d.close()));
  d.addEventListener("cancel", (ev) => {
    if (running) {
      ev.preventDefault();
      void api.cancelImport();
    }
  });
  const go = h("button", { type: "button", class: "primary", id: "import-apply", disabled: true }, "Import");
  let chosen = false;
  let report: ImportReport | null = null;

  async function dryRun() {
    error.textContent = "";
    go.disabled = true;
    if (!chosen) return;
    try {
      report = await api.importMembersCsv(scope(), { dry_run: true, default_inbox: inbox.value || null, buy_shortfall_quote: null }, progressChannel(() => {}));
    } catch (e) {
      replace(result);
      showError(error, e);
      return;
    }
    const fine = (o: string) => o === "invite" || o === "already_member" || o === "skipped_owner";
    const bad = report.rows.filter((r) => !fine(r.outcome)).length;
    const quotes = shortfalls(report);
    const q = quotes.length ? { quantity: quotes.reduce((n, x) => n + x.quantity, 0), due_now_cents: quotes.reduce((n, x) => n + x.due_now_cents, 0), renewal_total_cents: quotes.reduce((n, x) => n + x.renewal_total_cents, 0), currency: quotes[0].currency } : null;
    // A file across accounts (an `account` column): which account each row goes to, and each account's sums.
    const several = report.rows.some((r) => r.account !== null);
    const perAccount = several
      ? h(
          "ul",
          { id: "import-accounts" },
          report.accounts.map((a) => h("li", { "data-account": a.account }, h("strong", {}, a.account || "(no account)"), `: ${num(a.to_invite)} to invite; ${plural(a.seats_needed, "seat")} needed, ${num(a.seats_free)} free`, a.shortfall_quote ? `; ${plural(a.shortfall_quote.quantity, "seat")} to buy for ${money(a.shortfall_quote.due_now_cents, a.shortfall_quote.currency)}` : "")),
        )
      : null;
    replace(
      result,
      h(
        "div",
        { class: "table-wrap import-rows" },
        h(
          "table",
          { id: "import-rows" },
          h("thead", {}, h("tr", {}, ["Line", ...(several ? ["Account"] : []), "Email", "Role", "Inbox", "What happens"].map((l) => h("th", { scope: "col" }, l)))),
          h("tbody", {}, report.rows.slice(0, 500).map((r) => h("tr", { class: fine(r.outcome) ? "" : "flagged", "data-outcome": r.outcome }, h("td", {}, String(r.line)), several ? h("td", {}, r.account ?? "") : null, h("td", {}, r.email), h("td", {}, r.role), h("td", {}, r.inbox), h("td", { title: r.message ?? undefined }, fine(r.outcome) || !r.message ? OUTCOMES[r.outcome] : `${OUTCOMES[r.outcome]}: ${r.message}`)))),
        ),
      ),
      perAccount,
      h("p", { id: "import-summary", class: bad ? "form-error" : "muted" }, bad ? `${plural(bad, "row")} cannot be imported: fix the file and choose it again. Nothing is imported while any row is refused.` : `${num(report.to_invite)} to invite; ${plural(report.seats_needed, "seat")} needed, ${num(report.seats_free)} free.`),
      q && !bad ? h("p", { class: "warning" }, `${q.quantity} more seat${q.quantity === 1 ? " is" : "s are"} needed: ${money(q.due_now_cents, q.currency)} now, renewal total ${money(q.renewal_total_cents, q.currency)}.`) : null,
    );
    go.textContent = q ? `Buy ${q.quantity} seat${q.quantity === 1 ? "" : "s"} and import ${report.to_invite}` : `Import ${report.to_invite} member${report.to_invite === 1 ? "" : "s"}`;
    go.disabled = bad > 0 || report.to_invite === 0;
  }

  file.addEventListener("click", async () => {
    error.textContent = "";
    try {
      const picked = await api.chooseImportFile();
      if (!picked) return;
      chosen = true;
      fileName.textContent = `${picked.name} (${picked.bytes.toLocaleString()} bytes)`;
      await dryRun();
    } catch (e) {
      showError(error, e);
    }
  });
  inbox.addEventListener("change", () => void dryRun());
  let finished = false;
  go.addEventListener("click", async () => {
    if (finished) return d.close();
    if (!report) return;
    go.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    running = true;
    // While it runs the file and the default inbox stay as they are.
    error.textContent = "";
    file.disabled = true;
    inbox.disabled = true;
    const shown = (p: Progress) => {
      progress.max = p.total;
      progress.value = p.done;
      progressText.textContent = `${p.done.toLocaleString("en-US")} of ${p.total.toLocaleString("en-US")} invited…`;
      d.dataset.progress = `${p.done}/${p.total}`;
    };
    try {
      const options = { dry_run: false, default_inbox: inbox.value || null, buy_shortfall_quote: null, buy_shortfall_quotes: shortfalls(report).map((x) => x.quote_id) };
      const done = await api.importMembersCsv(scope(), options, progressChannel(shown));
      running = false;
      finished = true;
      // The receipt stays in the dialog until it is closed.
      const paid = shortfalls(done);
      const bought = paid.length === 1 ? `Bought ${plural(paid[0].quantity, "seat")} for ${money(paid[0].due_now_cents, paid[0].currency)} and imported` : paid.length > 1 ? `Bought seats in ${paid.length} accounts and imported` : "Imported";
      const said = `${bought} ${done.to_invite} member${done.to_invite === 1 ? "" : "s"} as pending invites.`;
      progressText.textContent = said;
      result.querySelector(".warning")?.remove(); // the shortfall is bought
      cancel.hidden = true;
      file.disabled = true;
      inbox.disabled = true;
      go.textContent = "Done";
      go.id = "import-done";
      go.disabled = false;
      notify(said);
      await hooks.changed();
    } catch (e) {
      running = false;
      file.disabled = false;
      inbox.disabled = false;
      progress.hidden = true;
      progressText.textContent = "";
      // The dry run again (the file may have changed), then why the import stopped.
      await dryRun();
      showError(error, e);
    }
  });
  replace(d, h("h2", {}, "Import members from CSV"), h("p", { class: "muted" }, "Columns email, name, role and inbox, named in a header row (any order). A dry run shows every row first; the import is all or nothing."), h("div", { class: "row" }, file, fileName), inbox, result, error, h("div", { class: "row" }, progress, progressText), h("div", { class: "actions" }, cancel, go));
  d.showModal();
}
