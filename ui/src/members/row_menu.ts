// The row menu of the members table: what can be done to this member, each
// item disabled with the reason when the acting member may not.

import type { MemberView } from "../api";
import { state } from "../context";
import { h } from "../dom";
import { openDeleteMember, openTransferOwner } from "../lifecycle";
import { openAccept, openChangeRole, openEditInvite, openRename, openRevoke, resend } from "./actions";

// ------------------------------------------------------------------ row menu

function canManage() {
  return state.overview!.can.manage_account;
}

export function openRowMenu(m: MemberView, anchor: HTMLElement) {
  document.getElementById("row-menu")?.remove();
  // [label, action, why it is disabled (null: enabled)]
  const items: [string, () => void, string | null][] = [];
  if (canManage()) {
    if (m.status === "pending") {
      items.push(["Edit invite", () => openEditInvite(m), null], ["Resend invite", () => void resend(m), null], ["Mark accepted", () => openAccept(m), null], ["Revoke invite", () => openRevoke(m), null]);
    } else if (m.role !== "owner") {
      // Nobody deletes or demotes themselves (the backend refuses it too).
      const self = m.email === state.overview!.acting_as.email ? "Another Owner or Admin changes your own membership" : null;
      items.push(["Correct name", () => openRename(m), null], ["Change role", () => openChangeRole(m), self], ["Delete Member", () => void openDeleteMember(m), self]);
    } else {
      items.push(["Correct name", () => openRename(m), null]);
    }
  }
  // The account asks (whoever manages it: its Owner or an Admin); support carries it out.
  if (state.support && m.status === "active" && m.role !== "owner") {
    const why = canManage() ? null : "The account's Owner or an Admin must be acting to ask for an owner transfer";
    items.push(["Transfer ownership", () => openTransferOwner(m), why]);
  }
  if (items.length === 0) items.push([m.role === "owner" ? "The Owner changes only by a support transfer" : "Only the Owner and Admins change members", () => {}, null]);
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

