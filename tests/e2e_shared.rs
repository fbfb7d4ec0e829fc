//! The window on a shared PostgreSQL server, end to end: Menu → "Connect
//! to a shared server…", the header saying which database is open, a
//! login that acts as its own member only, a change made from the command
//! line appearing in the open window without a reload, and back to this
//! computer's database. Needs the test server (`SEATDESK_TEST_DATABASE_URL`,
//! started by scripts/pg.sh in the README's test command). Gated by the
//! `e2e` feature like `tests/e2e.rs`.

mod e2e_common;
mod webdriver;

use std::process::Command;
use std::time::{Duration, Instant};

use e2e_common::{cli, launch, TODAY, WINDOW};

/// A new database on the test server; its URL as the administrator.
fn fresh_database() -> String {
    let url = std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL (scripts/pg.sh starts a throwaway server)");
    let name = format!("seatdesk_e2e_{}_{}", std::process::id(), fastrand::u32(..));
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    url.replacen("/seatdesk_test", &format!("/{name}"), 1)
}

fn on_server(url: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk")).args(["--database", url, "--today", TODAY, "--json"]).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_window_connects_to_a_shared_server_and_shows_another_desktops_change_live() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    // The team's server: Acme, where Ana (Admin) has a login of her own,
    // and Carla is invited.
    let url = fresh_database();
    on_server(&url, &["server", "init"]);
    on_server(&url, &["account", "create", "--name", "Acme Shared", "--owner-email", "olivia@acme.example", "--owner-name", "Olivia Owner"]);
    on_server(&url, &["seats", "buy", "3", "--yes"]);
    on_server(&url, &["members", "invite", "ana@acme.example", "--role", "admin", "--new-inbox"]);
    on_server(&url, &["members", "accept", "ana@acme.example", "--name", "Ana Admin"]);
    on_server(&url, &["members", "invite", "carla@acme.example", "--role", "member", "--new-inbox"]);
    let login = format!("ana_{}", fastrand::u32(..));
    on_server(&url, &["server", "grant", &login, "--account", "Acme Shared", "--member", "ana@acme.example"]);
    let ana_url = url.replacen("postgres@", &format!("{login}@"), 1);

    // This computer's database holds an account of its own.
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Local Books", "--owner-email", "lee@local.example", "--owner-name", "Lee Local"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    assert_eq!(s.text("#store-badge").as_deref(), Some("This computer"));

    // Menu → Connect to a shared server…, as Ana's login.
    s.click("#app-menu summary");
    s.click("#menu-connect");
    s.wait_for("#connect-dialog[open]", Duration::from_secs(5));
    s.type_into("#server-url", &ana_url);
    s.click("#connect-server");
    s.wait_until(Duration::from_secs(15), || {
        let said = s.text("#connect-error").unwrap_or_default();
        assert!(said.is_empty(), "the connection was refused: {said}");
        s.text("#store-badge").is_some_and(|t| t.starts_with("Shared:"))
    });
    s.wait_for("#members-table tbody tr[data-email='ana@acme.example']", Duration::from_secs(10));
    let badge_title = s.attr("#store-badge", "title").unwrap();
    assert!(badge_title.contains(&login) && !badge_title.contains("Local"), "{badge_title}");
    // Ana's login acts as Ana, and the window offers no switch.
    assert!(s.text("#acting-as").unwrap().contains("Ana Admin"));
    assert!(s.attr("#acting-as", "disabled").is_some(), "no 'Act as' switch on a login mapped to one member");
    assert_eq!(s.count("#account-switcher option"), 1, "the login opens Acme Shared only");
    s.screenshot("shared-server");

    // Carla accepts on another desktop (the command line): the open window
    // shows her without a reload, within a second or so.
    assert_eq!(s.count("#members-table tbody tr[data-email='carla@acme.example']"), 0);
    let marker = s.eval("window.__same_page = 'kept'; return 'set';");
    assert_eq!(marker, "set");
    let changed = Instant::now();
    on_server(&url, &["members", "accept", "carla@acme.example", "--name", "Carla Live"]);
    s.wait_for("#members-table tbody tr[data-email='carla@acme.example']", Duration::from_secs(5));
    let took = changed.elapsed();
    assert_eq!(s.eval("return window.__same_page"), "kept", "the page was not reloaded");
    println!("window: another desktop's change shown {} ms after the CLI started", took.as_millis());

    // Back to this computer's database.
    s.click("#app-menu summary");
    s.click("#menu-use-local");
    s.wait_until(Duration::from_secs(10), || s.text("#store-badge").as_deref() == Some("This computer"));
    s.wait_for("#members-table tbody tr[data-email='lee@local.example']", Duration::from_secs(10));
    assert!(s.attr("#acting-as", "disabled").is_none());
}

/// A server that cannot be reached: the window says so by its code and
/// offers this computer's database.
#[test]
fn a_server_that_does_not_answer_offers_this_computers_database() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    cli(dir.path(), &["account", "create", "--name", "Local Books", "--owner-email", "lee@local.example", "--owner-name", "Lee Local"]);
    let (_driver, s) = launch(dir.path());
    s.wait_for("#members-table tbody tr[data-email]", Duration::from_secs(20));
    s.click("#app-menu summary");
    s.click("#menu-connect");
    let nowhere = tempfile::tempdir().unwrap();
    s.type_into("#server-url", &format!("postgresql://nobody@/seatdesk?host={}&connect_timeout=2", nowhere.path().display()));
    s.type_into("#server-password", "s3cret");
    s.click("#connect-server");
    let said = s.wait_text("#connect-error", Duration::from_secs(10));
    assert!(said.contains("server_unavailable") && !said.contains("s3cret"), "{said}");
    // Nothing changed: still this computer's database, nothing remembered.
    assert_eq!(s.text("#store-badge").as_deref(), Some("This computer"));
    let prefs = std::fs::read_to_string(dir.path().join("preferences.json")).unwrap_or_default();
    assert!(!prefs.contains("shared_server") && !prefs.contains("s3cret"), "{prefs}");
}

/// A support desk's computer with no account of its own: the welcome page
/// offers the team's server, and going back to this computer's database
/// offers it again (found by trying it: only the header's Menu had it).
/// The badge names the server's socket folder with the database.
#[test]
fn a_computer_without_accounts_reaches_the_server_from_the_welcome_page() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let url = fresh_database();
    on_server(&url, &["server", "init"]);
    on_server(&url, &["account", "create", "--name", "Acme Shared", "--owner-email", "olivia@acme.example", "--owner-name", "Olivia Owner"]);
    let dir = tempfile::tempdir().unwrap();
    let (_driver, s) = launch(dir.path());
    for round in 0..2 {
        s.wait_for("#welcome-connect", Duration::from_secs(20));
        if round == 0 {
            s.screenshot("welcome");
        }
        s.click("#welcome-connect");
        s.wait_for("#connect-dialog[open]", Duration::from_secs(5));
        s.type_into("#server-url", &url);
        s.click("#connect-server");
        s.wait_for("#members-table tbody tr[data-email='olivia@acme.example']", Duration::from_secs(15));
        let badge = s.text("#store-badge").unwrap();
        let database = url.split_once("@/").unwrap().1.split('?').next().unwrap();
        let socket = url.split("host=").nth(1).unwrap().split('&').next().unwrap();
        assert_eq!(badge, format!("Shared: {socket}/{database}"), "round {round}");
        s.click("#app-menu summary");
        s.click("#menu-use-local");
    }
    s.wait_for("#welcome-connect", Duration::from_secs(10));
}

/// A support desk on the team's server: the administrator's login sees
/// every account on the overview and finds a member in any of them; a
/// login granted one account goes straight into it and finds only its
/// members (row-level security decides, not the window).
#[test]
fn the_support_desk_on_a_server_shows_each_login_its_own_accounts() {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let url = fresh_database();
    on_server(&url, &["server", "init"]);
    for (account, owner) in [("Alpha", "olivia@alpha.example"), ("Beta", "bob@beta.example")] {
        on_server(&url, &["account", "create", "--name", account, "--owner-email", owner, "--owner-name", "Owner"]);
    }
    on_server(&url, &["--account", "Alpha", "seats", "buy", "1", "--yes"]);
    on_server(&url, &["--account", "Alpha", "members", "invite", "ana@alpha.example", "--role", "admin", "--new-inbox"]);
    on_server(&url, &["--account", "Alpha", "members", "accept", "ana@alpha.example", "--name", "Ana Admin"]);
    let login = format!("ana_{}", fastrand::u32(..));
    on_server(&url, &["server", "grant", &login, "--account", "Alpha", "--member", "ana@alpha.example"]);
    let ana_url = url.replacen("postgres@", &format!("{login}@"), 1);

    let dir = tempfile::tempdir().unwrap();
    let (_driver, s) = launch(dir.path());
    let connect = |to: &str, from_welcome: bool| {
        if from_welcome {
            s.wait_for("#welcome-connect", Duration::from_secs(20));
            s.click("#welcome-connect");
        } else {
            s.click("#app-menu summary");
            s.click("#menu-connect");
        }
        s.wait_for("#connect-dialog[open]", Duration::from_secs(5));
        // The address open now is filled in: replaced.
        s.clear("#server-url");
        s.type_into("#server-url", to);
        s.click("#connect-server");
    };
    connect(&url, true);
    s.wait_for("#desk-table tr[data-account='Beta']", Duration::from_secs(15));
    assert_eq!(s.count("#desk-table tbody tr[data-account]"), 2);
    s.wait_until(Duration::from_secs(10), || s.text("#desk-totals").is_some_and(|t| t.contains("All OK")));
    s.chord("\u{E009}k");
    s.type_into("#find-text", "owner");
    s.wait_until(Duration::from_secs(5), || s.count("#find-results section.find-group") == 2);
    s.keys("\u{E00C}");

    // Ana's login: one account, so straight into it; her search finds Alpha's only.
    connect(&ana_url, false);
    s.wait_for("#members-table tbody tr[data-email='ana@alpha.example']", Duration::from_secs(15));
    assert_eq!(s.count("#desk-table"), 0);
    s.chord("\u{E009}k");
    s.type_into("#find-text", ".example");
    s.wait_until(Duration::from_secs(5), || s.count("#find-results button[data-email]") == 2);
    assert_eq!(s.eval("return [...document.querySelectorAll('#find-results .find-group')].map(g => g.dataset.account).join()"), "Alpha");
}
