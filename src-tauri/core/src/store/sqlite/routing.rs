//! The SQLite implementation of [`crate::store::RoutingStore`].

use crate::domain::routing::RingStrategy;
use crate::domain::{InboxId, Member, MemberId};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use crate::store::routing::*;
use crate::store::RoutingStore;

/// The table that holds a list's members.
pub(super) fn table(list: List) -> &'static str {
    match list {
        List::Assignment => "assignment_member",
        List::RingGroup => "ring_group_member",
    }
}

impl RoutingStore for Connection {
    fn create_defaults(&self, inbox: InboxId) -> Result<()> {
        let conn = self;
        conn.prepare_cached("INSERT OR IGNORE INTO routing (inbox_id) VALUES (?1)")?.execute([inbox.0])?;
        Ok(())
    }

    fn settings(&self, inbox: InboxId) -> Result<Settings> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT round_robin, default_assignee_id, rr_after, ring_strategy, ring_seconds, fallthrough, ivr_greeting
                 FROM routing WHERE inbox_id = ?1",
            )?
            .query_row([inbox.0], |r| {
                // (every inbox gets its row when it is created)
                Ok(Settings {
                    round_robin: r.get::<_, i64>(0)? == 1,
                    default_assignee: r.get::<_, Option<i64>>(1)?.map(MemberId),
                    rr_after: r.get(2)?,
                    ring_strategy: r.get(3)?,
                    ring_seconds: r.get(4)?,
                    fallthrough: r.get(5)?,
                    ivr_greeting: r.get(6)?,
                })
            })?)
    }

    fn save_settings(&self, inbox: InboxId, s: &Settings) -> Result<()> {
        let conn = self;
        RoutingStore::create_defaults(conn, inbox)?;
        conn.prepare_cached(
            "UPDATE routing SET round_robin = ?2, default_assignee_id = ?3, rr_after = ?4, ring_strategy = ?5,
                                ring_seconds = ?6, fallthrough = ?7, ivr_greeting = ?8 WHERE inbox_id = ?1",
        )?
        .execute(params![
            inbox.0,
            i64::from(s.round_robin),
            s.default_assignee.map(|m| m.0),
            s.rr_after,
            s.ring_strategy.as_str(),
            s.ring_seconds,
            s.fallthrough.as_str(),
            s.ivr_greeting
        ])?;
        Ok(())
    }

    fn members(&self, inbox: InboxId, list: List) -> Result<Vec<Member>> {
        let conn = self;
        let sql = format!(
            "SELECT {} FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1
             ORDER BY m.name_sort, m.email_key",
            super::members::columns_of("m"),
            table(list)
        );
        Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], super::members::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn rotation(&self, inbox: InboxId) -> Result<Vec<(MemberId, String, String)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT m.id, m.email, m.name_sort || char(1) || m.email_key FROM assignment_member x JOIN member m ON m.id = x.member_id
                 WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
            )?
            .query_map([inbox.0], |r| Ok((MemberId(r.get(0)?), r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn rotation_next(&self, inbox: InboxId, after: Option<&str>) -> Result<Option<(crate::domain::Member, String)>> {
        // Two statements, so that each is a range of the index of places.
        let next = |from: &str| format!("SELECT {}, p.place FROM member JOIN (SELECT member_id, place FROM assignment_member {from}) p ON p.member_id = member.id", super::members::COLUMNS);
        let row = |r: &rusqlite::Row<'_>| Ok((super::members::from_row(r)?, r.get(10)?));
        Ok(match after {
            Some(after) => self
                .prepare_cached(&next("WHERE inbox_id = ?1 AND place > ?2 ORDER BY place LIMIT 1"))?
                .query_row(params![inbox.0, after], row)
                .optional()?,
            None => self.prepare_cached(&next("WHERE inbox_id = ?1 ORDER BY place LIMIT 1"))?.query_row(params![inbox.0], row).optional()?,
        })
    }

    fn rotation_after(&self, inbox: InboxId, after: Option<&str>, n: i64) -> Result<Vec<String>> {
        Ok(self
            .prepare_cached(
                "SELECT m.email FROM assignment_member x JOIN member m ON m.id = x.member_id
                 WHERE x.inbox_id = ?1 AND (?2 IS NULL OR x.place > ?2) ORDER BY x.place LIMIT ?3",
            )?
            .query_map(params![inbox.0, after, n], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn member_emails(&self, inbox: InboxId, list: List) -> Result<Vec<String>> {
        let conn = self;
        let sql = format!(
            "SELECT m.email FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
            table(list)
        );
        Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn contains(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let conn = self;
        Ok(conn
            .prepare_cached(&format!("SELECT 1 FROM {} WHERE inbox_id = ?1 AND member_id = ?2", table(list)))?
            .query_row(params![inbox.0, member.0], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn count(&self, inbox: InboxId, list: List) -> Result<usize> {
        Ok(super::inboxes::kept_count(self, inbox, Some(list))? as usize)
    }

    fn add(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let conn = self;
        let n = conn
            .prepare_cached(&format!("INSERT OR IGNORE INTO {} (inbox_id, member_id) VALUES (?1, ?2)", table(list)))?
            .execute(params![inbox.0, member.0])?;
        Ok(n == 1)
    }

    fn remove(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let conn = self;
        let n = conn
            .prepare_cached(&format!("DELETE FROM {} WHERE inbox_id = ?1 AND member_id = ?2", table(list)))?
            .execute(params![inbox.0, member.0])?;
        Ok(n == 1)
    }

    fn groups(&self, inbox: InboxId) -> Result<Vec<Group>> {
        let conn = self;
        let rows = conn
            .prepare_cached("SELECT id, position, strategy, ring_seconds FROM distribution_group WHERE inbox_id = ?1 ORDER BY position")?
            .query_map([inbox.0], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, RingStrategy>(2)?, r.get::<_, i64>(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, position, strategy, ring_seconds) in rows {
            let members = conn
                .prepare_cached(&format!(
                    "SELECT {} FROM distribution_member d JOIN member m ON m.id = d.member_id WHERE d.group_id = ?1
                     ORDER BY m.name_sort, m.email_key",
                    super::members::columns_of("m")
                ))?
                .query_map([id], super::members::from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(Group { position, strategy, ring_seconds, members });
        }
        Ok(out)
    }

    fn replace_groups(&self, inbox: InboxId, groups: &[(RingStrategy, i64, Vec<MemberId>)]) -> Result<()> {
        let conn = self;
        conn.prepare_cached("DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)")?
            .execute([inbox.0])?;
        conn.prepare_cached("DELETE FROM distribution_group WHERE inbox_id = ?1")?.execute([inbox.0])?;
        for (i, (strategy, seconds, members)) in groups.iter().enumerate() {
            conn.prepare_cached("INSERT INTO distribution_group (inbox_id, position, strategy, ring_seconds) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![inbox.0, i as i64 + 1, strategy.as_str(), seconds])?;
            let group = conn.last_insert_rowid();
            for m in members {
                conn.prepare_cached("INSERT OR IGNORE INTO distribution_member (group_id, member_id) VALUES (?1, ?2)")?
                    .execute(params![group, m.0])?;
            }
        }
        // IVR digits that rang a group no longer there point nowhere.
        conn.prepare_cached(
            "UPDATE ivr_option SET target = 'none', group_position = NULL
             WHERE inbox_id = ?1 AND target = 'distribution_group' AND group_position > ?2",
        )?
        .execute(params![inbox.0, groups.len() as i64])?;
        Ok(())
    }

    fn set_group_member(&self, inbox: InboxId, position: i64, member: MemberId, present: bool) -> Result<bool> {
        let conn = self;
        let sql = if present {
            "INSERT OR IGNORE INTO distribution_member (group_id, member_id)
             SELECT id, ?3 FROM distribution_group WHERE inbox_id = ?1 AND position = ?2"
        } else {
            "DELETE FROM distribution_member
             WHERE member_id = ?3 AND group_id = (SELECT id FROM distribution_group WHERE inbox_id = ?1 AND position = ?2)"
        };
        Ok(conn.prepare_cached(sql)?.execute(params![inbox.0, position, member.0])? == 1)
    }

    fn set_ivr_option(&self, inbox: InboxId, digit: i64, row: Option<&IvrRow>) -> Result<()> {
        let conn = self;
        conn.prepare_cached("DELETE FROM ivr_option WHERE inbox_id = ?1 AND digit = ?2")?.execute(params![inbox.0, digit])?;
        if let Some((_, target, member, position)) = row {
            conn.prepare_cached("INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![inbox.0, digit, target, member.map(|m| m.0), position])?;
        }
        Ok(())
    }

    fn groups_with(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT g.position FROM distribution_group g JOIN distribution_member d ON d.group_id = g.id
                 WHERE g.inbox_id = ?1 AND d.member_id = ?2 ORDER BY g.position",
            )?
            .query_map(params![inbox.0, member.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn remove_from_groups(&self, inbox: InboxId, member: MemberId) -> Result<usize> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "DELETE FROM distribution_member WHERE member_id = ?2
                   AND group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)",
            )?
            .execute(params![inbox.0, member.0])?)
    }

    fn ivr_options(&self, inbox: InboxId) -> Result<Vec<IvrRow>> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT digit, target, member_id, group_position FROM ivr_option WHERE inbox_id = ?1 ORDER BY digit")?
            .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?.map(MemberId), r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn replace_ivr_options(&self, inbox: InboxId, options: &[IvrRow]) -> Result<()> {
        let conn = self;
        conn.prepare_cached("DELETE FROM ivr_option WHERE inbox_id = ?1")?.execute([inbox.0])?;
        for (digit, target, member, position) in options {
            conn.prepare_cached("INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![inbox.0, digit, target, member.map(|m| m.0), position])?;
        }
        Ok(())
    }

    fn ivr_digits_for(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
        let conn = self;
        Ok(conn
            .prepare_cached("SELECT digit FROM ivr_option WHERE inbox_id = ?1 AND target = 'member' AND member_id = ?2 ORDER BY digit")?
            .query_map(params![inbox.0, member.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn unlink_ivr_member(&self, inbox: InboxId, member: MemberId) -> Result<usize> {
        let conn = self;
        Ok(conn
            .prepare_cached("UPDATE ivr_option SET target = 'none', member_id = NULL WHERE inbox_id = ?1 AND member_id = ?2")?
            .execute(params![inbox.0, member.0])?)
    }

    fn drop_empty_groups(&self, inbox: InboxId) -> Result<Vec<i64>> {
        let conn = self;
        let mut empty: Vec<i64> = conn
            .prepare_cached(
                "SELECT position FROM distribution_group g WHERE inbox_id = ?1
                   AND NOT EXISTS (SELECT 1 FROM distribution_member d WHERE d.group_id = g.id) ORDER BY position DESC",
            )?
            .query_map([inbox.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Highest first, so that the positions still to remove do not move.
        for &position in &empty {
            conn.prepare_cached("DELETE FROM distribution_group WHERE inbox_id = ?1 AND position = ?2")?
                .execute(params![inbox.0, position])?;
            conn.prepare_cached(
                "UPDATE ivr_option SET target = 'none', group_position = NULL
                 WHERE inbox_id = ?1 AND target = 'distribution_group' AND group_position = ?2",
            )?
            .execute(params![inbox.0, position])?;
            conn.prepare_cached(
                "UPDATE ivr_option SET group_position = group_position - 1
                 WHERE inbox_id = ?1 AND target = 'distribution_group' AND group_position > ?2",
            )?
            .execute(params![inbox.0, position])?;
            // One row at a time, lowest first: (inbox, position) stays unique.
            let later: Vec<i64> = conn
                .prepare_cached("SELECT position FROM distribution_group WHERE inbox_id = ?1 AND position > ?2 ORDER BY position")?
                .query_map(params![inbox.0, position], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for p in later {
                conn.prepare_cached("UPDATE distribution_group SET position = ?3 WHERE inbox_id = ?1 AND position = ?2")?
                    .execute(params![inbox.0, p, p - 1])?;
            }
        }
        empty.reverse();
        Ok(empty)
    }

    fn remove_member_everywhere(&self, member: MemberId) -> Result<LeftEverywhere> {
        let conn = self;
        let back_to_round_robin: Vec<String> = conn
            .prepare_cached(
                "SELECT i.name FROM routing r JOIN inbox i ON i.id = r.inbox_id WHERE r.default_assignee_id = ?1 ORDER BY i.name",
            )?
            .query_map([member.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let ivr_unlinked: Vec<(String, i64)> = conn
            .prepare_cached(
                "SELECT i.name, o.digit FROM ivr_option o JOIN inbox i ON i.id = o.inbox_id
                 WHERE o.target = 'member' AND o.member_id = ?1 ORDER BY i.name, o.digit",
            )?
            .query_map([member.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let in_groups: Vec<(i64, String)> = conn
            .prepare_cached(
                "SELECT DISTINCT i.id, i.name FROM distribution_member d JOIN distribution_group g ON g.id = d.group_id
                 JOIN inbox i ON i.id = g.inbox_id WHERE d.member_id = ?1 ORDER BY i.name",
            )?
            .query_map([member.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for sql in [
            "DELETE FROM assignment_member WHERE member_id = ?1",
            "DELETE FROM ring_group_member WHERE member_id = ?1",
            "DELETE FROM distribution_member WHERE member_id = ?1",
            "UPDATE ivr_option SET target = 'none', member_id = NULL WHERE member_id = ?1",
            "UPDATE routing SET default_assignee_id = NULL, round_robin = 1 WHERE default_assignee_id = ?1",
            "UPDATE routing SET rr_last_member_id = NULL WHERE rr_last_member_id = ?1",
        ] {
            conn.prepare_cached(sql)?.execute([member.0])?;
        }
        let mut groups_removed = Vec::new();
        for (inbox, name) in in_groups {
            groups_removed.extend(RoutingStore::drop_empty_groups(conn, InboxId(inbox))?.into_iter().map(|p| (name.clone(), p)));
        }
        Ok(LeftEverywhere { back_to_round_robin, groups_removed, ivr_unlinked })
    }

    fn settings_of_member(&self, member: MemberId) -> Result<Vec<(String, String)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT i.name, 'conversation_assignment' FROM assignment_member x JOIN inbox i ON i.id = x.inbox_id WHERE x.member_id = ?1
                 UNION SELECT i.name, 'conversation_assignment' FROM routing r JOIN inbox i ON i.id = r.inbox_id WHERE r.default_assignee_id = ?1
                 UNION SELECT i.name, 'ring_group' FROM ring_group_member x JOIN inbox i ON i.id = x.inbox_id WHERE x.member_id = ?1
                 UNION SELECT i.name, 'call_distribution' FROM distribution_member d JOIN distribution_group g ON g.id = d.group_id
                       JOIN inbox i ON i.id = g.inbox_id WHERE d.member_id = ?1
                 UNION SELECT i.name, 'ivr' FROM ivr_option o JOIN inbox i ON i.id = o.inbox_id WHERE o.member_id = ?1
                 ORDER BY 1, 2",
            )?
            .query_map([member.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn strays(&self, inbox: InboxId) -> Result<Vec<(String, i64, String)>> {
        let conn = self;
        // One read of the Conversation Assignment finds both its strays and
        // its places kept for an old name or address (a stray is named as such).
        const NOT_ACTIVE_HERE: &str =
            "(m.status <> 'active' OR m.role = 'observer' OR NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = ?1 AND im.member_id = m.id))";
        let sql = format!(
            "SELECT CASE WHEN {NOT_ACTIVE_HERE} THEN 'assignment' ELSE 'assignment_place' END, 0, m.email
               FROM assignment_member x JOIN member m ON m.id = x.member_id
               WHERE x.inbox_id = ?1 AND ({NOT_ACTIVE_HERE} OR x.place <> m.name_sort || char(1) || m.email_key)
             UNION ALL
             SELECT 'ring_group', 0, m.email FROM ring_group_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 AND {NOT_ACTIVE_HERE}
             UNION ALL
             SELECT 'default_assignee', 0, m.email FROM routing r JOIN member m ON m.id = r.default_assignee_id WHERE r.inbox_id = ?1 AND {NOT_ACTIVE_HERE}
             UNION ALL
             SELECT 'distribution', g.position, m.email FROM distribution_group g JOIN distribution_member d ON d.group_id = g.id
               JOIN member m ON m.id = d.member_id WHERE g.inbox_id = ?1 AND {NOT_ACTIVE_HERE}
             UNION ALL
             SELECT 'ivr', o.digit, m.email FROM ivr_option o JOIN member m ON m.id = o.member_id
               WHERE o.inbox_id = ?1 AND o.target = 'member' AND {NOT_ACTIVE_HERE}"
        );
        Ok(conn
            .prepare_cached(&sql)?
            .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn group_sizes(&self, inbox: InboxId) -> Result<Vec<(i64, i64)>> {
        let conn = self;
        Ok(conn
            .prepare_cached(
                "SELECT position, (SELECT count(*) FROM distribution_member d WHERE d.group_id = g.id)
                 FROM distribution_group g WHERE inbox_id = ?1 ORDER BY position",
            )?
            .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
