//! Any text given as an email address: parsed or refused with
//! `invalid_email`, never a panic. What is accepted has, checked here
//! independently of the parser: exactly one `@`, no quotes or brackets, a
//! local part of 1 to 64 bytes, a
//! domain of labels separated by dots with a top-level domain, at most 254
//! bytes in all, no white space or control characters, no display name;
//! it is the input trimmed, its key is its lower-case form, and it parses
//! to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::Email;
use seatdesk_core::ErrorCode;

fuzz_target!(|raw: &str| {
    match Email::parse(raw) {
        Ok(email) => {
            let shown = &email.display;
            assert_eq!(shown, raw.trim(), "{raw:?}: shown as given, trimmed");
            assert!(shown.len() <= 254, "{raw:?}: {} bytes", shown.len());
            assert!(!shown.chars().any(|c| c.is_whitespace() || c.is_control() || "\"()<>[]\\,;:".contains(c)), "{raw:?}");
            assert_eq!(shown.matches('@').count(), 1, "{raw:?}");
            let (local, domain) = shown.rsplit_once('@').expect("an @");
            assert!(!local.is_empty() && local.len() <= 64, "{raw:?}: local part {local:?}");
            let labels: Vec<&str> = domain.split('.').collect();
            assert!(labels.len() >= 2 && labels.iter().all(|l| !l.is_empty()), "{raw:?}: domain {domain:?} needs labels and a TLD");
            assert_eq!(email.key, shown.to_lowercase(), "{raw:?}");
            let again = Email::parse(shown).expect("a parsed address parses again");
            assert_eq!(again, email, "{raw:?}");
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidEmail, "{raw:?}: {}", e.message),
    }
});
