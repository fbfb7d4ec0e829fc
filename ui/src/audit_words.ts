// The audit log in words: "Olivia Owner bought 5 seats for 3.33 USD". Each
// entry's recorded details stay one click away; an action this file does not
// know reads as its name and target.

import type { AuditEntryView } from "./api";
import { money, plural } from "./dom";

type Details = Record<string, unknown>;

const SETTINGS: Record<string, string> = {
  conversation_assignment: "Conversation Assignment",
  ring_group: "Ring Group",
  call_distribution: "Call Distribution",
  ivr: "IVR",
};

const ROLES: Record<string, string> = { owner: "Owner", admin: "Admin", manager: "Manager", member: "Member", observer: "Observer" };

/// What was done, after the actor's name.
export function auditSentence(e: AuditEntryView, currency: string): string {
  const d = parse(e.details);
  const t = e.target;
  const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : "");
  const n = (k: string) => (typeof d[k] === "number" ? (d[k] as number) : 0);
  const cash = (k: string) => money(n(k), currency);
  const role = (k: string) => ROLES[str(k)] ?? str(k);
  switch (e.action) {
    case "account.create":
      return `created the account ${t} (${str("plan")} plan, renewing on ${str("renews_on")})`;
    case "acting.switch":
      return `now acts in the window as ${t}${str("from") ? ` (was ${str("from")})` : ""}`;
    case "contact.add":
      return `added the contact ${t}`;
    case "conversation.add":
      return `added a conversation to ${t}`;
    case "db.restore":
      return "restored the database from a backup";
    case "inbox.create":
      return `created the inbox ${t}`;
    case "inbox.buy_number":
      return `bought the number ${str("number")} for ${t} (${d.included ? "included in the plan" : `${cash("due_now_cents")} now`})`;
    case "inbox.add_member":
      return `added ${str("member")} to ${t}`;
    case "inbox.remove_member":
      return `removed ${str("member")} from ${t}`;
    case "inbox.remove":
      return `removed the inbox ${t} (${str("reason")})`;
    case "inbox.rename":
      return `renamed the inbox ${str("from")} to ${t}`;
    case "inbox.release_number":
      return `released the number ${str("number")} of ${t} (no refund)`;
    case "inbox.delete": {
      const moved = n("conversations_moved") ? `, ${n("conversations_moved")} conversations moved to ${str("conversations_to")}` : "";
      const number = str("number_released") ? `, its number released` : str("number_moved_to") ? `, its number moved to ${str("number_moved_to")}` : "";
      return `deleted the inbox ${t}${moved}${number}`;
    }
    case "inbox.hand_over":
      return `handed the inbox ${t} from ${str("from")} to ${str("to")}`;
    case "member.invite":
      return `invited ${t} as ${role("role")} to ${d.new_inbox ? "a New Inbox" : str("inbox")}`;
    case "member.accept":
      return `marked ${t}'s invite accepted, as ${str("name")}`;
    case "member.resend":
      return `recorded a resend of ${t}'s invite`;
    case "member.revoke":
      return `revoked the invite to ${t}`;
    case "member.edit_invite":
      return `edited the invite to ${t}`;
    case "member.role":
      return `changed ${t}'s role from ${role("from")} to ${role("to")}`;
    case "member.delete":
      return `deleted ${t}${str("reassigned_to") ? `; their work went to ${str("reassigned_to")}` : ""}`;
    case "member.set_email":
      return `changed their email from ${str("from")} to ${str("to")}`;
    case "owner.transfer":
      return `made ${t} the Owner`;
    case "plan.update":
      return `changed the plan of ${t}`;
    case "plan.renew":
      return `renewed ${t}: ${plural(n("periods"), "period")} booked, next renewal ${str("renews_on")}`;
    case "routing.assignment":
      return `changed the Conversation Assignment of ${t}`;
    case "routing.ring_group":
      return `changed the Ring Group of ${t}`;
    case "routing.distribution":
      return `changed the Call Distribution of ${t}`;
    case "routing.ivr":
      return `changed the IVR of ${t}`;
    case "routing.add":
      return `added ${str("member")} to the ${SETTINGS[str("setting")] ?? str("setting")} of ${t}`;
    case "routing.remove":
      return `removed ${str("member")} from the ${SETTINGS[str("setting")] ?? str("setting")} of ${t}`;
    case "routing.distribution_add":
      return `added ${str("member")} to Call Distribution group ${n("group")} of ${t}`;
    case "routing.distribution_remove":
      return `removed ${str("member")} from Call Distribution group ${n("group")} of ${t}`;
    case "routing.ivr_option":
      return `set IVR digit ${n("digit")} of ${t}`;
    case "seats.buy":
      return `bought ${plural(n("quantity"), "seat")} for ${cash("due_now_cents")}`;
    case "seats.remove":
      return `removed ${plural(n("quantity"), "seat")} (not refunded)`;
    case "support.enter":
      return `switched support mode on, ticket ${t}`;
    case "support.exit":
      return `switched support mode off, ticket ${t}`;
    default:
      return e.action.startsWith("demo.") ? `generated demo data (${t})` : `${e.action.replace(/[._]/g, " ")}: ${t}`;
  }
}

function parse(details: string): Details {
  try {
    const v = JSON.parse(details);
    return v && typeof v === "object" ? (v as Details) : {};
  } catch {
    return {};
  }
}
