//! Email addresses (rules §6): trimmed, validated with a required top-level
//! domain and no display names, compared case-insensitively.

use std::str::FromStr;

use email_address::{EmailAddress, Options};
use unicode_normalization::UnicodeNormalization;
use serde_json::json;

use crate::error::{Error, ErrorCode, Result};

/// A validated address: `display` as typed (trimmed, in Unicode NFC), `key`
/// its one normal form for comparisons and uniqueness ([`key_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub display: String,
    pub key: EmailKey,
}

/// An address in its one normal form ([`key_of`]). Members are found and
/// addresses compared only through it, so that no comparison can forget a
/// step (`Zoë@Exämple.com` and `zoë@xn--exmple-cua.com` are one address).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailKey(String);

impl EmailKey {
    /// The key of an address as typed (trimmed, any case or form).
    pub fn of(typed: &str) -> EmailKey {
        EmailKey(key_of(typed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The parser's refusal in plain words, saying what to fix.
fn plain_reason(e: &email_address::Error) -> String {
    use email_address::Error as E;
    match e {
        E::MissingSeparator => "it has no @ (an address reads name@company.com)".into(),
        E::LocalPartEmpty => "nothing comes before the @".into(),
        E::LocalPartTooLong => "the part before the @ is longer than 64 characters".into(),
        E::DomainEmpty => "nothing comes after the @".into(),
        E::DomainTooFew => "the part after the @ needs a dot and an ending, as in company.com".into(),
        E::DomainTooLong | E::SubDomainTooLong => "the part after the @ is too long".into(),
        E::SubDomainEmpty | E::DomainInvalidSeparator => "the part after the @ has a dot in the wrong place".into(),
        E::InvalidCharacter => "it contains a character an address cannot hold".into(),
        // Quotes, comments, brackets and IP literals are refused earlier.
        other => other.to_string().trim_end_matches('.').to_lowercase(),
    }
}

impl Email {
    pub fn parse(raw: &str) -> Result<Email> {
        // Checked as it will be shown: trimmed, composed (NFC).
        let composed: String = raw.trim().nfc().collect();
        let trimmed = composed.as_str();
        let refuse = |reason: &str| {
            Error::new(ErrorCode::InvalidEmail, format!("{trimmed:?} is not a valid email address: {reason}."))
                .with_details(json!({ "email": trimmed, "reason": reason }))
        };
        if trimmed.is_empty() {
            return Err(Error::new(ErrorCode::InvalidEmail, "Enter an email address: it cannot be empty.")
                .with_details(json!({ "email": trimmed, "reason": "it is empty" })));
        }
        if trimmed.len() > 254 {
            return Err(refuse("it is longer than 254 characters"));
        }
        // The parser lets control characters (C1 among them) and invisible
        // format characters through in internationalised domains.
        if trimmed.chars().any(|c| c.is_control() || c.is_whitespace() || crate::domain::text::is_layout_char(c)) {
            return Err(refuse("it contains spaces, control or invisible characters"));
        }
        // Plain addresses only: one @, no quoted local part, comment or
        // bracket (RFC 5322 allows `"a@b<c"@example.com`; no inbox needs it,
        // and such text misleads wherever an address is shown).
        if !trimmed.contains('@') {
            return Err(refuse(&plain_reason(&email_address::Error::MissingSeparator)));
        }
        if trimmed.matches('@').count() != 1 || trimmed.contains(['"', '(', ')', '<', '>', '[', ']', '\\', ',', ';', ':']) {
            return Err(refuse("use a plain address such as name@example.com (no quotes, brackets or extra @)"));
        }
        let options = Options::default()
            .with_required_tld()
            .without_display_text()
            .without_domain_literal();
        EmailAddress::parse_with_options(trimmed, options).map_err(|e| refuse(&plain_reason(&e)))?;
        // The parser accepts a trailing dot in the domain; mail systems do not.
        if trimmed.ends_with('.') {
            return Err(refuse("the domain ends with a dot"));
        }
        Ok(Email { key: EmailKey::of(trimmed), display: composed })
    }
}

/// The one form in which two addresses are the same address: the local
/// part in NFKC without case (so `é` typed composed or decomposed, and `ﬁ`
/// and `fi`, are one), the domain in ASCII (IDNA: `bücher.de` is
/// `xn--bcher-kva.de`). Every lookup by a typed address goes through it.
pub fn key_of(raw: &str) -> String {
    // Compatibility forms can bring spaces to the ends (NFKC of `´` is a
    // space and a combining accent): trimmed after folding too, so that a
    // key is its own key (found by the email fuzzer).
    let folded: String = raw.trim().nfkc().collect::<String>().to_lowercase().nfkc().collect::<String>().trim().to_string();
    match folded.rsplit_once('@') {
        Some((local, domain)) => {
            let domain = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_string());
            format!("{local}@{domain}")
        }
        None => folded,
    }
}

/// Splits a pasted list (commas, semicolons, spaces, new lines) into the
/// addresses typed, in order, without empty pieces.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl FromStr for Email {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Email::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_address_says_what_to_fix_in_plain_words() {
        for (raw, says) in [
            ("ana", "no @"),
            ("ana@example", "needs a dot and an ending"),
            ("@example.com", "nothing comes before the @"),
            ("ana@", "nothing comes after the @"),
            ("ana@example..com", "a dot in the wrong place"),
            ("", "Enter an email address"),
        ] {
            let e = Email::parse(raw).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidEmail);
            assert!(e.message.contains(says), "{raw:?}: {}", e.message);
        }
    }

    /// 254 characters is the longest address; one more is refused for its length.
    #[test]
    fn an_address_holds_at_most_254_characters() {
        let address = |last: usize| format!("{}@{}.{}.{}", "a".repeat(64), "b".repeat(63), "c".repeat(63), "d".repeat(last));
        assert_eq!(address(61).len(), 254);
        assert!(Email::parse(&address(61)).is_ok());
        let err = Email::parse(&address(62)).unwrap_err();
        assert_eq!(err.details.unwrap()["reason"], "it is longer than 254 characters");
        let err = Email::parse(&address(200)).unwrap_err();
        assert_eq!(err.details.unwrap()["reason"], "it is longer than 254 characters");
    }

    #[test]
    fn accepts_ordinary_addresses_and_keys_them_in_lower_case() {
        let e = Email::parse("  Ana.Lopez@Example.COM ").unwrap();
        assert_eq!(e.display, "Ana.Lopez@Example.COM");
        assert_eq!(e.key.as_str(), "ana.lopez@example.com");
        assert!(Email::parse("first+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        // Found by the email fuzzer: a C1 control character in the domain passed.
        for bad in ["AE@0.i\u{93}__1q", "ana@exa\u{200B}mple.com", "ana\u{202E}@example.com", "ana@example.com\u{85}x",
            "ana\u{E0041}@acme.com", "ana\u{180E}@acme.com", "ana\u{115F}@acme.com", "ana\u{FE00}@acme.com", "ana\u{1BCA0}@acme.com"] {
            assert_eq!(Email::parse(bad).unwrap_err().code, ErrorCode::InvalidEmail, "{bad:?}");
        }
        assert!(Email::parse("josé@exämple.com").is_ok(), "other Unicode letters stay allowed");
        // Found by the email fuzzer: a quoted local part holding @ and <.
        for bad in ["\"a@b<c\"@example.com", "\"ana\"@example.com", "ana(x)@example.com", "a\\b@example.com"] {
            assert_eq!(Email::parse(bad).unwrap_err().code, ErrorCode::InvalidEmail, "{bad:?}");
        }
        assert!(Email::parse("o'brien+tag@example.com").is_ok());
    }

    /// Lookalikes are one address: composed and decomposed `é`, `ﬁ` and
    /// `fi`, a Unicode domain and its ASCII (IDNA) form, any case.
    #[test]
    fn lookalike_forms_of_one_address_share_one_key() {
        let key = |s: &str| Email::parse(s).unwrap().key;
        assert_eq!(key("jos\u{e9}@example.com"), key("jose\u{301}@example.com"));
        assert_eq!(key("\u{fb01}nance@example.com"), key("finance@example.com"));
        assert_eq!(key("ana@b\u{fc}cher.de"), key("ana@xn--bcher-kva.de"));
        assert_eq!(key("ana@B\u{dc}CHER.de").as_str(), "ana@xn--bcher-kva.de");
        assert_eq!(key("ZO\u{cb}@example.com"), key("zo\u{eb}@example.com"));
        assert_ne!(key("ana@example.com"), key("anna@example.com"));
        // What is shown keeps the letters typed, composed (NFC).
        assert_eq!(Email::parse("jose\u{301}@example.com").unwrap().display, "jos\u{e9}@example.com");
        // Found by the email fuzzer: NFKC of `´` begins with a space.
        assert_eq!(EmailKey::of(key("\u{b4}@0.io").as_str()), key("\u{b4}@0.io"));
        // A lookup by any form finds the one key.
        assert_eq!(EmailKey::of(" ANA@Bücher.de "), key("ana@xn--bcher-kva.de"));
    }

    #[test]
    fn splits_pasted_lists_on_commas_spaces_and_new_lines() {
        let list = split_list(" ana@example.com, ben@example.com;\n\tchloe@example.com  ,, \r\n");
        assert_eq!(list, ["ana@example.com", "ben@example.com", "chloe@example.com"]);
        assert!(split_list(" , \n ").is_empty());
    }

    #[test]
    fn refuses_what_a_mail_system_would_refuse() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "a@b",
            "@example.com",
            "ana@",
            "Ana <ana@example.com>",
            "ana@[127.0.0.1]",
            "ana@example.com.",
            "ana lopez@example.com",
            &format!("{}@example.com", "a".repeat(250)),
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidEmail, "{bad:?} should be refused");
        }
    }
}
