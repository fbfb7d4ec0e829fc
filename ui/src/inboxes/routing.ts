// The four routing dialogs of an inbox: Conversation Assignment, Ring
// Group, Call Distribution and IVR.

import { api, MAX_GROUPS, MAX_RING_SECONDS, MAX_SIMULTANEOUS, MIN_RING_SECONDS } from "../api";
import type { Fallthrough, GroupView, InboxPage, IvrTarget, RingStrategy } from "../api";
import { describe, hooks, notify, scope } from "../context";
import { h, num, replace } from "../dom";
import { field, freshDialog, notifyError, showError } from "../kit";
import { chosenList, memberPicker, namer, remoteChosenList, type Source } from "../picker";

const STRATEGIES: [RingStrategy, string][] = [
  ["simultaneous", "Simultaneous"],
  ["round_robin", "Round robin"],
  ["linear_round_robin", "Linear round robin"],
];


export function strategyLabel(s: RingStrategy) {
  return STRATEGIES.find(([k]) => k === s)![1];
}

const dialog = freshDialog;

/** Who routing settings may name: active members of the inbox who hold
 * work (Observers read and hold none, README "Observers hold no work"; the
 * backend refuses them), found by the backend as one types. */
function routable(d: InboxPage): Source {
  return async (text, limit) => (await api.inboxMembers(scope(), d.name, { list: null, routable: true, search: text || null, offset: 0, limit })).rows;
}

/// The Conversation Assignment or Ring Group list: each change is saved at
/// once (one member added or removed), then the dialog is read again.
function memberList(d: InboxPage, ringGroup: boolean, count: number, limit: number | null, reopen: (fresh: InboxPage, find: string) => void, find = "") {
  // What the find box holds survives the reopen after a change.
  let finding = find;
  const set = async (email: string, present: boolean) => {
    try {
      const r = await api.setRoutingMember(scope(), d.name, ringGroup, email, present);
      if (!r.changed) return notify(r.message);
      await refreshDialog(d.name, (fresh) => reopen(fresh, finding));
      if (present) notify(r.message);
      document.getElementById(ringGroup ? "ring-add" : "assignment-add")?.focus();
    } catch (e) {
      notifyError(e);
    }
  };
  const picker = memberPicker({
    id: ringGroup ? "ring-add" : "assignment-add",
    label: "Add a member",
    placeholder: "Add a member: type a name or an address",
    source: routable(d),
    onPick: (p) => void set(p.email, true),
  });
  const full = limit !== null && count >= limit;
  return h(
    "div",
    { class: "member-list" },
    remoteChosenList({
      id: ringGroup ? "ring-members" : "assignment-members",
      count,
      fetch: (search, n) => api.inboxMembers(scope(), d.name, { list: ringGroup ? "ring_group" : "assignment", routable: false, search: search || null, offset: 0, limit: n }),
      numbered: !ringGroup,
      onRemove: (p) => void set(p.email, false),
      empty: "Nobody yet.",
      search: find,
      onSearch: (text) => (finding = text),
    }),
    full ? h("p", { class: "muted" }, `Simultaneous rings at most ${limit} members: remove one to add another.`) : picker.element,
  );
}

async function refreshDialog(inbox: string, open: (d: InboxPage) => void) {
  const fresh = await api.inboxPage(scope(), inbox);
  open(fresh);
  await hooks.changed();
}

/** A routing dialog's Save: runs `action`, then closes the dialog and
 *  refreshes the page; a refusal is shown in `error` and the dialog stays.
 *  A whole save made stale by a change elsewhere (`stale_edit`) reopens the
 *  dialog on the setting as it is now (`reopen`), so the next save can work. */
function saveButton(id: string, dlg: HTMLDialogElement, error: HTMLElement, action: () => Promise<unknown>, reopen?: () => Promise<void>): HTMLButtonElement {
  const save = h("button", { type: "button", class: "primary", id }, "Save");
  save.addEventListener("click", async () => {
    try {
      await action();
      dlg.close();
      await hooks.changed();
    } catch (e) {
      if (describe(e).code === "stale_edit" && reopen) {
        await reopen();
        notify("It was changed elsewhere meanwhile; here it is as it is now. Make your change again.");
        return;
      }
      showError(error, e);
    }
  });
  return save;
}

function actions(dlg: HTMLDialogElement, save: HTMLButtonElement | null) {
  const close = h("button", { type: "button" }, save ? "Cancel" : "Done");
  close.addEventListener("click", () => dlg.close());
  return h("div", { class: "actions" }, close, save);
}

// Conversation Assignment
/// Conversation Assignment; `unsaved` carries the form's values across a
/// reopen after a member was added or removed (saved at once).
export function openAssignment(d: InboxPage, unsaved?: { round_robin: boolean; default_assignee: string | null; find?: string }) {
  const dlg = dialog("assignment-dialog");
  const a = { ...d.conversation_assignment, ...unsaved };
  const rr = h("input", { type: "checkbox", id: "rr-toggle", checked: a.round_robin });
  const who = namer(d.people);
  // The default assignee: one member, or none (round robin).
  let assignee: string | null = a.default_assignee;
  const defPicker = memberPicker({
    id: "default-assignee",
    label: "Default assignee",
    placeholder: "Nobody: type a name",
    source: routable(d),
    keep: true,
    initial: a.default_assignee ? who.person(a.default_assignee) : null,
    onPick: (p) => {
      assignee = p.email;
      sync();
    },
    onClear: () => {
      assignee = null;
      sync();
    },
  });
  const clearDef = h("button", { type: "button", class: "link", id: "clear-default-assignee" }, "No default assignee");
  clearDef.addEventListener("click", () => {
    assignee = null;
    defPicker.input.value = "";
    sync();
  });
  const def = { get value() { return assignee ?? ""; }, set value(v: string) { assignee = v || null; if (!v) defPicker.input.value = ""; } };
  const note = h("p", { class: "muted", id: "rr-note" });
  const sync = () => {
    if (def.value) rr.checked = false;
    note.textContent = def.value
      ? "A default assignee takes every inbound conversation, so round robin is off."
      : rr.checked
        ? "Inbound conversations go round robin, in the order below."
        : "Choose a default assignee to turn round robin off: conversations always have someone to go to.";
  };
  rr.addEventListener("change", () => {
    if (rr.checked) def.value = "";
    sync();
  });
  sync();
  const error = h("p", { class: "form-error", role: "alert" });
  const save = saveButton("save-assignment", dlg, error, () => {
    if (defPicker.unresolved()) throw new Error(`Choose the default assignee from the list (no member is "${defPicker.unresolved()}"), or empty the box for none.`);
    return api.setAssignment(scope(), d.name, { round_robin: rr.checked, default_assignee: def.value });
  });
  replace(
    dlg,
    h("h2", {}, "Conversation Assignment"),
    h("p", { class: "muted" }, "Messaging: who inbound conversations of this inbox are assigned to."),
    h("label", { class: "check" }, rr, " Round robin"),
    h("label", { class: "field" }, h("span", {}, "Default assignee"), h("div", { class: "row" }, defPicker.element, clearDef)),
    note,
    h("h3", {}, `Members in round-robin order (${num(a.count)})`),
    h("p", { class: "muted" }, "Adding or removing a member is saved at once."),
    memberList(d, false, a.count, null, (fresh, find) => openAssignment(fresh, { round_robin: rr.checked, default_assignee: assignee, find }), unsaved?.find),
    h("p", { class: "muted", id: "assignment-preview" }, a.next.length ? `The next 5 inbound conversations go to: ${a.next.map(who.name).join(", ")}` : "The next conversations stay unassigned."),
    error,
    actions(dlg, save),
  );
  dlg.showModal();
}

// Ring Group
/// Ring Group; `unsaved` carries the strategy and ring time across a reopen
/// after a member was added or removed (saved at once).
export function openRingGroup(d: InboxPage, unsaved?: { strategy: RingStrategy; ring_seconds: number; find?: string }) {
  const dlg = dialog("ring-dialog");
  const g = { ...d.ring_group, ...unsaved };
  const strategy = h("select", { id: "ring-strategy" }, STRATEGIES.map(([k, l]) => h("option", { value: k, selected: k === g.strategy }, l)));
  const seconds = h("input", { id: "ring-seconds", type: "number", min: MIN_RING_SECONDS, max: MAX_RING_SECONDS, value: String(g.ring_seconds) });
  const error = h("p", { class: "form-error", role: "alert", id: "ring-error" });
  const save = saveButton("save-ring", dlg, error, () =>
    api.setRingGroup(scope(), d.name, strategy.value as RingStrategy, Number(seconds.value)),
  );
  // The heading, the limit and the add box follow the strategy chosen in the
  // form (Simultaneous rings at most ten), saved or not.
  const heading = h("h3", {});
  const list = h("div", {});
  let find = unsaved?.find ?? "";
  const drawList = () => {
    const simultaneous = strategy.value === "simultaneous";
    heading.textContent = simultaneous ? `Members (${num(g.count)} of at most ${MAX_SIMULTANEOUS})` : `Members (${num(g.count)})`;
    replace(
      list,
      memberList(
        d,
        true,
        g.count,
        simultaneous ? MAX_SIMULTANEOUS : null,
        (fresh, found) => openRingGroup(fresh, { strategy: strategy.value as RingStrategy, ring_seconds: Number(seconds.value), find: found }),
        find,
      ),
    );
  };
  strategy.addEventListener("change", () => {
    find = (document.getElementById("ring-members-find") as HTMLInputElement | null)?.value ?? find;
    drawList();
  });
  drawList();
  replace(
    dlg,
    h("h2", {}, "Ring Group"),
    h("p", { class: "muted" }, "Calling → General: who rings for inbound calls. Simultaneous rings at most 10 members."),
    h("div", { class: "row" }, field("Strategy", strategy), field(`Ring time (${MIN_RING_SECONDS}–${MAX_RING_SECONDS} s)`, seconds)),
    heading,
    h("p", { class: "muted" }, "Adding or removing a member is saved at once; Save keeps the strategy and the ring time."),
    list,
    error,
    actions(dlg, save),
  );
  dlg.showModal();
}

// Call Distribution
export function openDistribution(d: InboxPage) {
  const dlg = dialog("distribution-dialog");
  const groups: GroupView[] = d.distribution.groups.map((g) => ({ ...g, members: [...g.members] }));
  const list = h("ol", { class: "groups", id: "distribution-groups" });
  const total = h("p", { class: "muted", id: "distribution-total" });
  const fall = h("select", { id: "fallthrough" }, h("option", { value: "voicemail", selected: d.distribution.fallthrough === "voicemail" }, "Voicemail"), h("option", { value: "drop", selected: d.distribution.fallthrough === "drop" }, "Drop the call"));
  const add = h("button", { type: "button", id: "add-group" }, "Add group");
  const people = routable(d);
  const who = namer(d.people);
  const draw = () => {
    replace(
      list,
      groups.map((g, i) => {
        const strategy = h("select", { "aria-label": `Group ${i + 1} strategy`, class: "group-strategy" }, STRATEGIES.map(([k, l]) => h("option", { value: k, selected: k === g.strategy }, l)));
        strategy.addEventListener("change", () => (g.strategy = strategy.value as RingStrategy));
        const secs = h("input", { type: "number", min: MIN_RING_SECONDS, max: MAX_RING_SECONDS, value: String(g.ring_seconds), class: "group-seconds", "aria-label": `Group ${i + 1} ring time` });
        secs.addEventListener("input", () => {
          g.ring_seconds = Number(secs.value);
          drawTotal();
        });
        const move = (delta: number, label: string) => {
          const b = h("button", { type: "button", disabled: i + delta < 0 || i + delta >= groups.length, "aria-label": `${label} group ${i + 1}` }, label === "Up" ? "↑" : "↓");
          b.addEventListener("click", () => {
            const [x] = groups.splice(i, 1);
            groups.splice(i + delta, 0, x);
            draw();
          });
          return b;
        };
        const remove = h("button", { type: "button", class: "link", "aria-label": `Remove group ${i + 1}` }, "Remove");
        remove.addEventListener("click", () => {
          groups.splice(i, 1);
          draw();
        });
        const members = h("div", { class: "group-members" });
        const drawMembers = () =>
          replace(
            members,
            chosenList({
              id: `group-${i + 1}-members`,
              people: g.members.map(who.person),
              onRemove: (p) => {
                g.members = g.members.filter((m) => m !== p.email);
                error.textContent = "";
                drawMembers();
              },
              empty: "Nobody in this group yet: a group rings at least one member.",
            }),
            memberPicker({
              id: `group-${i + 1}-add`,
              label: `Add a member to group ${i + 1}`,
              placeholder: "Add a member: type a name or an address",
              source: people,
              exclude: (email) => g.members.includes(email),
              onPick: (p) => {
                who.add(p);
                g.members = [...g.members, p.email];
                error.textContent = "";
                drawMembers();
                document.getElementById(`group-${i + 1}-add`)?.focus();
              },
            }).element,
          );
        drawMembers();
        return h("li", { class: "group" }, h("div", { class: "group-head" }, h("strong", {}, `Group ${i + 1}`), strategy, secs, h("span", { class: "muted" }, "s"), move(-1, "Up"), move(1, "Down"), remove), members);
      }),
    );
    add.disabled = groups.length >= MAX_GROUPS;
    drawTotal();
  };
  const drawTotal = () => {
    const t = groups.reduce((s, g) => s + (Number.isFinite(g.ring_seconds) ? g.ring_seconds : 0), 0);
    total.textContent = `${groups.length} of ${MAX_GROUPS} groups · a caller rings for up to ${t} s, then ${fall.value === "voicemail" ? "voicemail" : "the call drops"}.`;
  };
  fall.addEventListener("change", drawTotal);
  add.addEventListener("click", () => {
    // Position 0: a new group (the save says where the others came from, so
    // IVR digits follow their group).
    groups.push({ position: 0, members: [], strategy: "round_robin", ring_seconds: 20 });
    draw();
  });
  const error = h("p", { class: "form-error", role: "alert", id: "distribution-error" });
  const save = saveButton("save-distribution", dlg, error, () =>
    api.setDistribution(scope(), d.name, {
      groups: groups.map((g) => ({ members: g.members, strategy: g.strategy, ring_seconds: g.ring_seconds, was: g.position > 0 ? g.position : null })),
      fallthrough: fall.value as Fallthrough,
      version: d.distribution.version,
    }),
    () => refreshDialog(d.name, openDistribution),
  );
  replace(dlg, h("h2", {}, "Call Distribution"), h("p", { class: "muted" }, "Unanswered calls fall to the next group, in order."), list, add, field("After the last group", fall), total, error, actions(dlg, save));
  draw();
  dlg.showModal();
}

// IVR
function targetKey(t: IvrTarget): string {
  switch (t.type) {
    case "member":
      return `member:${t.email}`;
    case "distribution_group":
      return `group:${t.position}`;
    default:
      return t.type;
  }
}

export function openIvr(d: InboxPage) {
  const dlg = dialog("ivr-dialog");
  const who = namer(d.people);
  const greeting = h("textarea", { id: "ivr-greeting", rows: 2, maxlength: 500 });
  greeting.value = d.ivr.greeting;
  // Each digit: where it leads; "A member" adds a picker for who.
  const choices: [string, string][] = [
    ["", "Not used"],
    ["ring_group", "Ring Group"],
    ...d.distribution.groups.map((g): [string, string] => [`group:${g.position}`, `Distribution group ${g.position}`]),
    ["member", "A member…"],
    ["voicemail", "Voicemail"],
  ];
  const digits = Array.from({ length: 10 }, (_, digit) => {
    const current = d.ivr.options.find((o) => o.digit === digit);
    const key = current ? targetKey(current.target) : "";
    const kind = key.startsWith("member:") ? "member" : key;
    const select = h("select", { id: `ivr-digit-${digit}`, "aria-label": `Digit ${digit}` }, choices.map(([k, l]) => h("option", { value: k, selected: k === kind }, l)));
    if (current?.points_nowhere) select.prepend(h("option", { value: "none", selected: true }, "⚠ Points nowhere"));
    const member: string | null = key.startsWith("member:") ? key.slice(7) : null;
    const picker = memberPicker({
      id: `ivr-member-${digit}`,
      label: `Member for digit ${digit}`,
      source: routable(d),
      keep: true,
      initial: member ? who.person(member) : null,
      onPick: () => {},
    });
    const pickerCell = h("td", { class: "ivr-member" }, picker.element);
    const show = () => (pickerCell.hidden = select.value !== "member");
    select.addEventListener("change", () => {
      show();
      if (select.value === "member") picker.input.focus();
    });
    show();
    const row = h("tr", { class: current?.points_nowhere ? "flagged" : "" }, h("th", { scope: "row" }, String(digit)), h("td", {}, select), pickerCell);
    // The member is the one the box shows as chosen: text typed and not
    // picked from the list is refused at Save, never the old choice.
    return { digit, select, member: () => picker.chosen()?.email ?? null, row };
  });
  const error = h("p", { class: "form-error", role: "alert", id: "ivr-error" });
  const save = saveButton("save-ivr", dlg, error, () => {
    const options = digits.flatMap(({ digit, select, member }) => {
      const v = select.value;
      if (!v) return [];
      let target: IvrTarget;
      if (v === "member") {
        const email = member();
        if (!email) throw new Error(`Digit ${digit}: choose the member it rings from the list.`);
        target = { type: "member", email };
      } else if (v.startsWith("group:")) target = { type: "distribution_group", position: Number(v.slice(6)) };
      else if (v === "ring_group") target = { type: "ring_group" };
      else if (v === "voicemail") target = { type: "voicemail" };
      else target = { type: "none" };
      return [{ digit, target }];
    });
    return api.setIvr(scope(), d.name, { greeting: greeting.value, options, version: d.ivr.version });
  }, () => refreshDialog(d.name, openIvr));
  replace(
    dlg,
    h("h2", {}, "IVR"),
    h("p", { class: "muted" }, "What each key a caller presses leads to."),
    field("Greeting", greeting),
    h("table", { class: "ivr", id: "ivr-options" }, h("tbody", {}, digits.map((x) => x.row))),
    error,
    actions(dlg, save),
  );
  dlg.showModal();
}
