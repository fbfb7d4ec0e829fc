//! The PostgreSQL implementation of [`crate::store::RoutingStore`].

use super::{get, Pg};
use crate::domain::routing::RingStrategy;
use crate::domain::{InboxId, Member, MemberId};
use crate::error::Result;
use crate::store::routing::*;

/// The table that holds a list's members.
pub(super) fn table(list: List) -> &'static str {
    match list {
        List::Assignment => "assignment_member",
        List::RingGroup => "ring_group_member",
    }
}

/// Who a setting names but is not an Active, work-holding member of the
/// inbox (`$1`), for [`RoutingStore::strays`].
macro_rules! not_active_here {
    () => {
        "(m.status <> 'active' OR m.role = 'observer'
          OR NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = $1 AND im.member_id = m.id))"
    };
}

/// The strays of one inbox. The two trailing columns (which setting, which
/// member) only order the rows as the SQLite store's scans return them.
const STRAYS: &str = concat!(
    "SELECT 'assignment', 0::bigint, m.email, 1::bigint, m.id FROM assignment_member x JOIN member m ON m.id = x.member_id
      WHERE x.inbox_id = $1 AND ",
    not_active_here!(),
    " UNION ALL
     SELECT 'ring_group', 0::bigint, m.email, 2::bigint, m.id FROM ring_group_member x JOIN member m ON m.id = x.member_id
      WHERE x.inbox_id = $1 AND ",
    not_active_here!(),
    " UNION ALL
     SELECT 'default_assignee', 0::bigint, m.email, 3::bigint, m.id FROM routing r JOIN member m ON m.id = r.default_assignee_id
      WHERE r.inbox_id = $1 AND ",
    not_active_here!(),
    " UNION ALL
     SELECT 'distribution', g.position, m.email, 4::bigint, m.id FROM distribution_group g
       JOIN distribution_member d ON d.group_id = g.id JOIN member m ON m.id = d.member_id
      WHERE g.inbox_id = $1 AND ",
    not_active_here!(),
    " UNION ALL
     SELECT 'ivr', o.digit, m.email, 5::bigint, m.id FROM ivr_option o JOIN member m ON m.id = o.member_id
      WHERE o.inbox_id = $1 AND o.target = 'member' AND ",
    not_active_here!(),
    " UNION ALL
     SELECT 'assignment_place', 0, m.email, 6::bigint, m.id FROM assignment_member x JOIN member m ON m.id = x.member_id
      WHERE x.inbox_id = $1 AND x.place <> (m.name_sort || chr(1) || m.email_key) COLLATE \"C\" AND NOT ",
    not_active_here!(),
    // (A stray's place is named by its stray line alone, as on the file.)
    "
     ORDER BY 4, 2, 5"
);

/// Takes member `$1` out of every routing table in one statement and
/// returns, as the tables were before it (every part of a statement reads
/// the same snapshot): the inboxes whose default assignee they were (kind
/// 0), the IVR digits that rang them (kind 1, with the digit) and the
/// inboxes whose distribution groups they were in (kind 2, with the inbox id).
const REMOVE_EVERYWHERE: &str = "
    WITH assignment AS (DELETE FROM assignment_member WHERE member_id = $1),
         ring_group AS (DELETE FROM ring_group_member WHERE member_id = $1),
         distribution AS (DELETE FROM distribution_member WHERE member_id = $1),
         ivr AS (UPDATE ivr_option SET target = 'none', member_id = NULL WHERE member_id = $1),
         settings AS (
             UPDATE routing SET
                 round_robin = CASE WHEN default_assignee_id = $1 THEN TRUE ELSE round_robin END,
                 default_assignee_id = CASE WHEN default_assignee_id = $1 THEN NULL ELSE default_assignee_id END,
                 rr_last_member_id = CASE WHEN rr_last_member_id = $1 THEN NULL ELSE rr_last_member_id END
             WHERE default_assignee_id = $1 OR rr_last_member_id = $1)
    SELECT 0::bigint, i.name, 0::bigint, 0::bigint FROM routing r JOIN inbox i ON i.id = r.inbox_id
     WHERE r.default_assignee_id = $1
    UNION ALL
    SELECT 1::bigint, i.name, o.digit, 0::bigint FROM ivr_option o JOIN inbox i ON i.id = o.inbox_id
     WHERE o.target = 'member' AND o.member_id = $1
    UNION ALL
    SELECT DISTINCT 2::bigint, i.name, 0::bigint, i.id FROM distribution_member d
      JOIN distribution_group g ON g.id = d.group_id JOIN inbox i ON i.id = g.inbox_id
     WHERE d.member_id = $1
    ORDER BY 1, 2, 3";

impl RoutingStore for Pg<'_> {
    fn create_defaults(&self, inbox: InboxId) -> Result<()> {
        self.exec("INSERT INTO routing (inbox_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&inbox.0])?;
        Ok(())
    }

    fn settings(&self, inbox: InboxId) -> Result<Settings> {
        // (every inbox gets its row when it is created)
        let r = self.one(
            "SELECT round_robin, default_assignee_id, rr_after, ring_strategy, ring_seconds, fallthrough, ivr_greeting
             FROM routing WHERE inbox_id = $1",
            &[&inbox.0],
        )?;
        Ok(Settings {
            round_robin: get(&r, 0)?,
            default_assignee: get::<Option<i64>>(&r, 1)?.map(MemberId),
            rr_after: get(&r, 2)?,
            ring_strategy: get(&r, 3)?,
            ring_seconds: get(&r, 4)?,
            fallthrough: get(&r, 5)?,
            ivr_greeting: get(&r, 6)?,
        })
    }

    /// One upsert: the SQLite store's "create the defaults, then update".
    fn save_settings(&self, inbox: InboxId, s: &Settings) -> Result<()> {
        self.exec(
            "INSERT INTO routing (inbox_id, round_robin, default_assignee_id, rr_after, ring_strategy, ring_seconds,
                                  fallthrough, ivr_greeting)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (inbox_id) DO UPDATE SET
                 round_robin = EXCLUDED.round_robin, default_assignee_id = EXCLUDED.default_assignee_id,
                 rr_after = EXCLUDED.rr_after, ring_strategy = EXCLUDED.ring_strategy,
                 ring_seconds = EXCLUDED.ring_seconds, fallthrough = EXCLUDED.fallthrough,
                 ivr_greeting = EXCLUDED.ivr_greeting",
            &[
                &inbox.0,
                &s.round_robin,
                &s.default_assignee.map(|m| m.0),
                &s.rr_after,
                &s.ring_strategy.as_str(),
                &s.ring_seconds,
                &s.fallthrough.as_str(),
                &s.ivr_greeting,
            ],
        )?;
        Ok(())
    }

    fn members(&self, inbox: InboxId, list: List) -> Result<Vec<Member>> {
        let sql = format!(
            "SELECT {} FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = $1
             ORDER BY m.name_sort, m.email_key",
            super::members::columns_of("m"),
            table(list)
        );
        self.rows(&sql, &[&inbox.0])?.iter().map(super::members::from_row).collect()
    }

    fn rotation(&self, inbox: InboxId) -> Result<Vec<(MemberId, String, String)>> {
        self.rows(
            "SELECT m.id, m.email, m.name_sort || chr(1) || m.email_key FROM assignment_member x JOIN member m ON m.id = x.member_id
             WHERE x.inbox_id = $1 ORDER BY m.name_sort, m.email_key",
            &[&inbox.0],
        )?
        .iter()
        .map(|r| Ok((MemberId(get(r, 0)?), get(r, 1)?, get(r, 2)?)))
        .collect()
    }

    fn rotation_next(&self, inbox: InboxId, after: Option<&str>) -> Result<Option<(crate::domain::Member, String)>> {
        // Two statements, so that each is a range of the index of places.
        let next = |from: &str| format!("SELECT {}, p.place FROM member JOIN (SELECT member_id, place FROM assignment_member {from}) p ON p.member_id = member.id", super::members::COLUMNS);
        let row = match after {
            Some(after) => self.opt(&next("WHERE inbox_id = $1 AND place > $2 ORDER BY place LIMIT 1"), &[&inbox.0, &after])?,
            None => self.opt(&next("WHERE inbox_id = $1 ORDER BY place LIMIT 1"), &[&inbox.0])?,
        };
        row.map(|r| Ok((super::members::from_row(&r)?, get(&r, 10)?))).transpose()
    }

    fn rotation_after(&self, inbox: InboxId, after: Option<&str>, n: i64) -> Result<Vec<String>> {
        self.rows(
            "SELECT m.email FROM assignment_member x JOIN member m ON m.id = x.member_id
             WHERE x.inbox_id = $1 AND ($2::text IS NULL OR x.place > $2) ORDER BY x.place LIMIT $3",
            &[&inbox.0, &after, &n],
        )?
        .iter()
        .map(|r| get(r, 0))
        .collect()
    }

    fn member_emails(&self, inbox: InboxId, list: List) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT m.email FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = $1 ORDER BY m.name_sort, m.email_key",
            table(list)
        );
        self.rows(&sql, &[&inbox.0])?.iter().map(|r| get(r, 0)).collect()
    }

    fn contains(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {} WHERE inbox_id = $1 AND member_id = $2)", table(list));
        self.value::<bool>(&sql, &[&inbox.0, &member.0])
    }

    fn count(&self, inbox: InboxId, list: List) -> Result<usize> {
        Ok(super::inboxes::kept_count(self, inbox, Some(list))? as usize)
    }

    fn add(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let sql = format!("INSERT INTO {} (inbox_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", table(list));
        Ok(self.exec(&sql, &[&inbox.0, &member.0])? == 1)
    }

    fn remove(&self, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
        let sql = format!("DELETE FROM {} WHERE inbox_id = $1 AND member_id = $2", table(list));
        Ok(self.exec(&sql, &[&inbox.0, &member.0])? == 1)
    }

    /// The groups and their members in one query (the SQLite store asks once
    /// per group): a group nobody is in comes back as one row with no member.
    fn groups(&self, inbox: InboxId) -> Result<Vec<Group>> {
        let sql = format!(
            "SELECT {}, g.position, g.strategy, g.ring_seconds, d.member_id
             FROM distribution_group g
             LEFT JOIN distribution_member d ON d.group_id = g.id
             LEFT JOIN member m ON m.id = d.member_id
             WHERE g.inbox_id = $1 ORDER BY g.position, m.name_sort, m.email_key",
            super::members::columns_of("m")
        );
        let mut out: Vec<Group> = Vec::new();
        for r in self.rows(&sql, &[&inbox.0])? {
            let n = r.len();
            let position: i64 = get(&r, n - 4)?;
            if out.last().is_none_or(|g| g.position != position) {
                let strategy: RingStrategy = get(&r, n - 3)?;
                out.push(Group { position, strategy, ring_seconds: get(&r, n - 2)?, members: Vec::new() });
            }
            if get::<Option<i64>>(&r, n - 1)?.is_some() {
                let member = super::members::from_row(&r)?;
                if let Some(g) = out.last_mut() {
                    g.members.push(member);
                }
            }
        }
        Ok(out)
    }

    fn replace_groups(&self, inbox: InboxId, groups: &[(RingStrategy, i64, Vec<MemberId>)]) -> Result<()> {
        self.exec(
            "DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = $1)",
            &[&inbox.0],
        )?;
        self.exec("DELETE FROM distribution_group WHERE inbox_id = $1", &[&inbox.0])?;
        for (i, (strategy, seconds, members)) in groups.iter().enumerate() {
            // The group and its members in one statement (the member rows'
            // foreign key is checked at its end, when the group is there).
            let ids: Vec<i64> = members.iter().map(|m| m.0).collect();
            self.exec(
                "WITH g AS (INSERT INTO distribution_group (inbox_id, position, strategy, ring_seconds)
                            VALUES ($1, $2, $3, $4) RETURNING id)
                 INSERT INTO distribution_member (group_id, member_id)
                 SELECT g.id, x.member_id FROM g, unnest($5::bigint[]) AS x(member_id)
                 ON CONFLICT DO NOTHING",
                &[&inbox.0, &(i as i64 + 1), &strategy.as_str(), seconds, &ids],
            )?;
        }
        // IVR digits that rang a group no longer there point nowhere.
        self.exec(
            "UPDATE ivr_option SET target = 'none', group_position = NULL
             WHERE inbox_id = $1 AND target = 'distribution_group' AND group_position > $2",
            &[&inbox.0, &(groups.len() as i64)],
        )?;
        Ok(())
    }

    fn set_group_member(&self, inbox: InboxId, position: i64, member: MemberId, present: bool) -> Result<bool> {
        let sql = if present {
            "INSERT INTO distribution_member (group_id, member_id)
             SELECT id, $3::bigint FROM distribution_group WHERE inbox_id = $1 AND position = $2
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM distribution_member
             WHERE member_id = $3 AND group_id = (SELECT id FROM distribution_group WHERE inbox_id = $1 AND position = $2)"
        };
        Ok(self.exec(sql, &[&inbox.0, &position, &member.0])? == 1)
    }

    /// One statement either way: an upsert sets the digit, a delete clears it.
    fn set_ivr_option(&self, inbox: InboxId, digit: i64, row: Option<&IvrRow>) -> Result<()> {
        match row {
            None => {
                self.exec("DELETE FROM ivr_option WHERE inbox_id = $1 AND digit = $2", &[&inbox.0, &digit])?;
            }
            Some((_, target, member, position)) => {
                self.exec(
                    "INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (inbox_id, digit) DO UPDATE SET
                         target = EXCLUDED.target, member_id = EXCLUDED.member_id, group_position = EXCLUDED.group_position",
                    &[&inbox.0, &digit, &target.as_str(), &member.map(|m| m.0), position],
                )?;
            }
        }
        Ok(())
    }

    fn groups_with(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
        self.rows(
            "SELECT g.position FROM distribution_group g JOIN distribution_member d ON d.group_id = g.id
             WHERE g.inbox_id = $1 AND d.member_id = $2 ORDER BY g.position",
            &[&inbox.0, &member.0],
        )?
        .iter()
        .map(|r| get(r, 0))
        .collect()
    }

    fn remove_from_groups(&self, inbox: InboxId, member: MemberId) -> Result<usize> {
        Ok(self.exec(
            "DELETE FROM distribution_member WHERE member_id = $2
               AND group_id IN (SELECT id FROM distribution_group WHERE inbox_id = $1)",
            &[&inbox.0, &member.0],
        )? as usize)
    }

    fn ivr_options(&self, inbox: InboxId) -> Result<Vec<IvrRow>> {
        self.rows("SELECT digit, target, member_id, group_position FROM ivr_option WHERE inbox_id = $1 ORDER BY digit", &[&inbox.0])?
            .iter()
            .map(|r| Ok((get(r, 0)?, get(r, 1)?, get::<Option<i64>>(r, 2)?.map(MemberId), get(r, 3)?)))
            .collect()
    }

    fn replace_ivr_options(&self, inbox: InboxId, options: &[IvrRow]) -> Result<()> {
        self.exec("DELETE FROM ivr_option WHERE inbox_id = $1", &[&inbox.0])?;
        if options.is_empty() {
            return Ok(());
        }
        // Every option in one insert, as parallel arrays.
        let digits: Vec<i64> = options.iter().map(|o| o.0).collect();
        let targets: Vec<&str> = options.iter().map(|o| o.1.as_str()).collect();
        let members: Vec<Option<i64>> = options.iter().map(|o| o.2.map(|m| m.0)).collect();
        let positions: Vec<Option<i64>> = options.iter().map(|o| o.3).collect();
        self.exec(
            "INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position)
             SELECT $1::bigint, o.digit, o.target, o.member_id, o.group_position
             FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[]) AS o(digit, target, member_id, group_position)",
            &[&inbox.0, &digits, &targets, &members, &positions],
        )?;
        Ok(())
    }

    fn ivr_digits_for(&self, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
        self.rows(
            "SELECT digit FROM ivr_option WHERE inbox_id = $1 AND target = 'member' AND member_id = $2 ORDER BY digit",
            &[&inbox.0, &member.0],
        )?
        .iter()
        .map(|r| get(r, 0))
        .collect()
    }

    fn unlink_ivr_member(&self, inbox: InboxId, member: MemberId) -> Result<usize> {
        Ok(self.exec(
            "UPDATE ivr_option SET target = 'none', member_id = NULL WHERE inbox_id = $1 AND member_id = $2",
            &[&inbox.0, &member.0],
        )? as usize)
    }

    /// The SQLite store's loop over the empty groups, highest first, made
    /// set-wise: a digit that rang an empty group points nowhere, one that
    /// rang a later group moves down by the number of empty groups before
    /// it, and so do the groups kept.
    fn drop_empty_groups(&self, inbox: InboxId) -> Result<Vec<i64>> {
        let rows = self.rows(
            "SELECT position, NOT EXISTS (SELECT 1 FROM distribution_member d WHERE d.group_id = g.id)
             FROM distribution_group g WHERE inbox_id = $1 ORDER BY position",
            &[&inbox.0],
        )?;
        let (mut empty, mut kept) = (Vec::new(), Vec::new());
        for r in &rows {
            let position: i64 = get(r, 0)?;
            if get::<bool>(r, 1)? {
                empty.push(position);
            } else {
                kept.push(position);
            }
        }
        if empty.is_empty() {
            return Ok(empty);
        }
        let lowest = empty[0];
        self.exec("DELETE FROM distribution_group WHERE inbox_id = $1 AND position = ANY($2::bigint[])", &[&inbox.0, &empty])?;
        self.exec(
            "UPDATE ivr_option SET
                 target = CASE WHEN group_position = ANY($2::bigint[]) THEN 'none' ELSE target END,
                 group_position = CASE WHEN group_position = ANY($2::bigint[]) THEN NULL
                     ELSE group_position - (SELECT count(*) FROM unnest($2::bigint[]) AS e(p) WHERE e.p < ivr_option.group_position)
                 END
             WHERE inbox_id = $1 AND target = 'distribution_group' AND group_position >= $3",
            &[&inbox.0, &empty, &lowest],
        )?;
        // NOTE(pg): UNIQUE (inbox_id, position) is checked row by row here
        // (it is not DEFERRABLE), so one `SET position = position - k` could
        // collide half-way: the kept groups move one at a time, lowest first,
        // each into a place already free (as the SQLite store does).
        for &position in &kept {
            let shift = empty.iter().filter(|&&e| e < position).count() as i64;
            if shift > 0 {
                self.exec(
                    "UPDATE distribution_group SET position = $3 WHERE inbox_id = $1 AND position = $2",
                    &[&inbox.0, &position, &(position - shift)],
                )?;
            }
        }
        Ok(empty)
    }

    fn remove_member_everywhere(&self, member: MemberId) -> Result<LeftEverywhere> {
        let mut left = LeftEverywhere::default();
        let mut in_groups: Vec<(i64, String)> = Vec::new();
        for r in self.rows(REMOVE_EVERYWHERE, &[&member.0])? {
            let name: String = get(&r, 1)?;
            match get::<i64>(&r, 0)? {
                0 => left.back_to_round_robin.push(name),
                1 => left.ivr_unlinked.push((name, get(&r, 2)?)),
                _ => in_groups.push((get(&r, 3)?, name)),
            }
        }
        for (inbox, name) in in_groups {
            left.groups_removed.extend(RoutingStore::drop_empty_groups(self, InboxId(inbox))?.into_iter().map(|p| (name.clone(), p)));
        }
        Ok(left)
    }

    fn settings_of_member(&self, member: MemberId) -> Result<Vec<(String, String)>> {
        self.rows(
            "SELECT name, setting FROM (
                 SELECT i.name, 'conversation_assignment' AS setting FROM assignment_member x JOIN inbox i ON i.id = x.inbox_id
                  WHERE x.member_id = $1
                 UNION SELECT i.name, 'conversation_assignment' FROM routing r JOIN inbox i ON i.id = r.inbox_id
                  WHERE r.default_assignee_id = $1
                 UNION SELECT i.name, 'ring_group' FROM ring_group_member x JOIN inbox i ON i.id = x.inbox_id WHERE x.member_id = $1
                 UNION SELECT i.name, 'call_distribution' FROM distribution_member d JOIN distribution_group g ON g.id = d.group_id
                       JOIN inbox i ON i.id = g.inbox_id WHERE d.member_id = $1
                 UNION SELECT i.name, 'ivr' FROM ivr_option o JOIN inbox i ON i.id = o.inbox_id WHERE o.member_id = $1
             ) s ORDER BY name, setting COLLATE \"C\"",
            &[&member.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?)))
        .collect()
    }

    fn strays(&self, inbox: InboxId) -> Result<Vec<(String, i64, String)>> {
        self.rows(STRAYS, &[&inbox.0])?.iter().map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?))).collect()
    }

    fn group_sizes(&self, inbox: InboxId) -> Result<Vec<(i64, i64)>> {
        self.rows(
            "SELECT position, (SELECT count(*) FROM distribution_member d WHERE d.group_id = g.id)
             FROM distribution_group g WHERE inbox_id = $1 ORDER BY position",
            &[&inbox.0],
        )?
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?)))
        .collect()
    }
}
