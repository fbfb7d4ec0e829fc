//! Phone numbers in E.164 (rules §4): a `+`, a country code that does not
//! start with 0, and 7 to 15 digits in all (the shortest numbers in use,
//! such as Niue's +683 and four digits, have 7).

use serde_json::json;

use crate::error::{Error, ErrorCode, Result};

/// Normalises what a person typed (spaces, dashes, dots and parentheses are
/// allowed as separators) into canonical E.164, or refuses it.
pub fn parse_e164(raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    let refuse = |reason: &str| {
        Error::new(
            ErrorCode::InvalidPhoneNumber,
            format!("{trimmed:?} is not a phone number in E.164 form (such as +15551234567): {reason}."),
        )
        .with_details(json!({ "number": trimmed, "reason": reason }))
    };
    let Some(rest) = trimmed.strip_prefix('+') else {
        return Err(refuse("it must start with + and the country code"));
    };
    let mut digits = String::with_capacity(15);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(refuse("only digits may follow the +")),
        }
    }
    if digits.starts_with('0') {
        return Err(refuse("a country code never starts with 0"));
    }
    if !(7..=15).contains(&digits.len()) {
        return Err(refuse("it must have 7 to 15 digits"));
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_separators() {
        assert_eq!(parse_e164("+15551234567").unwrap(), "+15551234567");
        assert_eq!(parse_e164(" +1 (555) 123-4567 ").unwrap(), "+15551234567");
        assert_eq!(parse_e164("+44.20.7946.0958").unwrap(), "+442079460958");
    }

    #[test]
    fn refuses_what_is_not_e164() {
        for bad in ["", "5551234567", "+", "+0123456789", "+1555", "+1234567890123456", "+1555abc4567", "++15551234567", "+١٢٣٤٥٦٧٨"] {
            assert_eq!(parse_e164(bad).unwrap_err().code, ErrorCode::InvalidPhoneNumber, "{bad:?}");
        }
    }
}
