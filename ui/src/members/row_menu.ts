// The row menu of the members table: what can be done to this member, each
// item disabled with the reason when the acting member may not.

import type { MemberView } from "../api";
import { state } from "../context";
import { h } from "../dom";
import { openDeleteMember, openTransferOwner } from "../lifecycle";
import { openAccept, openChangeRole, openEditInvite, openRename, openRevoke, resend } from "./actions";
import { openAddToInbox, openMemberPage, openRemoveFromInbox } from "./page";

// ------------------------------------------------------------------ row menu

/// [label, action, why it is disabled (null: enabled)]
export type MemberAction = [string, () => void, string | null];

/// What can be done to this member, for the row menu and the member page:
/// each item the acting member may not use stays, disabled, with the reason
/// (the backend refuses it too).
export function memberActions(m: MemberView, onPage = false): MemberAction[] {
  const o = state.overview!;
  const manage = o.can.manage_account ? null : "Only the Owner and Admins change members";
  const inboxes = o.can.manage_inboxes ? null : "Only the Owner, Admins and Managers change who is in an inbox";
  const items: MemberAction[] = [];
  if (!onPage) items.push(["Open page", () => openMemberPage(m.email), null]);
  if (m.status === "pending") {
    items.push(["Edit invite", () => void openEditInvite(m), manage], ["Resend invite", () => void resend(m), manage], ["Mark accepted", () => openAccept(m), manage], ["Revoke invite", () => openRevoke(m), manage]);
    return items;
  }
  // Nobody deletes or demotes themselves (the backend refuses it too).
  const self = m.email === o.acting_as.email ? "Another Owner or Admin changes your own membership" : null;
  items.push(["Correct name", () => openRename(m), manage]);
  if (m.role !== "owner") items.push(["Change role", () => openChangeRole(m), manage ?? self]);
  items.push(["Add to inbox", () => void openAddToInbox(m), inboxes], ["Remove from inbox", () => openRemoveFromInbox(m), inboxes ?? (m.inboxes.length ? null : "Not in any inbox")]);
  if (m.role !== "owner") items.push(["Delete Member", () => void openDeleteMember(m), manage ?? self]);
  // The account asks (whoever manages it: its Owner or an Admin); support carries it out.
  if (state.support && m.role !== "owner") {
    items.push(["Transfer ownership", () => openTransferOwner(m), manage ? "The account's Owner or an Admin must be acting to ask for an owner transfer" : null]);
  }
  return items;
}

export function openRowMenu(m: MemberView, anchor: HTMLElement) {
  document.getElementById("row-menu")?.remove();
  const items = memberActions(m);
  const menu = h("div", { id: "row-menu", class: "menu", role: "menu", "aria-label": `Actions for ${m.email}` });
  for (const [label, run, why] of items) {
    const item = h("button", { type: "button", role: "menuitem", "data-action": label, disabled: why !== null, title: why ?? undefined }, label);
    item.addEventListener("click", () => {
      close();
      run();
    });
    menu.appendChild(item);
  }
  const close = () => {
    menu.remove();
    document.removeEventListener("mousedown", outside, true);
    anchor.closest("tr")?.focus();
  };
  const outside = (ev: MouseEvent) => {
    if (!menu.contains(ev.target as Node)) close();
  };
  menu.addEventListener("keydown", (ev) => {
    const buttons = [...menu.querySelectorAll<HTMLButtonElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (ev.key === "Escape") close();
    else if (ev.key === "ArrowDown") buttons[(at + 1) % buttons.length].focus();
    else if (ev.key === "ArrowUp") buttons[(at - 1 + buttons.length) % buttons.length].focus();
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  });
  document.body.appendChild(menu);
  const rect = anchor.getBoundingClientRect();
  menu.style.top = `${Math.min(rect.bottom + 4, window.innerHeight - menu.offsetHeight - 8)}px`;
  menu.style.left = `${Math.max(8, rect.right - menu.offsetWidth)}px`;
  document.addEventListener("mousedown", outside, true);
  menu.querySelector<HTMLButtonElement>("button")?.focus();
}

