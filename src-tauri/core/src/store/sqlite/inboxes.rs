//! The SQLite implementation of [`crate::store::InboxStore`].

use crate::domain::text::name_key;
use crate::domain::{AccountId, Inbox, InboxId, MemberId, Role, Status};
use crate::error::{Error, Result};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use crate::store::inboxes::*;
use crate::store::members::COUNT_CAP;
use crate::store::routing::List;
use crate::store::{InboxStore, RoutingStore};

pub(super) const COLUMNS: &str = "id, account_id, name, number, owner_id";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Inbox> {
    Ok(Inbox {
        id: InboxId(r.get(0)?),
        account_id: AccountId(r.get(1)?),
        name: r.get(2)?,
        number: r.get(3)?,
        owner_id: MemberId(r.get(4)?),
    })
}

impl InboxStore for Connection {
    fn insert(&self, account: AccountId, name: &str, number: Option<&str>, owner: MemberId, created_at: &str) -> Result<InboxId> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO inbox (account_id, name, name_key, number, owner_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![account.0, name, name_key(name), number, owner.0, created_at])?;
        let id = InboxId(conn.last_insert_rowid());
        RoutingStore::create_defaults(conn, id)?;
        Ok(id)
    }

    fn find_by_name(&self, account: AccountId, name: &str) -> Result<Option<Inbox>> {
        let conn = self;
        Ok(conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE account_id = ?1 AND name_key = ?2"))?
            .query_row(params![account.0, name_key(name)], from_row)
            .optional()?)
    }

    fn by_id(&self, id: InboxId) -> Result<Inbox> {
        let conn = self;
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE id = ?1"))?
            .query_row([id.0], from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("inbox", &id.0.to_string()))
    }

    fn number_in_use(&self, account: AccountId, number: &str) -> Result<Option<String>> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT name FROM inbox WHERE account_id = ?1 AND number = ?2")?
            .query_row(params![account.0, number], |r| r.get(0))
            .optional()?)
    }

    fn count_numbers(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT count(*) FROM inbox WHERE account_id = ?1 AND number IS NOT NULL")?
            .query_row([account.0], |r| r.get(0))?)
    }

    fn list(&self, account: AccountId) -> Result<Vec<ListedInbox>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "SELECT i.id, i.account_id, i.name, i.number, i.owner_id, o.email,
                    (SELECT coalesce(sum(n), 0) FROM inbox_count c WHERE c.inbox_id = i.id AND c.list = 'members'), o.name
             FROM inbox i JOIN member o ON o.id = i.owner_id
             WHERE i.account_id = ?1 ORDER BY i.name COLLATE NOCASE",
        )?;
        let rows = stmt
            .query_map([account.0], |r| Ok(ListedInbox { inbox: from_row(r)?, owner_email: r.get(5)?, member_count: r.get(6)?, owner_name: r.get(7)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn add_member(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        let conn = self;
        let n = conn
            .prepare_cached("INSERT OR IGNORE INTO inbox_member (inbox_id, member_id) VALUES (?1, ?2)")?
            .execute(params![inbox.0, member.0])?;
        Ok(n == 1)
    }

    fn members(&self, inbox: InboxId) -> Result<Vec<crate::domain::Member>> {
        let conn = self;
        let sql = format!(
            "SELECT {} FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
            super::members::columns_of("m")
        );
        Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], super::members::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn active_worker_ids(&self, inbox: InboxId) -> Result<Vec<MemberId>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "SELECT m.id FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = ?1 AND m.status = 'active' AND m.role <> 'observer'",
        )?;
        let rows = stmt.query_map([inbox.0], |r| r.get(0).map(MemberId))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn member_summaries(&self, inbox: InboxId) -> Result<Vec<(String, String, Role, Status)>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "SELECT m.email, m.name, m.role, m.status FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
        )?;
        let rows =
            stmt.query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn member_emails(&self, inbox: InboxId) -> Result<Vec<String>> {
        let conn = self;
        let mut stmt = conn.prepare_cached(
            "SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
        )?;
        let rows = stmt.query_map([inbox.0], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    fn set_number(&self, inbox: InboxId, number: &str) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE inbox SET number = ?2 WHERE id = ?1")?.execute(params![inbox.0, number])?;
        Ok(())
    }

    fn clear_number(&self, inbox: InboxId) -> Result<()> {
        self.prepare_cached("UPDATE inbox SET number = NULL WHERE id = ?1")?.execute([inbox.0])?;
        Ok(())
    }

    fn awaits_invite(&self, inbox: InboxId) -> Result<bool> {
        Ok(self
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM inbox i JOIN member m ON m.id = i.created_for_member_id WHERE i.id = ?1 AND m.status = 'pending')",
            )?
            .query_row([inbox.0], |r| r.get(0))?)
    }

    fn rename(&self, inbox: InboxId, name: &str) -> Result<()> {
        self.prepare_cached("UPDATE inbox SET name = ?2, name_key = ?3 WHERE id = ?1")?.execute(params![inbox.0, name, name_key(name)])?;
        Ok(())
    }

    fn of_member(&self, member: MemberId) -> Result<Vec<Inbox>> {
        let conn = self;
        let rows = conn
            .prepare_cached(&format!(
                "SELECT {} FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id = ?1 ORDER BY i.name COLLATE NOCASE",
                COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ")
            ))?
            .query_map([member.0], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn remove_member(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        let conn = self;
        let n =
            conn.prepare_cached("DELETE FROM inbox_member WHERE inbox_id = ?1 AND member_id = ?2")?.execute(params![inbox.0, member.0])?;
        Ok(n == 1)
    }

    fn member_count(&self, inbox: InboxId) -> Result<i64> {
        kept_count(self, inbox, None)
    }

    fn counts(&self, inbox: InboxId) -> Result<InboxCounts> {
        self.prepare_cached(
            "SELECT i.account_id,
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'members'), 0),
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'pending'), 0),
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'assignment'), 0),
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'ring_group'), 0),
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = i.account_id AND c.status = 'active'),
                    (SELECT coalesce(sum(n), 0) FROM member_count c WHERE c.account_id = i.account_id AND c.status = 'pending')
             FROM inbox i WHERE i.id = ?1",
        )?
        .query_row([inbox.0], |r| {
            Ok(InboxCounts {
                account: AccountId(r.get(0)?),
                members: r.get(1)?,
                pending: r.get(2)?,
                assignment: r.get(3)?,
                ring_group: r.get(4)?,
                account_active: r.get(5)?,
                account_pending: r.get(6)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::internal("an inbox vanished"))
    }

    fn member_page(&self, inbox: InboxId, q: &MemberPageQuery<'_>) -> Result<(Vec<(String, String, Role, Status)>, i64)> {
        if !q.routable && q.search.is_none_or(|t| t.trim().is_empty()) {
            if let Some(page) = member_page_by_name(self, inbox, q)? {
                return Ok(page);
            }
        }
        let mut from = String::from("FROM inbox_member im JOIN member m ON m.id = im.member_id");
        if let Some(list) = q.list {
            from.push_str(&format!(" JOIN {} x ON x.inbox_id = im.inbox_id AND x.member_id = m.id", super::routing::table(list)));
        }
        from.push_str(" WHERE im.inbox_id = ?1");
        if q.routable {
            from.push_str(" AND m.status = 'active' AND m.role <> 'observer'");
        }
        let mut args = vec![Value::Integer(inbox.0)];
        let searching = q.search.map(str::trim).filter(|t| !t.is_empty());
        if let Some(text) = searching {
            if text.chars().count() >= 3 {
                // The trigram index finds substrings of three characters or more.
                from.push_str(" AND m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH ?2)");
                let account: i64 = self.prepare_cached("SELECT account_id FROM inbox WHERE id = ?1")?.query_row([inbox.0], |r| r.get(0))?;
                args.push(Value::Text(super::members::search_match(text, Some(AccountId(account)))));
            } else {
                from.push_str(&format!(" AND {}", super::members::short_match("?2")));
                args.push(Value::Text(super::members::like_pattern(text)));
            }
        }
        // A search counts its matches up to the cap, as the members list does.
        let count = if searching.is_some() { format!("SELECT count(*) FROM (SELECT 1 {from} LIMIT {})", COUNT_CAP + 1) } else { format!("SELECT count(*) {from}") };
        let total: i64 = self.prepare_cached(&count)?.query_row(params_from_iter(&args), |r| r.get(0))?;
        let n = args.len();
        let sql = format!("SELECT m.email, m.name, m.role, m.status {from} ORDER BY m.name_sort, m.email_key LIMIT ?{} OFFSET ?{}", n + 1, n + 2);
        args.extend([Value::Integer(q.limit), Value::Integer(q.offset)]);
        let rows = self
            .prepare_cached(&sql)?
            .query_map(params_from_iter(&args), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    fn foreign_members(&self, account: AccountId) -> Result<Vec<(String, String, String, Option<String>)>> {
        Ok(self
            .prepare_cached(
                "SELECT i.name, 'member', coalesce(m.email, '#' || im.member_id), a.name FROM inbox i JOIN inbox_member im ON im.inbox_id = i.id
                 LEFT JOIN member m ON m.id = im.member_id LEFT JOIN account a ON a.id = m.account_id
                 WHERE i.account_id = ?1 AND (m.id IS NULL OR m.account_id <> i.account_id)
                 UNION ALL
                 SELECT i.name, 'owner', coalesce(m.email, '#' || i.owner_id), a.name FROM inbox i
                 LEFT JOIN member m ON m.id = i.owner_id LEFT JOIN account a ON a.id = m.account_id
                 WHERE i.account_id = ?1 AND (m.id IS NULL OR m.account_id <> i.account_id)
                 ORDER BY 1, 2, 3",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn count_mismatches(&self, account: AccountId) -> Result<Vec<(String, String, i64, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT name, list, kept, counted FROM (
                    SELECT i.name, l.list, coalesce(c.n, 0) AS kept,
                           CASE l.list WHEN 'members' THEN (SELECT count(*) FROM inbox_member x WHERE x.inbox_id = i.id)
                                       WHEN 'pending' THEN (SELECT count(*) FROM inbox_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = i.id AND m.status = 'pending')
                                       WHEN 'assignment' THEN (SELECT count(*) FROM assignment_member x WHERE x.inbox_id = i.id)
                                       ELSE (SELECT count(*) FROM ring_group_member x WHERE x.inbox_id = i.id) END AS counted
                    FROM inbox i
                    CROSS JOIN (SELECT 'members' AS list UNION ALL SELECT 'pending' UNION ALL SELECT 'assignment' UNION ALL SELECT 'ring_group') l
                    LEFT JOIN inbox_count c ON c.inbox_id = i.id AND c.list = l.list
                    WHERE i.account_id = ?1)
                 WHERE kept <> counted ORDER BY name, list",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn set_created_for(&self, inbox: InboxId, member: Option<MemberId>) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE inbox SET created_for_member_id = ?2 WHERE id = ?1")?.execute(params![inbox.0, member.map(|m| m.0)])?;
        Ok(())
    }

    fn created_for(&self, member: MemberId) -> Result<Option<Inbox>> {
        let conn = self;
        Ok(conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE created_for_member_id = ?1"))?
            .query_row([member.0], from_row)
            .optional()?)
    }

    fn set_owner(&self, inbox: InboxId, owner: MemberId) -> Result<()> {
        let conn = self;
        conn.prepare_cached("UPDATE inbox SET owner_id = ?2 WHERE id = ?1")?.execute(params![inbox.0, owner.0])?;
        Ok(())
    }

    fn delete_empty(&self, inbox: InboxId) -> Result<()> {
        let conn = self;
        conn.prepare_cached("DELETE FROM inbox_member WHERE inbox_id = ?1")?.execute([inbox.0])?;
        conn.prepare_cached("DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)")?
            .execute([inbox.0])?;
        for table in ["assignment_member", "ring_group_member", "distribution_group", "ivr_option", "routing"] {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE inbox_id = ?1"))?.execute([inbox.0])?;
        }
        conn.prepare_cached("DELETE FROM inbox WHERE id = ?1 AND number IS NULL")?.execute([inbox.0])?;
        Ok(())
    }
}

/// How many members an inbox (or one of its routing lists) holds, as its
/// triggers keep it.
pub(super) fn kept_count(conn: &Connection, inbox: InboxId, list: Option<List>) -> Result<i64> {
    kept(conn, inbox, match list {
        None => "members",
        Some(List::Assignment) => "assignment",
        Some(List::RingGroup) => "ring_group",
    })
}

fn kept(conn: &Connection, inbox: InboxId, list: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce((SELECT n FROM inbox_count WHERE inbox_id = ?1 AND list = ?2), 0)")?
        .query_row(params![inbox.0, list], |r| r.get(0))?)
}

/// A page of an inbox (or a routing list) by name without a filter: each
/// status's members either walked in the account's name order, keeping
/// those in the inbox (a big inbox: sorting it would read it whole), or
/// read from the inbox and sorted (a small one), as [`page_arms`] decides;
/// the two merged. `None` when nothing is walked.
fn member_page_by_name(conn: &Connection, inbox: InboxId, q: &MemberPageQuery<'_>) -> Result<Option<(Vec<(String, String, Role, Status)>, i64)>> {
    let counts = conn.counts(inbox)?;
    let (account, total) = (counts.account.0, counts.of(q.list));
    let Some(arms) = counts.arms(q.list, q.offset + q.limit) else { return Ok(None) };
    let places = q.list.map_or("inbox_member", super::routing::table);
    let arms: Vec<String> = arms
        .iter()
        .map(|a| {
            // CROSS JOIN fixes the order SQLite reads the two tables in.
            let from = if a.walk { format!("member m CROSS JOIN {places} x") } else { format!("{places} x CROSS JOIN member m") };
            format!(
                "SELECT m.email, m.name, m.role, m.status, m.name_sort, m.email_key FROM {from}
                 WHERE m.account_id = ?1 AND m.status = '{}' AND x.inbox_id = ?2 AND x.member_id = m.id",
                a.status
            )
        })
        .collect();
    let sql = format!("SELECT email, name, role, status FROM ({} ORDER BY 5, 6 LIMIT ?3 OFFSET ?4)", arms.join(" UNION ALL "));
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params![account, inbox.0, q.limit, q.offset], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some((rows, total)))
}
