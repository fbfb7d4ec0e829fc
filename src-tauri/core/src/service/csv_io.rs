//! CSV export (members, ledger) and the reading of an import file: formula
//! cells neutralised on the way out and undone on the way in (the import
//! itself is `import.rs`).

use serde_json::json;

use super::{MemberQuery, Scope, Seatdesk};
use crate::domain::money::format_cents;
use crate::error::{Error, ErrorCode, Result};

/// The most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 100_000;

/// A cell a spreadsheet would run as a formula gets a leading apostrophe;
/// so does a cell that already begins with one, so that [`unneutralise`]
/// gives every cell back exactly (`'=Hi` stays `'=Hi`).
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The inverse of [`neutralise`]: a cell the export protected reads back
/// as it was.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\'')) => rest,
        _ => cell,
    }
}

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| Error::internal("writing the CSV failed").caused_by(e))?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c))).map_err(|e| Error::internal("writing the CSV failed").caused_by(e))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::internal(format!("writing the CSV failed: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::internal("the CSV is not UTF-8").caused_by(e))
}

fn bad_csv(line: u64, message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(ErrorCode::InvalidCsv, format!("The CSV cannot be read at line {line}: {message}."))
        .with_details(json!({ "line": line, "reason": message }))
}

/// One row of an import file, its cells trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record {
    /// The line of the file (the header is line 1).
    pub line: i64,
    /// The account cell, when the file has an `account` column.
    pub account: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub inbox: String,
}

/// Reads an import file into its records.
pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Record>> {
    let text = std::str::from_utf8(bytes).map_err(|e| bad_csv(1, format!("not UTF-8 ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Mixed line endings (CRLF, CR, LF) count lines the same way.
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = normalised.as_str();
    // A quote opened and never closed would swallow the rest of the file.
    let (mut in_quote, mut line, mut opened_at) = (false, 1u64, 0u64);
    for c in text.chars() {
        match c {
            '"' => {
                in_quote = !in_quote;
                if in_quote {
                    opened_at = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    if in_quote {
        return Err(bad_csv(opened_at, "a quoted field is never closed"));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| bad_csv(1, e.to_string()))?.clone();
    const COLUMNS: [(&str, &[&str]); 5] = [
        ("account", &["account"]),
        ("email", &["email", "e-mail", "email address", "mail"]),
        ("name", &["name", "full name"]),
        ("role", &["role"]),
        ("inbox", &["inbox", "inboxes"]),
    ];
    // A column named twice (`email,email` or `email,mail`) would be read
    // from its first place and the other silently ignored: refused.
    for (column, names) in COLUMNS {
        let at: Vec<usize> =
            headers.iter().enumerate().filter(|(_, h)| names.contains(&h.trim().to_lowercase().as_str())).map(|(i, _)| i + 1).collect();
        if at.len() > 1 {
            let places: Vec<String> = at.iter().map(usize::to_string).collect();
            return Err(bad_csv(
                1,
                format!("the {column} column appears {} times in the header (columns {})", at.len(), places.join(", ")),
            ));
        }
    }
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim().to_lowercase().as_str()));
    let email_col = find(&["email", "e-mail", "email address", "mail"]).ok_or_else(|| bad_csv(1, "no email column in the header"))?;
    let (name_col, role_col, inbox_col) = (find(&["name", "full name"]), find(&["role"]), find(&["inbox", "inboxes"]));
    let account_col = find(&["account"]);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad_csv(line, e.to_string())
        })?;
        let line = record.position().map(|p| p.line() as i64).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if out.len() >= MAX_IMPORT_ROWS {
            return Err(bad_csv(line as u64, format!("more than {MAX_IMPORT_ROWS} rows")));
        }
        // What the export neutralised (a leading ' before = + - @) comes back as it was.
        let cell = |col: Option<usize>| unneutralise(col.and_then(|c| record.get(c)).unwrap_or("")).to_string();
        out.push(Record {
            line,
            account: account_col.map(|c| cell(Some(c))),
            email: cell(Some(email_col)),
            name: cell(name_col),
            role: cell(role_col),
            inbox: cell(inbox_col),
        });
    }
    Ok(out)
}

impl Seatdesk {
    /// Members as CSV: email, name, role, status, inboxes, invited, joined, resends.
    pub fn export_members_csv(&mut self, scope: &Scope) -> Result<String> {
        let rows = self.all_members(scope, &MemberQuery::default())?;
        write_csv(
            &["email", "name", "role", "status", "inboxes", "invited_on", "joined_on", "resend_count"],
            rows.into_iter().map(|m| {
                vec![
                    m.email,
                    m.name,
                    m.role.as_str().into(),
                    m.status.as_str().into(),
                    m.inboxes.join("; "),
                    m.invited_on.unwrap_or_default(),
                    m.joined_on.unwrap_or_default(),
                    m.resend_count.to_string(),
                ]
            }),
        )
    }

    /// The ledger as CSV, oldest first, prices as decimal amounts.
    pub fn export_ledger_csv(&mut self, scope: &Scope) -> Result<String> {
        let rows = self.ledger_all(scope, None)?;
        write_csv(
            &["date", "kind", "quantity", "unit_price", "amount", "currency", "actor_email", "actor_name", "note"],
            rows.into_iter().map(|e| {
                vec![
                    e.date,
                    e.kind.as_str().into(),
                    e.quantity.to_string(),
                    format_cents(e.unit_cents),
                    format_cents(e.amount_cents),
                    e.currency,
                    e.actor_email,
                    e.actor_name,
                    e.note,
                ]
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column named twice is named by its places (1-based, as a
    /// spreadsheet counts); a leading ' is undone only where the export put
    /// it (before = + - @ tab CR or another ').
    #[test]
    fn a_doubled_column_is_named_by_its_places_and_only_exported_quotes_are_undone() {
        let err = parse(b"email,name,Mail\na@example.com,A,b@example.com\n").unwrap_err();
        assert!(err.message.contains("(columns 1, 3)"), "{}", err.message);
        assert_eq!(unneutralise("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralise("''Brien"), "'Brien");
        assert_eq!(unneutralise("'hello"), "'hello", "a quote the export did not add stays");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise(""), "");
        for cell in ["=SUM(A1)", "+1", "-2", "@cmd", "Ana", "'quoted'", "", "'", "'=Hi", "''", "'Bob"] {
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?} comes back as it was");
        }
    }

    #[test]
    fn parsing_handles_bom_quotes_crlf_and_column_order() {
        let file = "\u{feff}Role,Email,Inbox,Name\r\nadmin,ana@example.com,Sales,\"Lopez, Ana\"\r\n,ben@example.com,,Ben\n\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        let ana = Record { line: 2, account: None, email: "ana@example.com".into(), name: "Lopez, Ana".into(), role: "admin".into(), inbox: "Sales".into() };
        assert_eq!(rows[0], ana);
        assert_eq!(rows[1].line, 3);
        let rows = parse(b"Account,email\nBeta,cy@beta.example\n,dee@example.com\n").unwrap();
        assert_eq!((rows[0].account.as_deref(), rows[1].account.as_deref()), (Some("Beta"), Some("")));
    }

    #[test]
    fn malformed_files_name_their_line() {
        let unbalanced = "email,name\nana@example.com,Ana\nben@example.com,\"Ben\nchloe@example.com,Chloe\n";
        let ragged = "email,name\nana@example.com,Ana\nben@example.com,Ben,extra\n";
        for (file, line) in [(ragged, 3)] {
            let e = parse(file.as_bytes()).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCsv);
            assert_eq!(e.details.unwrap()["line"], line, "{file:?}");
        }
        let e = parse(unbalanced.as_bytes()).unwrap_err();
        assert_eq!((e.code, e.details.unwrap()["line"].as_i64()), (ErrorCode::InvalidCsv, Some(3)));
        assert_eq!(parse(b"name,role\nAna,admin\n").unwrap_err().code, ErrorCode::InvalidCsv, "no email column");
        for twice in [
            "email,email,name\na@example.com,b@example.com,Ana\n",
            "Email,mail\na@example.com,b@example.com\n",
            "email,name,Name\na@example.com,A,B\n",
        ] {
            let e = parse(twice.as_bytes()).unwrap_err();
            assert_eq!((e.code, e.details.as_ref().unwrap()["line"].as_i64()), (ErrorCode::InvalidCsv, Some(1)), "{twice:?}");
            assert!(e.message.contains("appears 2 times"), "{}", e.message);
        }
        assert_eq!(parse(&[0xff, 0xfe, 0x00]).unwrap_err().code, ErrorCode::InvalidCsv);
    }
}
