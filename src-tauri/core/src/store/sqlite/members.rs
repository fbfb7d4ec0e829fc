//! The SQLite implementation of [`crate::store::MemberStore`].

use crate::domain::email::EmailKey;
use crate::domain::{AccountId, Member, MemberId, Role, Status};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension, Row};
use crate::store::members::*;
use crate::store::MemberStore;

pub(crate) const COLUMNS: &str = "id, account_id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at";

fn parse_date(column: usize, s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    // FromStr reads ISO dates with a fixed parser (parse_from_str re-reads
    // its format string on every call: 6 % of a members page).
    s.map(|s| super::decoded(column, &s, s.parse().ok())).transpose()
}

pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: MemberId(r.get(0)?),
        account_id: AccountId(r.get(1)?),
        email: r.get(2)?,
        name: r.get(3)?,
        role: r.get(4)?,
        status: r.get(5)?,
        invited_on: parse_date(6, r.get(6)?)?,
        joined_on: parse_date(7, r.get(7)?)?,
        resend_count: r.get(8)?,
        last_sent_at: r.get(9)?,
    })
}

/// Queues the member for the search index. The queue (a TEMP table of
/// this connection) is written to the index by [`flush_search_index`] just
/// before the transaction commits: FTS5 flushes its pending terms at every
/// statement savepoint, and the triggers on `member` and `inbox_member` make
/// most writes open one, so indexing row by row would flush (and then merge)
/// one tiny segment per member. Every write of `name` or `email_key` goes
/// through here and [`unindex_for_search`] (schema v9, see its migration).
fn index_for_search(conn: &Connection, id: MemberId) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO temp.pending_search (id) VALUES (?1)")?.execute([id.0])?;
    Ok(())
}

/// Takes the member's current name and address out of the search index (or
/// out of the queue, when they were never indexed).
fn unindex_for_search(conn: &Connection, id: MemberId) -> Result<()> {
    if conn.prepare_cached("DELETE FROM temp.pending_search WHERE id = ?1")?.execute([id.0])? == 1 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO member_fts (member_fts, rowid, name, email_key, search_email, search_account) SELECT 'delete', id, name, email_key, search_email, search_account FROM member WHERE id = ?1",
    )?
    .execute([id.0])?;
    Ok(())
}

fn count_by_status(conn: &Connection, account: AccountId, sql: &str) -> Result<(i64, i64)> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([account.0])?;
    let (mut active, mut pending) = (0, 0);
    while let Some(r) = rows.next()? {
        let status: String = r.get(0)?;
        let n: i64 = r.get(1)?;
        match status.as_str() {
            "active" => active = n,
            _ => pending = n,
        }
    }
    Ok((active, pending))
}

/// What the trigram index is asked for a search of `text` (three characters
/// or more): the text as a phrase in a name or an address (its key, or as
/// shown: schema 24), and, in one
/// account, that account's token too (schema 22), so that the index reads
/// the account's matches, not every account's.
pub(super) fn search_match(text: &str, account: Option<AccountId>) -> String {
    let phrase = format!("{{name email_key search_email}} : \"{}\"", text.trim().replace('"', "\"\""));
    match account {
        Some(a) => format!("search_account : \"{}\" AND {phrase}", account_token(a)),
        None => phrase,
    }
}

/// An account in the search index: three private-use characters, U+E000
/// plus 12 bits of its id each, as the generated column `search_account`
/// writes them (one trigram, in no name or address a search reaches).
fn account_token(a: AccountId) -> String {
    [(a.0 >> 24) & 4095, (a.0 >> 12) & 4095, a.0 & 4095].iter().filter_map(|&n| char::from_u32(0xE000 + n as u32)).collect()
}

/// A search of fewer than three characters, `param` being its
/// `like_pattern` (bound three times when `param` is `?`): a name, an
/// address's key or the address as shown holding it, in lower case for
/// every script ("än" finds Änne).
pub(super) fn short_match(param: &str) -> String {
    format!("(m.email_key LIKE {param} ESCAPE '\\' OR seatdesk_fold(m.name) LIKE {param} ESCAPE '\\' OR seatdesk_fold(m.email) LIKE {param} ESCAPE '\\')")
}

/// `%text%` for LIKE, with the wildcards in `text` matched literally.
pub(super) fn like_pattern(text: &str) -> String {
    let escaped = text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn filters(account: AccountId, q: &ListQuery<'_>) -> (String, Vec<Value>) {
    let mut sql = String::from(" FROM member m WHERE m.account_id = ?");
    let mut args: Vec<Value> = vec![Value::Integer(account.0)];
    if let Some(status) = q.status {
        sql.push_str(" AND m.status = ?");
        args.push(Value::Text(status.as_str().into()));
    }
    if let Some(role) = q.role {
        sql.push_str(" AND m.role = ?");
        args.push(Value::Text(role.as_str().into()));
    }
    if let Some(day) = q.sent_before {
        sql.push_str(" AND m.status = 'pending' AND coalesce(m.last_sent_at, m.invited_on) < ?");
        args.push(Value::Text(day.into()));
    }
    if let Some(text) = q.search.map(str::trim).filter(|t| !t.is_empty()) {
        if text.chars().count() >= 3 {
            // The trigram index finds substrings of three characters or more.
            sql.push_str(" AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH ?)");
            args.push(Value::Text(search_match(text, Some(account))));
        } else {
            sql.push_str(&format!(" AND {}", short_match("?")));
            args.extend(std::iter::repeat_n(Value::Text(like_pattern(text)), 3));
        }
    }
    (sql, args)
}

/// `COLUMNS` qualified with a table alias, for joins.
pub(crate) fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Writes the queued members to the search index; called once per write
/// transaction, before it commits. CROSS JOIN keeps the (small) queue as the
/// outer loop: the planner knows nothing of a TEMP table's size and would
/// otherwise walk the whole member table.
pub fn flush_search_index(conn: &Connection) -> Result<()> {
    // Most writes queue nothing: one read then, not two writes.
    if !conn.prepare_cached("SELECT 1 FROM temp.pending_search LIMIT 1")?.exists([])? {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO member_fts (rowid, name, email_key, search_email, search_account)
         SELECT m.id, m.name, m.email_key, m.search_email, m.search_account FROM temp.pending_search p CROSS JOIN member m ON m.id = p.id",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM temp.pending_search")?.execute([])?;
    Ok(())
}

impl MemberStore for Connection {
    fn insert(&self, m: &NewMemberRow<'_>) -> Result<MemberId> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, joined_on, last_sent_at, invited_by, created_at, name_sort)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?12, ?9, ?10, ?11)",
        )?;
        stmt.execute(params![
            m.account_id.0,
            m.email,
            m.email_key.as_str(),
            m.name,
            m.role.as_str(),
            m.status.as_str(),
            m.invited_on.map(|d| d.to_string()),
            m.joined_on.map(|d| d.to_string()),
            m.invited_by,
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            crate::domain::text::sort_key(m.name),
            m.sent_at,
        ])?;
        let id = MemberId(conn.last_insert_rowid());
        index_for_search(conn, id)?;
        Ok(id)
    }

    fn find_by_email(&self, account: AccountId, key: &EmailKey) -> Result<Option<Member>> {
        let conn = self;
        Ok(conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM member WHERE account_id = ?1 AND email_key = ?2"))?
            .query_row(params![account.0, key.as_str()], from_row)
            .optional()?)
    }

    fn owner(&self, account: AccountId) -> Result<Member> {
        let conn = self;
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM member WHERE account_id = ?1 AND role = 'owner'"))?
            .query_row([account.0], from_row)
            .optional()?
            .ok_or_else(|| Error::internal("the account has no Owner"))
    }

    fn assigned_seats(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT coalesce(sum(n), 0) FROM member_count WHERE account_id = ?1 AND role IN ('admin', 'manager', 'member')",
            )?
            .query_row([account.0], |r| r.get(0))?)
    }

    fn observers(&self, account: AccountId) -> Result<i64> {
        Ok(self
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM member_count WHERE account_id = ?1 AND role = 'observer'")?
            .query_row([account.0], |r| r.get(0))?)
    }

    fn status_counts(&self, account: AccountId) -> Result<(i64, i64)> {
        let conn = self;
        count_by_status(conn, account, "SELECT status, sum(n) FROM member_count WHERE account_id = ?1 GROUP BY status")
    }

    fn kept_and_counted(&self, account: AccountId) -> Result<(Vec<(String, String, i64)>, Vec<(String, String, i64)>)> {
        let conn = self;
        let read = |sql: &str| -> Result<Vec<(String, String, i64)>> {
            Ok(conn
                .prepare_cached(sql)?
                .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        };
        Ok((
            read("SELECT status, role, n FROM member_count WHERE account_id = ?1 AND n > 0 ORDER BY status, role")?,
            read("SELECT status, role, count(*) FROM member WHERE account_id = ?1 GROUP BY status, role ORDER BY status, role")?,
        ))
    }

    fn inbox_count_mismatches(&self, account: AccountId) -> Result<Vec<(String, i64, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                // Materialized, so each member's memberships are counted once
                // (from the index alone), and only a mismatch reads its row.
                "WITH t AS MATERIALIZED (
                    SELECT m.id, m.inbox_count AS kept, (SELECT count(*) FROM inbox_member im WHERE im.member_id = m.id) AS counted
                    FROM member m WHERE m.account_id = ?1)
                 SELECT m.email, t.kept, t.counted FROM t JOIN member m ON m.id = t.id WHERE t.kept <> t.counted ORDER BY m.email",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn find_anywhere(&self, text: &str, account: Option<AccountId>, limit: i64) -> Result<Vec<Member>> {
        // Driven by the trigram index, which streams its matches: the first
        // `limit` are read, not every match.
        let sql = format!(
            "SELECT {} FROM member_fts JOIN member m ON m.id = member_fts.rowid
             WHERE member_fts MATCH ?1 AND (?3 IS NULL OR m.account_id = ?3) LIMIT ?2",
            columns_of("m")
        );
        Ok(self.prepare_cached(&sql)?.query_map(params![search_match(text, account), limit, account.map(|a| a.0)], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn list(&self, account: AccountId, q: &ListQuery<'_>, counts: (i64, i64)) -> Result<(Vec<ListedMember>, i64)> {
        let conn = self;
        let (where_sql, mut args) = filters(account, q);
        let total: i64 = match (q.counted(), q.status) {
            (false, status) if q.role.is_some() => conn
                .prepare_cached("SELECT coalesce(sum(n), 0) FROM member_count WHERE account_id = ?1 AND role = ?2 AND (?3 IS NULL OR status = ?3)")?
                .query_row(params![account.0, q.role.map(|r| r.as_str()), status.map(|s| s.as_str())], |r| r.get(0))?,
            (false, Some(Status::Active)) => counts.0,
            (false, Some(Status::Pending)) => counts.1,
            (false, None) => counts.0 + counts.1,
            (true, _) => conn
                .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1{where_sql} LIMIT {})", COUNT_CAP + 1))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?,
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match q.sort {
            SortKey::Name => format!("m.name_sort {dir}, m.email_key {dir}"),
            SortKey::Email => format!("m.email_key {dir}"),
            SortKey::Role => format!(
                "CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'manager' THEN 2 WHEN 'member' THEN 3 ELSE 4 END {dir}, m.name_sort"
            ),
            SortKey::Inboxes => format!("m.inbox_count {dir}, m.name_sort {dir}"),
            SortKey::Joined => format!("coalesce(m.joined_on, m.invited_on) {dir}, m.name_sort"),
        };
        let cols = columns_of("m");
        args.push(Value::Integer(q.limit));
        args.push(Value::Integer(q.offset));
        let members = conn
            .prepare_cached(&format!("SELECT {cols}{where_sql} ORDER BY {order} LIMIT ? OFFSET ?"))?
            .query_map(params_from_iter(args.iter()), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // The page's inbox names in one query, rather than one per row.
        let mut inboxes: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
        if !members.is_empty() {
            // The ids go in as one JSON array, so the statement is prepared once.
            let ids = format!("[{}]", members.iter().map(|m| m.id.0.to_string()).collect::<Vec<_>>().join(","));
            let mut stmt = conn.prepare_cached(
                "SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id
                 WHERE im.member_id IN (SELECT value FROM json_each(?1)) ORDER BY i.name COLLATE NOCASE",
            )?;
            let mut rows = stmt.query([ids])?;
            while let Some(r) = rows.next()? {
                inboxes.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
        }
        let rows = members.into_iter().map(|m| ListedMember { inboxes: inboxes.remove(&m.id.0).unwrap_or_default(), member: m }).collect();
        Ok((rows, total))
    }

    fn by_id(&self, id: MemberId) -> Result<Member> {
        let conn = self;
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM member WHERE id = ?1"))?
            .query_row([id.0], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("member", &id.0.to_string()))
    }

    fn activate(&self, id: MemberId, name: &str, joined_on: NaiveDate) -> Result<()> {
        let conn = self;
        unindex_for_search(conn, id)?;
        conn.prepare_cached("UPDATE member SET status = 'active', name = ?2, joined_on = ?3, name_sort = ?4 WHERE id = ?1")?
            .execute(params![id.0, name, joined_on.to_string(), crate::domain::text::sort_key(name)])?;
        index_for_search(conn, id)
    }

    fn set_name(&self, id: MemberId, name: &str) -> Result<()> {
        unindex_for_search(self, id)?;
        self.prepare_cached("UPDATE member SET name = ?2, name_sort = ?3 WHERE id = ?1")?.execute(params![
            id.0,
            name,
            crate::domain::text::sort_key(name)
        ])?;
        index_for_search(self, id)
    }

    fn set_email(&self, id: MemberId, email: &str, email_key: &EmailKey) -> Result<()> {
        let conn = self;
        unindex_for_search(conn, id)?;
        conn.prepare_cached("UPDATE member SET email = ?2, email_key = ?3 WHERE id = ?1")?.execute(params![
            id.0,
            email,
            email_key.as_str()
        ])?;
        index_for_search(conn, id)
    }

    fn set_role(&self, id: MemberId, role: Role) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE member SET role = ?2 WHERE id = ?1")?.execute(params![id.0, role.as_str()])?;
        Ok(())
    }

    fn mark_resent(&self, id: MemberId, at: &str) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE member SET resend_count = resend_count + 1, last_sent_at = ?2 WHERE id = ?1")?
            .execute(params![id.0, at])?;
        Ok(())
    }

    fn delete(&self, id: MemberId) -> Result<()> {
        let conn = self;
        conn.prepare_cached("DELETE FROM inbox_member WHERE member_id = ?1")?.execute([id.0])?;
        unindex_for_search(conn, id)?;
        conn.prepare_cached("DELETE FROM member WHERE id = ?1")?.execute([id.0])?;
        Ok(())
    }

    fn actors(&self, account: AccountId, search: &str, limit: i64) -> Result<Vec<Member>> {
        let conn = self;
        let pattern = like_pattern(search);
        let rows = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM member WHERE account_id = ?1 AND status = 'active'
                   AND role IN ('owner', 'admin', 'manager')
                   AND (email_key LIKE ?2 ESCAPE '\\' OR seatdesk_fold(name) LIKE ?2 ESCAPE '\\' OR seatdesk_fold(email) LIKE ?2 ESCAPE '\\')
                 ORDER BY role = 'owner' DESC, name_sort LIMIT ?3"
            ))?
            .query_map(params![account.0, pattern, limit], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn count_role(&self, account: AccountId, role: Role) -> Result<i64> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT count(*) FROM member WHERE account_id = ?1 AND role = ?2")?
            .query_row(params![account.0, role.as_str()], |r| r.get(0))?)
    }

    fn created_at(&self, id: MemberId) -> Result<String> {
        let conn = self;
        Ok(conn.prepare_cached("SELECT created_at FROM member WHERE id = ?1")?.query_row([id.0], |r| r.get(0))?)
    }

    fn invited_by(&self, id: MemberId) -> Result<Option<String>> {
        Ok(self.prepare_cached("SELECT invited_by FROM member WHERE id = ?1")?.query_row([id.0], |r| r.get(0))?)
    }
}
