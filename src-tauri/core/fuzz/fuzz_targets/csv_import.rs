//! Any bytes as a members CSV, on a fresh account per input (so every
//! finding replays alone) with seats enough for any file: a dry run and a
//! real import each give a report or a coded refusal (`invalid_csv`, never
//! `internal`); the report accounts for every row of the file exactly once
//! (counted here with the csv crate), its counts agree with its rows, the
//! dry run changes nothing, an import adds exactly the rows it invites or
//! nothing, and `check` is clean afterwards.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::service::{ImportOptions, ImportOutcome, MemberQuery, NewAccount, NewInbox};
use seatdesk_core::{Clock, ErrorCode, Scope, Seatdesk};

fn fresh() -> Seatdesk {
    let mut d = Seatdesk::open_in_memory(Clock::fixed(chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap())).unwrap();
    let acme = NewAccount { name: "Acme".into(), owner_email: "olivia@acme.example.com".into(), owner_name: "Olivia".into(), ..Default::default() };
    d.create_account(&acme).unwrap();
    d.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None, quote_id: None }).unwrap();
    d.buy_seats(&Scope::default(), 10_000, None).unwrap();
    d
}

/// The data records of the file as an independent reader sees them: not
/// empty, after the header.
fn records(bytes: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let mut n = 0;
    for record in reader.records() {
        let record = record.ok()?;
        if !record.iter().all(|c| c.trim().is_empty()) {
            n += 1;
        }
    }
    Some(n)
}

fuzz_target!(|bytes: &[u8]| {
    let mut d = fresh();
    let s = Scope::default();
    let count = |d: &mut Seatdesk| d.all_members(&s, &MemberQuery::default()).unwrap().len();
    let before = count(&mut d);
    let dry = ImportOptions { dry_run: true, default_inbox: Some("Sales".into()), ..Default::default() };
    match d.import_members(&s, bytes, &dry) {
        Ok(report) => {
            assert!(!report.applied, "a dry run applies nothing");
            if let Some(n) = records(bytes) {
                assert_eq!(report.rows.len(), n, "every row of the file is reported once");
            }
            assert!(report.rows.windows(2).all(|w| w[0].line < w[1].line), "rows in file order, each once");
            let invites = report.rows.iter().filter(|r| r.outcome == ImportOutcome::Invite).count() as i64;
            assert_eq!(report.to_invite, invites, "to_invite counts the rows marked invite");
            assert!(report.seats_needed <= report.to_invite);
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidCsv, "{}", e.message),
    }
    assert_eq!(count(&mut d), before, "a dry run changes nothing");
    let real = ImportOptions { dry_run: false, ..dry };
    match d.import_members(&s, bytes, &real) {
        Ok(report) => {
            let added = if report.applied { report.to_invite as usize } else { 0 };
            assert_eq!(count(&mut d), before + added, "the import adds what it reports");
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidCsv, "{}", e.message);
            assert_eq!(count(&mut d), before, "a refused import adds nothing");
        }
    }
    let violations = d.check(None).expect("check runs");
    assert!(violations.is_empty(), "{violations:?}");
});
