// An inbox's Conversations (issue #21): contact, assignee and last activity,
// newest first; filter by assignee or unassigned; reassign the chosen ones
// to a member of the inbox. Only the inbox's members see them: the Owner
// and Admins are offered "Add me" first (rules §7).

import { api } from "../api";
import type { ConversationPage, InboxPage } from "../api";
import { describe, hooks, notify, scope, state } from "../context";
import { errorContent, notifyError } from "../kit";
import { h, num, replace } from "../dom";

const PAGE = 100;

export async function conversationsSection(d: InboxPage): Promise<HTMLElement> {
  const section = h("section", { class: "conversations", id: "inbox-conversations" });
  // Who may hold work here (the first 500 by name: a bigger inbox filters by search elsewhere).
  const workers = await api
    .inboxMembers(scope(), d.name, { list: null, routable: true, search: null, offset: 0, limit: 500 })
    .then((p) => p.rows)
    .catch(() => []);
  const filter = h(
    "select",
    { id: "conversation-filter", "aria-label": "Whose conversations" },
    h("option", { value: "" }, "Everyone's"),
    h("option", { value: "-" }, "Unassigned"),
    workers.map((p) => h("option", { value: p.email }, p.name)),
  );
  const body = h("div", { id: "conversation-list" });
  let offset = 0;

  async function draw() {
    const query = { assignee: filter.value && filter.value !== "-" ? filter.value : null, unassigned: filter.value === "-", offset, limit: PAGE };
    let page: ConversationPage;
    try {
      page = await api.inboxConversations(scope(), d.name, query);
    } catch (e) {
      if (describe(e).code !== "not_inbox_member") {
        replace(body, h("p", { class: "form-error" }, ...errorContent(e)));
        return;
      }
      // Not in the inbox: the way in is to add oneself (when one may).
      const add = h("button", { type: "button", id: "conversations-add-me", disabled: !state.overview!.can.add_self_to_inboxes }, "Add me to this inbox");
      add.addEventListener("click", async () => {
        try {
          await api.addMe(scope(), d.name);
          await hooks.changed();
        } catch (err) {
          notifyError(err);
        }
      });
      replace(body, h("p", { class: "notice", id: "conversations-hidden" }, `Only members of ${d.name} see its conversations. `, add));
      return;
    }
    const manage = state.overview!.can.manage_inboxes;
    const boxes: HTMLInputElement[] = [];
    const rows = page.rows.map((c) => {
      const box = h("input", { type: "checkbox", "data-id": String(c.id), "aria-label": `Choose the conversation with ${c.contact_name}`, disabled: !manage });
      boxes.push(box);
      return h(
        "tr",
        { "data-id": String(c.id) },
        h("td", {}, box),
        h("td", { class: "name", title: c.contact_phone }, c.contact_name),
        h("td", { class: "assignee" }, c.assignee_name ?? h("span", { class: "muted" }, "Unassigned")),
        h("td", { class: "date" }, c.last_activity.slice(0, 10)),
      );
    });
    const to = h("select", { id: "reassign-to", "aria-label": "Assign to" }, h("option", { value: "" }, "Nobody (unassign)"), workers.map((p) => h("option", { value: p.email }, p.name)));
    const go = h("button", { type: "button", id: "reassign-chosen", disabled: !manage, title: manage ? undefined : "Only the Owner, Admins and Managers reassign conversations" }, "Reassign chosen");
    go.addEventListener("click", async () => {
      const ids = boxes.filter((b) => b.checked).map((b) => Number(b.dataset.id));
      if (!ids.length) {
        notify("Choose the conversations to reassign first.");
        return;
      }
      go.disabled = true;
      try {
        const n = await api.reassignConversations(scope(), d.name, ids, to.value || null);
        notify(`Assigned ${num(n)} conversations to ${to.value ? to.selectedOptions[0].textContent : "nobody"}.`);
        await draw();
      } catch (e) {
        notifyError(e);
        go.disabled = false;
      }
    });
    const prev = h("button", { type: "button", disabled: offset === 0 }, "Previous");
    prev.addEventListener("click", () => {
      offset = Math.max(0, offset - PAGE);
      void draw();
    });
    const next = h("button", { type: "button", disabled: offset + PAGE >= page.total }, "Next");
    next.addEventListener("click", () => {
      offset += PAGE;
      void draw();
    });
    replace(
      body,
      h("div", { class: "toolbar" }, h("span", { class: "muted" }, "Assign chosen to"), to, go),
      h(
        "div",
        { class: "table-wrap" },
        h("table", { id: "conversations-table" }, h("thead", {}, h("tr", {}, ["", "Contact", "Assignee", "Last activity"].map((l) => h("th", { scope: "col" }, l)))), h("tbody", {}, rows)),
      ),
      h("div", { class: "table-foot muted" }, page.total ? `${num(offset + 1)}–${num(offset + page.rows.length)} of ${num(page.total)}${page.total_capped ? "+" : ""} conversations` : "No conversations", prev, next),
    );
  }

  filter.addEventListener("change", () => {
    offset = 0;
    void draw();
  });
  replace(section, h("div", { class: "toolbar" }, h("h2", {}, "Conversations"), h("div", { class: "spacer" }), filter), body);
  void draw();
  return section;
}
