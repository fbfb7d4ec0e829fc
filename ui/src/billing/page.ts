// Plan & Billing: the plan, the seat history chart, the ledger, and the
// Edit plan dialog.

import { api } from "../api";
import type { LedgerEntryView, LedgerKind, LedgerPage, ScheduledPlanView, SeatPoint } from "../api";
import { describe, hooks, notify, scope, state } from "../context";
import { h, money, num, replace } from "../dom";
import { errorContent, field, freshDialog, showError } from "../kit";
import { cur, openManageSeats, per, seatWords } from "./seats";

const KIND_LABELS: Record<LedgerKind, string> = {
  seat_purchase: "Seat purchase",
  seat_removal: "Seat removal",
  number_purchase: "Number purchase",
  seat_renewal: "Seat renewal",
  number_renewal: "Number renewal",
  number_release: "Number release",
};

const modal = freshDialog;

// ------------------------------------------------------------ Plan & Billing

const LEDGER_PAGE = 50;
let ledgerKind: LedgerKind | "" = "";
let ledgerOffset = 0;

export async function renderBilling(page: HTMLElement) {
  const o = state.overview!;
  const a = o.account;
  const s = o.seats;
  const inboxes = await api.listInboxes(scope()).catch(() => []);
  const numbers = inboxes.filter((i) => i.number !== null).length;

  // Seats and the plan are the Owner's and Admins' (the backend refuses others too).
  const mayManage = o.can.manage_account;
  const why = mayManage ? undefined : "Only the Owner and Admins change seats and the plan";
  const manage = h("button", { type: "button", class: "primary", id: "billing-manage-seats", disabled: !mayManage, title: why }, "Manage seats");
  manage.addEventListener("click", () => openManageSeats());
  const edit = h("button", { type: "button", id: "edit-plan", disabled: !mayManage, title: why }, "Edit plan");
  edit.addEventListener("click", () => openEditPlan());

  const stat = (label: string, value: string, id?: string) => h("div", { class: "stat" }, h("span", {}, label), h("strong", { id }, value));
  const chart = h("div", { class: "chart", id: "seat-chart" });
  const kind = h(
    "select",
    { id: "ledger-kind", "aria-label": "Kind" },
    h("option", { value: "" }, "All entries"),
    (Object.keys(KIND_LABELS) as LedgerKind[]).map((k) => h("option", { value: k, selected: ledgerKind === k }, KIND_LABELS[k])),
  );
  kind.addEventListener("change", () => {
    ledgerKind = kind.value as LedgerKind | "";
    ledgerOffset = 0;
    void loadLedger();
  });

  replace(
    page,
    h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Plan & Billing"), h("p", { class: "muted" }, a.name))),
    h(
      "div",
      { class: "cards" },
      h(
        "section",
        { class: "card", id: "plan-card" },
        h("div", { class: "card-head" }, h("h2", {}, `${a.plan === "annual" ? "Annual" : "Monthly"} plan`), edit),
        stat("Seat price", `${money(a.seat_price_cents, a.currency)} / ${per()}`, "plan-seat-price"),
        stat("Number price", `${money(a.number_price_cents, a.currency)} / ${per()}`, "plan-number-price"),
        stat("This period", `${a.period_start} to ${a.renews_on}`, "plan-period"),
        stat("Next renewal", s.renews_on, "plan-renews-on"),
        stat("Renewal total", money(s.renewal_total_cents, a.currency), "plan-renewal-total"),
        a.scheduled ? scheduledNotice(a.renews_on, a.scheduled) : null,
      ),
      h(
        "section",
        { class: "card", id: "usage-card" },
        h("div", { class: "card-head" }, h("h2", {}, "Seats and numbers"), manage),
        stat("Paid seats used", `${num(s.assigned)} of ${num(s.purchased)}`, "usage-seats"),
        stat("Free to assign", num(s.unassigned), "usage-unassigned"),
        stat("Included", "1 seat (the Owner) and 1 number"),
        stat("Observers", s.observers === 0 ? "none (they would be free)" : `${num(s.observers)}, free`, "usage-observers"),
        stat("Numbers", `${num(numbers)} in use, ${num(Math.max(0, numbers - 1))} billed`, "usage-numbers"),
        h("p", { class: "muted", id: "usage-words" }, seatWords(s).detail),
      ),
    ),
    h("section", { class: "card" }, h("h2", {}, "Purchased and assigned seats"), chart),
    h(
      "section",
      { class: "ledger-section" },
      h("div", { class: "toolbar" }, h("h2", {}, "Ledger"), h("div", { class: "spacer" }), kind),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          { id: "ledger-table" },
          h("thead", {}, h("tr", {}, ["Date", "Kind", "Qty", "Unit price", "Amount", "By", "Note"].map((l) => h("th", { scope: "col" }, l)))),
          h("tbody", {}),
        ),
      ),
      h("div", { class: "pager", id: "ledger-pager" }),
    ),
  );
  await Promise.all([loadLedger(), api.seatHistory(scope()).then((points) => drawChart(chart, points)).catch(() => undefined)]);
}

/// How a ledger line's amount was reached: "2 × 10.00 USD, prorated".
function amountMath(e: LedgerEntryView): string {
  const c = e.currency || cur();
  if (e.kind === "seat_removal") return "no refund";
  if (e.amount_cents === 0 && e.unit_cents === 0) return "included";
  const whole = e.quantity * e.unit_cents;
  const base = `${num(e.quantity)} × ${money(e.unit_cents, c)}`;
  return e.amount_cents === whole ? base : `${base}, prorated to the renewal`;
}

async function loadLedger() {
  const tbody = document.querySelector("#ledger-table tbody");
  if (!tbody) return;
  let page: LedgerPage;
  try {
    page = await api.listLedger(scope(), { kind: ledgerKind || null, offset: ledgerOffset, limit: LEDGER_PAGE });
  } catch (e) {
    replace(tbody, h("tr", {}, h("td", { colspan: 7, class: "form-error" }, ...errorContent(e))));
    return;
  }
  replace(
    tbody,
    page.rows.length === 0
      ? h("tr", { class: "empty" }, h("td", { colspan: 7 }, "No entries yet."))
      : page.rows.map((e) =>
          h(
            "tr",
            { "data-kind": e.kind },
            h("td", { class: "date" }, e.date),
            h("td", {}, KIND_LABELS[e.kind]),
            h("td", { class: "num" }, String(e.quantity)),
            h("td", { class: "num" }, money(e.unit_cents, e.currency || cur())),
            h("td", { class: "num", title: amountMath(e) }, money(e.amount_cents, e.currency || cur()), h("small", { class: "muted amount-math" }, amountMath(e))),
            h("td", { class: "email" }, e.actor_name),
            h("td", { class: "note" }, e.note),
          ),
        ),
  );
  const pager = document.getElementById("ledger-pager")!;
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.rows.length;
  const prev = h("button", { type: "button", disabled: page.offset === 0 }, "Newer");
  const next = h("button", { type: "button", disabled: to >= page.total }, "Older");
  prev.addEventListener("click", () => {
    ledgerOffset = Math.max(0, ledgerOffset - LEDGER_PAGE);
    void loadLedger();
  });
  next.addEventListener("click", () => {
    ledgerOffset += LEDGER_PAGE;
    void loadLedger();
  });
  replace(pager, h("span", { class: "muted" }, `${from}–${to} of ${page.total}`), prev, next);
}

const SVG = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const RANGES: [string, number | null][] = [
  ["30 days", 30],
  ["90 days", 90],
  ["1 year", 365],
  ["All", null],
];
let chartRange: number | null = 90;

/// A step chart of purchased and assigned seats over time, over a chosen
/// range; a history of one day reads as a sentence, not a flat line.
function drawChart(container: HTMLElement, all: SeatPoint[]) {
  const last = all[all.length - 1];
  if (!last) {
    replace(container, h("p", { class: "muted", id: "seat-chart-note" }, "No seats bought yet: the chart starts with the first purchase."));
    return;
  }
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const dateOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
  const end = day(last.date);
  if (end - day(all[0].date) < 1) {
    replace(container, h("p", { id: "seat-chart-note" }, `Since ${last.date}: ${num(last.assigned)} of ${num(last.purchased)} paid seats assigned. The chart fills in as seats are bought, removed and assigned on later days.`));
    return;
  }
  const start = chartRange === null ? day(all[0].date) : Math.max(day(all[0].date), end - chartRange);
  // The value in force at the range's start, then every change inside it.
  const before = [...all].reverse().find((p) => day(p.date) <= start) ?? all[0];
  const points = [{ ...before, date: dateOf(start) }, ...all.filter((p) => day(p.date) > start)];
  const W = 760, H = 150, L = 44, R = 12, T = 10, B = 24;
  const x1 = Math.max(end, start + 1);
  const yMax = Math.max(1, ...points.map((p) => Math.max(p.purchased, p.assigned)));
  const sx = (d: string) => L + ((day(d) - start) / (x1 - start)) * (W - L - R);
  const sy = (v: number) => T + (1 - v / yMax) * (H - T - B);
  const path = (pick: (p: SeatPoint) => number) => {
    let d = `M ${sx(points[0].date)} ${sy(pick(points[0]))}`;
    for (let i = 1; i < points.length; i++) d += ` H ${sx(points[i].date)} V ${sy(pick(points[i]))}`;
    return `${d} H ${W - R}`;
  };
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Purchased and assigned seats, ${dateOf(start)} to ${last.date}`, class: "seat-chart" });
  for (const v of [0, Math.round(yMax / 2), yMax]) {
    chart.appendChild(svg("line", { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: "grid" }));
    chart.appendChild(svg("text", { x: L - 6, y: sy(v) + 4, "text-anchor": "end", class: "axis" }, num(v)));
  }
  for (const f of [0, 0.5, 1]) {
    const d = dateOf(Math.round(start + f * (x1 - start)));
    chart.appendChild(svg("text", { x: sx(d), y: H - 6, "text-anchor": f === 0 ? "start" : f === 1 ? "end" : "middle", class: "axis" }, d));
  }
  chart.appendChild(svg("path", { d: path((p) => p.purchased), class: "line-purchased" }));
  chart.appendChild(svg("path", { d: path((p) => p.assigned), class: "line-assigned" }));
  const ranges = h(
    "div",
    { class: "chart-ranges", role: "group", "aria-label": "Range" },
    RANGES.map(([label, days]) => {
      const b = h("button", { type: "button", class: "link", "aria-pressed": String(chartRange === days) }, label);
      b.addEventListener("click", () => {
        chartRange = days;
        drawChart(container, all);
      });
      return b;
    }),
  );
  replace(
    container,
    h("div", { class: "legend" }, h("span", { class: "key purchased" }, `Purchased (${num(last.purchased)})`), h("span", { class: "key assigned" }, `Assigned (${num(last.assigned)})`), h("span", { class: "spacer" }), ranges),
    chart,
  );
}

/** A plan change waiting for the next renewal, in words. */
function scheduledNotice(from: string, next: ScheduledPlanView): HTMLElement {
  const unit = next.plan === "annual" ? "year" : "month";
  const parts = [
    `${next.plan === "annual" ? "Annual" : "Monthly"} plan`,
    `seats ${money(next.seat_price_cents, next.currency)} / ${unit}`,
    `numbers ${money(next.number_price_cents, next.currency)} / ${unit}`,
  ];
  const moved = next.renews_on ? ` The renewal date moves: ${from} to ${next.renews_on} is billed on ${from}, pro rata.` : "";
  return h("p", { class: "notice", id: "plan-scheduled" }, `From ${from}: ${parts.join(", ")}.${moved}`);
}

// ------------------------------------------------------------ Edit plan

/// A field for a short code (a currency): its own small width in a row.
function narrowField(label: string, input: HTMLElement) {
  const f = field(label, input);
  f.classList.add("narrow");
  return f;
}

function openEditPlan() {
  const dialog = modal("plan-dialog");
  const a = state.overview!.account;
  // The form edits the terms from the next renewal: a change already
  // scheduled, or the plan as it is.
  const next = a.scheduled ?? { plan: a.plan, seat_price_cents: a.seat_price_cents, number_price_cents: a.number_price_cents, currency: a.currency, renews_on: null };
  const cents = (c: number) => (c / 100).toFixed(2);
  const plan = h("select", { id: "edit-plan-period" }, h("option", { value: "monthly", selected: next.plan === "monthly" }, "Monthly"), h("option", { value: "annual", selected: next.plan === "annual" }, "Annual"));
  const seat = h("input", { id: "edit-seat-price", inputmode: "decimal", value: cents(next.seat_price_cents) });
  const number = h("input", { id: "edit-number-price", inputmode: "decimal", value: cents(next.number_price_cents) });
  const currency = h("input", { id: "edit-currency", value: next.currency, maxlength: 3, size: 4 });
  const renews = h("input", { id: "edit-renews-on", type: "date", value: next.renews_on ?? a.renews_on });
  // A price is per period: switching the period moves prices still at the
  // old period's defaults to the new one's.
  const defaults = { monthly: ["10.00", "5.00"], annual: ["100.00", "50.00"] } as const;
  let period = next.plan;
  plan.addEventListener("change", () => {
    const to = plan.value as "monthly" | "annual";
    if (seat.value === defaults[period][0]) seat.value = defaults[to][0];
    if (number.value === defaults[period][1]) number.value = defaults[to][1];
    period = to;
  });
  const error = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "primary", id: "save-plan" }, "Save plan");
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => dialog.close());
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", {}, "Edit plan"),
    h(
      "p",
      { class: "muted" },
      `Changes take effect at the renewal on ${a.renews_on}: this period (${a.period_start} to ${a.renews_on}) keeps its dates and prices, and past ledger entries keep theirs. ` +
        `To move the renewal date, choose a day after ${a.renews_on}; the days in between are billed on ${a.renews_on}, pro rata.`,
    ),
    h("div", { class: "row" }, field("Plan", plan), field("Renewal date", renews)),
    h("div", { class: "row" }, field("Seat price", seat), field("Number price", number), narrowField("Currency", currency)),
    error,
    h("div", { class: "actions" }, cancel, save),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    try {
      await api.updatePlan(scope(), {
        plan: plan.value,
        seat_price: seat.value,
        number_price: number.value,
        currency: currency.value,
        renews_on: renews.value || null,
        version: a.plan_version,
      });
      dialog.close();
      await hooks.changed();
    } catch (e) {
      const { code } = describe(e);
      if (code === "stale_edit") {
        // Changed elsewhere meanwhile: show the plan as it is now, and open
        // the dialog again on it (what was typed here is not saved).
        dialog.close();
        await hooks.changed();
        notify("The plan was changed elsewhere meanwhile; here it is as it is now. Make your change again.");
        return;
      }
      showError(error, e);
      save.disabled = false;
    }
  });
  replace(dialog, form);
  dialog.showModal();
}
