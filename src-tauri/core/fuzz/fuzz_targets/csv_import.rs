//! Any bytes as a members CSV, as a dry run and for real: a report or a
//! coded refusal, never a panic; a dry run changes nothing, and an import
//! either adds exactly the rows it reports or nothing at all.
#![no_main]
use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use seatdesk_core::service::{ImportOptions, MemberQuery, NewAccount, NewInbox};
use seatdesk_core::{Clock, Scope, Seatdesk};

thread_local! {
    static DESK: RefCell<Seatdesk> = RefCell::new({
        let mut d = Seatdesk::open_in_memory(Clock::fixed(chrono_date())).unwrap();
        d.create_account(&NewAccount { name: "Acme".into(), owner_email: "olivia@acme.example.com".into(), owner_name: "Olivia".into(), ..Default::default() }).unwrap();
        d.create_inbox(&Scope::default(), &NewInbox { name: "Sales".into(), number: None }).unwrap();
        d.buy_seats(&Scope::default(), 50, None).unwrap();
        d
    });
}

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
}

fuzz_target!(|bytes: &[u8]| {
    DESK.with(|desk| {
        let mut d = desk.borrow_mut();
        let s = Scope::default();
        let count = |d: &mut Seatdesk| d.all_members(&s, &MemberQuery::default()).unwrap().len();
        let before = count(&mut d);
        let dry = ImportOptions { dry_run: true, default_inbox: Some("Sales".into()), buy_shortfall_quote: None };
        let _ = d.import_members(&s, bytes, &dry).map_err(|e| assert!(!e.message.is_empty()));
        assert_eq!(count(&mut d), before, "a dry run changes nothing");
        let real = ImportOptions { dry_run: false, ..dry };
        match d.import_members(&s, bytes, &real) {
            Ok(report) => {
                let added = if report.applied { report.to_invite as usize } else { 0 };
                assert_eq!(count(&mut d), before + added, "the import adds what it reports, or nothing");
            }
            Err(_) => assert_eq!(count(&mut d), before, "a refused import adds nothing"),
        }
    });
});
