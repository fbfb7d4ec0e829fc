//! Any text given as a phone number: E.164 (`+` and 8 to 15 digits) or
//! refused with `invalid_phone_number`, never a panic; the canonical form parses to
//! itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::phone::parse_e164;
use seatdesk_core::ErrorCode;

fuzz_target!(|raw: &str| {
    match parse_e164(raw) {
        Ok(number) => {
            assert!(number.starts_with('+') && number[1..].bytes().all(|b| b.is_ascii_digit()), "{raw:?} -> {number:?}");
            assert_eq!(parse_e164(&number).expect("canonical parses"), number);
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidPhoneNumber, "{raw:?}: {}", e.message),
    }
});
