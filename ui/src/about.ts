// Menu → About: the version, the database, the schema version and
// Seatdesk's date (what an error's "Copy details" reports too).

import { api } from "./api";
import { h, replace } from "./dom";
import { notifyError } from "./kit";

export async function showAbout() {
  const dialog = document.getElementById("about-dialog") as HTMLDialogElement;
  try {
    const info = await api.appInfo();
    const close = h("button", { type: "button", class: "primary" }, "Close");
    close.addEventListener("click", () => dialog.close());
    replace(
      dialog,
      h("h2", {}, "About Seatdesk"),
      h(
        "dl",
        {},
        h("dt", {}, "Version"),
        h("dd", { id: "about-version" }, info.version),
        h("dt", {}, "Database"),
        h("dd", {}, info.database_path ?? "in memory"),
        h("dt", {}, "Schema version"),
        h("dd", {}, String(info.schema_version)),
        h("dt", {}, "Today"),
        h("dd", {}, info.today),
      ),
      h("div", { class: "actions" }, close),
    );
    dialog.showModal();
  } catch (e) {
    notifyError(e);
  }
}
