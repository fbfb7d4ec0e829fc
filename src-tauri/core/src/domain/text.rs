//! Names and dates as people type them.

use chrono::NaiveDate;
use serde_json::json;

use crate::error::{Error, ErrorCode, Result};

pub const MAX_NAME_CHARS: usize = 100;

/// A display name (account, person, inbox): trimmed, 1–100 characters, no
/// control characters. HTML is allowed as text: the window never renders
/// names as markup.
pub fn parse_name(what: &str, raw: &str) -> Result<String> {
    let name = raw.trim();
    let refuse = |reason: &str| {
        Error::new(ErrorCode::InvalidName, format!("The {what} name {name:?} is not valid: {reason}."))
            .with_details(json!({ "field": what, "name": name, "reason": reason }))
    };
    if name.is_empty() {
        return Err(Error::new(ErrorCode::InvalidName, format!("Enter the {what} name: it cannot be empty."))
            .with_details(json!({ "field": what, "name": name, "reason": "it is empty" })));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refuse("it is longer than 100 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(refuse("it contains control characters"));
    }
    if name.chars().any(is_layout_char) {
        return Err(refuse("it contains line separators or invisible direction and format characters"));
    }
    Ok(name.to_string())
}

/// Characters that change how text around them is laid out, or that show
/// as nothing: line and paragraph separators (a name that breaks the lines
/// of a confirmation dialog), bidirectional overrides and isolates (a name
/// that reads backwards), and Unicode's default-ignorable and other
/// invisible characters (zero-width, joiners, variation selectors, tags,
/// Hangul and Braille blanks), which would let two addresses or names that
/// look the same be different.
pub(crate) fn is_layout_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The lower-cased key under which a name must be unique.
/// The key names sort by (the members table, round robin): letters without
/// their accents and without case, so `Ängel` and `Émile` sort with `Angel`
/// and `Emile`, before `Zoe`, not after it as code points put them. Ties
/// (`Eve` and `Ève`) are broken by the caller (the address).
/// "1 seat", "3 seats": a count with its noun, never "(s)".
pub fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn sort_key(name: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut key = String::with_capacity(name.len());
    for c in name.trim().nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        // Letters with a stroke or ligatures do not decompose: folded by hand.
        match c {
            'ł' => key.push('l'),
            'ø' => key.push('o'),
            'đ' | 'ð' => key.push('d'),
            'ħ' => key.push('h'),
            'ı' => key.push('i'),
            'ŧ' => key.push('t'),
            'æ' => key.push_str("ae"),
            'œ' => key.push_str("oe"),
            'ß' => key.push_str("ss"),
            'þ' => key.push_str("th"),
            c => key.push(c),
        }
    }
    key
}

pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.trim().nfkc().collect::<String>().to_lowercase().nfkc().collect()
}

/// The calendar range Seatdesk accepts for any date.
pub fn date_range() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid"),
        NaiveDate::from_ymd_opt(2199, 12, 31).expect("valid"),
    )
}

/// Parses `YYYY-MM-DD`, a real calendar date between 2000 and 2199.
pub fn parse_date(raw: &str) -> Result<NaiveDate> {
    let s = raw.trim();
    let refuse = |reason: &str| {
        Error::new(ErrorCode::InvalidDate, format!("{s:?} is not a valid date: {reason}."))
            .with_details(json!({ "date": s, "reason": reason }))
    };
    if s.len() != 10 {
        return Err(refuse("expected YYYY-MM-DD"));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| refuse("expected a real YYYY-MM-DD date"))?;
    let (lo, hi) = date_range();
    if d < lo || d > hi {
        return Err(refuse("outside 2000-01-01 to 2199-12-31"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first and last days Seatdesk books are dates; the days either side are not.
    #[test]
    fn dates_run_from_2000_to_2199_inclusive() {
        assert_eq!(parse_date("2000-01-01").unwrap(), NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        assert_eq!(parse_date("2199-12-31").unwrap(), NaiveDate::from_ymd_opt(2199, 12, 31).unwrap());
        for outside in ["1999-12-31", "2200-01-01"] {
            assert_eq!(parse_date(outside).unwrap_err().details.unwrap()["reason"], "outside 2000-01-01 to 2199-12-31", "{outside}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("account", "  Acme <b>Co</b> ").unwrap(), "Acme <b>Co</b>");
        assert_eq!(parse_name("account", "").unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(parse_name("account", "a\u{0007}b").unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(parse_name("account", &"x".repeat(101)).unwrap_err().code, ErrorCode::InvalidName);
        assert!(parse_name("account", &"é".repeat(100)).is_ok());
    }

    #[test]
    fn names_cannot_break_lines_or_turn_text_around() {
        for bad in ["Olivia\u{2028}Owner", "Ana\u{2029}Owner", "\u{202E}renwO", "Ana\u{200B}", "A\u{2066}b\u{2069}", "\u{FEFF}Ana", "Ana\u{00AD}",
            // Found by a new user's try: other invisible characters made look-alikes.
            "Ana\u{180E}", "Ana\u{E0041} Lopez", "Ana\u{E0001}", "Ana\u{1D173}", "Ana\u{FFF9}", "A\u{034F}na", "A\u{3164}na", "Ana\u{FE0F}", "A\u{2800}na"] {
            assert_eq!(parse_name("member", bad).unwrap_err().code, ErrorCode::InvalidName, "{bad:?}");
        }
        for good in ["José Müller", "李小龙", "Zoë O'Brien-Smith", "محمد"] {
            assert!(parse_name("member", good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn dates_must_be_real_and_in_range() {
        let mut names = vec!["Zoe", "\u{c4}ngel", "\u{c9}mile", "bob", "Adam", "E\u{301}mile"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["Adam", "\u{c4}ngel", "bob", "\u{c9}mile", "E\u{301}mile", "Zoe"]);
        // Found by trying it: letters with a stroke sorted after z.
        let mut more = vec!["zed", "\u{141}ukasz", "\u{d8}yvind", "Oscar", "\u{c6}gir", "\u{df}am", "Lars"];
        more.sort_by_key(|n| sort_key(n));
        assert_eq!(more, ["\u{c6}gir", "Lars", "\u{141}ukasz", "Oscar", "\u{d8}yvind", "\u{df}am", "zed"]);
        assert_eq!(parse_date("2026-02-28").unwrap(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        for bad in ["2026-02-30", "2026-2-1", "26-02-01", "1999-12-31", "2200-01-01", "tomorrow", ""] {
            assert_eq!(parse_date(bad).unwrap_err().code, ErrorCode::InvalidDate, "{bad:?}");
        }
    }
}
