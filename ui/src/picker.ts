// The member picker every dialog that names a member uses: type to filter by
// name or address, arrows to move, Enter to choose; results show the name,
// the address and the role, so two "Ana Adams" can be told apart. It reads
// from a list already loaded (an inbox's members) or asks the backend (the
// account's members), and never shows more than a handful at a time.

import type { Role, Status } from "./api";
import { roleLabel } from "./context";
import { h, num, replace } from "./dom";

export type Person = { email: string; name: string; role: Role; status: Status };

/// Where a picker's candidates come from: a search over a list in memory,
/// or a backend search.
export type Source = (text: string, limit: number) => Promise<Person[]> | Person[];

const SHOWN = 8;

export type Picker = {
  element: HTMLElement;
  input: HTMLInputElement;
  /// The member chosen, while the box still shows them: editing the box
  /// drops the choice (an emptied box means nobody).
  chosen: () => Person | null;
  /// Text typed in the box that names nobody chosen (empty when none).
  unresolved: () => string;
  /// Focuses the box with its text selected, so typing replaces a choice.
  focus: () => void;
};

/// A combobox over `source`. `onPick` runs when a member is chosen; a
/// picker that keeps its choice (`keep`) shows it in the box, one that adds
/// to a list clears itself for the next.
export function memberPicker(opts: {
  id: string;
  label: string;
  source: Source;
  onPick: (p: Person) => void;
  /// A kept choice was dropped (the box edited or emptied).
  onClear?: () => void;
  exclude?: (email: string) => boolean;
  placeholder?: string;
  keep?: boolean;
  initial?: Person | null;
}): Picker {
  const listId = `${opts.id}-list`;
  const input = h("input", {
    id: opts.id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-label": opts.label,
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-autocomplete": "list",
    placeholder: opts.placeholder ?? "Type a name or an address",
  });
  const list = h("ul", { class: "picker-list", id: listId, role: "listbox", "aria-label": opts.label, hidden: true });
  let chosen: Person | null = opts.initial ?? null;
  if (chosen && opts.keep) input.value = chosen.email;
  let shown: Person[] = [];
  let active = 0;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const pick = (p: Person) => {
    chosen = p;
    input.value = opts.keep ? p.email : "";
    close();
    opts.onPick(p);
  };
  const draw = (more: boolean) => {
    replace(
      list,
      shown.map((p, i) => {
        const li = h(
          "li",
          { id: `${listId}-${i}`, role: "option", "aria-selected": String(i === active), "data-email": p.email, class: i === active ? "active" : undefined },
          h("strong", {}, p.name),
          " ",
          h("span", { class: "muted" }, p.email),
          h("span", { class: `role role-${p.role}` }, roleLabel(p.role)),
          p.status === "pending" ? h("span", { class: "badge" }, "Pending") : null,
        );
        // mousedown, not click: the input keeps its focus.
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          pick(p);
        });
        return li;
      }),
      shown.length === 0 ? h("li", { class: "picker-empty muted", role: "option", "aria-disabled": "true", "aria-selected": "false" }, "Nobody matches") : null,
      more ? h("li", { class: "picker-more muted", role: "option", "aria-disabled": "true", "aria-selected": "false" }, "More match: keep typing to narrow") : null,
    );
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (shown.length) input.setAttribute("aria-activedescendant", `${listId}-${active}`);
  };
  // The list answers the box's text as it is now: `current` is the search
  // for that text (Enter waits for it, never picking from an older list).
  let current: Promise<void> = Promise.resolve();
  const refresh = () => {
    const ask = ++asked;
    current = (async () => {
      const found = (await opts.source(input.value, SHOWN * 3)).filter((p) => !opts.exclude?.(p.email));
      if (ask !== asked) return; // a newer keystroke won
      shown = found.slice(0, SHOWN);
      active = 0;
      draw(found.length > SHOWN);
    })();
    return current;
  };

  let timer: number | undefined;
  input.addEventListener("input", () => {
    if (chosen && input.value !== chosen.email) {
      chosen = null;
      opts.onClear?.();
    }
    shown = []; // what the list showed answers older text
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = undefined;
      void refresh();
    }, 80);
  });
  // The list opens when a person asks for it (a click, typing, an arrow
  // key), never on a focus the page moved there.
  input.addEventListener("mousedown", () => {
    if (list.hidden) void refresh();
  });
  // A kept choice is selected on focus, so typing replaces it (the click
  // that focused the box would otherwise put the caret back).
  let selectedOnFocus = false;
  input.addEventListener("focus", () => {
    if (opts.keep && chosen) {
      input.select();
      selectedOnFocus = true;
    }
  });
  input.addEventListener("mouseup", (e) => {
    if (selectedOnFocus) e.preventDefault();
    selectedOnFocus = false;
  });
  input.addEventListener("blur", () => window.setTimeout(close, 100));
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) return void refresh();
      if (!shown.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      draw(list.querySelector(".picker-more") !== null);
    } else if (e.key === "Enter") {
      if (timer !== undefined || !list.hidden) {
        e.preventDefault();
        // Typed faster than the list: search for the text as it is, then pick.
        const settle = timer !== undefined && shown.length === 0 ? (window.clearTimeout(timer), (timer = undefined), refresh()) : current;
        void settle.then(() => {
          if (shown[active]) pick(shown[active]);
        });
      }
    } else if (e.key === "Escape" && !list.hidden) {
      // The list closes; the dialog stays (see kit's closeOnEscape).
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  return {
    element: h("div", { class: "picker" }, input, list),
    input,
    chosen: () => (chosen && input.value === chosen.email ? chosen : null),
    unresolved: () => (chosen && input.value === chosen.email ? "" : input.value.trim()),
    focus: () => {
      input.focus();
      input.select();
    },
  };
}

/// Chosen members the page already holds (a distribution group): the same
/// list as [`remoteChosenList`], filtered here instead of by the backend.
export function chosenList(opts: { id: string; people: Person[]; onRemove?: (p: Person) => void; numbered?: boolean; empty: string }): HTMLElement {
  return remoteChosenList({
    ...opts,
    count: opts.people.length,
    fetch: async (search, limit) => {
      const q = search.toLowerCase();
      const rows = opts.people.filter((p) => !q || p.name.toLowerCase().includes(q) || p.email.includes(q));
      return { rows: rows.slice(0, limit), total: rows.length };
    },
  });
}

/// How many chosen members a list draws at once.
export const CHOSEN_SHOWN = 100;

/// Chosen members as a compact list (name and address, a remove button
/// each, numbered where the order is the order calls or conversations
/// follow), held by the backend (a routing list of any size): its first
/// [`CHOSEN_SHOWN`] by name, and a box to find the others, asked of the
/// backend as one types.
export function remoteChosenList(opts: {
  id: string;
  count: number;
  fetch: (search: string, limit: number) => Promise<{ rows: Person[]; total: number; total_capped?: boolean }>;
  onRemove?: (p: Person) => void;
  numbered?: boolean;
  empty: string;
  /// The find box's text to start with, and told of each change.
  search?: string;
  onSearch?: (text: string) => void;
}): HTMLElement {
  if (opts.count === 0) return h("p", { class: "muted chosen-empty", id: opts.id }, opts.empty);
  const list = h(opts.numbered ? "ol" : "ul", { class: "chosen", id: opts.id, "aria-busy": "true" });
  const note = h("p", { class: "muted chosen-note" });
  let asked = 0;
  const draw = async (text: string) => {
    const ask = ++asked;
    const page = await opts.fetch(text.trim(), CHOSEN_SHOWN).catch(() => null);
    if (ask !== asked || !page) return;
    replace(
      list,
      page.rows.map((p, i) => {
        const x = opts.onRemove ? h("button", { type: "button", class: "chip-x", "aria-label": `Remove ${p.name} (${p.email})` }, "×") : null;
        x?.addEventListener("click", () => opts.onRemove!(p));
        // Numbers are places in the order only when the list is not searched.
        return h("li", { "data-email": p.email, title: p.email, value: opts.numbered && !text.trim() ? i + 1 : undefined }, h("span", { class: "who" }, h("strong", {}, p.name), " ", h("span", { class: "muted" }, p.email)), x);
      }),
    );
    list.removeAttribute("aria-busy");
    // A searched list shows no numbers: its rows are not the order's first.
    list.classList.toggle("searched", text.trim() !== "");
    note.textContent = page.total > page.rows.length ? `${num(page.rows.length)} of ${num(page.total)}${page.total_capped ? "+" : ""} shown: find one by name or address.` : text.trim() && page.total === 0 ? "Nobody in this list matches." : "";
  };
  const start = opts.count > CHOSEN_SHOWN ? (opts.search ?? "") : "";
  void draw(start);
  if (opts.count <= CHOSEN_SHOWN) return list;
  const find = h("input", { type: "search", class: "chosen-find", id: `${opts.id}-find`, placeholder: `Find among these ${num(opts.count)}`, "aria-label": "Find in this list", value: start });
  let timer: number | undefined;
  find.addEventListener("input", () => {
    opts.onSearch?.(find.value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void draw(find.value), 80);
  });
  return h("div", { class: "chosen-long" }, find, list, note);
}

/// Names for addresses, from the people known; an unknown address reads as itself.
export function namer(people: Person[]) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const person = (email: string): Person => byEmail.get(email) ?? { email, name: email, role: "member", status: "active" };
  return {
    person,
    /// Learns a person (one just picked).
    add: (p: Person) => void byEmail.set(p.email, p),
    name: (email: string) => person(email).name,
    /// "Ana Fischer, Ana Quist, +3": the first `n` names and how many more.
    names: (emails: string[], n = 2) => (emails.length <= n + 1 ? emails.map((e) => person(e).name).join(", ") : `${emails.slice(0, n).map((e) => person(e).name).join(", ")}, +${emails.length - n}`),
  };
}
