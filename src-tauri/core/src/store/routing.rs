//! The routing tables of an inbox: settings, Conversation Assignment and
//! Ring Group members, Call Distribution groups, IVR options.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::routing::{Fallthrough, RingStrategy};
use crate::domain::{InboxId, Member, MemberId};
use crate::error::Result;

/// The per-inbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub round_robin: bool,
    pub default_assignee: Option<MemberId>,
    /// Where round robin stands: the place in the rotation's order (a
    /// member's [`rotation`] key) of whoever had the last turn. The next
    /// turn goes to the first member after that place, whoever left or
    /// joined since.
    pub rr_after: Option<String>,
    pub ring_strategy: RingStrategy,
    pub ring_seconds: i64,
    pub fallthrough: Fallthrough,
    pub ivr_greeting: String,
}

pub fn create_defaults(conn: &Connection, inbox: InboxId) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO routing (inbox_id) VALUES (?1)")?.execute([inbox.0])?;
    Ok(())
}

pub fn settings(conn: &Connection, inbox: InboxId) -> Result<Settings> {
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

pub fn save_settings(conn: &Connection, inbox: InboxId, s: &Settings) -> Result<()> {
    create_defaults(conn, inbox)?;
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

/// The two member lists kept per inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Assignment,
    RingGroup,
}

impl List {
    fn table(self) -> &'static str {
        match self {
            List::Assignment => "assignment_member",
            List::RingGroup => "ring_group_member",
        }
    }
}

/// The list's members in alphabetical order of name (then email).
pub fn members(conn: &Connection, inbox: InboxId, list: List) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {} FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1
         ORDER BY m.name_sort, m.email_key",
        super::members::columns_of("m"),
        list.table()
    );
    Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], super::members::from_row)?.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Conversation Assignment's rotation: (member, email, place) in order; a
/// place is the name's sort key and the address, which round robin's
/// cursor compares with.
pub fn rotation(conn: &Connection, inbox: InboxId) -> Result<Vec<(MemberId, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT m.id, m.email, m.name_sort || char(1) || m.email_key FROM assignment_member x JOIN member m ON m.id = x.member_id
             WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
        )?
        .query_map([inbox.0], |r| Ok((MemberId(r.get(0)?), r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The emails of the list's members, in the same order as [`members`].
pub fn member_emails(conn: &Connection, inbox: InboxId, list: List) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT m.email FROM {} x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 ORDER BY m.name_sort, m.email_key",
        list.table()
    );
    Ok(conn.prepare_cached(&sql)?.query_map([inbox.0], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn contains(conn: &Connection, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE inbox_id = ?1 AND member_id = ?2", list.table()))?
        .query_row(params![inbox.0, member.0], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn count(conn: &Connection, inbox: InboxId, list: List) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM {} WHERE inbox_id = ?1", list.table()))?
        .query_row([inbox.0], |r| r.get(0))?;
    Ok(n as usize)
}

/// Adds; returns false when the member was there already.
pub fn add(conn: &Connection, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
    let n = conn
        .prepare_cached(&format!("INSERT OR IGNORE INTO {} (inbox_id, member_id) VALUES (?1, ?2)", list.table()))?
        .execute(params![inbox.0, member.0])?;
    Ok(n == 1)
}

/// Removes; returns false when the member was not there.
pub fn remove(conn: &Connection, inbox: InboxId, list: List, member: MemberId) -> Result<bool> {
    let n = conn
        .prepare_cached(&format!("DELETE FROM {} WHERE inbox_id = ?1 AND member_id = ?2", list.table()))?
        .execute(params![inbox.0, member.0])?;
    Ok(n == 1)
}

/// A Call Distribution group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub position: i64,
    pub strategy: RingStrategy,
    pub ring_seconds: i64,
    pub members: Vec<Member>,
}

pub fn groups(conn: &Connection, inbox: InboxId) -> Result<Vec<Group>> {
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

/// Replaces every group of the inbox (positions follow the order given).
pub fn replace_groups(conn: &Connection, inbox: InboxId, groups: &[(RingStrategy, i64, Vec<MemberId>)]) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM distribution_member WHERE group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)",
    )?
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

/// Adds a member to, or removes them from, the distribution group at
/// `position`; whether anything changed.
pub fn set_group_member(conn: &Connection, inbox: InboxId, position: i64, member: MemberId, present: bool) -> Result<bool> {
    let sql = if present {
        "INSERT OR IGNORE INTO distribution_member (group_id, member_id)
         SELECT id, ?3 FROM distribution_group WHERE inbox_id = ?1 AND position = ?2"
    } else {
        "DELETE FROM distribution_member
         WHERE member_id = ?3 AND group_id = (SELECT id FROM distribution_group WHERE inbox_id = ?1 AND position = ?2)"
    };
    Ok(conn.prepare_cached(sql)?.execute(params![inbox.0, position, member.0])? == 1)
}

/// Sets (or with `None` clears) one IVR digit.
pub fn set_ivr_option(conn: &Connection, inbox: InboxId, digit: i64, row: Option<&IvrRow>) -> Result<()> {
    conn.prepare_cached("DELETE FROM ivr_option WHERE inbox_id = ?1 AND digit = ?2")?.execute(params![inbox.0, digit])?;
    if let Some((_, target, member, position)) = row {
        conn.prepare_cached("INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![inbox.0, digit, target, member.map(|m| m.0), position])?;
    }
    Ok(())
}

/// Positions of the groups a member is in.
pub fn groups_with(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT g.position FROM distribution_group g JOIN distribution_member d ON d.group_id = g.id
             WHERE g.inbox_id = ?1 AND d.member_id = ?2 ORDER BY g.position",
        )?
        .query_map(params![inbox.0, member.0], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn remove_from_groups(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM distribution_member WHERE member_id = ?2
               AND group_id IN (SELECT id FROM distribution_group WHERE inbox_id = ?1)",
        )?
        .execute(params![inbox.0, member.0])?)
}

/// A stored IVR option: (digit, target kind, member, group position).
pub type IvrRow = (i64, String, Option<MemberId>, Option<i64>);

pub fn ivr_options(conn: &Connection, inbox: InboxId) -> Result<Vec<IvrRow>> {
    Ok(conn
        .prepare_cached("SELECT digit, target, member_id, group_position FROM ivr_option WHERE inbox_id = ?1 ORDER BY digit")?
        .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<i64>>(2)?.map(MemberId), r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn replace_ivr_options(conn: &Connection, inbox: InboxId, options: &[IvrRow]) -> Result<()> {
    conn.prepare_cached("DELETE FROM ivr_option WHERE inbox_id = ?1")?.execute([inbox.0])?;
    for (digit, target, member, position) in options {
        conn.prepare_cached(
            "INSERT INTO ivr_option (inbox_id, digit, target, member_id, group_position) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![inbox.0, digit, target, member.map(|m| m.0), position])?;
    }
    Ok(())
}

/// Digits whose option routes to the member.
pub fn ivr_digits_for(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached("SELECT digit FROM ivr_option WHERE inbox_id = ?1 AND target = 'member' AND member_id = ?2 ORDER BY digit")?
        .query_map(params![inbox.0, member.0], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Points the member's IVR options nowhere (they stay, flagged).
pub fn unlink_ivr_member(conn: &Connection, inbox: InboxId, member: MemberId) -> Result<usize> {
    Ok(conn
        .prepare_cached("UPDATE ivr_option SET target = 'none', member_id = NULL WHERE inbox_id = ?1 AND member_id = ?2")?
        .execute(params![inbox.0, member.0])?)
}

/// Removes the inbox's Call Distribution groups that nobody is left in (their
/// last member left the inbox or the account), so that callers never ring
/// into nothing: the groups after each move up, IVR digits that rang a
/// removed group point nowhere (flagged, as a member's do), and digits that
/// rang a later group follow it. Returns the removed groups' positions as
/// they were.
pub fn drop_empty_groups(conn: &Connection, inbox: InboxId) -> Result<Vec<i64>> {
    let mut empty: Vec<i64> = conn
        .prepare_cached(
            "SELECT position FROM distribution_group g WHERE inbox_id = ?1
               AND NOT EXISTS (SELECT 1 FROM distribution_member d WHERE d.group_id = g.id) ORDER BY position DESC",
        )?
        .query_map([inbox.0], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Highest first, so that the positions still to remove do not move.
    for &position in &empty {
        conn.prepare_cached("DELETE FROM distribution_group WHERE inbox_id = ?1 AND position = ?2")?.execute(params![inbox.0, position])?;
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

/// What taking a member out of every routing setting changed beyond them.
#[derive(Debug, Default)]
pub struct LeftEverywhere {
    /// Inboxes whose default assignee they were: round robin again.
    pub back_to_round_robin: Vec<String>,
    /// (inbox, position as it was) of distribution groups left with nobody.
    pub groups_removed: Vec<(String, i64)>,
    /// (inbox, digit) of IVR options that rang them: they point nowhere now.
    pub ivr_unlinked: Vec<(String, i64)>,
}

/// Takes a member out of every routing setting of every inbox (round robin
/// continues after their place, which its cursor keeps), an inbox whose
/// default assignee they were goes back to round robin, IVR options that
/// rang them stay, pointing nowhere, and a distribution group they were the
/// last member of is removed ([`drop_empty_groups`]).
pub fn remove_member_everywhere(conn: &Connection, member: MemberId) -> Result<LeftEverywhere> {
    let back_to_round_robin: Vec<String> = conn
        .prepare_cached("SELECT i.name FROM routing r JOIN inbox i ON i.id = r.inbox_id WHERE r.default_assignee_id = ?1 ORDER BY i.name")?
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
        groups_removed.extend(drop_empty_groups(conn, InboxId(inbox))?.into_iter().map(|p| (name.clone(), p)));
    }
    Ok(LeftEverywhere { back_to_round_robin, groups_removed, ivr_unlinked })
}

/// Every routing setting a member is in, across the account's inboxes, as
/// (inbox name, setting) pairs.
pub fn settings_of_member(conn: &Connection, member: MemberId) -> Result<Vec<(String, String)>> {
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

/// Everyone a routing setting of `inbox` names who is not an Active member
/// of it (for `check`): (setting, group position or 0, email). One pass of
/// each table through its primary key, no member rows decoded.
pub fn strays(conn: &Connection, inbox: InboxId) -> Result<Vec<(String, i64, String)>> {
    const NOT_ACTIVE_HERE: &str =
        "(m.status <> 'active' OR m.role = 'observer' OR NOT EXISTS (SELECT 1 FROM inbox_member im WHERE im.inbox_id = ?1 AND im.member_id = m.id))";
    let sql = format!(
        "SELECT 'assignment', 0, m.email FROM assignment_member x JOIN member m ON m.id = x.member_id WHERE x.inbox_id = ?1 AND {NOT_ACTIVE_HERE}
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

/// Each distribution group's position and how many members it holds.
pub fn group_sizes(conn: &Connection, inbox: InboxId) -> Result<Vec<(i64, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT position, (SELECT count(*) FROM distribution_member d WHERE d.group_id = g.id)
             FROM distribution_group g WHERE inbox_id = ?1 ORDER BY position",
        )?
        .query_map([inbox.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

