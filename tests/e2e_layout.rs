//! The window at its smallest (800×560, the app's minimum) on the demo
//! account: every page and main dialog fits, nothing a person needs is cut
//! or below the fold. Screenshots of each go to target/e2e-screenshots/.
#![cfg(feature = "e2e")]

mod e2e_common;
mod webdriver;

use std::time::Duration;

use e2e_common::*;

/// Facts about an element's box, as the page lays it out.
fn layout(s: &webdriver::Session, css: &str) -> serde_json::Value {
    let out = s.eval(&format!(
        "const e = document.querySelector({css:?}); if (!e) return 'null';
         const r = e.getBoundingClientRect();
         return JSON.stringify({{ top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
           cut: e.scrollWidth > e.clientWidth + 1, vh: window.innerHeight, vw: window.innerWidth }});"
    ));
    serde_json::from_str(&out).unwrap()
}

/// The elements matching `css` whose text is cut (with an ellipsis or by
/// overflow) and that do not carry the whole text in a tooltip.
fn nothing_cut(s: &webdriver::Session, css: &str) -> Vec<String> {
    let out = s.eval(&format!(
        "return JSON.stringify([...document.querySelectorAll({css:?})]
           .filter(e => e.scrollWidth > e.clientWidth + 1 && !(e.title && e.title.includes(e.textContent.trim().slice(0, 12))))
           .map(e => e.className + ': ' + e.textContent.trim().slice(0, 40)));"
    ));
    serde_json::from_str(&out).unwrap()
}

/// Opens the page of the first member in view. The bulk bar has gone and
/// the table is back at its top first: the rows it draws as the bar hides
/// (or the table scrolls) are not clicked while they move. If the page does
/// not open, what the window showed is kept and printed.
fn open_first_member_page(s: &webdriver::Session) {
    s.wait_until(Duration::from_secs(5), || s.attr("#bulk-bar", "hidden").is_some());
    s.eval("document.getElementById('members-scroll').scrollTop = 0; return ''");
    s.wait_until(Duration::from_secs(5), || s.eval("const r = document.querySelector('#members-table tbody tr[data-email]'); return String(!!r && r.getBoundingClientRect().top >= document.getElementById('members-scroll').getBoundingClientRect().top)") == "true");
    s.click("#members-table tbody tr[data-email] button.member-link");
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.wait_for("#member-history", Duration::from_secs(10)))).is_err() {
        s.screenshot("no-member-page");
        let shown = s.eval("return document.getElementById('page').innerText.slice(0, 300) + ' | open dialogs: ' + document.querySelectorAll('dialog[open]').length + ' | status: ' + document.getElementById('status').innerText");
        panic!("the member's page did not open; the window showed: {shown}");
    }
}

fn within_view(s: &webdriver::Session, css: &str) {
    let b = layout(s, css);
    assert!(b != serde_json::Value::Null, "{css} is not there");
    let (bottom, right, vh, vw) = (b["bottom"].as_f64().unwrap(), b["right"].as_f64().unwrap(), b["vh"].as_f64().unwrap(), b["vw"].as_f64().unwrap());
    assert!(bottom <= vh && right <= vw, "{css} falls outside the {vw}×{vh} view: {b}");
}

#[test]
fn every_page_and_dialog_fits_the_smallest_window() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // A month and a half of history: the demo, then seats bought and removed later.
    cli(dir.path(), &["demo", "--members", "200", "--today", "2026-10-01"]);
    cli(dir.path(), &["seats", "buy", "6", "--yes", "--today", "2026-10-20"]);
    cli(dir.path(), &["seats", "remove", "2", "--yes", "--today", "2026-11-05"]);
    let (_driver, s, _answer) = launch_confirming(dir.path(), "yes");
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(30));
    s.set_window_size(800, 560);
    let view = layout(&s, "body");
    assert!(view["vw"].as_f64().unwrap() <= 820.0, "the window did not shrink: {view}");
    s.screenshot("small-members");

    // The header: one line, the account's name whole.
    let nav = layout(&s, "header nav");
    assert!(nav["height"].as_f64().unwrap() < 48.0, "the navigation wraps: {nav}");
    let switcher = s.eval("const e = document.getElementById('account-switcher'); const c = document.createElement('canvas').getContext('2d'); c.font = getComputedStyle(e).font; return String(c.measureText(e.value).width + 40 <= e.getBoundingClientRect().width);");
    assert_eq!(switcher, "true", "the account name is cut in its select");
    let header = layout(&s, "header.topbar, .topbar");
    assert!(header["height"].as_f64().unwrap() < 64.0, "the header is more than one line: {header}");
    // In support mode too (its badge joins the header): one line, nothing past the window's edge.
    s.click("#app-menu summary");
    s.click("#support-mode");
    s.type_into("#support-agent", "Samantha Supportworth");
    s.type_into("#support-ticket", "T-2026-11-0042");
    s.click("#support-on");
    s.wait_until(Duration::from_secs(5), || s.attr("#support-badge", "hidden").is_none());
    let header = layout(&s, ".topbar");
    assert!(header["height"].as_f64().unwrap() < 64.0, "the header wraps in support mode: {header}");
    assert_eq!(s.eval("return String(document.documentElement.scrollWidth <= window.innerWidth)"), "true", "the page scrolls sideways in support mode");
    let menu = layout(&s, "#app-menu summary");
    assert!(menu["right"].as_f64().unwrap() <= 800.0, "the menu is past the window's edge: {menu}");
    // The members table: roles and dates whole; a cut name, address or
    // inbox list has its whole text in a tooltip.
    let cut = nothing_cut(&s, "#members-table td, #members-table .role");
    assert!(cut.is_empty(), "cut in the members table: {cut:?}");
    s.click("#tab-pending");
    s.wait_until(Duration::from_secs(5), || s.text("#members-table tbody").is_some_and(|t| t.contains("Sent ")));
    let cut = nothing_cut(&s, "#members-table td, #members-table .role");
    assert!(cut.is_empty(), "cut among pending invites: {cut:?}");
    s.screenshot("small-members-pending");
    // Rows picked: the bulk bar wraps within the window; its dialog's button is on screen.
    s.click("#members-table tbody tr[data-email] input.pick");
    s.wait_for("#bulk-resend", Duration::from_secs(5));
    assert_eq!(s.eval("return String(document.documentElement.scrollWidth <= window.innerWidth)"), "true", "the bulk bar pushes the page sideways");
    within_view(&s, "#bulk-change_role");
    s.click("#bulk-change_role");
    s.wait_for("#bulk-dialog[open]", Duration::from_secs(5));
    within_view(&s, "#bulk-confirm");
    s.screenshot("small-bulk");
    s.keys("\u{e00c}");
    s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
    // A member's page: the actions wrap, the inbox table's text is whole or in a tooltip.
    s.click("#tab-active");
    s.wait_for("#members-table tbody tr[data-email] button.member-link", Duration::from_secs(5));
    open_first_member_page(&s);
    assert_eq!(s.eval("return String(document.documentElement.scrollWidth <= window.innerWidth)"), "true", "the member page scrolls sideways");
    let cut = nothing_cut(&s, "#member-inboxes td, #member-history td");
    assert!(cut.is_empty(), "cut on a member's page: {cut:?}");
    s.screenshot("small-member-page");
    s.click("#back-to-members");

    // The invite dialog: its send button is on screen.
    s.click("#invite");
    s.wait_for("#invite-dialog[open]", Duration::from_secs(5));
    within_view(&s, "#invite-send");
    s.screenshot("small-invite");
    s.keys("\u{e00c}");

    // Plan & Billing, and Edit plan: no field overflows its dialog.
    s.click("#nav-billing");
    s.wait_for("#usage-card", Duration::from_secs(5));
    // The demo's months of history draw as steps, over a chosen range.
    s.wait_for("#seat-chart svg path.line-purchased", Duration::from_secs(5));
    s.click("#seat-chart .chart-ranges button:last-child");
    s.wait_until(Duration::from_secs(5), || s.attr("#seat-chart .chart-ranges button:last-child", "aria-pressed").as_deref() == Some("true"));
    s.screenshot("small-billing");
    s.click("#edit-plan");
    s.wait_for("#plan-dialog[open]", Duration::from_secs(5));
    let dialog = layout(&s, "#plan-dialog");
    let overflowing = s.eval(&format!(
        "return JSON.stringify([...document.querySelectorAll('#plan-dialog input, #plan-dialog select')]
           .filter(e => e.getBoundingClientRect().right > {} + 0.5).map(e => e.id || e.name));",
        dialog["right"]
    ));
    assert_eq!(overflowing, "[]", "fields overflow Edit plan");
    s.screenshot("small-edit-plan");
    s.keys("\u{e00c}");

    // An inbox page and its routing dialogs.
    s.click("#nav-inboxes");
    s.click("button.inbox-link[data-inbox='Sales']");
    s.wait_for("#card-distribution", Duration::from_secs(5));
    s.screenshot("small-inbox");
    for (card, dialog) in [("assignment", "#assignment-dialog"), ("ring-group", "#ring-dialog"), ("distribution", "#distribution-dialog"), ("ivr", "#ivr-dialog")] {
        s.click(&format!("#edit-{card}"));
        s.wait_for(&format!("{dialog}[open]"), Duration::from_secs(5));
        within_view(&s, &format!("{dialog} .actions button:last-child"));
        s.screenshot(&format!("small-{}", &dialog[1..]));
        s.keys("\u{e00c}");
        s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
    }
}

/// axe-core finds no serious or critical accessibility violation on any
/// page or main dialog, in the light and the dark theme (each one kept as a
/// screenshot, `target/e2e-screenshots/{light,dark}-*.png`).
#[test]
fn every_page_and_dialog_passes_axe_in_both_themes() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["demo", "--members", "60"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(30));
    let mut found = Vec::new();
    // Every page and dialog is also kept as a screenshot, per theme, for people to look at.
    let mut check = |s: &webdriver::Session, theme: &str, place: &str| {
        let slug = place.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-");
        s.screenshot(&format!("{theme}-{slug}"));
        for v in axe_violations(s) {
            found.push(format!("{theme} · {place} · {v}"));
        }
    };
    for theme in ["light", "dark"] {
        s.select("#theme", theme);
        s.click("#nav-members");
        s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(10));
        check(&s, theme, "members");
        s.click("#invite");
        s.wait_for("#invite-dialog[open]", Duration::from_secs(5));
        check(&s, theme, "invite dialog");
        s.keys("\u{e00c}");
        s.click("#manage-seats");
        s.wait_for("#seats-dialog[open]", Duration::from_secs(5));
        s.wait_until(Duration::from_secs(5), || s.text("#buy-quote").is_some_and(|t| t.contains("Due now")));
        check(&s, theme, "manage seats");
        s.keys("\u{e00c}");
        s.click("#acting-as");
        s.wait_for("#acting-dialog[open]", Duration::from_secs(5));
        check(&s, theme, "act as");
        s.keys("\u{e00c}");
        s.click("#members-table tbody tr[data-email] .row-menu-button");
        s.wait_for("#row-menu", Duration::from_secs(5));
        check(&s, theme, "row menu");
        s.keys("\u{e00c}");
        s.click("#members-table tbody tr[data-email] input.pick");
        s.wait_for("#bulk-delete", Duration::from_secs(5));
        check(&s, theme, "bulk bar");
        s.click("#bulk-delete");
        // Its preview, or the refusal (the first row may be the Owner).
        s.wait_until(Duration::from_secs(5), || s.text("#bulk-preview").is_some_and(|t| t.contains("Seats")) || s.text("#bulk-error").is_some_and(|t| !t.is_empty()));
        check(&s, theme, "bulk dialog");
        s.keys("\u{e00c}");
        s.click("#bulk-clear");
        open_first_member_page(&s);
        check(&s, theme, "member page");
        s.click("#back-to-members");
        s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(5));
        s.click("#nav-billing");
        s.wait_for("#usage-card", Duration::from_secs(5));
        check(&s, theme, "plan & billing");
        s.click("#edit-plan");
        s.wait_for("#plan-dialog[open]", Duration::from_secs(5));
        check(&s, theme, "edit plan");
        s.keys("\u{e00c}");
        s.click("#nav-inboxes");
        s.wait_for("button.inbox-link[data-inbox='Sales']", Duration::from_secs(5));
        check(&s, theme, "inboxes");
        s.click("button.inbox-link[data-inbox='Sales']");
        s.wait_for("#card-distribution", Duration::from_secs(5));
        check(&s, theme, "inbox page");
        for (card, dialog) in [("assignment", "assignment-dialog"), ("ring-group", "ring-dialog"), ("distribution", "distribution-dialog"), ("ivr", "ivr-dialog")] {
            s.click(&format!("#edit-{card}"));
            s.wait_for(&format!("#{dialog}[open]"), Duration::from_secs(5));
            if card == "distribution" {
                s.click("#add-group");
                s.click("#group-1-add");
                s.wait_for("#group-1-add-list li", Duration::from_secs(5));
            }
            check(&s, theme, dialog);
            s.keys("\u{e00c}");
            s.keys("\u{e00c}");
            s.wait_until(Duration::from_secs(5), || s.count("dialog[open]") == 0);
        }
        s.click("#nav-audit");
        s.wait_for("#audit-table tbody tr", Duration::from_secs(5));
        check(&s, theme, "audit log");
        s.click("#app-menu summary");
        check(&s, theme, "menu");
        s.click("#support-mode");
        s.wait_for("#support-dialog[open]", Duration::from_secs(5));
        check(&s, theme, "support mode");
        s.keys("\u{e00c}");
    }
    assert!(found.is_empty(), "{} accessibility violations:\n{}", found.len(), found.join("\n"));
}
