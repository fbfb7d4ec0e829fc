//! Any text given as an email address: parsed or refused with
//! `invalid_email`, never a panic. What is accepted has, checked here
//! independently of the parser: exactly one `@`, no quotes or brackets, a
//! local part of 1 to 64 bytes, a
//! domain of labels separated by dots with a top-level domain, at most 254
//! bytes in all, no white space or control characters, no display name;
//! it is the input trimmed and composed (NFC); its key is in lower case,
//! is its own key, names the domain in ASCII, and is the key of the
//! decomposed (NFD) form too; and it parses to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seatdesk_core::domain::email::{key_of, EmailKey};
use seatdesk_core::domain::Email;
use unicode_normalization::UnicodeNormalization;
use seatdesk_core::ErrorCode;

fuzz_target!(|raw: &str| {
    match Email::parse(raw) {
        Ok(email) => {
            let shown = &email.display;
            assert_eq!(*shown, raw.trim().nfc().collect::<String>(), "{raw:?}: shown as given, trimmed, composed");
            assert!(shown.len() <= 254, "{raw:?}: {} bytes", shown.len());
            assert!(!shown.chars().any(|c| c.is_whitespace() || c.is_control() || "\"()<>[]\\,;:".contains(c)), "{raw:?}");
            assert_eq!(shown.matches('@').count(), 1, "{raw:?}");
            let (local, domain) = shown.rsplit_once('@').expect("an @");
            assert!(!local.is_empty() && local.len() <= 64, "{raw:?}: local part {local:?}");
            let labels: Vec<&str> = domain.split('.').collect();
            assert!(labels.len() >= 2 && labels.iter().all(|l| !l.is_empty()), "{raw:?}: domain {domain:?} needs labels and a TLD");
            let key = email.key.as_str();
            assert_eq!(key, key.to_lowercase(), "{raw:?}: the key has no case");
            assert_eq!(key_of(key), key, "{raw:?}: the key is its own key");
            assert_eq!(key_of(&shown.nfd().collect::<String>()), key, "{raw:?}: decomposed, the same key");
            assert_eq!(EmailKey::of(shown), email.key, "{raw:?}: the key of what is shown");
            let key_domain = key.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
            assert!(key_domain.is_ascii() || idna_refuses(key_domain), "{raw:?}: the key's domain {key_domain:?} is ASCII");
            let again = Email::parse(shown).expect("a parsed address parses again");
            assert_eq!(again, email, "{raw:?}");
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidEmail, "{raw:?}: {}", e.message),
    }
});

/// A domain IDNA cannot put in ASCII (then the key keeps it as typed).
fn idna_refuses(domain: &str) -> bool {
    idna::domain_to_ascii(domain).is_err()
}
