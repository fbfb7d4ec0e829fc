//! The shared PostgreSQL server through the command line, as a team uses it:
//! `server init` and `grant`, one login per person, row-level security
//! checked with `psql`, and eight desktops buying seats in one account at
//! once. Needs the test server (`SEATDESK_TEST_DATABASE_URL`, started by
//! scripts/pg.sh in the README's test command).

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

const TODAY: &str = "2026-11-16";

/// The test server's URL; the README's test command always sets it.
fn server() -> String {
    std::env::var("SEATDESK_TEST_DATABASE_URL").expect("SEATDESK_TEST_DATABASE_URL (scripts/pg.sh starts a throwaway server)")
}

/// A new empty database on the test server; its URL as the administrator.
fn fresh_database() -> String {
    let url = server();
    let name = format!("seatdesk_cli_{}_{}", std::process::id(), fastrand::u32(..));
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    url.replacen("/seatdesk_test", &format!("/{name}"), 1)
}

/// `url` logging in as `login` (the test server trusts local logins).
fn as_login(url: &str, login: &str) -> String {
    url.replacen("postgres@", &format!("{login}@"), 1)
}

fn seatdesk(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .args(["--database", url, "--today", TODAY, "--json"])
        .args(args)
        .env_remove("SEATDESK_DATABASE_URL")
        .env_remove("SEATDESK_TODAY")
        .output()
        .expect("run seatdesk")
}

fn ok(url: &str, args: &[&str]) -> Value {
    let out = seatdesk(url, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(url: &str, args: &[&str]) -> String {
    let out = seatdesk(url, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should be refused: {}", String::from_utf8_lossy(&out.stdout));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["error"]["code"].as_str().unwrap().to_string()
}

fn psql(url: &str, sql: &str) -> std::result::Result<String, String> {
    let out = Command::new("psql").args([url, "-XAtqc", sql]).output().expect("psql");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Alpha with Ana (Admin) and Beta with Bob (Admin), each Active.
fn two_accounts(url: &str) {
    ok(url, &["server", "init"]);
    for (account, owner, admin) in [("Alpha", "olivia@alpha.example", "ana@alpha.example"), ("Beta", "otto@beta.example", "bob@beta.example")] {
        ok(url, &["account", "create", "--name", account, "--owner-email", owner, "--owner-name", "Owner"]);
        ok(url, &["--account", account, "seats", "buy", "1", "--yes"]);
        ok(url, &["--account", account, "members", "invite", admin, "--role", "admin", "--new-inbox"]);
        ok(url, &["--account", account, "members", "accept", admin, "--name", "Admin"]);
    }
}

#[test]
fn each_login_opens_its_own_account_and_psql_sees_no_other() {
    let url = fresh_database();
    two_accounts(&url);
    let (ana, bob) = (format!("ana_{}", fastrand::u32(..)), format!("bob_{}", fastrand::u32(..)));
    ok(&url, &["server", "grant", &ana, "--account", "Alpha", "--member", "ana@alpha.example"]);
    ok(&url, &["server", "grant", &bob, "--account", "Beta", "--member", "bob@beta.example"]);
    let listed = ok(&url, &["server", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let ana_url = as_login(&url, &ana);
    // Ana's desktop: Alpha only, as Ana only.
    let accounts = ok(&ana_url, &["account", "list"]);
    assert_eq!(accounts.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect::<Vec<_>>(), ["Alpha"]);
    assert_eq!(refused(&ana_url, &["--account", "Beta", "seats"]), "not_found");
    assert_eq!(refused(&ana_url, &["--as", "olivia@alpha.example", "seats"]), "not_permitted");
    ok(&ana_url, &["inboxes", "create", "Ana's desk"]);
    let audit = ok(&url, &["--account", "Alpha", "audit", "--limit", "1"]);
    assert_eq!(audit[0]["actor_email"], "ana@alpha.example", "{audit}");
    // Whatever SQL Ana's login sends: no row of Beta, no entry in another's name.
    for table in ["account", "member", "audit", "ledger", "inbox", "plan_period", "member_count", "inbox_member", "routing"] {
        let column = if table == "account" { "name = 'Beta'" } else { "account_id <> (SELECT id FROM account WHERE name = 'Alpha')" };
        assert_eq!(psql(&ana_url, &format!("SELECT count(*) FROM {table} WHERE {column}")), Ok("0".to_string()), "{table}");
    }
    let forged = psql(
        &ana_url,
        "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
         SELECT id, 'now', '2026-11-16', 'olivia@alpha.example', 'Olivia', 'seats.buy', 'x', '{}', '', '' FROM account",
    );
    assert!(forged.as_ref().is_err_and(|e| e.contains("may not write an audit entry")), "{forged:?}");
    assert!(psql(&ana_url, "UPDATE ledger SET amount_cents = 0").is_err());
    assert!(psql(&ana_url, "SELECT * FROM seatdesk_grant").is_err());
    // Revoked: Ana's desktop is told, and opens nothing.
    ok(&url, &["server", "revoke", &ana]);
    assert_eq!(refused(&ana_url, &["seats"]), "not_permitted");
    ok(&url, &["check"]);
}

#[test]
fn eight_desktops_buying_seats_at_once_each_pay_their_quote_or_are_told_it_is_stale() {
    let url = fresh_database();
    ok(&url, &["server", "init"]);
    ok(&url, &["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example", "--owner-name", "Olivia"]);
    ok(&url, &["seats", "buy", "8", "--yes"]);
    let logins: Vec<(String, String)> = (0..8).map(|i| (format!("desk{i}_{}", fastrand::u32(..)), format!("admin{i}@acme.example"))).collect();
    for (login, email) in &logins {
        ok(&url, &["members", "invite", email, "--role", "admin", "--new-inbox"]);
        ok(&url, &["members", "accept", email, "--name", "Admin"]);
        ok(&url, &["server", "grant", login, "--account", "Acme", "--member", email]);
    }
    let before = ok(&url, &["seats"])["purchased"].as_i64().unwrap();
    const ROUNDS: usize = 4;
    let outcomes: Vec<(i64, Result<i64, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(i, (login, _))| {
                let desk = as_login(&url, login);
                scope.spawn(move || {
                    let mut seen = Vec::new();
                    for round in 0..ROUNDS {
                        let quote = ok(&desk, &["seats", "quote", "1"]);
                        let (id, due) = (quote["quote_id"].as_str().unwrap().to_string(), quote["due_now_cents"].as_i64().unwrap());
                        let out = seatdesk(&desk, &["seats", "buy", "1", "--quote", &id, "--yes"]);
                        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
                        let result = match out.status.code() {
                            Some(0) => Ok(doc["charged_cents"].as_i64().unwrap()),
                            _ => Err(doc["error"]["code"].as_str().unwrap().to_string()),
                        };
                        seen.push((due, result));
                        // Invites go on at the same time, on the seats bought.
                        if round == 0 {
                            seatdesk(&desk, &["members", "invite", &format!("new{i}@acme.example"), "--role", "observer", "--new-inbox"]);
                        }
                    }
                    seen
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let bought = outcomes.iter().filter(|(_, r)| r.is_ok()).count() as i64;
    for (due, result) in &outcomes {
        match result {
            Ok(charged) => assert_eq!(charged, due, "a purchase is charged exactly its quote"),
            Err(code) => assert_eq!(code, "quote_stale", "the only refusal is a stale quote"),
        }
    }
    assert!(bought >= 1, "{outcomes:?}");
    let seats = ok(&url, &["seats"]);
    assert_eq!(seats["purchased"].as_i64().unwrap(), before + bought, "no purchase lost or doubled: {outcomes:?}");
    let ledger = ok(&url, &["ledger", "--kind", "seat-purchase"]);
    let lines = ledger.as_array().unwrap().len() as i64;
    assert_eq!(lines, 1 + bought, "one ledger line per purchase: {ledger}");
    let check = seatdesk(&url, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    println!("8 desktops × {ROUNDS} rounds: {bought} bought, {} stale", outcomes.len() as i64 - bought);
}

fn local(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--today", TODAY, "--json"])
        .args(args)
        .env_remove("SEATDESK_DATABASE_URL")
        .env_remove("SEATDESK_DATA_DIR")
        .output()
        .expect("run seatdesk");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn migrate_moves_a_local_account_to_the_server_and_back() {
    let url = fresh_database();
    ok(&url, &["server", "init"]);
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    local(first.path(), &["demo", "--members", "60"]);
    let account = "Acme Demo";
    let dry = local(first.path(), &["migrate", "--to", &url, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(ok(&url, &["account", "list"]).as_array().unwrap().len(), 0, "a dry run copies nothing");
    let moved = local(first.path(), &["migrate", "--to", &url]);
    assert_eq!(moved["check"].as_array().unwrap().len(), 0, "{moved}");
    // Into a folder with no database yet: a dry run and a refused copy
    // leave no database file behind (found by trying it).
    let db = second.path().join("seatdesk.db");
    let dry = local(second.path(), &["--account", account, "migrate", "--from", &url, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert!(!db.exists(), "a dry run wrote {}", db.display());
    let out = Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(second.path())
        .args(["--today", TODAY, "--json", "--account", "No Such Account", "migrate", "--from", &url])
        .env_remove("SEATDESK_DATABASE_URL")
        .env_remove("SEATDESK_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!db.exists(), "a refused copy left {}", db.display());
    local(second.path(), &["--account", account, "migrate", "--from", &url]);
    assert!(db.exists());
    for args in [&["--account", account, "ledger"][..], &["--account", account, "members"][..], &["--account", account, "seats"][..]] {
        assert_eq!(local(first.path(), args), local(second.path(), args), "{args:?} differs after the round trip");
        assert_eq!(local(first.path(), args), ok(&url, args), "{args:?} differs on the server");
    }
    let head = moved["audit_head"].as_str().unwrap();
    let verified = local(second.path(), &["--account", account, "audit", "verify", "--expect-head", head]);
    assert_eq!((verified["ok"].as_bool(), verified["expected_head_found"].as_bool()), (Some(true), Some(true)), "{verified}");
    local(second.path(), &["check"]);
}

/// A copy of database `base` (a template copy: fast, and the base stays
/// as it was); its URL.
fn copy_of(base_url: &str) -> String {
    let url = server();
    let base = base_url.split_once("@/").expect("a URL naming its database").1.split('?').next().unwrap().to_string();
    let name = format!("{base}_k{}", fastrand::u32(..));
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {base}")).unwrap();
    base_url.replacen(&format!("/{base}"), &format!("/{name}"), 1)
}

fn spawn_on(url: &str, args: &[String], pause: Option<(&str, &std::path::Path)>) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seatdesk"));
    cmd.args(["--database", url, "--json", "--today", TODAY])
        .args(args)
        .env_remove("SEATDESK_DATABASE_URL")
        .env_remove("SEATDESK_TEST_PAUSE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Some((point, marker)) = pause {
        cmd.env("SEATDESK_TEST_PAUSE", point).env("SEATDESK_TEST_PAUSE_MARKER", marker);
    }
    cmd.spawn().unwrap()
}

/// Bulk work on the server killed (SIGKILL) before its transaction, inside
/// it (rows sent, not committed) and after its commit, and at random
/// moments: the server holds all of it or none of it, and `check` holds.
#[test]
fn a_desktop_killed_during_bulk_work_leaves_the_server_all_or_nothing() {
    type State = fn(&str) -> Result<&'static str, String>;
    let pending: State = |url| match ok(url, &["members", "--status", "pending"]).as_array().unwrap().len() {
        0 => Ok("absent"),
        1000 => Ok("done"),
        n => Err(format!("{n} of the 1 000 are there")),
    };
    let acme = || {
        let url = fresh_database();
        ok(&url, &["server", "init"]);
        ok(&url, &["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example", "--owner-name", "Olivia"]);
        ok(&url, &["inboxes", "create", "Sales"]);
        ok(&url, &["seats", "buy", "1000", "--yes"]);
        url
    };
    // Invite 1 000.
    let invite = acme();
    let mut invite_args: Vec<String> = vec!["members".into(), "invite".into()];
    invite_args.extend((0..1000).map(|i| format!("person{i}@example.com")));
    invite_args.extend(["--inbox".into(), "Sales".into()]);
    // Import 1 000.
    let import = acme();
    let csv = tempfile::NamedTempFile::new().unwrap();
    let mut text = String::from("email,name,role,inbox\n");
    for i in 0..1000 {
        text.push_str(&format!("row{i}@example.com,Row {i},member,Sales\n"));
    }
    std::fs::write(csv.path(), text).unwrap();
    let import_args = vec!["import".into(), "members".into(), csv.path().display().to_string()];
    // Delete a member holding 100 000 conversations.
    let delete = fresh_database();
    ok(&delete, &["server", "init"]);
    ok(&delete, &["demo", "--members", "8", "--conversations", "100000", "--seed", "5"]);
    let members = ok(&delete, &["members", "--status", "active"]);
    let leaving = members.as_array().unwrap().iter().find(|m| m["role"] != "owner" && m["role"] != "observer").unwrap()["email"]
        .as_str()
        .unwrap()
        .to_string();
    for inbox in ok(&delete, &["inboxes"]).as_array().unwrap() {
        ok(&delete, &["inboxes", "add-member", inbox["name"].as_str().unwrap(), &leaving]);
    }
    let mut raw = postgres::Client::connect(&delete, postgres::NoTls).unwrap();
    raw.execute("UPDATE conversation SET assignee_id = (SELECT id FROM member WHERE email = $1)", &[&leaving]).unwrap();
    drop(raw);
    let delete_args: Vec<String> =
        ["members", "delete", &leaving, "--reassign-to", "olivia.owner@acme-demo.example.com", "--keep-seat"].map(String::from).to_vec();
    let active_before = ok(&delete, &["members", "--status", "active"]).as_array().unwrap().len();
    let gone_with = move |url: &str| -> Result<&'static str, String> {
        if !seatdesk(url, &["check"]).status.success() {
            return Err("check fails".into());
        }
        match ok(url, &["members", "--status", "active"]).as_array().unwrap().len() {
            n if n == active_before => Ok("absent"),
            n if n + 1 == active_before => Ok("done"),
            n => Err(format!("{n} active members")),
        }
    };
    let kinds: Vec<(&str, &String, Vec<String>, Box<dyn Fn(&str) -> Result<&'static str, String>>)> = vec![
        ("invite 1 000", &invite, invite_args, Box::new(pending)),
        ("import 1 000", &import, import_args, Box::new(pending)),
        ("delete holding 100 000 conversations", &delete, delete_args, Box::new(gone_with)),
    ];
    for (name, base, args, state) in kinds {
        for (point, expected) in [("before", "absent"), ("inside", "absent"), ("after", "done")] {
            let url = copy_of(base);
            let marker = tempfile::tempdir().unwrap().keep().join("paused");
            let mut child = spawn_on(&url, &args, Some((point, &marker)));
            let deadline = Instant::now() + Duration::from_secs(180);
            while !marker.exists() {
                assert!(child.try_wait().unwrap().is_none(), "{name} exited before reaching {point}");
                assert!(Instant::now() < deadline, "{name} never reached {point}");
                std::thread::sleep(Duration::from_millis(5));
            }
            child.kill().unwrap();
            child.wait().unwrap();
            let check = seatdesk(&url, &["check"]);
            assert_eq!(check.status.code(), Some(0), "{name} killed {point}: {}", String::from_utf8_lossy(&check.stdout));
            assert_eq!(state(&url), Ok(expected), "{name} killed {point} its transaction");
            println!("server: {name} killed {point} the transaction -> {expected}");
        }
        // Uncut, then killed at random moments over its length.
        let url = copy_of(base);
        let started = Instant::now();
        assert!(spawn_on(&url, &args, None).wait().unwrap().success(), "{name} uncut");
        let full = started.elapsed();
        assert_eq!(state(&url), Ok("done"));
        for _ in 0..3 {
            let url = copy_of(base);
            let mut child = spawn_on(&url, &args, None);
            std::thread::sleep(full.mul_f64(fastrand::f64()));
            let _ = child.kill();
            child.wait().unwrap();
            let whole = state(&url);
            assert!(whole.is_ok(), "{name} killed at random: {whole:?}");
        }
        println!("server: {name} ({full:?} uncut) killed at 3 random moments: whole each time");
    }
}

/// Two teams setting up Seatdesk in two databases of one server at once: the
/// role every login belongs to is the server's, not a database's, so the
/// migration lock (one database's) does not keep the second from finding it
/// missing and creating it again. Needs a server that has never had the
/// role: a cluster of its own (scripts/pg.sh), six `server init` at once.
#[test]
fn databases_set_up_at_once_on_a_new_server_all_succeed() {
    let script = "source scripts/pg.sh >/dev/null && pg_start >/dev/null 2>&1 && echo \"$SEATDESK_TEST_DATABASE_URL\"";
    let out = Command::new("bash").args(["-c", script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(url.starts_with("postgresql://"), "a cluster of its own: {}", String::from_utf8_lossy(&out.stderr));
    let dir = url.split("host=").nth(1).unwrap().to_string();
    let urls: Vec<String> = (0..6)
        .map(|i| {
            psql(&url, &format!("CREATE DATABASE fresh{i}")).unwrap();
            url.replacen("/seatdesk_test", &format!("/fresh{i}"), 1)
        })
        .collect();
    let runs: Vec<_> = urls.iter().map(|u| Command::new(env!("CARGO_BIN_EXE_seatdesk")).args(["--database", u, "--json", "server", "init"]).spawn().unwrap()).collect();
    let codes: Vec<Option<i32>> = runs.into_iter().map(|mut c| c.wait().unwrap().code()).collect();
    let stop = format!("source scripts/pg.sh >/dev/null && PG_DIR={dir} pg_stop");
    Command::new("bash").args(["-c", &stop]).current_dir(env!("CARGO_MANIFEST_DIR")).status().unwrap();
    assert_eq!(codes, vec![Some(0); 6], "every database set up");
}
