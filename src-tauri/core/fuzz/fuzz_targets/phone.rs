//! Any text given as a phone number: E.164 or refused with
//! `invalid_phone_number`, never a panic. What is accepted is `+` and 7 to
//! 15 digits (the shortest numbers in use, such as Niue's, have 7), not starting with 0, made only of the digits the input held
//! (in order, separators dropped), and parses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::phone::parse_e164;
use seatdesk_core::ErrorCode;

fuzz_target!(|raw: &str| {
    match parse_e164(raw) {
        Ok(number) => {
            let digits = &number[1..];
            assert!(number.starts_with('+') && digits.bytes().all(|b| b.is_ascii_digit()), "{raw:?} -> {number:?}");
            assert!((7..=15).contains(&digits.len()), "{raw:?} -> {number:?}: {} digits", digits.len());
            assert!(!digits.starts_with('0'), "{raw:?} -> {number:?}: a country code never starts with 0");
            let input_digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(input_digits, digits, "{raw:?}: the digits are the input's own");
            assert_eq!(parse_e164(&number).expect("canonical parses"), number);
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidPhoneNumber, "{raw:?}: {}", e.message),
    }
});
