//! The `inbox` and `inbox_member` tables.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::text::name_key;
use crate::domain::{AccountId, Inbox, InboxId, MemberId, Role, Status};
use crate::error::{Error, Result};

const COLUMNS: &str = "id, account_id, name, number, owner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Inbox> {
    Ok(Inbox {
        id: InboxId(r.get(0)?),
        account_id: AccountId(r.get(1)?),
        name: r.get(2)?,
        number: r.get(3)?,
        owner_id: MemberId(r.get(4)?),
    })
}

pub fn insert(
    conn: &Connection,
    account: AccountId,
    name: &str,
    number: Option<&str>,
    owner: MemberId,
    created_at: &str,
) -> Result<InboxId> {
    conn.prepare_cached(
        "INSERT INTO inbox (account_id, name, name_key, number, owner_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![account.0, name, name_key(name), number, owner.0, created_at])?;
    let id = InboxId(conn.last_insert_rowid());
    super::routing::create_defaults(conn, id)?;
    Ok(id)
}

pub fn find_by_name(conn: &Connection, account: AccountId, name: &str) -> Result<Option<Inbox>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE account_id = ?1 AND name_key = ?2"))?
        .query_row(params![account.0, name_key(name)], from_row)
        .optional()?)
}

pub fn by_id(conn: &Connection, id: InboxId) -> Result<Inbox> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE id = ?1"))?
        .query_row([id.0], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("inbox", &id.0.to_string()))
}

pub fn by_name(conn: &Connection, account: AccountId, name: &str) -> Result<Inbox> {
    find_by_name(conn, account, name)?.ok_or_else(|| Error::not_found("inbox", name))
}

pub fn number_in_use(conn: &Connection, account: AccountId, number: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM inbox WHERE account_id = ?1 AND number = ?2")?
        .query_row(params![account.0, number], |r| r.get(0))
        .optional()?)
}

pub fn count_numbers(conn: &Connection, account: AccountId) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM inbox WHERE account_id = ?1 AND number IS NOT NULL")?
        .query_row([account.0], |r| r.get(0))?)
}

/// An inbox with its owner's email and its member count, for lists.
pub struct ListedInbox {
    pub inbox: Inbox,
    pub owner_email: String,
    pub member_count: i64,
}

pub fn list(conn: &Connection, account: AccountId) -> Result<Vec<ListedInbox>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.account_id, i.name, i.number, i.owner_id, o.email,
                (SELECT count(*) FROM inbox_member im WHERE im.inbox_id = i.id)
         FROM inbox i JOIN member o ON o.id = i.owner_id
         WHERE i.account_id = ?1 ORDER BY i.name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([account.0], |r| {
            Ok(ListedInbox { inbox: from_row(r)?, owner_email: r.get(5)?, member_count: r.get(6)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds a member to an inbox; returns false when they were there already.
pub fn add_member(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<bool> {
    let n = conn
        .prepare_cached("INSERT OR IGNORE INTO inbox_member (inbox_id, member_id) VALUES (?1, ?2)")?
        .execute(params![inbox.0, member.0])?;
    Ok(n == 1)
}

/// An inbox's members (pending invites holding a place included), by name.
pub fn members(conn: &Connection, inbox: InboxId) -> Result<Vec<crate::domain::Member>> {
    let sql = format!(
        "SELECT {} FROM inbox_member im JOIN member m ON m.id = im.member_id
         WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
        super::members::columns_of("m")
    );
    Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], super::members::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The ids of an inbox's Active members, in id order (no sort, no row decoding).
/// The inbox's Active members who hold work (not Observers): those the
/// demo gives contacts and conversations.
pub fn active_worker_ids(conn: &Connection, inbox: InboxId) -> Result<Vec<MemberId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id FROM inbox_member im JOIN member m ON m.id = im.member_id
         WHERE im.inbox_id = ?1 AND m.status = 'active' AND m.role <> 'observer'",
    )?;
    let rows = stmt.query_map([inbox.0], |r| r.get(0).map(MemberId))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// An inbox's members as the inbox page shows them: (email, name, role,
/// status), by name; only the four columns are read.
pub fn member_summaries(conn: &Connection, inbox: InboxId) -> Result<Vec<(String, String, Role, Status)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.email, m.name, m.role, m.status FROM inbox_member im JOIN member m ON m.id = im.member_id
         WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
    )?;
    let rows = stmt
        .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The emails of an inbox's members, in alphabetical order of name.
pub fn member_emails(conn: &Connection, inbox: InboxId) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id
         WHERE im.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
    )?;
    let rows = stmt.query_map([inbox.0], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

pub fn set_number(conn: &Connection, inbox: InboxId, number: &str) -> Result<()> {
    conn.prepare_cached("UPDATE inbox SET number = ?2 WHERE id = ?1")?.execute(params![inbox.0, number])?;
    Ok(())
}

/// The inboxes a member holds a place in, by name.
pub fn of_member(conn: &Connection, member: MemberId) -> Result<Vec<Inbox>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {} FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id = ?1 ORDER BY i.name COLLATE NOCASE",
            COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ")
        ))?
        .query_map([member.0], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Removes a member's place in an inbox; returns false when they had none.
pub fn remove_member(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM inbox_member WHERE inbox_id = ?1 AND member_id = ?2")?
        .execute(params![inbox.0, member.0])?;
    Ok(n == 1)
}

pub fn member_count(conn: &Connection, inbox: InboxId) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT count(*) FROM inbox_member WHERE inbox_id = ?1")?.query_row([inbox.0], |r| r.get(0))?)
}

/// Marks an inbox as made for a pending invite (or clears the mark).
pub fn set_created_for(conn: &Connection, inbox: InboxId, member: Option<MemberId>) -> Result<()> {
    conn.prepare_cached("UPDATE inbox SET created_for_member_id = ?2 WHERE id = ?1")?
        .execute(params![inbox.0, member.map(|m| m.0)])?;
    Ok(())
}

/// The inbox a "New Inbox" invite created for `member`, if any.
pub fn created_for(conn: &Connection, member: MemberId) -> Result<Option<Inbox>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM inbox WHERE created_for_member_id = ?1"))?
        .query_row([member.0], from_row)
        .optional()?)
}

pub fn set_owner(conn: &Connection, inbox: InboxId, owner: MemberId) -> Result<()> {
    conn.prepare_cached("UPDATE inbox SET owner_id = ?2 WHERE id = ?1")?.execute(params![inbox.0, owner.0])?;
    Ok(())
}

/// Deletes an inbox that has no members and no number.
pub fn delete_empty(conn: &Connection, inbox: InboxId) -> Result<()> {
    conn.prepare_cached("DELETE FROM inbox_member WHERE inbox_id = ?1")?.execute([inbox.0])?;
    conn.prepare_cached("DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)")?
        .execute([inbox.0])?;
    for table in ["assignment_member", "ring_group_member", "distribution_group", "ivr_option", "routing"] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE inbox_id = ?1"))?.execute([inbox.0])?;
    }
    conn.prepare_cached("DELETE FROM inbox WHERE id = ?1 AND number IS NULL")?.execute([inbox.0])?;
    Ok(())
}
