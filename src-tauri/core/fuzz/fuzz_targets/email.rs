//! Any text given as an email address: parsed or refused with
//! `invalid_email`, never a panic; what parses is stable under re-parsing
//! and its key is the lower-case form of what is shown.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::Email;
use seatdesk_core::ErrorCode;

fuzz_target!(|raw: &str| {
    match Email::parse(raw) {
        Ok(email) => {
            assert_eq!(email.key, email.display.to_lowercase(), "{raw:?}");
            let again = Email::parse(&email.display).expect("a parsed address parses again");
            assert_eq!(again, email, "{raw:?}");
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidEmail, "{raw:?}: {}", e.message),
    }
});
