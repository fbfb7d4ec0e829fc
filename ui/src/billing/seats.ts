// Buying and removing: the Manage seats dialog (Buy / Remove) and the Buy
// number dialog. Every figure shown comes from a backend quote; the Plan &
// Billing page is page.ts.

import { api, MAX_QUANTITY } from "../api";
import type { Quote, SeatSummary } from "../api";
import { describe, hooks, scope, state } from "../context";
import { h, money, num, plural, replace } from "../dom";
import { freshDialog, showError } from "../kit";


export function per(): string {
  return state.overview!.account.plan === "annual" ? "year" : "month";
}

export function cur(): string {
  return state.overview!.account.currency;
}

const modal = freshDialog;

/// Keeps only whole numbers 1–MAX_QUANTITY typed in a quantity box; null otherwise.
function quantityOf(input: HTMLInputElement): number | null {
  const raw = input.value.trim();
  if (!/^\d{1,6}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_QUANTITY ? n : null;
}

/// How the amount due now is reached: "4 × 10.00 USD × 15/30 days".
export function quoteMath(q: Quote): string {
  const whole = q.days_remaining === q.period_days;
  return `${num(q.quantity)} × ${money(q.unit_cents, q.currency)}${whole ? " for the whole period" : ` × ${q.days_remaining}/${q.period_days} days left in this period`}`;
}

function quoteLines(q: Quote) {
  return [
    h(
      "div",
      { class: "quote-line" },
      h("span", {}, "Due now"),
      h("strong", { id: "quote-due" }, money(q.due_now_cents, q.currency)),
      h("small", { id: "quote-math" }, q.included ? "included in the plan" : quoteMath(q)),
    ),
    h(
      "div",
      { class: "quote-line" },
      h("span", {}, "New renewal total"),
      h("strong", { id: "quote-renewal" }, money(q.renewal_total_cents, q.currency)),
      h("small", {}, `per ${per()}, from ${q.renews_on}`),
    ),
  ];
}

// ------------------------------------------------------------ Manage seats

/// The seat count in words, where the number is shown: the short line and
/// what adds it up (the Owner's included seat, free Observers), for a
/// tooltip or a card.
export function seatWords(s: SeatSummary): { short: string; free: string | null; detail: string } {
  const observers = s.observers === 0 ? "there are no Observers" : `${plural(s.observers, "Observer")} ${s.observers === 1 ? "is" : "are"} free`;
  return {
    short: `${num(s.assigned)} of ${num(s.purchased)} paid seats used`,
    free: s.unassigned > 0 ? `${num(s.unassigned)} free` : null,
    detail:
      `${plural(s.assigned, "Admin, Manager or Member holds", "Admins, Managers and Members hold")} a paid seat (invited or Active) of the ${plural(s.purchased, "seat")} paid for` +
      `${s.unassigned > 0 ? `; ${num(s.unassigned)} ${s.unassigned === 1 ? "is" : "are"} free to assign` : ""}. The Owner's seat is included and not counted; ${observers} (they hold no seat).`,
  };
}

export function openManageSeats(options: { tab?: "buy" | "remove"; quantity?: number } = {}) {
  const dialog = modal("seats-dialog");
  let seats = state.overview!.seats;
  let tab = options.tab ?? "buy";
  let quote: Quote | null = null;
  let timer: number | undefined;

  const words = seatWords(seats);
  const summary = h("p", { class: "muted", id: "seats-dialog-summary", title: words.detail }, [words.short, words.free, "the Owner's seat is included"].filter(Boolean).join(" · "));
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const body = h("div", { class: "dialog-body" });
  const error = h("p", { class: "form-error", role: "alert", id: "seats-error" });
  const close = h("button", { type: "button" }, "Cancel");
  close.addEventListener("click", () => dialog.close());

  const buyInput = h("input", { id: "buy-quantity", type: "number", min: 1, max: MAX_QUANTITY, step: 1, value: String(options.quantity ?? 1), "aria-label": "Seats to buy" });
  const quoteBox = h("div", { class: "quote", id: "buy-quote", "aria-live": "polite" });
  const buy = h("button", { type: "button", class: "primary", id: "buy-confirm", disabled: true }, "Buy seats");

  const removeInput = h("input", { id: "remove-quantity", type: "number", min: 1, max: Math.max(1, seats.unassigned), step: 1, value: "1", "aria-label": "Seats to remove" });
  const removeNote = h("p", { class: "warning", id: "remove-note" });
  const remove = h("button", { type: "button", class: "danger", id: "remove-confirm" }, "Remove seats");

  async function refreshQuote() {
    const n = quantityOf(buyInput);
    quote = null;
    buy.disabled = true;
    error.textContent = "";
    buy.textContent = n ? `Buy ${n} seat${n === 1 ? "" : "s"}` : "Buy seats";
    if (n === null) {
      replace(quoteBox, h("p", { class: "muted" }, `Enter a whole number of seats from 1 to ${MAX_QUANTITY.toLocaleString("en-US").replace(/,/g, " ")}.`));
      return;
    }
    try {
      const q = await api.quoteSeats(scope(), n);
      if (quantityOf(buyInput) !== n) return; // a newer keystroke won
      quote = q;
      replace(quoteBox, ...quoteLines(q));
      buy.disabled = false;
    } catch (e) {
      replace(quoteBox);
      showError(error, e);
    }
  }

  buyInput.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refreshQuote(), 120);
  });

  buy.addEventListener("click", async () => {
    if (!quote) return;
    buy.disabled = true;
    try {
      const bought = await api.buySeats(scope(), quote.quantity, quote.quote_id);
      await hooks.changed();
      receipt(
        `Bought ${plural(bought.quote.quantity, "seat")} for ${money(bought.charged_cents, bought.quote.currency)} (${quoteMath(bought.quote)}), recorded in the ledger.`,
        bought.seats,
      );
    } catch (e) {
      // The new quote first, then why it is new (the refresh clears the line).
      await refreshQuote();
      if (describe(e).code === "quote_stale") {
        // The seats changed too (another window, the command line): the counts again.
        await hooks.changed();
        redrawSummary();
        showError(error, e, "The account changed since this quote (its seats, prices or date); here is the new one. Nothing was charged.");
      } else showError(error, e);
    }
  });

  function redrawSummary() {
    const now = state.overview!.seats;
    seats = now;
    const w = seatWords(now);
    summary.textContent = [w.short, w.free, "the Owner's seat is included"].filter(Boolean).join(" · ");
    summary.title = w.detail;
    removeInput.max = String(Math.max(1, now.unassigned));
    if (tab === "remove") refreshRemove();
  }

  function refreshRemove() {
    const n = quantityOf(removeInput);
    error.textContent = "";
    remove.textContent = n ? `Remove ${n} seat${n === 1 ? "" : "s"}` : "Remove seats";
    const price = state.overview!.account.seat_price_cents;
    remove.disabled = n === null || n > seats.unassigned;
    replace(
      removeNote,
      seats.unassigned === 0
        ? "Every purchased seat is assigned: revoke an invite or delete a member first."
        : n === null || n > seats.unassigned
          ? `You can remove up to ${seats.unassigned} unassigned seat${seats.unassigned === 1 ? "" : "s"}.`
          : `Removal is permanent for this subscription and is not refunded. The renewal total drops by ${money(n * price, cur())} per ${per()}.`,
    );
  }
  removeInput.addEventListener("input", refreshRemove);
  remove.addEventListener("click", async () => {
    const n = quantityOf(removeInput);
    if (n === null) return;
    remove.disabled = true;
    try {
      const now = await api.removeSeats(scope(), n);
      await hooks.changed();
      receipt(`Removed ${plural(n, "seat")}, not refunded, recorded in the ledger.`, now);
    } catch (e) {
      showError(error, e);
      remove.disabled = false;
    }
  });

  /// What was done, in the dialog, until it is closed.
  function receipt(what: string, now: SeatSummary) {
    const done = h("button", { type: "button", class: "primary", id: "seats-done" }, "Done");
    done.addEventListener("click", () => dialog.close());
    replace(tabs);
    summary.remove(); // the receipt says the counts as they are now
    replace(
      body,
      h("div", { class: "receipt", id: "seats-receipt", role: "status" }, h("p", {}, h("strong", {}, what)), h("p", {}, [seatWords(now).short, seatWords(now).free].filter(Boolean).join(" · ") + "."), h("p", { class: "muted" }, `Renewal total ${money(now.renewal_total_cents, cur())} per ${per()}, next on ${now.renews_on}.`)),
    );
    replace(actions, done);
    done.focus();
  }

  function render() {
    const tabButton = (key: "buy" | "remove", label: string) => {
      const b = h("button", { type: "button", role: "tab", id: `seats-tab-${key}`, "aria-selected": String(tab === key) }, label);
      b.addEventListener("click", () => {
        tab = key;
        render();
      });
      return b;
    };
    replace(tabs, tabButton("buy", "Buy"), tabButton("remove", "Remove"));
    if (tab === "buy") {
      replace(body, h("label", { class: "field" }, h("span", {}, "Seats to buy"), buyInput), quoteBox);
      replace(actions, close, buy);
      void refreshQuote();
      buyInput.focus();
    } else {
      replace(
        body,
        h("p", {}, `Unassigned seats: `, h("strong", {}, String(seats.unassigned))),
        h("label", { class: "field" }, h("span", {}, "Seats to remove"), removeInput),
        removeNote,
      );
      replace(actions, close, remove);
      refreshRemove();
      removeInput.focus();
    }
  }
  const actions = h("div", { class: "actions" });
  replace(dialog, h("h2", {}, "Manage seats"), summary, tabs, body, error, actions);
  render();
  if (!dialog.open) dialog.showModal();
  // showModal focuses the first control (the Buy tab): the quantity is what one types.
  (tab === "buy" ? buyInput : removeInput).focus();
}

// ------------------------------------------------------------ Buy number

/// Buys a number for an inbox awaiting one; with `replacing` (its current
/// number), replaces it: the old one released, the new one bought, at one quote.
export function openBuyNumber(inbox: string, replacing?: string) {
  const dialog = modal("number-dialog");
  let quote: Quote | null = null;
  let timer: number | undefined;
  const input = h("input", { id: "number-input", placeholder: "+15551234567", "aria-label": "Phone number", autocomplete: "off" });
  const quoteBox = h("div", { class: "quote", id: "number-quote", "aria-live": "polite" });
  const error = h("p", { class: "form-error", role: "alert", id: "number-error" });
  const buy = h("button", { type: "button", class: "primary", id: replacing ? "replace-number-confirm" : "buy-number-confirm", disabled: true }, replacing ? "Replace number" : "Buy number");
  const close = h("button", { type: "button" }, "Cancel");
  close.addEventListener("click", () => dialog.close());

  async function refreshQuote() {
    quote = null;
    buy.disabled = true;
    error.textContent = "";
    const n = input.value.trim();
    if (!n) {
      replace(quoteBox, h("p", { class: "muted" }, "Type the number in E.164 form, with + and the country code."));
      return;
    }
    try {
      const q = replacing ? await api.quoteReplaceNumber(scope(), inbox, n) : await api.quoteNumber(scope(), inbox, n);
      if (input.value.trim() !== n) return;
      quote = q;
      replace(quoteBox, ...quoteLines(q));
      buy.disabled = false;
    } catch (e) {
      replace(quoteBox);
      showError(error, e);
    }
  }
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refreshQuote(), 150);
  });
  buy.addEventListener("click", async () => {
    if (!quote || quote.item.type !== "number") return;
    buy.disabled = true;
    try {
      if (replacing) await api.replaceNumber(scope(), inbox, quote.item.number, quote.quote_id);
      else await api.buyNumber(scope(), inbox, quote.item.number, quote.quote_id);
      dialog.close();
      await hooks.changed();
    } catch (e) {
      // The new quote first, then why it is new (the refresh clears the line).
      await refreshQuote();
      if (describe(e).code === "quote_stale") showError(error, e, "The account changed since this quote (its seats, prices or date); here is the new one. Nothing was charged.");
      else showError(error, e);
    }
  });
  replace(
    dialog,
    h("h2", {}, replacing ? `Replace ${replacing} of ${inbox}` : `Buy a number for ${inbox}`),
    h(
      "p",
      { class: "muted" },
      replacing
        ? `${replacing} is released in the same step (no refund for the rest of the period); the new number is billed like a seat.`
        : "One number is included in the plan; each further number is billed like a seat.",
    ),
    h("label", { class: "field" }, h("span", {}, "Phone number"), input),
    quoteBox,
    error,
    h("div", { class: "actions" }, close, buy),
  );
  void refreshQuote();
  dialog.showModal();
  input.focus();
}

