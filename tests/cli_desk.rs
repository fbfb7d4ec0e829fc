//! The support desk from the command line (issue #22), on the file and, when
//! `SEATDESK_TEST_DATABASE_URL` names a server (scripts/pg.sh), on a fresh
//! database there: `accounts`, `account list`, `find`, and what was done
//! under a ticket (`--support-agent`, `--ticket`, `audit --ticket`).

use std::process::{Command, Output};

use serde_json::Value;

const TODAY: &str = "2026-11-16";

/// Where a test's commands go: a data folder or a server's database.
enum Store {
    File(tempfile::TempDir),
    Server(String),
}

impl Store {
    fn all() -> Vec<Store> {
        let mut stores = vec![Store::File(tempfile::tempdir().unwrap())];
        if let Some(url) = std::env::var("SEATDESK_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
            let name = format!("seatdesk_desk_{}_{}", std::process::id(), fastrand::u32(..));
            let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
            let store = Store::Server(url.replacen("/seatdesk_test", &format!("/{name}"), 1));
            store.ok(&["server", "init"]);
            stores.push(store);
        }
        stores
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_seatdesk"));
        match self {
            Store::File(dir) => cmd.arg("--data-dir").arg(dir.path()),
            Store::Server(url) => cmd.args(["--database", url]),
        };
        if !args.contains(&"--today") {
            cmd.args(["--today", TODAY]);
        }
        cmd.args(args).env_remove("SEATDESK_DATA_DIR").env_remove("SEATDESK_DATABASE_URL").env_remove("SEATDESK_TODAY");
        cmd.output().expect("run seatdesk")
    }

    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(&[&["--json"], args].concat());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn text(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A refused command's code; its text form names the code too.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.run(&[&["--json"], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?} should be refused: {}", String::from_utf8_lossy(&out.stdout));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let code = doc["error"]["code"].as_str().unwrap().to_string();
        let text = self.run(args);
        let said = String::from_utf8_lossy(&text.stderr);
        assert!(said.starts_with(&format!("error[{code}]: ")), "{said}");
        code
    }

    /// Acme (Olivia; Ana and Ben pending in Sales)
    /// and Beta (Bea; Cy accepted in Help).
    fn two_accounts(&self) {
        // Set up 40 days before TODAY (the renewal between is booked on the
        // next open). Invites age on the computer's clock, not by --today:
        // the core's tests age one.
        let then = |args: &[&str]| self.ok(&[&["--today", "2026-10-07"], args].concat());
        then(&["account", "create", "--name", "Acme", "--owner-email", "olivia@acme.example.com", "--owner-name", "Olivia Owner"]);
        then(&["account", "create", "--name", "Beta", "--owner-email", "bea@beta.example", "--owner-name", "Bea Boss"]);
        for (account, inbox, seats) in [("Acme", "Sales", "2"), ("Beta", "Help", "1")] {
            then(&["--account", account, "inboxes", "create", inbox]);
            then(&["--account", account, "seats", "buy", seats, "--yes"]);
        }
        then(&["--account", "Acme", "members", "invite", "ben@example.com", "--inbox", "Sales"]);
        self.ok(&["--account", "Acme", "members", "invite", "ana@example.com", "--inbox", "Sales"]);
        self.ok(&["--account", "Beta", "members", "invite", "cy@beta.example", "--inbox", "Help"]);
        self.ok(&["--account", "Beta", "members", "accept", "cy@beta.example", "--name", "Cy Ana"]);
    }
}

#[test]
fn the_accounts_overview_counts_each_account_and_the_totals() {
    for store in Store::all() {
        store.two_accounts();
        let desk = store.ok(&["accounts"]);
        let names: Vec<&str> = desk["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Acme", "Beta"]);
        let acme = &desk["accounts"][0];
        assert_eq!(acme["owner_email"], "olivia@acme.example.com");
        assert_eq!((acme["purchased"].as_i64(), acme["assigned"].as_i64(), acme["unassigned"].as_i64()), (Some(2), Some(2), Some(0)));
        assert_eq!((acme["pending"].as_i64(), acme["pending_stale"].as_i64()), (Some(2), Some(0)), "both sent just now");
        assert_eq!(acme["problems"], serde_json::json!([]), "checked by default");
        assert_eq!((desk["totals"]["accounts"].as_i64(), desk["totals"]["active"].as_i64(), desk["totals"]["pending"].as_i64()), (Some(2), Some(3), Some(2)));
        assert_eq!(desk["totals"]["accounts_with_problems"], 0);
        let text = store.text(&["accounts", "--sort", "pending"]);
        assert!(text.lines().nth(1).unwrap().starts_with("Acme "), "most pending invites first:\n{text}");
        assert!(text.contains("2 accounts: 3 seats purchased, 3 assigned, 0 unassigned; 3 Active, 2 pending (0 last sent over 30 days ago)"), "{text}");
        assert!(text.contains("check: every account is consistent"), "{text}");
        let searched = store.ok(&["accounts", "--search", "BEA@", "--no-check"]);
        assert_eq!(searched["accounts"].as_array().unwrap().len(), 1);
        assert_eq!(searched["accounts"][0]["problems"], serde_json::json!([]), "the verdict kept from the check above");
        assert!(searched["accounts"][0]["checked_at"].is_string());
        // A change ends the account's kept verdict; the next overview checks
        // that account again (and only that one).
        store.ok(&["--account", "Beta", "seats", "buy", "1", "--yes"]);
        let kept = store.ok(&["accounts", "--no-check"]);
        assert_eq!((kept["accounts"][0]["problems"].clone(), kept["accounts"][1]["problems"].clone()), (serde_json::json!([]), Value::Null));
        assert_eq!(kept["totals"]["accounts_with_problems"], Value::Null);
        assert!(store.text(&["accounts", "--no-check"]).contains("changed since its check on 20"));
        let again = store.ok(&["accounts"]);
        assert_eq!((again["accounts"][1]["problems"].clone(), again["totals"]["accounts_with_problems"].as_i64()), (serde_json::json!([]), Some(0)));
        assert_eq!(again["accounts"][0]["checked_at"], kept["accounts"][0]["checked_at"], "Acme was not checked again");
        let all = store.ok(&["accounts", "--recheck"]);
        assert_ne!(all["accounts"][0]["checked_at"], kept["accounts"][0]["checked_at"], "--recheck looks at every account");
        assert_eq!(all["storage_problems"], serde_json::json!([]));
        let both = store.run(&["--json", "accounts", "--recheck", "--no-check"]);
        assert_eq!(both.status.code(), Some(2), "a usage error");
        assert_eq!(serde_json::from_slice::<Value>(&both.stdout).unwrap()["error"]["code"], "invalid_argument");
        assert_eq!(searched["totals"]["purchased"], 1, "the totals of the rows shown");
        let one = store.text(&["accounts", "--search", "bea@"]);
        assert!(one.contains("1 of 2 accounts shown: 2 seats purchased") && one.contains("check: every account shown is consistent"), "{one}");
        assert!(store.text(&["accounts", "--search", "zzzz"]).starts_with("No account matches \"zzzz\" (of 2)."));
        assert_eq!(store.ok(&["--account", "beta", "accounts"])["accounts"][0]["name"], "Beta");
        assert_eq!(store.refused(&["--account", "Nope", "accounts"]), "not_found");
        // Sorted: renewals soonest first, the counts largest first.
        let order = |key: &str| -> Vec<String> { store.ok(&["accounts", "--sort", key, "--no-check"])["accounts"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect() };
        assert_eq!(order("seats"), ["Acme", "Beta"]);
        // `account list --json` keeps its fields and adds the counts.
        let list = store.ok(&["account", "list"]);
        assert_eq!((list[1]["name"].as_str(), list[1]["seat_price_cents"].as_i64(), list[1]["active"].as_i64()), (Some("Beta"), Some(1000), Some(2)));
        assert_eq!(list[1]["readable"], true);
    }
}

/// A file with a damaged page under one account's Owner (found by trying:
/// `accounts --recheck` failed whole): every form of the overview names it
/// and shows the others, `account list` marks it for scripts, and `check`
/// exits 1 naming the table.
#[test]
fn the_overview_names_an_account_whose_figures_do_not_read() {
    let store = Store::File(tempfile::tempdir().unwrap());
    let Store::File(dir) = &store else { unreachable!() };
    for name in ["Alpha", "Beta", "Gamma"] {
        store.ok(&["demo", "--name", name, "--members", "60", "--conversations", "0"]);
    }
    seatdesk_core::store::sqlite::damage::damage_owner_page(&dir.path().join("seatdesk.db"), "Beta");
    for args in [&["accounts"][..], &["accounts", "--recheck"], &["accounts", "--search", "gamma"]] {
        let text = store.text(args);
        assert!(text.contains("\nnot shown: Beta: integrity: its figures could not be read"), "{args:?}: {text}");
        assert!(text.lines().any(|l| l.starts_with("Gamma ")), "{args:?}: {text}");
        let json = store.ok(args);
        assert_eq!(json["unreadable"][0]["account"], "Beta", "{args:?}");
        assert!(json["accounts"].as_array().unwrap().iter().all(|a| a["name"] != "Beta"));
    }
    // A search that keeps none says so, not that the figures do not read.
    let none = store.text(&["accounts", "--search", "zzz"]);
    assert!(none.starts_with("No account matches \"zzz\" (of 3).\nnot shown: Beta:"), "{none}");
    let list = store.ok(&["account", "list"]);
    let readable: Vec<(&str, bool)> = list.as_array().unwrap().iter().map(|a| (a["name"].as_str().unwrap(), a["readable"].as_bool().unwrap())).collect();
    assert_eq!(readable, [("Alpha", true), ("Beta", false), ("Gamma", true)]);
    let out = store.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the table member or an index of it does not read"), "{said}");
}

#[test]
fn a_member_is_found_in_any_account_from_the_cli() {
    for store in Store::all() {
        store.two_accounts();
        let found = store.ok(&["find", "ANA"]);
        let rows: Vec<String> = found["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| format!("{} {} {} {}", m["account"].as_str().unwrap(), m["email"].as_str().unwrap(), m["role"].as_str().unwrap(), m["status"].as_str().unwrap()))
            .collect();
        assert_eq!(rows, ["Acme ana@example.com member pending", "Beta cy@beta.example member active"]);
        assert_eq!(found["more"], false);
        let text = store.text(&["find", "beta.ex"]);
        assert!(text.starts_with("ACCOUNT  EMAIL") && text.contains("Beta     bea@beta.example") && text.contains("cy@beta.example"), "{text}");
        assert!(store.text(&["find", "zzz-nobody"]).contains("No member of any account matches"));
        assert_eq!(store.refused(&["find", "an"]), "search_too_short");
        let beta = store.ok(&["--account", "Beta", "find", "ana"]);
        assert_eq!(beta["members"].as_array().unwrap().len(), 1, "in that account only: {beta}");
        assert_eq!(store.refused(&["--account", "Nope", "find", "ana"]), "not_found");
        assert!(store.text(&["--account", "Beta", "find", "olivia"]).starts_with("No member of Beta matches \"olivia\"."));
    }
}

#[test]
fn what_support_did_under_a_ticket_is_listed_across_accounts() {
    for store in Store::all() {
        store.two_accounts();
        let support = ["--support-agent", "Sam Support", "--ticket", "T-1042"];
        store.ok(&[&support[..], &["--account", "Acme", "members", "resend", "ben@example.com"]].concat());
        store.ok(&[&support[..], &["--account", "Beta", "seats", "buy", "1", "--yes"]].concat());
        store.ok(&["--account", "Beta", "seats", "buy", "1", "--yes"]);
        // The owner transfer takes the same two options.
        store.ok(&[&support[..], &["--account", "Beta", "owner", "transfer", "--to", "cy@beta.example"]].concat());
        let trail = store.ok(&["audit", "--ticket", "T-1042"]);
        let seen: Vec<String> = trail.as_array().unwrap().iter().map(|e| format!("{} {}", e["account"].as_str().unwrap(), e["action"].as_str().unwrap())).collect();
        assert_eq!(seen, ["Beta owner.transfer", "Beta seats.buy", "Acme member.resend"], "newest first, without the purchase made outside support mode");
        assert_eq!(trail[2]["details"]["support_agent"], "Sam Support");
        let text = store.text(&["audit", "--ticket", "T-1042"]);
        assert!(text.contains("entries 1–3 of 3 under ticket T-1042 in every account"), "{text}");
        let page = store.ok(&["audit", "--ticket", "T-1042", "--offset", "1", "--limit", "1"]);
        assert_eq!((page.as_array().unwrap().len(), page[0]["action"].as_str()), (1, Some("seats.buy")));
        let acme = store.ok(&["--account", "Acme", "audit", "--ticket", "T-1042"]);
        assert_eq!((acme.as_array().unwrap().len(), acme[0]["account"].as_str()), (1, Some("Acme")));
        assert_eq!(store.refused(&["audit", "--ticket", "T-1042", "--limit", "0"]), "invalid_quantity");
        assert_eq!(store.text(&["audit", "--ticket", "T-9"]).trim(), "No entries under ticket T-9 in every account.");
        assert_eq!(store.text(&["audit", "--ticket", "T-1042", "--offset", "5"]).trim(), "No entries at offset 5 under ticket T-1042 (3 in all, in every account).");
        // Half a support mode is refused before anything changes.
        assert_eq!(store.refused(&["--ticket", "T-1", "--account", "Acme", "seats", "buy", "1", "--yes"]), "support_mode_required");
        assert_eq!(store.refused(&["--support-agent", " ", "--ticket", "T-1", "--account", "Acme", "seats", "buy", "1", "--yes"]), "invalid_name");
        assert_eq!(store.ok(&["--account", "Acme", "seats"])["purchased"], 2);
    }
}

#[test]
fn one_csv_imports_into_several_accounts_after_a_dry_run_per_account() {
    for store in Store::all() {
        store.two_accounts();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("customers.csv");
        std::fs::write(&file, "account,email,name,role,inbox\nBeta,dee@beta.example,Dee,member,Help\nAcme,eve@example.com,Eve,observer,Sales\n").unwrap();
        let file = file.to_str().unwrap();
        let dry = store.ok(&["import", "members", file, "--dry-run"]);
        assert_eq!(dry["applied"], false);
        let beta = &dry["accounts"][0];
        assert_eq!((beta["account"].as_str(), beta["to_invite"].as_i64(), beta["seats_free"].as_i64()), (Some("Beta"), Some(1), Some(0)));
        let quote = beta["shortfall_quote"]["quote_id"].as_str().unwrap().to_string();
        let text = store.text(&["import", "members", file, "--dry-run"]);
        let due = beta["shortfall_quote"]["due_now_cents"].as_i64().unwrap();
        let said = format!("Beta: 1 to invite; 1 seat needed, 0 unassigned; short of 1 seat: {}.{:02} USD now (--buy-shortfall {quote})", due / 100, due % 100);
        assert!(text.contains("LINE  ACCOUNT") && text.contains(&said), "{said} not in\n{text}");
        // Short of a seat in Beta: refused, and Acme's row is not kept either.
        assert_eq!(store.refused(&["import", "members", file]), "no_free_seats");
        assert_eq!(store.ok(&["--account", "Acme", "members", "--search", "eve@"]).as_array().unwrap().len(), 0);
        let done = store.ok(&["import", "members", file, "--buy-shortfall", &quote]);
        assert_eq!((done["applied"].as_bool(), done["to_invite"].as_i64()), (Some(true), Some(2)));
        assert_eq!(store.ok(&["--account", "Beta", "seats"])["purchased"], 2);
        assert_eq!(store.ok(&["find", "eve@example"])["members"][0]["account"], "Acme");
        assert_eq!(store.ok(&["check"])["ok"], true);
    }
}

/// `members --limit N [--offset N]` pages as the window's table does, with
/// how many match in all; the pages put together are the whole list.
#[test]
fn members_are_listed_a_page_at_a_time_with_their_total() {
    for store in Store::all() {
        store.ok(&["demo", "--members", "160"]);
        let every: Vec<String> = store.ok(&["members", "--status", "active"]).as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap().to_string()).collect();
        assert!(every.len() > 100, "{}", every.len());
        let mut paged = Vec::new();
        for offset in [0, 50, 100] {
            let page = store.ok(&["members", "--status", "active", "--limit", "50", "--offset", &offset.to_string()]);
            assert_eq!((page["total"].as_i64(), page["offset"].as_i64(), page["total_capped"].as_bool()), (Some(every.len() as i64), Some(offset), Some(false)));
            paged.extend(page["rows"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap().to_string()));
        }
        assert_eq!(paged, every);
        let text = store.text(&["members", "--status", "active", "--limit", "50", "--offset", "100"]);
        // The last page names no next one; the first does.
        assert!(text.contains(&format!("members 101–{} of {}\n", every.len(), every.len())) || text.ends_with(&format!("members 101–{} of {}", every.len(), every.len())), "{text}");
        assert!(!text.contains("--offset"), "{text}");
        let first = store.text(&["members", "--status", "active", "--limit", "50"]);
        assert!(first.contains(&format!("members 1–50 of {} (--offset 50 for the next page)", every.len())), "{first}");
        let far = store.text(&["members", "--status", "active", "--limit", "5", "--offset", "100000"]);
        assert!(far.contains(&format!("No members at offset 100000 ({} match)", every.len())), "{far}");
        // An offset needs a page, and a page holds 1 to 1000.
        for bad in [&["members", "--offset", "5"][..], &["members", "--limit", "0"], &["members", "--limit", "1001"], &["members", "--limit", "5", "--offset", "-1"]] {
            assert_eq!(store.run(bad).status.code(), Some(2), "{bad:?}");
        }
    }
}
