// The invite dialog: addresses, role, inbox, a live check of each address
// and, when seats are short, their quote to buy in the same step.

import { api, ApiError } from "../api";
import type { ErrorCode, InviteCheck, InvitePreview, Quote, Role } from "../api";
import { describe, roleLabel, scope, state } from "../context";
import { h, money, plural, replace } from "../dom";
import { errorContent, field, showError } from "../kit";
import { changed, dialog, inboxSelect, roleSelect } from "./actions";

// ------------------------------------------------------------------ invite

const OUTCOME_TEXT: Record<InviteCheck["outcome"], string> = {
  ok: "",
  invalid_email: "not a valid address",
  duplicate_in_batch: "listed twice",
  already_member: "already a member or invited",
  inbox_name_taken: "an inbox has this name",
};

/// The code recording an address would be refused with.
const REFUSAL_CODE: Record<InviteCheck["outcome"], ErrorCode> = {
  ok: "internal",
  invalid_email: "invalid_email",
  duplicate_in_batch: "duplicate_email",
  already_member: "duplicate_email",
  inbox_name_taken: "duplicate_inbox",
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
  const send = h("button", { type: "button", class: "primary", id: "invite-send", disabled: true }, "Record invites");
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  // Seatdesk sends no email: the text an owner pastes into their own mail.
  const copy = h("button", { type: "button", id: "invite-copy", title: "Copies an invitation to paste into your own email" }, "Copy invitation");
  const copied = h("span", { class: "muted", id: "invite-copied", "aria-live": "polite" });
  copy.addEventListener("click", async () => {
    const text = invitationText(role.value as Role, fresh.checked ? null : inbox.value);
    d.querySelector("#invitation-text")?.remove();
    const area = h("textarea", { id: "invitation-text", readonly: true, class: "offscreen", "aria-label": "Invitation text" }, text);
    d.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    if (!ok) ok = await navigator.clipboard?.writeText(text).then(() => true, () => false);
    copied.textContent = ok ? "Copied: paste it into your email." : "Select the text below and copy it.";
    if (!ok) area.classList.remove("offscreen");
  });

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
      showError(error, e);
      return;
    }
    drawChips();
    const bad = preview.report.filter((c) => c.outcome !== "ok");
    if (bad.length) {
      // Said as the refusal recording them would be: its code, and Copy details.
      const refusal = new ApiError({
        code: REFUSAL_CODE[bad[0].outcome],
        message: `${bad.length} of ${preview.report.length} cannot be invited: ${bad.map((c) => `${c.email} (${OUTCOME_TEXT[c.outcome]})`).join(", ")}. Fix or remove them to record the rest.`,
        details: { addresses: bad.map((c) => ({ email: c.email, outcome: c.outcome })) },
      });
      replace(seatsLine, h("p", { class: "form-error", "data-code": refusal.code }, ...errorContent(refusal)));
      return;
    }
    const n = preview.report.length;
    const shortfall = preview.needed - preview.free;
    if (shortfall > 0) {
      try {
        shortfallQuote = await api.quoteSeats(scope(), shortfall);
      } catch (e) {
        showError(error, e);
        return;
      }
      const q = shortfallQuote;
      replace(
        seatsLine,
        h("p", { class: "warning", id: "invite-shortfall" }, `${preview.needed} seat${preview.needed === 1 ? " is" : "s are"} needed and ${preview.free} unassigned: ${shortfall} more must be bought.`),
        h("div", { class: "quote-line" }, h("span", {}, `Buy ${shortfall} seat${shortfall === 1 ? "" : "s"} now`), h("strong", { id: "invite-quote-due" }, money(q.due_now_cents, q.currency)), h("small", {}, `${q.days_remaining} of ${q.period_days} days left in this period`)),
        h("div", { class: "quote-line" }, h("span", {}, "New renewal total"), h("strong", {}, money(q.renewal_total_cents, q.currency)), h("small", {}, `from ${q.renews_on}`)),
      );
      send.textContent = `Buy ${plural(shortfall, "seat")} and record ${plural(n, "invite")}`;
    } else {
      replace(seatsLine, h("p", { class: "muted" }, preview.needed ? `Uses ${preview.needed} of ${preview.free} unassigned seats.` : "Observers take no seat."));
      send.textContent = `Record ${plural(n, "invite")}`;
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
      await changed(`${plural(result.invited.length, "invite")} recorded${result.purchase ? `; bought ${plural(result.purchase.quote.quantity, "seat")}` : ""}.`);
    } catch (e) {
      if (describe(e).code === "quote_stale") showError(error, e, "The seat price changed since this quote; review the new one. Nothing was charged.");
      else showError(error, e);
      await check();
    }
  });

  replace(
    d,
    h("h2", {}, "Invite members"),
    h("p", { class: "muted" }, "Paste one or many addresses: commas, spaces and new lines all separate them. Seatdesk records each invite and reserves its seat; it sends no email, so tell them yourself."),
    box,
    h("div", { class: "row" }, field("Role", role)),
    h(
      "fieldset",
      { class: "inbox-choice" },
      h("legend", {}, "Inbox"),
      h("label", {}, existing, " Existing Inbox "),
      inbox,
      h("label", { title: "Each invitee gets an inbox of their own, named after them. It has no number until one is bought for it (Inboxes → Buy number)." }, fresh, ` A New Inbox of their own, awaiting a number (${money(state.overview!.account.number_price_cents, state.overview!.account.currency)} per ${state.overview!.account.plan === "annual" ? "year" : "month"} each; the plan includes one number)`),
    ),
    seatsLine,
    error,
    h("div", { class: "actions" }, copy, copied, h("div", { class: "spacer" }), cancel, send),
  );
  d.showModal();
  input.focus();
}

/// The invitation an owner sends themselves (Seatdesk sends none): who
/// invites, to which account, in which role and inbox.
export function invitationText(role: Role, inbox: string | null): string {
  const o = state.overview!;
  const me = o.acting_as;
  const place = inbox ? ` and the ${inbox} inbox` : "";
  return [
    "Hello,",
    "",
    `${me.name} (${me.email}) has invited you to join ${o.account.name} as ${roleLabel(role) === "Admin" ? "an Admin" : `a ${roleLabel(role)}`}${place} on our team messaging account.`,
    "Accept the invitation from the message the messaging service sends you; if it has not arrived, reply to this email.",
    "",
    `${me.name}`,
  ].join("\n");
}
