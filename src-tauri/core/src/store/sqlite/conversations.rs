//! The SQLite implementation of [`crate::store::ConversationStore`].

use crate::domain::{AccountId, InboxId, MemberId};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::store::conversations::{AssigneeFilter, ConversationRow};
use crate::store::ConversationStore;

impl ConversationStore for Connection {
    fn insert_contact(&self, account: AccountId, name: &str, phone: &str, owner: MemberId, at: &str) -> Result<i64> {
        let conn = self;
        conn.prepare_cached("INSERT INTO contact (account_id, name, phone, owner_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![account.0, name, phone, owner.0, at])?;
        Ok(conn.last_insert_rowid())
    }

    fn contact_by_phone(&self, account: AccountId, phone: &str) -> Result<Option<i64>> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT id FROM contact WHERE account_id = ?1 AND phone = ?2")?
            .query_row(params![account.0, phone], |r| r.get(0))
            .optional()?)
    }

    fn insert_conversation(&self, account: AccountId, inbox: InboxId, contact: i64, assignee: Option<MemberId>, at: &str) -> Result<i64> {
        let conn = self;
        conn.prepare_cached(
            "INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity) VALUES (?1, ?2, ?3, ?4, 'open', ?5)",
        )?
        .execute(params![account.0, inbox.0, contact, assignee.map(|m| m.0), at])?;
        Ok(conn.last_insert_rowid())
    }

    fn holdings(&self, member: MemberId) -> Result<(i64, i64, i64)> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM conversation WHERE assignee_id = ?1),
                        (SELECT count(*) FROM contact WHERE owner_id = ?1),
                        (SELECT count(*) FROM inbox WHERE owner_id = ?1)",
            )?
            .query_row([member.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
    }

    fn reassign(&self, from: MemberId, to: MemberId) -> Result<(usize, usize, usize)> {
        let conn = self;
        let conversations =
            conn.prepare_cached("UPDATE conversation SET assignee_id = ?2 WHERE assignee_id = ?1")?.execute(params![from.0, to.0])?;
        let contacts = conn.prepare_cached("UPDATE contact SET owner_id = ?2 WHERE owner_id = ?1")?.execute(params![from.0, to.0])?;
        let inboxes = conn
            .prepare_cached("UPDATE inbox SET owner_id = ?2, created_for_member_id = NULL WHERE owner_id = ?1")?
            .execute(params![from.0, to.0])?;
        Ok((conversations, contacts, inboxes))
    }

    fn inboxes_held_by(&self, member: MemberId) -> Result<Vec<crate::domain::Inbox>> {
        let sql = format!("SELECT {} FROM inbox WHERE id IN (SELECT DISTINCT inbox_id FROM conversation WHERE assignee_id = ?1) ORDER BY id", super::inboxes::COLUMNS);
        Ok(self.prepare_cached(&sql)?.query_map([member.0], super::inboxes::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn holds_in_inbox(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = ?1 AND assignee_id = ?2)")?
            .query_row(params![inbox.0, member.0], |r| r.get(0))?)
    }

    fn move_in_inbox(&self, inbox: InboxId, from: MemberId, to: Option<MemberId>) -> Result<usize> {
        let conn = self;
        Ok(conn.prepare_cached("UPDATE conversation SET assignee_id = ?3 WHERE inbox_id = ?1 AND assignee_id = ?2")?.execute(params![
            inbox.0,
            from.0,
            to.map(|m| m.0)
        ])?)
    }

    fn held_outside_their_inbox(&self, account: AccountId) -> Result<Vec<(String, String, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT i.name, m.email, g.n
                 FROM (SELECT c.inbox_id, c.assignee_id, count(*) AS n FROM conversation c
                       WHERE c.inbox_id IN (SELECT id FROM inbox WHERE account_id = ?1) AND c.assignee_id IS NOT NULL
                       GROUP BY c.inbox_id, c.assignee_id) g
                 JOIN inbox i ON i.id = g.inbox_id JOIN member m ON m.id = g.assignee_id
                 WHERE NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = g.inbox_id AND im.member_id = g.assignee_id)
                 ORDER BY i.name, m.email",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn count_in_inbox(&self, inbox: InboxId) -> Result<i64> {
        Ok(self.prepare_cached("SELECT count(*) FROM conversation WHERE inbox_id = ?1")?.query_row([inbox.0], |r| r.get(0))?)
    }

    fn move_to_inbox(&self, from: InboxId, to: InboxId) -> Result<(i64, i64)> {
        let unassigned = self.prepare_cached(&format!("UPDATE conversation SET assignee_id = NULL WHERE inbox_id = ?1 AND assignee_id NOT IN ({WORKERS_OF})"))?
            .execute(params![from.0, to.0])? as i64;
        let moved = self.prepare_cached("UPDATE conversation SET inbox_id = ?2 WHERE inbox_id = ?1")?.execute(params![from.0, to.0])? as i64;
        Ok((moved, unassigned))
    }

    fn page_in_inbox(&self, inbox: InboxId, filter: AssigneeFilter, offset: i64, limit: i64) -> Result<(Vec<ConversationRow>, i64)> {
        let mut args: Vec<rusqlite::types::Value> = vec![inbox.0.into()];
        let cond = match filter {
            AssigneeFilter::Anyone => "",
            AssigneeFilter::Unassigned => " AND c.assignee_id IS NULL",
            AssigneeFilter::Member(m) => {
                args.push(m.0.into());
                " AND c.assignee_id = ?2"
            }
        };
        let cap = crate::store::members::COUNT_CAP + 1;
        let total: i64 = self
            .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM conversation c WHERE c.inbox_id = ?1{cond} LIMIT {cap})"))?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        let n = args.len();
        args.push(limit.into());
        args.push(offset.into());
        let sql = format!(
            "SELECT c.id, ct.name, ct.phone, m.email, m.name, c.last_activity FROM conversation c
             JOIN contact ct ON ct.id = c.contact_id LEFT JOIN member m ON m.id = c.assignee_id
             WHERE c.inbox_id = ?1{cond} ORDER BY c.last_activity DESC, c.id DESC LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        let rows = self
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok(ConversationRow {
                    id: r.get(0)?,
                    contact_name: r.get(1)?,
                    contact_phone: r.get(2)?,
                    assignee_email: r.get(3)?,
                    assignee_name: r.get(4)?,
                    last_activity: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    fn assign_in_inbox(&self, inbox: InboxId, ids: &[i64], to: Option<MemberId>) -> Result<usize> {
        let mut stmt = self.prepare_cached("UPDATE conversation SET assignee_id = ?3 WHERE inbox_id = ?1 AND id = ?2")?;
        let mut n = 0;
        for id in ids {
            n += stmt.execute(params![inbox.0, id, to.map(|m| m.0)])?;
        }
        Ok(n)
    }

    fn any_in_inbox(&self, inbox: crate::domain::InboxId) -> Result<bool> {
        let conn = self;
        Ok(conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = ?1)")?.query_row([inbox.0], |r| r.get(0))?)
    }

    fn contacts_of_idle_owners(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                // The pending, then the active Observers, each through an index.
                "SELECT m.email, (SELECT count(*) FROM contact c WHERE c.owner_id = m.id) AS n FROM member m
                 WHERE m.account_id = ?1 AND m.status = 'pending' AND n > 0
                 UNION ALL
                 SELECT m.email, (SELECT count(*) FROM contact c WHERE c.owner_id = m.id) AS n FROM member m
                 WHERE m.account_id = ?1 AND m.role = 'observer' AND m.status = 'active' AND n > 0
                 ORDER BY 1",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn contacts_of_strangers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, Option<String>, i64)>> {
        Ok(self
            .prepare_cached(
                "SELECT coalesce(m.email, '#' || c.owner_id), a.name, count(*) FROM contact c
                 LEFT JOIN member m ON m.id = c.owner_id LEFT JOIN account a ON a.id = m.account_id
                 WHERE c.account_id = ?1 AND (m.id IS NULL OR m.account_id <> c.account_id) GROUP BY 1, 2 ORDER BY 1",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn conversations_of_observers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT m.email, count(*) FROM member m JOIN conversation c ON c.assignee_id = m.id
                 WHERE m.account_id = ?1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn inboxes_of_observers(&self, account: crate::domain::AccountId) -> Result<Vec<(String, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT m.email, count(*) FROM member m JOIN inbox i ON i.owner_id = m.id
                 WHERE m.account_id = ?1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
            )?
            .query_map([account.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn first_contact_id(&self, account: AccountId) -> Result<i64> {
        let conn = self;
        Ok(conn.query_row("SELECT min(id) FROM contact WHERE account_id = ?1", [account.0], |r| r.get(0))?)
    }
}

/// The working members (Active, not Observers) of inbox `?2`.
const WORKERS_OF: &str =
    "SELECT im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE im.inbox_id = ?2 AND m.status = 'active' AND m.role <> 'observer'";
