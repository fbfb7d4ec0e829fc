//! The `contact` and `conversation` tables, and reassigning what a member holds.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::{AccountId, InboxId, MemberId};
use crate::error::Result;

pub fn insert_contact(conn: &Connection, account: AccountId, name: &str, phone: &str, owner: MemberId, at: &str) -> Result<i64> {
    conn.prepare_cached("INSERT INTO contact (account_id, name, phone, owner_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![account.0, name, phone, owner.0, at])?;
    Ok(conn.last_insert_rowid())
}

pub fn contact_by_phone(conn: &Connection, account: AccountId, phone: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM contact WHERE account_id = ?1 AND phone = ?2")?
        .query_row(params![account.0, phone], |r| r.get(0))
        .optional()?)
}

pub fn insert_conversation(
    conn: &Connection,
    account: AccountId,
    inbox: InboxId,
    contact: i64,
    assignee: Option<MemberId>,
    at: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity) VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
    )?
    .execute(params![account.0, inbox.0, contact, assignee.map(|m| m.0), at])?;
    Ok(conn.last_insert_rowid())
}

/// What a member holds: (conversations assigned, contacts owned, inboxes owned).
pub fn holdings(conn: &Connection, member: MemberId) -> Result<(i64, i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM conversation WHERE assignee_id = ?1),
                    (SELECT count(*) FROM contact WHERE owner_id = ?1),
                    (SELECT count(*) FROM inbox WHERE owner_id = ?1)",
        )?
        .query_row([member.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// Moves conversations, contacts and inbox ownership from one member to another.
pub fn reassign(conn: &Connection, from: MemberId, to: MemberId) -> Result<(usize, usize, usize)> {
    let conversations = conn.prepare_cached("UPDATE conversation SET assignee_id = ?2 WHERE assignee_id = ?1")?.execute(params![from.0, to.0])?;
    let contacts = conn.prepare_cached("UPDATE contact SET owner_id = ?2 WHERE owner_id = ?1")?.execute(params![from.0, to.0])?;
    let inboxes = conn
        .prepare_cached("UPDATE inbox SET owner_id = ?2, created_for_member_id = NULL WHERE owner_id = ?1")?
        .execute(params![from.0, to.0])?;
    Ok((conversations, contacts, inboxes))
}

/// The inboxes in which `member` holds conversations.
pub fn inboxes_held_by(conn: &Connection, member: MemberId) -> Result<Vec<InboxId>> {
    Ok(conn
        .prepare_cached("SELECT DISTINCT inbox_id FROM conversation WHERE assignee_id = ?1 ORDER BY inbox_id")?
        .query_map([member.0], |r| Ok(InboxId(r.get(0)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Whether `member` holds any conversation in the inbox.
pub fn holds_in_inbox(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = ?1 AND assignee_id = ?2)")?
        .query_row(params![inbox.0, member.0], |r| r.get(0))?)
}

/// Moves `from`'s conversations in one inbox to `to` (or unassigns them).
pub fn move_in_inbox(conn: &Connection, inbox: InboxId, from: MemberId, to: Option<MemberId>) -> Result<usize> {
    Ok(conn
        .prepare_cached("UPDATE conversation SET assignee_id = ?3 WHERE inbox_id = ?1 AND assignee_id = ?2")?
        .execute(params![inbox.0, from.0, to.map(|m| m.0)])?)
}

/// Conversations held by someone who is not a member of their inbox, as
/// (inbox, holder, count): `check` flags them.
pub fn held_outside_their_inbox(conn: &Connection, account: AccountId) -> Result<Vec<(String, String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT i.name, m.email, g.n
             FROM (SELECT inbox_id, assignee_id, count(*) AS n FROM conversation
                   WHERE account_id = ?1 AND assignee_id IS NOT NULL GROUP BY inbox_id, assignee_id) g
             JOIN inbox i ON i.id = g.inbox_id JOIN member m ON m.id = g.assignee_id
             WHERE NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = g.inbox_id AND im.member_id = g.assignee_id)
             ORDER BY i.name, m.email",
        )?
        .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Whether any conversation (assigned or not) is in the inbox.
pub fn any_in_inbox(conn: &Connection, inbox: crate::domain::InboxId) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = ?1)")?.query_row([inbox.0], |r| r.get(0))?)
}

/// Owners of contacts who hold no work (pending invitees, Observers), with
/// how many contacts each owns: `check` flags them.
pub fn contacts_of_idle_owners(conn: &Connection, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.email, count(*) FROM contact c JOIN member m ON m.id = c.owner_id
             WHERE c.account_id = ?1 AND (m.status <> 'active' OR m.role = 'observer') GROUP BY m.id ORDER BY m.email",
        )?
        .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Observers holding conversations, with how many each holds: `check`
/// flags them (Observers hold no work).
pub fn conversations_of_observers(conn: &Connection, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.email, count(*) FROM member m JOIN conversation c ON c.assignee_id = m.id
             WHERE m.account_id = ?1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
        )?
        .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Observers who own inboxes: (email, how many). Observers hold no work.
pub fn inboxes_of_observers(conn: &Connection, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.email, count(*) FROM member m JOIN inbox i ON i.owner_id = m.id
             WHERE m.account_id = ?1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
        )?
        .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The id of the account's first contact (a demo writes contacts in order).
pub fn first_contact_id(conn: &Connection, account: AccountId) -> Result<i64> {
    Ok(conn.query_row("SELECT min(id) FROM contact WHERE account_id = ?1", [account.0], |r| r.get(0))?)
}
