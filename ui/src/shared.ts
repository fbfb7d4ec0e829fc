// The window on a shared PostgreSQL server: Menu → "Connect to a shared
// server…" and back to this computer's database, the header's note of
// which one is open, and live updates (another desktop's change redraws
// the page without a reload).

import { api, noticeChannel } from "./api";
import type { AppInfo, DataChanged } from "./api";
import { hooks, notify, state } from "./context";
import { h, replace } from "./dom";
import { field, freshDialog, notifyError, showError } from "./kit";

/// Takes what `app_info` says about where the data lives.
export function noteStore(info: AppInfo) {
  state.store = { server: info.server, login: info.login, path: info.database_path };
  state.app = info;
}

/// The header's note: "Shared server: host/db" or "This computer".
export function storeBadge(): HTMLElement {
  const { server, login, path } = state.store;
  if (!server) {
    return h("span", { class: "store-badge", id: "store-badge", title: `This computer's database${path ? `: ${path}` : ""}` }, "This computer");
  }
  // "host/database"; on a local socket (postgres://login@/db?host=/run/x)
  // the socket's folder stands for the host: two servers' "db" differ.
  const [host, database] = server.replace(/^postgres(ql)?:\/\/([^@/]*@)?/, "").replace(/\?.*$/, "").split("/");
  const socket = new URLSearchParams(server.split("?")[1] ?? "").get("host");
  const at = host || socket;
  const where = at ? `${at}/${database ?? ""}` : database || server;
  const title = `Shared server ${server}${login ? `, as the login ${login}` : ""}: every desktop connected to it sees each change at once.`;
  return h("span", { class: "store-badge shared", id: "store-badge", title }, h("span", { class: "store-dot", "aria-hidden": "true" }), `Shared: ${where}`);
}

let watching = false;

/// Asks the backend to say when another desktop changes an account; the
/// page of the account shown is drawn again at once.
export function watchChanges() {
  if (watching) return;
  watching = true;
  const channel = noticeChannel<DataChanged>((change) => {
    if (change.account !== state.account) return;
    void hooks.changed().then(() => {
      const status = document.getElementById("status");
      if (status) status.dataset.live = String(Date.now());
    });
  });
  void api.watchChanges(channel).catch(() => {
    watching = false;
  });
}

/// Menu → "Connect to a shared server…": the address (remembered without a
/// password) and, if the server asks for one, a password used for this
/// connection only.
export function openConnect(restart: () => Promise<void>) {
  const d = freshDialog("connect-dialog", false);
  const url = h("input", {
    id: "server-url",
    type: "text",
    spellcheck: false,
    autocomplete: "off",
    placeholder: "postgres://you@server.example.com/seatdesk",
    value: state.store.server ?? "",
  });
  const password = h("input", { id: "server-password", type: "password", autocomplete: "off" });
  const error = h("p", { class: "form-error", id: "connect-error", role: "alert" });
  const cancel = h("button", { type: "button" }, "Cancel");
  cancel.addEventListener("click", () => d.close());
  const connect = h("button", { type: "submit", class: "primary", id: "connect-server" }, "Connect");
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", {}, "Connect to a shared server"),
    h(
      "p",
      { class: "muted" },
      "A team's PostgreSQL server: every desktop connected to it works on the same books, and sees each change at once. " +
        "The server decides which accounts your login opens and as whom you act.",
    ),
    field("Server address", url, "postgres://LOGIN@HOST/DATABASE (add ?sslmode=require for TLS)"),
    field("Password", password, "Only if the server asks: used for this connection, never stored. ~/.pgpass is read too."),
    error,
    h("div", { class: "actions" }, cancel, connect),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    connect.disabled = true;
    connect.textContent = "Connecting…";
    error.textContent = "";
    try {
      const info = await api.connectServer(url.value, password.value || null);
      noteStore(info);
      d.close();
      await restart();
      notify(`Connected to the shared server ${info.server ?? ""}.`);
    } catch (e) {
      showError(error, e);
      connect.disabled = false;
      connect.textContent = "Connect";
    }
  });
  replace(d, form);
  d.showModal();
  url.focus();
}

/// Menu → "Use this computer's database".
export async function useLocal(restart: () => Promise<void>) {
  try {
    const info = await api.useLocalDatabase();
    noteStore(info);
    await restart();
    notify("Back on this computer's database.");
  } catch (e) {
    notifyError(e);
  }
}
