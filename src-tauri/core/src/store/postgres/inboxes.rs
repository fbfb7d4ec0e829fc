//! The PostgreSQL implementation of [`crate::store::InboxStore`].

use super::{get, Param, Pg};
use crate::domain::text::name_key;
use crate::domain::{AccountId, Inbox, InboxId, MemberId, Role, Status};
use crate::error::{Error, Result};
use crate::store::inboxes::*;
use crate::store::members::COUNT_CAP;
use crate::store::routing::List;
use crate::store::{InboxStore, RoutingStore};
use postgres::Row;

pub(super) const COLUMNS: &str = "id, account_id, name, number, owner_id";

pub(super) fn from_row(r: &Row) -> Result<Inbox> {
    Ok(Inbox {
        id: InboxId(get::<i64>(r, 0)?),
        account_id: AccountId(get::<i64>(r, 1)?),
        name: get::<String>(r, 2)?,
        number: get::<Option<String>>(r, 3)?,
        owner_id: MemberId(get::<i64>(r, 4)?),
    })
}

/// (email, name, role, status) of a member, as the inbox page shows them.
fn summary_of(r: &Row) -> Result<(String, String, Role, Status)> {
    Ok((get::<String>(r, 0)?, get::<String>(r, 1)?, get::<Role>(r, 2)?, get::<Status>(r, 3)?))
}

impl InboxStore for Pg<'_> {
    fn insert(&self, account: AccountId, name: &str, number: Option<&str>, owner: MemberId, created_at: &str) -> Result<InboxId> {
        let id: i64 = self.value(
            "INSERT INTO inbox (account_id, name, name_key, number, owner_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[&account.0, &name, &name_key(name), &number, &owner.0, &created_at],
        )?;
        let id = InboxId(id);
        RoutingStore::create_defaults(self, id)?;
        Ok(id)
    }

    fn find_by_name(&self, account: AccountId, name: &str) -> Result<Option<Inbox>> {
        self.opt(&format!("SELECT {COLUMNS} FROM inbox WHERE account_id = $1 AND name_key = $2"), &[&account.0, &name_key(name)])?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    fn by_id(&self, id: InboxId) -> Result<Inbox> {
        self.opt(&format!("SELECT {COLUMNS} FROM inbox WHERE id = $1"), &[&id.0])?
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or_else(|| Error::not_found("inbox", &id.0.to_string()))
    }

    fn number_in_use(&self, account: AccountId, number: &str) -> Result<Option<String>> {
        self.opt("SELECT name FROM inbox WHERE account_id = $1 AND number = $2", &[&account.0, &number])?
            .as_ref()
            .map(|r| get::<String>(r, 0))
            .transpose()
    }

    fn count_numbers(&self, account: AccountId) -> Result<i64> {
        self.value("SELECT count(*) FROM inbox WHERE account_id = $1 AND number IS NOT NULL", &[&account.0])
    }

    fn list(&self, account: AccountId) -> Result<Vec<ListedInbox>> {
        // lower() of a COLLATE "C" column folds ASCII only: SQLite's NOCASE.
        self.rows(
            "SELECT i.id, i.account_id, i.name, i.number, i.owner_id, o.email,
                    (SELECT coalesce(sum(n), 0)::bigint FROM inbox_count c WHERE c.inbox_id = i.id AND c.list = 'members'), o.name
             FROM inbox i JOIN member o ON o.id = i.owner_id
             WHERE i.account_id = $1 ORDER BY lower(i.name)",
            &[&account.0],
        )?
        .iter()
        .map(|r| -> Result<ListedInbox> {
            Ok(ListedInbox {
                inbox: from_row(r)?,
                owner_email: get::<String>(r, 5)?,
                member_count: get::<i64>(r, 6)?,
                owner_name: get::<String>(r, 7)?,
            })
        })
        .collect()
    }

    fn add_member(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        let n =
            self.exec("INSERT INTO inbox_member (inbox_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&inbox.0, &member.0])?;
        Ok(n == 1)
    }

    fn add_new_members(&self, inbox: InboxId, members: &[MemberId]) -> Result<()> {
        let ids: Vec<i64> = members.iter().map(|m| m.0).collect();
        self.exec("INSERT INTO inbox_member (inbox_id, member_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING", &[&inbox.0, &ids])?;
        Ok(())
    }

    fn members(&self, inbox: InboxId) -> Result<Vec<crate::domain::Member>> {
        let sql = format!(
            "SELECT {} FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = $1 ORDER BY m.name_sort, m.email_key",
            super::members::columns_of("m")
        );
        self.rows(&sql, &[&inbox.0])?.iter().map(super::members::from_row).collect()
    }

    fn active_worker_ids(&self, inbox: InboxId) -> Result<Vec<MemberId>> {
        // SQLite returns them in the order of the (inbox_id, member_id) key it
        // scans; PostgreSQL promises no order without ORDER BY.
        self.rows(
            "SELECT m.id FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = $1 AND m.status = 'active' AND m.role <> 'observer' ORDER BY im.member_id",
            &[&inbox.0],
        )?
        .iter()
        .map(|r| get::<i64>(r, 0).map(MemberId))
        .collect()
    }

    fn member_summaries(&self, inbox: InboxId) -> Result<Vec<(String, String, Role, Status)>> {
        self.rows(
            "SELECT m.email, m.name, m.role, m.status FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = $1 ORDER BY m.name_sort, m.email_key",
            &[&inbox.0],
        )?
        .iter()
        .map(summary_of)
        .collect()
    }

    fn member_emails(&self, inbox: InboxId) -> Result<Vec<String>> {
        self.rows(
            "SELECT m.email FROM inbox_member im JOIN member m ON m.id = im.member_id
             WHERE im.inbox_id = $1 ORDER BY m.name_sort, m.email_key",
            &[&inbox.0],
        )?
        .iter()
        .map(|r| get::<String>(r, 0))
        .collect()
    }

    fn set_number(&self, inbox: InboxId, number: &str) -> Result<()> {
        self.exec("UPDATE inbox SET number = $2 WHERE id = $1", &[&inbox.0, &number])?;
        Ok(())
    }

    fn clear_number(&self, inbox: InboxId) -> Result<()> {
        self.exec("UPDATE inbox SET number = NULL WHERE id = $1", &[&inbox.0])?;
        Ok(())
    }

    fn awaits_invite(&self, inbox: InboxId) -> Result<bool> {
        self.value::<bool>(
            "SELECT EXISTS (SELECT 1 FROM inbox i JOIN member m ON m.id = i.created_for_member_id WHERE i.id = $1 AND m.status = 'pending')",
            &[&inbox.0],
        )
    }

    fn rename(&self, inbox: InboxId, name: &str) -> Result<()> {
        self.exec("UPDATE inbox SET name = $2, name_key = $3 WHERE id = $1", &[&inbox.0, &name, &name_key(name)])?;
        Ok(())
    }

    fn of_member(&self, member: MemberId) -> Result<Vec<Inbox>> {
        let sql = format!(
            "SELECT {} FROM inbox_member im JOIN inbox i ON i.id = im.inbox_id WHERE im.member_id = $1 ORDER BY lower(i.name)",
            COLUMNS.split(", ").map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ")
        );
        self.rows(&sql, &[&member.0])?.iter().map(from_row).collect()
    }

    fn remove_member(&self, inbox: InboxId, member: MemberId) -> Result<bool> {
        let n = self.exec("DELETE FROM inbox_member WHERE inbox_id = $1 AND member_id = $2", &[&inbox.0, &member.0])?;
        Ok(n == 1)
    }

    fn member_count(&self, inbox: InboxId) -> Result<i64> {
        kept_count(self, inbox, None)
    }

    fn counts(&self, inbox: InboxId) -> Result<InboxCounts> {
        let r = self.rows(
            "SELECT i.account_id,
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'members'), 0)::bigint,
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'pending'), 0)::bigint,
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'assignment'), 0)::bigint,
                    coalesce((SELECT n FROM inbox_count WHERE inbox_id = i.id AND list = 'ring_group'), 0)::bigint,
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = i.account_id AND c.status = 'active'),
                    (SELECT coalesce(sum(n), 0)::bigint FROM member_count c WHERE c.account_id = i.account_id AND c.status = 'pending')
             FROM inbox i WHERE i.id = $1",
            &[&inbox.0],
        )?;
        let r = r.first().ok_or_else(|| Error::internal("an inbox vanished"))?;
        Ok(InboxCounts {
            account: AccountId(get(r, 0)?),
            members: get(r, 1)?,
            pending: get(r, 2)?,
            assignment: get(r, 3)?,
            ring_group: get(r, 4)?,
            account_active: get(r, 5)?,
            account_pending: get(r, 6)?,
        })
    }

    fn foreign_members(&self, account: AccountId) -> Result<Vec<(String, String, String, Option<String>)>> {
        // A member of an account this login does not see is hidden by its
        // row-level security: found as no member at all.
        self.rows(
            "SELECT i.name, 'member', coalesce(m.email, '#' || im.member_id), a.name FROM inbox i JOIN inbox_member im ON im.inbox_id = i.id
                 LEFT JOIN member m ON m.id = im.member_id LEFT JOIN account a ON a.id = m.account_id
                 WHERE i.account_id = $1 AND (m.id IS NULL OR m.account_id <> i.account_id)
                 UNION ALL
                 SELECT i.name, 'owner', coalesce(m.email, '#' || i.owner_id), a.name FROM inbox i
                 LEFT JOIN member m ON m.id = i.owner_id LEFT JOIN account a ON a.id = m.account_id
                 WHERE i.account_id = $1 AND (m.id IS NULL OR m.account_id <> i.account_id)
                 ORDER BY 1, 2, 3",
            &[&account.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?, get(r, 3)?)))
        .collect()
    }

    fn count_mismatches(&self, account: AccountId) -> Result<Vec<(String, String, i64, i64)>> {
        self.rows(
            "SELECT name, list, kept, counted FROM (
                SELECT i.name, l.list, coalesce(c.n, 0) AS kept,
                       CASE l.list WHEN 'members' THEN (SELECT count(*) FROM inbox_member x WHERE x.inbox_id = i.id)
                                   WHEN 'pending' THEN (SELECT count(*) FROM inbox_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = i.id AND m.status = 'pending')
                                   WHEN 'assignment' THEN (SELECT count(*) FROM assignment_member x WHERE x.inbox_id = i.id)
                                   ELSE (SELECT count(*) FROM ring_group_member x WHERE x.inbox_id = i.id) END AS counted
                FROM inbox i
                CROSS JOIN (VALUES ('members'), ('pending'), ('assignment'), ('ring_group')) AS l(list)
                LEFT JOIN inbox_count c ON c.inbox_id = i.id AND c.list = l.list
                WHERE i.account_id = $1) AS t
             WHERE kept <> counted ORDER BY lower(name), list",
            &[&account.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?, get(r, 3)?)))
        .collect()
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
        from.push_str(" WHERE im.inbox_id = $1");
        if q.routable {
            from.push_str(" AND m.status = 'active' AND m.role <> 'observer'");
        }
        let pattern = q.search.filter(|t| !t.trim().is_empty()).map(super::members::like_pattern);
        let mut args: Vec<Param<'_>> = vec![&inbox.0 as Param<'_>];
        if let Some(pattern) = pattern.as_ref() {
            // See the NOTE(pg) in members.rs: lower() folds ASCII letters only.
            from.push_str(" AND (m.email_key LIKE $2 ESCAPE '\\' OR lower(m.name) LIKE $2 ESCAPE '\\' OR lower(m.email) LIKE $2 ESCAPE '\\')");
            args.push(pattern);
        }
        // A search counts its matches up to the cap, as the members list does.
        let count = if pattern.is_some() { format!("SELECT count(*) FROM (SELECT 1 {from} LIMIT {}) AS t", COUNT_CAP + 1) } else { format!("SELECT count(*) {from}") };
        let total: i64 = self.value(&count, &args)?;
        let n = args.len();
        let sql =
            format!("SELECT m.email, m.name, m.role, m.status {from} ORDER BY m.name_sort, m.email_key LIMIT ${} OFFSET ${}", n + 1, n + 2);
        args.push(&q.limit);
        args.push(&q.offset);
        let rows = self.rows(&sql, &args)?.iter().map(summary_of).collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    fn set_created_for(&self, inbox: InboxId, member: Option<MemberId>) -> Result<()> {
        self.exec("UPDATE inbox SET created_for_member_id = $2 WHERE id = $1", &[&inbox.0, &member.map(|m| m.0)])?;
        Ok(())
    }

    fn created_for(&self, member: MemberId) -> Result<Option<Inbox>> {
        self.opt(&format!("SELECT {COLUMNS} FROM inbox WHERE created_for_member_id = $1"), &[&member.0])?.as_ref().map(from_row).transpose()
    }

    fn set_owner(&self, inbox: InboxId, owner: MemberId) -> Result<()> {
        self.exec("UPDATE inbox SET owner_id = $2 WHERE id = $1", &[&inbox.0, &owner.0])?;
        Ok(())
    }

    fn delete_empty(&self, inbox: InboxId) -> Result<()> {
        self.exec("DELETE FROM inbox_member WHERE inbox_id = $1", &[&inbox.0])?;
        self.exec(
            "DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = $1)",
            &[&inbox.0],
        )?;
        for table in ["assignment_member", "ring_group_member", "distribution_group", "ivr_option", "routing"] {
            self.exec(&format!("DELETE FROM {table} WHERE inbox_id = $1"), &[&inbox.0])?;
        }
        self.exec("DELETE FROM inbox WHERE id = $1 AND number IS NULL", &[&inbox.0])?;
        Ok(())
    }
}

/// How many members an inbox (or one of its routing lists) holds, as the
/// server keeps it.
pub(super) fn kept_count(pg: &Pg<'_>, inbox: InboxId, list: Option<List>) -> Result<i64> {
    kept(pg, inbox, match list {
        None => "members",
        Some(List::Assignment) => "assignment",
        Some(List::RingGroup) => "ring_group",
    })
}

fn kept(pg: &Pg<'_>, inbox: InboxId, list: &str) -> Result<i64> {
    pg.value("SELECT coalesce((SELECT n FROM inbox_count WHERE inbox_id = $1 AND list = $2), 0)::bigint", &[&inbox.0, &list])
}

/// A page of an inbox (or a routing list) by name without a filter, each
/// status's members read apart and merged, as the SQLite store does
/// ([`page_arms`] decides which statuses to read; the planner, from its
/// statistics, how); `None` when nothing would be walked.
fn member_page_by_name(pg: &Pg<'_>, inbox: InboxId, q: &MemberPageQuery<'_>) -> Result<Option<(Vec<(String, String, Role, Status)>, i64)>> {
    let counts = pg.counts(inbox)?;
    let (account, total) = (counts.account.0, counts.of(q.list));
    let Some(arms) = counts.arms(q.list, q.offset + q.limit) else { return Ok(None) };
    let places = q.list.map_or("inbox_member", super::routing::table);
    let arms: Vec<String> = arms
        .iter()
        .map(|a| {
            format!(
                "(SELECT m.email, m.name, m.role, m.status, m.name_sort, m.email_key FROM member m JOIN {places} x ON x.member_id = m.id AND x.inbox_id = $2
                  WHERE m.account_id = $1 AND m.status = '{}' ORDER BY m.name_sort, m.email_key LIMIT $3::bigint + $4::bigint)",
                a.status
            )
        })
        .collect();
    let sql = format!("SELECT email, name, role, status FROM ({}) AS t ORDER BY name_sort, email_key LIMIT $3 OFFSET $4", arms.join(" UNION ALL "));
    let rows = pg.rows(&sql, &[&account, &inbox.0, &q.limit, &q.offset])?.iter().map(summary_of).collect::<Result<Vec<_>>>()?;
    Ok(Some((rows, total)))
}
