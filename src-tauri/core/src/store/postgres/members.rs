//! The PostgreSQL implementation of [`crate::store::MemberStore`].

use super::{get, Param, Pg};
use crate::domain::email::EmailKey;
use crate::domain::{AccountId, Member, MemberId, Role, Status};
use crate::error::{Error, Result};
use crate::store::members::*;
use crate::store::MemberStore;
use chrono::NaiveDate;
use postgres::Row;

pub(crate) const COLUMNS: &str = "id, account_id, email, name, role, status, invited_on, joined_on, resend_count, last_sent_at";

fn parse_date(column: usize, s: Option<String>) -> Result<Option<NaiveDate>> {
    s.map(|s| super::accounts::parse_date(column, &s)).transpose()
}

pub(crate) fn from_row(r: &Row) -> Result<Member> {
    Ok(Member {
        id: MemberId(get::<i64>(r, 0)?),
        account_id: AccountId(get::<i64>(r, 1)?),
        email: get::<String>(r, 2)?,
        name: get::<String>(r, 3)?,
        role: get::<Role>(r, 4)?,
        status: get::<Status>(r, 5)?,
        invited_on: parse_date(6, get::<Option<String>>(r, 6)?)?,
        joined_on: parse_date(7, get::<Option<String>>(r, 7)?)?,
        resend_count: get::<i64>(r, 8)?,
        last_sent_at: get::<Option<String>>(r, 9)?,
    })
}

/// `%text%` for LIKE, with the wildcards in `text` matched literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// `COLUMNS` qualified with a table alias, for joins.
pub(crate) fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// The search text of a list query, if any: trimmed, never empty.
fn search_text<'q>(q: &ListQuery<'q>) -> Option<&'q str> {
    q.search.map(str::trim).filter(|t| !t.is_empty())
}

/// The FROM/WHERE of a members list and its parameters (`$1` is the account).
// NOTE(pg): the SQLite store folds case for every script (its trigram index,
// and a Rust lower case for shorter texts); here every search is
// `lower(…) LIKE` over the name, the address's key and the address as shown,
// and `lower` on a COLLATE "C" column folds ASCII letters only: "ÉLO" does
// not find "élodie" on this store. Folding more needs a collation (ICU) that
// not every server has.
fn filters<'a>(account: &'a i64, q: &'a ListQuery<'_>, pattern: Option<&'a String>) -> (String, Vec<Param<'a>>) {
    let mut sql = String::from(" FROM member m WHERE m.account_id = $1");
    let mut args: Vec<Param<'a>> = vec![account as Param<'a>];
    if let Some(status) = q.status.as_ref() {
        args.push(status);
        sql.push_str(&format!(" AND m.status = ${}", args.len()));
    }
    if let Some(role) = q.role.as_ref() {
        args.push(role);
        sql.push_str(&format!(" AND m.role = ${}", args.len()));
    }
    if let Some(day) = q.sent_before.as_ref() {
        args.push(day);
        sql.push_str(&format!(" AND m.status = 'pending' AND coalesce(m.last_sent_at, m.invited_on) < ${}", args.len()));
    }
    if let Some(pattern) = pattern {
        args.push(pattern);
        let n = args.len();
        sql.push_str(&format!(" AND (m.email_key LIKE ${n} ESCAPE '\\' OR lower(m.name) LIKE ${n} ESCAPE '\\' OR lower(m.email) LIKE ${n} ESCAPE '\\')"));
    }
    (sql, args)
}

impl MemberStore for Pg<'_> {
    fn insert(&self, m: &NewMemberRow<'_>) -> Result<MemberId> {
        let id: i64 = self.value(
            "INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, joined_on, last_sent_at, invited_by, created_at, name_sort)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $12, $9, $10, $11) RETURNING id",
            &[
                &m.account_id.0,
                &m.email,
                &m.email_key.as_str(),
                &m.name,
                &m.role.as_str(),
                &m.status.as_str(),
                &m.invited_on.map(|d| d.to_string()),
                &m.joined_on.map(|d| d.to_string()),
                &m.invited_by,
                &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                &crate::domain::text::sort_key(m.name),
                &m.sent_at,
            ],
        )?;
        Ok(MemberId(id))
    }

    fn taken(&self, account: AccountId, keys: &[&EmailKey]) -> Result<std::collections::HashSet<EmailKey>> {
        let keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        // A join on the keys: as `email_key = ANY($2)` the planner may pick
        // the trigram index and take seconds.
        self.rows("SELECT m.email_key FROM unnest($2::text[]) AS k(key) JOIN member m ON m.account_id = $1 AND m.email_key = k.key", &[&account.0, &keys])?
            .iter()
            .map(|r| Ok(EmailKey::of(&get::<String>(r, 0)?)))
            .collect()
    }

    /// One statement for the batch: each column goes as an array.
    fn insert_many(&self, rows: &[NewMemberRow<'_>]) -> Result<Vec<MemberId>> {
        let column = |f: &dyn Fn(&NewMemberRow<'_>) -> Option<String>| rows.iter().map(f).collect::<Vec<Option<String>>>();
        let accounts: Vec<i64> = rows.iter().map(|m| m.account_id.0).collect();
        let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let written = self.rows(
            "INSERT INTO member (account_id, email, email_key, name, role, status, invited_on, joined_on, last_sent_at, invited_by, created_at, name_sort)
             SELECT a, e, k, n, r, s, i, j, l, b, $12, o FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) WITH ORDINALITY AS u(a, e, k, n, r, s, i, j, l, b, o, nr)
             ORDER BY nr RETURNING id, account_id, email_key",
            &[
                &accounts,
                &column(&|m| Some(m.email.to_string())),
                &column(&|m| Some(m.email_key.as_str().to_string())),
                &column(&|m| Some(m.name.to_string())),
                &column(&|m| Some(m.role.as_str().to_string())),
                &column(&|m| Some(m.status.as_str().to_string())),
                &column(&|m| m.invited_on.map(|d| d.to_string())),
                &column(&|m| m.joined_on.map(|d| d.to_string())),
                &column(&|m| m.sent_at.map(str::to_string)),
                &column(&|m| m.invited_by.map(str::to_string)),
                &column(&|m| Some(crate::domain::text::sort_key(m.name))),
                &created_at,
            ],
        )?;
        // RETURNING promises no order: each id is matched by its key.
        let mut ids = std::collections::HashMap::with_capacity(written.len());
        for r in &written {
            ids.insert((get::<i64>(r, 1)?, get::<String>(r, 2)?), MemberId(get(r, 0)?));
        }
        rows.iter()
            .map(|m| ids.get(&(m.account_id.0, m.email_key.as_str().to_string())).copied().ok_or_else(|| Error::internal("an inserted member is missing")))
            .collect()
    }

    fn find_by_email(&self, account: AccountId, key: &EmailKey) -> Result<Option<Member>> {
        self.opt(&format!("SELECT {COLUMNS} FROM member WHERE account_id = $1 AND email_key = $2"), &[&account.0, &key.as_str()])?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    fn find_many(&self, account: AccountId, keys: &[EmailKey]) -> Result<Vec<Option<Member>>> {
        let keys: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("m.{c}")).collect();
        // A join on the keys, as `taken` (not `= ANY`, which may pick the trigram index).
        let sql = format!(
            "SELECT {} FROM unnest($2::text[]) WITH ORDINALITY AS k(key, n) LEFT JOIN member m ON m.account_id = $1 AND m.email_key = k.key ORDER BY k.n",
            columns.join(", ")
        );
        self.rows(&sql, &[&account.0, &keys])?
            .iter()
            .map(|r| if get::<Option<i64>>(r, 0)?.is_some() { from_row(r).map(Some) } else { Ok(None) })
            .collect()
    }

    fn owner(&self, account: AccountId) -> Result<Member> {
        self.opt(&format!("SELECT {COLUMNS} FROM member WHERE account_id = $1 AND role = 'owner'"), &[&account.0])?
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or_else(|| Error::internal("the account has no Owner"))
    }

    fn assigned_seats(&self, account: AccountId) -> Result<i64> {
        self.value(
            "SELECT coalesce(sum(n), 0)::bigint FROM member_count WHERE account_id = $1 AND role IN ('admin', 'manager', 'member')",
            &[&account.0],
        )
    }

    fn observers(&self, account: AccountId) -> Result<i64> {
        self.value("SELECT coalesce(sum(n), 0)::bigint FROM member_count WHERE account_id = $1 AND role = 'observer'", &[&account.0])
    }

    fn status_counts(&self, account: AccountId) -> Result<(i64, i64)> {
        let rows = self.rows("SELECT status, sum(n)::bigint FROM member_count WHERE account_id = $1 GROUP BY status", &[&account.0])?;
        let (mut active, mut pending) = (0, 0);
        for r in &rows {
            let status: String = get(r, 0)?;
            let n: i64 = get(r, 1)?;
            match status.as_str() {
                "active" => active = n,
                _ => pending = n,
            }
        }
        Ok((active, pending))
    }

    fn kept_and_counted(&self, account: AccountId) -> Result<(Vec<(String, String, i64)>, Vec<(String, String, i64)>)> {
        let read = |sql: &str| -> Result<Vec<(String, String, i64)>> {
            self.rows(sql, &[&account.0])?
                .iter()
                .map(|r| -> Result<(String, String, i64)> { Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)) })
                .collect()
        };
        Ok((
            read("SELECT status, role, n FROM member_count WHERE account_id = $1 AND n > 0 ORDER BY status, role")?,
            read("SELECT status, role, count(*) FROM member WHERE account_id = $1 GROUP BY status, role ORDER BY status, role")?,
        ))
    }

    fn inbox_count_mismatches(&self, account: AccountId) -> Result<Vec<(String, i64, i64)>> {
        self.rows(
            "SELECT email, kept, counted FROM (
                SELECT m.email, m.inbox_count AS kept, (SELECT count(*) FROM inbox_member im WHERE im.member_id = m.id) AS counted
                FROM member m WHERE m.account_id = $1) AS t
             WHERE kept <> counted ORDER BY email",
            &[&account.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
        .collect()
    }

    fn find_anywhere(&self, text: &str, account: Option<AccountId>, limit: i64) -> Result<Vec<Member>> {
        let sql = format!(
            "SELECT {} FROM member m
             WHERE (m.email_key LIKE $1 ESCAPE '\\' OR lower(m.name) LIKE $1 ESCAPE '\\' OR lower(m.email) LIKE $1 ESCAPE '\\') AND ($3::bigint IS NULL OR m.account_id = $3) LIMIT $2",
            columns_of("m")
        );
        self.rows(&sql, &[&like_pattern(text), &limit, &account.map(|a| a.0)])?.iter().map(from_row).collect()
    }

    fn list(&self, account: AccountId, q: &ListQuery<'_>, counts: (i64, i64)) -> Result<(Vec<ListedMember>, i64)> {
        let account_id = account.0;
        let pattern = search_text(q).map(like_pattern);
        let (where_sql, mut args) = filters(&account_id, q, pattern.as_ref());
        let total: i64 = match (q.counted(), q.status) {
            (false, status) if q.role.is_some() => self.value(
                "SELECT coalesce(sum(n), 0)::bigint FROM member_count WHERE account_id = $1 AND role = $2 AND ($3::text IS NULL OR status = $3)",
                &[&account_id, &q.role.map(|r| r.as_str()), &status.map(|s| s.as_str())],
            )?,
            (false, Some(Status::Active)) => counts.0,
            (false, Some(Status::Pending)) => counts.1,
            (false, None) => counts.0 + counts.1,
            (true, _) => self.value(&format!("SELECT count(*) FROM (SELECT 1{where_sql} LIMIT {}) AS capped", COUNT_CAP + 1), &args)?,
        };
        // `email_key` (unique in the account) ends every order that could tie,
        // so pages never overlap: PostgreSQL's sort keeps no scan order.
        let dir = if q.descending { "DESC" } else { "ASC" };
        // SQLite sorts NULLs first ascending, PostgreSQL last: said explicitly.
        let nulls = if q.descending { "NULLS LAST" } else { "NULLS FIRST" };
        let order = match q.sort {
            SortKey::Name => format!("m.name_sort {dir}, m.email_key {dir}"),
            SortKey::Email => format!("m.email_key {dir}"),
            SortKey::Role => format!(
                "CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'manager' THEN 2 WHEN 'member' THEN 3 ELSE 4 END {dir}, m.name_sort, m.email_key"
            ),
            SortKey::Inboxes => format!("m.inbox_count {dir}, m.name_sort {dir}, m.email_key {dir}"),
            SortKey::Joined => format!("coalesce(m.joined_on, m.invited_on) {dir} {nulls}, m.name_sort, m.email_key"),
        };
        let cols = columns_of("m");
        args.push(&q.limit);
        args.push(&q.offset);
        let n = args.len();
        let members = self
            .rows(&format!("SELECT {cols}{where_sql} ORDER BY {order} LIMIT ${} OFFSET ${n}", n - 1), &args)?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>>>()?;
        // The page's inbox names in one query, rather than one per row.
        let mut inboxes: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
        if !members.is_empty() {
            // The ids go in as one array, so the statement is prepared once.
            let ids: Vec<i64> = members.iter().map(|m| m.id.0).collect();
            let rows = self.rows(
                "SELECT im.member_id, i.name FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id
                 WHERE im.member_id = ANY($1) ORDER BY lower(i.name)",
                &[&ids],
            )?;
            for r in &rows {
                inboxes.entry(get::<i64>(r, 0)?).or_default().push(get::<String>(r, 1)?);
            }
        }
        let rows = members.into_iter().map(|m| ListedMember { inboxes: inboxes.remove(&m.id.0).unwrap_or_default(), member: m }).collect();
        Ok((rows, total))
    }

    fn by_id(&self, id: MemberId) -> Result<Member> {
        self.opt(&format!("SELECT {COLUMNS} FROM member WHERE id = $1"), &[&id.0])?
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or_else(|| Error::not_found("member", &id.0.to_string()))
    }

    fn activate(&self, id: MemberId, name: &str, joined_on: NaiveDate) -> Result<()> {
        self.exec(
            "UPDATE member SET status = 'active', name = $2, joined_on = $3, name_sort = $4 WHERE id = $1",
            &[&id.0, &name, &joined_on.to_string(), &crate::domain::text::sort_key(name)],
        )?;
        Ok(())
    }

    fn set_name(&self, id: MemberId, name: &str) -> Result<()> {
        self.exec("UPDATE member SET name = $2, name_sort = $3 WHERE id = $1", &[&id.0, &name, &crate::domain::text::sort_key(name)])?;
        Ok(())
    }

    fn set_email(&self, id: MemberId, email: &str, email_key: &EmailKey) -> Result<()> {
        self.exec("UPDATE member SET email = $2, email_key = $3 WHERE id = $1", &[&id.0, &email, &email_key.as_str()])?;
        Ok(())
    }

    fn set_role(&self, id: MemberId, role: Role) -> Result<()> {
        self.exec("UPDATE member SET role = $2 WHERE id = $1", &[&id.0, &role.as_str()])?;
        Ok(())
    }

    fn mark_resent(&self, id: MemberId, at: &str) -> Result<()> {
        self.exec("UPDATE member SET resend_count = resend_count + 1, last_sent_at = $2 WHERE id = $1", &[&id.0, &at])?;
        Ok(())
    }

    fn delete(&self, id: MemberId) -> Result<()> {
        self.exec("DELETE FROM inbox_member WHERE member_id = $1", &[&id.0])?;
        self.exec("DELETE FROM member WHERE id = $1", &[&id.0])?;
        Ok(())
    }

    fn delete_many(&self, ids: &[MemberId]) -> Result<()> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        self.exec("DELETE FROM inbox_member WHERE member_id = ANY($1::bigint[])", &[&ids])?;
        self.exec("DELETE FROM member WHERE id = ANY($1::bigint[])", &[&ids])?;
        Ok(())
    }

    fn actors(&self, account: AccountId, search: &str, limit: i64) -> Result<Vec<Member>> {
        let pattern = like_pattern(search);
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM member WHERE account_id = $1 AND status = 'active'
                   AND role IN ('owner', 'admin', 'manager')
                   AND (email_key LIKE $2 ESCAPE '\\' OR lower(name) LIKE $2 ESCAPE '\\' OR lower(email) LIKE $2 ESCAPE '\\')
                 ORDER BY role = 'owner' DESC, name_sort, email_key LIMIT $3"
            ),
            &[&account.0, &pattern, &limit],
        )?
        .iter()
        .map(from_row)
        .collect()
    }

    fn count_role(&self, account: AccountId, role: Role) -> Result<i64> {
        self.value("SELECT count(*) FROM member WHERE account_id = $1 AND role = $2", &[&account.0, &role.as_str()])
    }

    fn created_at(&self, id: MemberId) -> Result<String> {
        self.value("SELECT created_at FROM member WHERE id = $1", &[&id.0])
    }

    fn invited_by(&self, id: MemberId) -> Result<Option<String>> {
        self.value("SELECT invited_by FROM member WHERE id = $1", &[&id.0])
    }
}
