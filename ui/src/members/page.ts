// A member's page (issue #21): role, status and seat, who invited them and
// when it was last sent, what they hold, the inboxes they are in with the
// routing settings they take part in, the audit entries about them, and
// everything that can be done to them. Also the Add to inbox / Remove from
// inbox dialogs the row menu shares.

import { api } from "../api";
import type { InboxView, MemberStory, MemberView, SeatHeld } from "../api";
import { auditSentence } from "../audit_words";
import { hooks, notify, roleLabel, scope, state } from "../context";
import { h, plural, replace } from "../dom";
import { removeMember } from "../inboxes/page";
import { field, freshDialog, notifyError, showError } from "../kit";
import { memberActions } from "./row_menu";

/// The member shown (else the members table).
export const memberView = { open: null as string | null };

export function openMemberPage(email: string) {
  memberView.open = email;
  void hooks.changed();
}

const SEAT: Record<SeatHeld, string> = {
  owner: "The Owner's place comes with the plan",
  paid: "A paid seat",
  reserved: "A paid seat, reserved until they accept",
  free: "No seat: Observers read for free",
};

export async function renderMemberPage(page: HTMLElement, email: string) {
  let story: MemberStory;
  try {
    story = await api.memberStory(scope(), email);
  } catch (e) {
    // Deleted meanwhile (here or elsewhere): back to the table, saying why.
    memberView.open = null;
    notifyError(e);
    await hooks.changed();
    return;
  }
  const m = story.member;
  const back = h("button", { type: "button", class: "link", id: "back-to-members" }, "← All members");
  back.addEventListener("click", () => {
    memberView.open = null;
    void hooks.changed();
  });
  const actions = memberActions(m, true).map(([label, run, why]) => {
    const b = h("button", { type: "button", class: label.startsWith("Delete") || label.startsWith("Revoke") ? "danger" : "secondary", "data-action": label, disabled: why !== null, title: why ?? undefined }, label);
    b.addEventListener("click", run);
    return b;
  });
  const sent = m.status === "pending" ? `Last sent ${m.last_sent_at?.replace("T", " ").slice(0, 16) ?? "never"}${m.resend_count ? ` · ${plural(m.resend_count, "resend")} recorded` : ""}` : null;
  const manageInboxes = state.overview!.can.manage_inboxes;
  const inboxRows = story.inboxes.map((i) => {
    const remove = h("button", { type: "button", class: "link remove-from-inbox", "data-inbox": i.name, disabled: !manageInboxes || m.status === "pending", title: m.status === "pending" ? "An invitee's inbox changes by editing the invite" : manageInboxes ? undefined : "Only the Owner, Admins and Managers change who is in an inbox" }, "Remove");
    remove.addEventListener("click", () => void removeMember(i.name, m.email));
    return h(
      "tr",
      { "data-inbox": i.name },
      h("td", { class: "name" }, i.name),
      h("td", {}, i.number ?? h("span", { class: "badge warn" }, "Awaiting number")),
      h("td", { class: "routing" }, i.routing.length ? i.routing.join(", ") : h("span", { class: "muted" }, "No routing setting")),
      h("td", { class: "actions-cell" }, remove),
    );
  });
  const history = story.history.map((e) =>
    h(
      "tr",
      { "data-action": e.action },
      h("td", { class: "date", title: e.at }, e.at.replace("T", " ").slice(0, 16)),
      h("td", { class: "what" }, h("strong", { title: e.actor_email }, e.actor_name), " ", auditSentence(e, state.overview!.account.currency)),
    ),
  );
  replace(
    page,
    back,
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("h1", { id: "member-title" }, m.name), h("p", { class: "muted" }, m.email, " · ", h("span", { class: `role role-${m.role}` }, roleLabel(m.role)), " · ", m.status === "active" ? "Active" : "Pending invite")),
    ),
    h("div", { class: "toolbar member-actions", id: "member-actions" }, actions),
    h(
      "div",
      { class: "cards member-cards" },
      h(
        "section",
        { class: "card", id: "member-seat" },
        h("h2", {}, "Seat and invite"),
        h("p", {}, SEAT[story.seat]),
        h("p", { class: "muted", id: "member-invited" }, m.invited_on ? `Invited ${m.invited_on}${story.invited_by ? ` by ${story.invited_by}` : ""}` : "Invitation not recorded", m.joined_on ? ` · joined ${m.joined_on}` : ""),
        sent ? h("p", { class: "muted", id: "member-sent" }, sent) : null,
      ),
      h(
        "section",
        { class: "card", id: "member-holds" },
        h("h2", {}, "Holds"),
        h("p", {}, `${plural(story.conversations, "conversation")}, ${plural(story.contacts, "contact")}`),
        h("p", { class: "muted" }, `Owns ${plural(story.owned_inboxes, "inbox", "inboxes")}`),
      ),
    ),
    h("div", { class: "toolbar" }, h("h2", {}, `Inboxes (${story.inboxes.length})`)),
    story.routing_elsewhere.length
      ? h("p", { class: "form-error", id: "routing-elsewhere" }, `Still named in routing of inboxes they are not in: ${story.routing_elsewhere.join("; ")}`)
      : null,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "member-inboxes" },
        h("thead", {}, h("tr", {}, ["Inbox", "Number", "Routing they are in", ""].map((l) => h("th", { scope: "col" }, l)))),
        h("tbody", {}, inboxRows.length ? inboxRows : h("tr", { class: "empty" }, h("td", { colspan: 4 }, "In no inbox."))),
      ),
    ),
    h("div", { class: "toolbar" }, h("h2", {}, "History")),
    h(
      "div",
      { class: "table-wrap" },
      h("table", { id: "member-history" }, h("tbody", {}, history.length ? history : h("tr", { class: "empty" }, h("td", {}, "Nothing recorded about them yet.")))),
    ),
    story.history_more ? h("p", { class: "muted" }, "Older entries are on the Audit log page.") : null,
  );
  document.getElementById("back-to-members")?.focus();
}

/// Adds an Active member to an inbox they are not in (and its Conversation
/// Assignment and Ring Group): the fix for an invite sent to a New Inbox by
/// mistake, once accepted.
export async function openAddToInbox(m: MemberView) {
  const inboxes: InboxView[] = await api.listInboxes(scope()).catch(() => []);
  const open = inboxes.filter((i) => !m.inboxes.includes(i.name));
  const d = freshDialog("add-to-inbox-dialog", false);
  const select = h("select", { id: "add-to-inbox-name" }, open.map((i) => h("option", { value: i.name }, i.number ? `${i.name} (${i.number})` : `${i.name} (awaiting number)`)));
  const error = h("p", { class: "form-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: "primary", id: "add-to-inbox-confirm", disabled: open.length === 0 }, "Add to inbox");
  go.addEventListener("click", async () => {
    go.disabled = true;
    try {
      const r = await api.addInboxMember(scope(), select.value, m.email);
      d.close();
      notify(r.message);
      await hooks.changed();
    } catch (e) {
      showError(error, e);
      go.disabled = false;
    }
  });
  replace(
    d,
    h("h2", {}, `Add ${m.name} to an inbox`),
    open.length ? field("Inbox", select, "They join its Conversation Assignment and Ring Group too.") : h("p", {}, `${m.name} is in every inbox already.`),
    error,
    h("div", { class: "actions" }, cancel, go),
  );
  d.showModal();
  select.focus();
}

/// Takes a member out of one of their inboxes (with the removal guard).
export function openRemoveFromInbox(m: MemberView) {
  const d = freshDialog("remove-from-inbox-dialog", false);
  const select = h("select", { id: "remove-from-inbox-name" }, m.inboxes.map((i) => h("option", { value: i }, i)));
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const go = h("button", { type: "button", class: "danger", id: "remove-from-inbox-confirm" }, "Remove from inbox");
  go.addEventListener("click", () => {
    d.close();
    void removeMember(select.value, m.email);
  });
  replace(d, h("h2", {}, `Remove ${m.name} from an inbox`), field("Inbox", select, "They stay in the account; a routing setting that names them is listed first."), h("div", { class: "actions" }, cancel, go));
  d.showModal();
  select.focus();
}
