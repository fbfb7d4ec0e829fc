//! The books through the command line as a process (README, "The books' calendar"): a period is
//! paid once, at the terms in force, from the day the account began. Each
//! test is a case an owner met by trying the CLI; after each, `check`
//! proves the periods and prices from the database itself.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `seatdesk --data-dir D --json --today DAY --allow-future-date ARGS`.
fn run(dir: &Path, day: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seatdesk"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--json", "--today", day, "--allow-future-date"])
        .args(args)
        .env_remove("SEATDESK_DATA_DIR")
        .env_remove("SEATDESK_TODAY")
        .env_remove("SEATDESK_DATABASE_URL")
        .output()
        .expect("run seatdesk")
}

fn doc(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn ok(dir: &Path, day: &str, args: &[&str]) -> Value {
    let out = run(dir, day, args);
    assert_eq!(out.status.code(), Some(0), "{day} {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    doc(&out)
}

fn refused(dir: &Path, day: &str, args: &[&str]) -> String {
    let out = run(dir, day, args);
    assert_eq!(out.status.code(), Some(1), "{day} {args:?} should be refused: {}", String::from_utf8_lossy(&out.stdout));
    doc(&out)["error"]["code"].as_str().unwrap().to_string()
}

fn create(dir: &Path, day: &str, extra: &[&str]) -> Value {
    let base = ["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"];
    ok(dir, day, &[&base[..], extra].concat())
}

/// (date, kind, quantity, unit, amount) of every line, oldest first.
fn lines(dir: &Path, day: &str) -> Vec<(String, String, i64, i64, i64)> {
    ok(dir, day, &["ledger"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["quantity"].as_i64().unwrap(),
                e["unit_cents"].as_i64().unwrap(),
                e["amount_cents"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn line(date: &str, kind: &str, quantity: i64, unit: i64, amount: i64) -> (String, String, i64, i64, i64) {
    (date.to_string(), kind.to_string(), quantity, unit, amount)
}

/// `check` finds nothing wrong.
fn clean(dir: &Path, day: &str) {
    let out = run(dir, day, &["check"]);
    assert_eq!(out.status.code(), Some(0), "check on {day}: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn moving_the_renewal_date_never_charges_a_day_twice_nor_gives_one_away() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-11-10", &["--renews", "2026-12-01"]);
    ok(p, "2026-11-10", &["seats", "buy", "3", "--yes"]);
    // On Dec 1 the renewal books; the account is then paid to Jan 1, so a
    // renewal date before it is refused.
    assert_eq!(refused(p, "2026-12-01", &["account", "set-plan", "--renews", "2026-12-02"]), "invalid_date");
    // Moving it to Jan 15: the period to Jan 1 stays; Jan 1 to Jan 15 is
    // billed on Jan 1 pro rata (14 of the 31 days of Dec 15 to Jan 15).
    let view = ok(p, "2026-12-01", &["account", "set-plan", "--renews", "2027-01-15"]);
    assert_eq!(view["renews_on"], "2027-01-01");
    assert_eq!(view["scheduled"]["renews_on"], "2027-01-15");
    let seats = ok(p, "2026-12-01", &["seats"]);
    assert_eq!(seats["renewal_total_cents"], 1355, "the next renewal is the short period");
    assert_eq!(
        lines(p, "2027-01-20"),
        [
            line("2026-11-10", "seat_purchase", 3, 1000, 2100), // 21 of 30 days
            line("2026-12-01", "seat_renewal", 3, 1000, 3000),
            line("2027-01-01", "seat_renewal", 3, 1000, 1355),
            line("2027-01-15", "seat_renewal", 3, 1000, 3000),
        ]
    );
    let account = ok(p, "2027-01-20", &["account", "show"]);
    assert_eq!((account["period_start"].as_str(), account["renews_on"].as_str()), (Some("2027-01-15"), Some("2027-02-15")));
    clean(p, "2027-01-20");
    // A date more than one period past the renewal is refused too.
    assert_eq!(refused(p, "2027-01-20", &["account", "set-plan", "--renews", "2027-03-16"]), "invalid_date");
}

#[test]
fn switching_annual_to_monthly_on_the_renewal_day_books_the_year_once() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-11-10", &["--plan", "annual"]);
    ok(p, "2026-11-10", &["seats", "buy", "1", "--yes"]);
    // A period change must name its prices: a price is per period.
    assert_eq!(refused(p, "2027-11-10", &["account", "set-plan", "--plan", "monthly"]), "invalid_price");
    let view = ok(p, "2027-11-10", &["account", "set-plan", "--plan", "monthly", "--seat-price", "10.00", "--number-price", "5.00"]);
    assert_eq!((view["plan"].as_str(), view["renews_on"].as_str()), (Some("annual"), Some("2028-11-10")));
    assert_eq!(view["scheduled"]["plan"], "monthly");
    assert_eq!(
        lines(p, "2028-12-15"),
        [
            line("2026-11-10", "seat_purchase", 1, 10_000, 10_000),
            line("2027-11-10", "seat_renewal", 1, 10_000, 10_000),
            line("2028-11-10", "seat_renewal", 1, 1_000, 1_000),
            line("2028-12-10", "seat_renewal", 1, 1_000, 1_000),
        ]
    );
    clean(p, "2028-12-15");
}

#[test]
fn a_clock_set_back_books_nothing_before_the_books() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-11-01", &[]);
    ok(p, "2026-11-10", &["seats", "buy", "1", "--yes"]);
    assert_eq!(refused(p, "2000-01-01", &["seats", "buy", "1", "--yes"]), "invalid_date");
    assert_eq!(refused(p, "2026-10-15", &["seats", "quote", "1"]), "invalid_date");
    assert_eq!(refused(p, "2026-11-05", &["seats", "buy", "1", "--yes"]), "invalid_date", "before the last line");
    // Renewed through June, then back to November: nothing books there.
    ok(p, "2027-06-10", &["seats"]);
    ok(p, "2027-06-10", &["seats", "quote", "1"]);
    assert_eq!(refused(p, "2026-11-20", &["account", "set-plan", "--renews", "2026-11-21"]), "invalid_date");
    assert_eq!(refused(p, "2026-11-20", &["seats", "remove", "1", "--yes"]), "invalid_date");
    let renewals = lines(p, "2027-06-10").into_iter().filter(|l| l.1 == "seat_renewal").count();
    assert_eq!(renewals, 7, "Dec to June, each once");
    clean(p, "2027-06-10");
}

#[test]
fn an_account_begun_on_the_31st_keeps_its_day_and_its_first_period() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let view = create(p, "2027-01-31", &[]);
    assert_eq!((view["period_start"].as_str(), view["renews_on"].as_str()), (Some("2027-01-31"), Some("2027-02-28")));
    let q = ok(p, "2027-01-31", &["seats", "quote", "1"]);
    assert_eq!((q["due_now_cents"].as_i64(), q["period_start"].as_str()), (Some(1000), Some("2027-01-31")), "a whole first period");
    ok(p, "2027-01-31", &["seats", "buy", "1", "--yes"]);
    let dates: Vec<String> = lines(p, "2027-06-01").into_iter().filter(|l| l.1 == "seat_renewal").map(|l| l.0).collect();
    assert_eq!(dates, ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]);
    clean(p, "2027-06-01");

    // Annual from a leap day: Feb 28 in common years, Feb 29 again in 2032.
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2028-02-29", &["--plan", "annual"]);
    let dates: Vec<String> = lines(p, "2032-03-01").into_iter().filter(|l| l.1 == "seat_renewal").map(|l| l.0).collect();
    assert_eq!(dates, ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]);
    clean(p, "2032-03-01");
}

#[test]
fn a_new_price_applies_from_the_next_renewal() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-11-01", &[]);
    ok(p, "2026-11-01", &["seats", "buy", "1", "--yes"]);
    let view = ok(p, "2026-11-16", &["account", "set-plan", "--seat-price", "20.00"]);
    assert_eq!((view["seat_price_cents"].as_i64(), view["scheduled"]["seat_price_cents"].as_i64()), (Some(1000), Some(2000)));
    let q = ok(p, "2026-11-16", &["seats", "quote", "1"]);
    assert_eq!((q["unit_cents"].as_i64(), q["due_now_cents"].as_i64(), q["renewal_total_cents"].as_i64()), (Some(1000), Some(500), Some(4000)));
    ok(p, "2026-11-16", &["seats", "buy", "1", "--yes"]);
    // Monthly to annual mid-period: this period stays a month long.
    let view = ok(p, "2026-11-20", &["account", "set-plan", "--plan", "annual", "--seat-price", "200.00", "--number-price", "50.00"]);
    assert_eq!((view["period_start"].as_str(), view["renews_on"].as_str(), view["then_renews_on"].as_str()), (Some("2026-11-01"), Some("2026-12-01"), Some("2027-12-01")));
    assert_eq!(
        lines(p, "2026-12-05"),
        [
            line("2026-11-01", "seat_purchase", 1, 1000, 1000),
            line("2026-11-16", "seat_purchase", 1, 1000, 500),
            line("2026-12-01", "seat_renewal", 2, 20_000, 40_000),
        ]
    );
    let q = ok(p, "2026-12-05", &["seats", "quote", "1"]);
    assert_eq!((q["unit_cents"].as_i64(), q["period_days"].as_i64(), q["days_remaining"].as_i64()), (Some(20_000), Some(365), Some(361)));
    clean(p, "2026-12-05");
    // Setting the plan back to what it is schedules nothing.
    ok(p, "2026-12-05", &["account", "set-plan", "--seat-price", "250.00"]);
    let view = ok(p, "2026-12-05", &["account", "set-plan", "--seat-price", "200.00"]);
    assert!(view["scheduled"].is_null(), "{view}");
}

#[test]
fn an_empty_option_is_an_error_not_a_default() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let base = ["account", "create", "--name", "Acme", "--owner-email", "o@acme.example.com", "--owner-name", "Olivia"];
    for (flag, code) in [("--seat-price", "invalid_price"), ("--number-price", "invalid_price"), ("--plan", "invalid_plan"), ("--renews", "invalid_date"), ("--currency", "invalid_currency")] {
        assert_eq!(refused(p, "2026-11-10", &[&base[..], &[flag, ""]].concat()), code, "{flag}");
    }
    assert!(!p.join("seatdesk.db").exists() || ok(p, "2026-11-10", &["account", "list"]).as_array().unwrap().is_empty());
    create(p, "2026-11-10", &[]);
    for (flag, code) in [("--seat-price", "invalid_price"), ("--plan", "invalid_plan"), ("--renews", "invalid_date"), ("--currency", "invalid_currency")] {
        assert_eq!(refused(p, "2026-11-10", &["account", "set-plan", flag, ""]), code, "{flag}");
    }
    let view = ok(p, "2026-11-10", &["account", "show"]);
    assert!(view["scheduled"].is_null());
}

/// Eight processes open one new data folder at once, fifty times: each
/// succeeds (the loser of the race waits for the schema), none says
/// `internal`.
#[test]
fn eight_processes_opening_a_new_folder_at_once_all_succeed() {
    for round in 0..50 {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("data");
        let children: Vec<_> = (0..8)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_seatdesk"))
                    .arg("--data-dir")
                    .arg(&dir)
                    .args(["--json", "--today", "2026-11-10", "account", "list"])
                    .env_remove("SEATDESK_DATA_DIR")
                    .env_remove("SEATDESK_TODAY")
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Found by trying it: an account renewing on the 31st may move its
/// renewal date to the 31st of the next month (the upper bound is the
/// renewal after the next one on the plan's own day, not on the next
/// renewal's day).
#[test]
fn a_plan_renewing_on_the_31st_may_choose_the_next_31st() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-03-31", &[]);
    let view = ok(p, "2026-04-05", &["account", "show"]);
    assert_eq!((view["renews_on"].as_str(), view["then_renews_on"].as_str()), (Some("2026-04-30"), Some("2026-05-31")));
    // The date it renews on anyway is no move; the day before is one.
    assert!(ok(p, "2026-04-05", &["account", "set-plan", "--renews", "2026-05-31"])["scheduled"].is_null());
    let moved = ok(p, "2026-04-05", &["account", "set-plan", "--renews", "2026-05-30"]);
    assert_eq!(moved["scheduled"]["renews_on"], "2026-05-30");
    assert_eq!(refused(p, "2026-04-05", &["account", "set-plan", "--renews", "2026-06-01"]), "invalid_date");
}

/// Found by trying it: a refusal for want of seats never carries a quote
/// for a date the books have passed; the date itself is the refusal.
#[test]
fn no_quote_is_offered_for_a_date_the_books_have_passed() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-01-10", &[]);
    ok(p, "2026-01-10", &["inboxes", "create", "X"]);
    ok(p, "2026-01-20", &["seats", "buy", "1", "--yes"]);
    assert_eq!(refused(p, "2026-01-12", &["members", "invite", "a@acme.example.com", "c@acme.example.com", "--role", "member", "--inbox", "X"]), "invalid_date");
    // On a later date the same invite is refused for seats, with a quote that can be bought.
    let out = run(p, "2026-01-21", &["members", "invite", "a@acme.example.com", "c@acme.example.com", "--role", "member", "--inbox", "X"]);
    let err = &doc(&out)["error"];
    assert_eq!(err["code"], "no_free_seats");
    assert_eq!(err["details"]["quote"]["quantity"], 1);
    clean(p, "2026-01-21");
}

/// Found by trying it: after a currency change every ledger line still
/// says which currency it is in (the JSON, the text and the CSV).
#[test]
fn every_ledger_line_says_its_currency() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    create(p, "2026-01-10", &[]);
    ok(p, "2026-01-10", &["seats", "buy", "2", "--yes"]);
    ok(p, "2026-01-12", &["account", "set-plan", "--currency", "EUR", "--seat-price", "9.00"]);
    ok(p, "2026-02-12", &["seats", "buy", "1", "--yes"]);
    let currencies: Vec<String> = ok(p, "2026-02-12", &["ledger"]).as_array().unwrap().iter().map(|e| e["currency"].as_str().unwrap().to_string()).collect();
    assert_eq!(currencies, ["USD", "EUR", "EUR"], "the purchase before the change, the renewal and a purchase after it");
    let file = p.join("ledger.csv");
    ok(p, "2026-02-12", &["export", "ledger", "--out", file.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with("date,kind,quantity,unit_price,amount,currency,"), "{csv}");
    assert!(csv.lines().nth(1).unwrap().contains(",USD,") && csv.lines().nth(3).unwrap().contains(",EUR,"), "{csv}");
    clean(p, "2026-02-12");
}
