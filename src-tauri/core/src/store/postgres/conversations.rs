//! The PostgreSQL implementation of [`crate::store::ConversationStore`].

use super::{get, Param, Pg};
use crate::domain::{AccountId, InboxId, MemberId};
use crate::error::Result;
use crate::store::conversations::{AssigneeFilter, ConversationRow};
use crate::store::ConversationStore;

impl ConversationStore for Pg<'_> {
    fn insert_contact(&self, account: AccountId, name: &str, phone: &str, owner: MemberId, at: &str) -> Result<i64> {
        self.value::<i64>(
            "INSERT INTO contact (account_id, name, phone, owner_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&account.0, &name, &phone, &owner.0, &at],
        )
    }

    fn contact_by_phone(&self, account: AccountId, phone: &str) -> Result<Option<i64>> {
        self.opt("SELECT id FROM contact WHERE account_id = $1 AND phone = $2", &[&account.0, &phone])?.map(|r| get(&r, 0)).transpose()
    }

    fn insert_conversation(&self, account: AccountId, inbox: InboxId, contact: i64, assignee: Option<MemberId>, at: &str) -> Result<i64> {
        self.value::<i64>(
            "INSERT INTO conversation (account_id, inbox_id, contact_id, assignee_id, status, last_activity)
             VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
            &[&account.0, &inbox.0, &contact, &assignee.map(|m| m.0), &at],
        )
    }

    fn holdings(&self, member: MemberId) -> Result<(i64, i64, i64)> {
        let r = self.one(
            "SELECT (SELECT count(*) FROM conversation WHERE assignee_id = $1),
                    (SELECT count(*) FROM contact WHERE owner_id = $1),
                    (SELECT count(*) FROM inbox WHERE owner_id = $1)",
            &[&member.0],
        )?;
        Ok((get(&r, 0)?, get(&r, 1)?, get(&r, 2)?))
    }

    /// The three moves in one statement (three tables, one round trip).
    fn reassign(&self, from: MemberId, to: MemberId) -> Result<(usize, usize, usize)> {
        let r = self.one(
            "WITH conversations AS (UPDATE conversation SET assignee_id = $2 WHERE assignee_id = $1 RETURNING 1),
                  contacts AS (UPDATE contact SET owner_id = $2 WHERE owner_id = $1 RETURNING 1),
                  inboxes AS (UPDATE inbox SET owner_id = $2, created_for_member_id = NULL WHERE owner_id = $1 RETURNING 1)
             SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM contacts), (SELECT count(*) FROM inboxes)",
            &[&from.0, &to.0],
        )?;
        Ok((get::<i64>(&r, 0)? as usize, get::<i64>(&r, 1)? as usize, get::<i64>(&r, 2)? as usize))
    }

    fn inboxes_held_by(&self, member: MemberId) -> Result<Vec<crate::domain::Inbox>> {
        self.rows(
            &format!("SELECT {} FROM inbox WHERE id IN (SELECT DISTINCT inbox_id FROM conversation WHERE assignee_id = $1) ORDER BY id", super::inboxes::COLUMNS),
            &[&member.0],
        )?
        .iter()
        .map(super::inboxes::from_row)
        .collect()
    }

    fn holds_in_inbox(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        self.value::<bool>("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = $1 AND assignee_id = $2)", &[&inbox.0, &member.0])
    }

    fn move_in_inbox(&self, inbox: InboxId, from: MemberId, to: Option<MemberId>) -> Result<usize> {
        Ok(self.exec(
            "UPDATE conversation SET assignee_id = $3 WHERE inbox_id = $1 AND assignee_id = $2",
            &[&inbox.0, &from.0, &to.map(|m| m.0)],
        )? as usize)
    }

    fn held_outside_their_inbox(&self, account: AccountId) -> Result<Vec<(String, String, i64)>> {
        self.rows(
            "SELECT i.name, m.email, g.n
             FROM (SELECT c.inbox_id, c.assignee_id, count(*) AS n FROM inbox a JOIN conversation c ON c.inbox_id = a.id
                   WHERE a.account_id = $1 AND c.assignee_id IS NOT NULL GROUP BY c.inbox_id, c.assignee_id) g
             JOIN inbox i ON i.id = g.inbox_id JOIN member m ON m.id = g.assignee_id
             WHERE NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = g.inbox_id AND im.member_id = g.assignee_id)
             ORDER BY i.name, m.email",
            &[&account.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
        .collect()
    }

    fn count_in_inbox(&self, inbox: InboxId) -> Result<i64> {
        self.value::<i64>("SELECT count(*) FROM conversation WHERE inbox_id = $1", &[&inbox.0])
    }

    fn move_to_inbox(&self, from: InboxId, to: InboxId) -> Result<(i64, i64)> {
        let unassigned = self.exec(
            "UPDATE conversation SET assignee_id = NULL WHERE inbox_id = $1 AND assignee_id NOT IN (
                 SELECT im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id
                  WHERE im.inbox_id = $2 AND m.status = 'active' AND m.role <> 'observer')",
            &[&from.0, &to.0],
        )? as i64;
        let moved = self.exec("UPDATE conversation SET inbox_id = $2 WHERE inbox_id = $1", &[&from.0, &to.0])? as i64;
        Ok((moved, unassigned))
    }

    fn page_in_inbox(&self, inbox: InboxId, filter: AssigneeFilter, offset: i64, limit: i64) -> Result<(Vec<ConversationRow>, i64)> {
        let who = match filter {
            AssigneeFilter::Member(m) => Some(m.0),
            _ => None,
        };
        let mut args: Vec<Param<'_>> = vec![&inbox.0];
        let cond = match filter {
            AssigneeFilter::Anyone => "",
            AssigneeFilter::Unassigned => " AND c.assignee_id IS NULL",
            AssigneeFilter::Member(_) => {
                args.push(&who);
                " AND c.assignee_id = $2"
            }
        };
        let cap = crate::store::members::COUNT_CAP + 1;
        let total: i64 = self.value(&format!("SELECT count(*) FROM (SELECT 1 FROM conversation c WHERE c.inbox_id = $1{cond} LIMIT {cap}) AS capped"), &args)?;
        let n = args.len();
        args.push(&limit);
        args.push(&offset);
        let sql = format!(
            "SELECT c.id, ct.name, ct.phone, m.email, m.name, c.last_activity FROM conversation c
             JOIN contact ct ON ct.id = c.contact_id LEFT JOIN member m ON m.id = c.assignee_id
             WHERE c.inbox_id = $1{cond} ORDER BY c.last_activity DESC, c.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = self
            .rows(&sql, &args)?
            .iter()
            .map(|r| {
                Ok(ConversationRow {
                    id: get(r, 0)?,
                    contact_name: get(r, 1)?,
                    contact_phone: get(r, 2)?,
                    assignee_email: get(r, 3)?,
                    assignee_name: get(r, 4)?,
                    last_activity: get(r, 5)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    fn assign_in_inbox(&self, inbox: InboxId, ids: &[i64], to: Option<MemberId>) -> Result<usize> {
        let to = to.map(|m| m.0);
        Ok(self.exec("UPDATE conversation SET assignee_id = $3 WHERE inbox_id = $1 AND id = ANY($2)", &[&inbox.0, &ids, &to])? as usize)
    }

    fn any_in_inbox(&self, inbox: InboxId) -> Result<bool> {
        self.value::<bool>("SELECT EXISTS (SELECT 1 FROM conversation WHERE inbox_id = $1)", &[&inbox.0])
    }

    fn contacts_of_strangers(&self, account: AccountId) -> Result<Vec<(String, Option<String>, i64)>> {
        // A member of an account this login does not see is hidden by its
        // row-level security: found as no member at all.
        self.rows(
            "SELECT coalesce(m.email, '#' || c.owner_id), a.name, count(*) FROM contact c
             LEFT JOIN member m ON m.id = c.owner_id LEFT JOIN account a ON a.id = m.account_id
             WHERE c.account_id = $1 AND (m.id IS NULL OR m.account_id <> c.account_id) GROUP BY 1, 2 ORDER BY 1",
            &[&account.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
        .collect()
    }

    fn contacts_of_idle_owners(&self, account: AccountId) -> Result<Vec<(String, i64)>> {
        self.counts_by_email(
            "SELECT m.email, count(*) FROM member m JOIN contact c ON c.owner_id = m.id
             WHERE m.account_id = $1 AND (m.status <> 'active' OR m.role = 'observer') GROUP BY m.id ORDER BY m.email",
            account,
        )
    }

    fn conversations_of_observers(&self, account: AccountId) -> Result<Vec<(String, i64)>> {
        self.counts_by_email(
            "SELECT m.email, count(*) FROM member m JOIN conversation c ON c.assignee_id = m.id
             WHERE m.account_id = $1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
            account,
        )
    }

    fn inboxes_of_observers(&self, account: AccountId) -> Result<Vec<(String, i64)>> {
        self.counts_by_email(
            "SELECT m.email, count(*) FROM member m JOIN inbox i ON i.owner_id = m.id
             WHERE m.account_id = $1 AND m.role = 'observer' GROUP BY m.id ORDER BY m.email",
            account,
        )
    }

    fn first_contact_id(&self, account: AccountId) -> Result<i64> {
        self.value::<i64>("SELECT min(id) FROM contact WHERE account_id = $1", &[&account.0])
    }
}

impl Pg<'_> {
    /// (email, count) rows of `sql`, whose one parameter is the account.
    fn counts_by_email(&self, sql: &str, account: AccountId) -> Result<Vec<(String, i64)>> {
        self.rows(sql, &[&account.0])?.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?))).collect()
    }
}
