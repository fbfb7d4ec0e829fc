//! Money is integer cents everywhere (rules §1). These helpers turn what a
//! person types ("10", "10.5", "10.00") into cents and back, never through a
//! float.

use serde_json::json;

use crate::error::{Error, ErrorCode, Result};

/// The largest price Seatdesk accepts for one unit and one period: $100 000.00.
pub const MAX_PRICE_CENTS: i64 = 10_000_000;

/// Parses a non-negative amount with at most two decimals into cents.
pub fn parse_price(raw: &str) -> Result<i64> {
    let s = raw.trim();
    let refuse = |reason: &str| {
        Error::new(ErrorCode::InvalidPrice, format!("{s:?} is not a valid price: {reason}."))
            .with_details(json!({ "price": s, "reason": reason }))
    };
    let s_digits = s.strip_prefix('$').unwrap_or(s);
    let (whole, frac) = match s_digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s_digits, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse("expected an amount such as 10.00"));
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse("at most two decimals"));
    }
    if whole.len() > 9 {
        return Err(refuse("too large"));
    }
    let whole: i64 = whole.parse().map_err(|_| refuse("expected an amount such as 10.00"))?;
    // "5" is 50 cents, "05" is 5; no decimals, none.
    let frac_cents: i64 = if frac.is_empty() {
        0
    } else {
        let digits: i64 = frac.parse().map_err(|_| refuse("at most two decimals"))?;
        if frac.len() == 1 { digits * 10 } else { digits }
    };
    let cents = whole * 100 + frac_cents;
    if cents > MAX_PRICE_CENTS {
        return Err(refuse("more than 100000.00"));
    }
    Ok(cents)
}

/// Formats cents as `12.34` (no currency sign; the UI adds it).
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_why_a_price_is_too_large() {
        // Found by mutation testing: the two bounds were only checked for
        // refusing, not for which one refused.
        let reason = |raw: &str| parse_price(raw).unwrap_err().details.unwrap()["reason"].as_str().unwrap().to_string();
        assert_eq!(reason("100000000"), "more than 100000.00", "nine digits pass the length guard");
        assert_eq!(reason("1234567890"), "too large", "ten digits do not");
        assert_eq!(parse_price("100000.00").unwrap(), MAX_PRICE_CENTS);
        assert_eq!(parse_price("0.5").unwrap(), 50);
        assert_eq!(parse_price("0.05").unwrap(), 5);
    }

    #[test]
    fn parses_amounts_into_exact_cents() {
        assert_eq!(parse_price("10.00").unwrap(), 1000);
        assert_eq!(parse_price("10").unwrap(), 1000);
        assert_eq!(parse_price("10.5").unwrap(), 1050);
        assert_eq!(parse_price(" $0.07 ").unwrap(), 7);
        assert_eq!(parse_price("0").unwrap(), 0);
        assert_eq!(parse_price("100000.00").unwrap(), MAX_PRICE_CENTS);
    }

    #[test]
    fn refuses_negative_fractional_cents_and_garbage() {
        for bad in ["", "-1", "1.234", "abc", "1,00", "1e3", ".5", "100000.01", "99999999999"] {
            assert_eq!(parse_price(bad).unwrap_err().code, ErrorCode::InvalidPrice, "{bad:?}");
        }
    }

    #[test]
    fn formats_cents() {
        assert_eq!(format_cents(250), "2.50");
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(123456), "1234.56");
        assert_eq!(format_cents(-5), "-0.05");
    }
}
