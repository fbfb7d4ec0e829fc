//! `check`: every rule of rules §1–§8, proved from the database.

use serde::Serialize;
use specta::Type;

use super::accounts::seat_summary;
use super::Seatdesk;
use crate::domain::routing::MAX_SIMULTANEOUS;
use crate::domain::{Role, Status};
use crate::error::Result;
use crate::domain::{Account, AccountId};
use crate::store::routing::List;
use crate::store::{FileScan, Tx};
use chrono::NaiveDate;

/// One broken invariant found by `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Violation {
    pub account: String,
    pub rule: String,
    pub message: String,
}

/// What `check` found in one account, and the audit entry it holds as of.
pub(super) struct Verdict {
    pub account: AccountId,
    pub name: String,
    pub head: String,
    pub violations: Vec<Violation>,
}

impl Verdict {
    /// Each violation as "rule: message", as the overview lists them.
    pub fn messages(&self) -> Vec<String> {
        self.violations.iter().map(|v| format!("{}: {}", v.rule, v.message)).collect()
    }
}

/// What `check` finds in account `a`. Rows of it that do not read (a
/// damaged page, a value Seatdesk never wrote) are a finding of the
/// account, rule `integrity`, not the end of the whole check: the other
/// accounts and the file's own scan, which names the page, are still
/// reported (found by trying: `check` of a file with one damaged index page
/// said only "database_corrupt").
pub(super) fn verdict(tx: &Tx, today: NaiveDate, a: &Account) -> Result<Verdict> {
    let head = match tx.audit().head(a.id) {
        Err(e) if damaged(&e) => String::new(),
        head => head?,
    };
    let violations = match check_account(tx, today, a) {
        Err(e) if damaged(&e) => vec![unreadable(&a.name, &e)],
        found => found?,
    };
    Ok(Verdict { account: a.id, name: a.name.clone(), head, violations })
}

/// Whether `e` says rows did not read (a damaged page, a value Seatdesk
/// never wrote), as opposed to a store that could not answer at all.
pub(super) fn damaged(e: &crate::error::Error) -> bool {
    e.code == crate::error::ErrorCode::DatabaseCorrupt
}

/// The finding of account `account` whose rows did not read (`e`).
fn unreadable(account: &str, e: &crate::error::Error) -> Violation {
    Violation { account: account.into(), rule: "integrity".into(), message: format!("its rows could not all be read ({})", e.message.trim_end_matches('.')) }
}

impl Seatdesk {
    /// Every invariant of rules §1–§8 over every account (or the one named),
    /// and the database's own soundness: its schema, and for every account
    /// also the full integrity check of the whole file (every page and every
    /// index against its table, whatever one account holds). Each account's
    /// verdict is kept for the accounts overview.
    pub fn check(&mut self, account: Option<&str>) -> Result<Vec<Violation>> {
        let checked_at = super::now_stamp();
        let today = self.clock.today();
        let scan = if account.is_some() { FileScan::Skip } else { FileScan::Full };
        // Where the accounts themselves do not read, that is a finding too,
        // beside the file's scan, which says where (found by trying: `check`
        // of a file whose `account` page was damaged said only
        // "database_corrupt").
        let (storage, (verdicts, unlisted)) = self.conn.read_scanning(scan, |tx| {
            let accounts = match account {
                Some(name) => vec![tx.accounts().by_name(name)?],
                None => match tx.accounts().list() {
                    Err(e) if damaged(&e) && scan != FileScan::Skip => {
                        let message = format!("the accounts could not all be read ({}); no account was checked", e.message.trim_end_matches('.'));
                        return Ok((Vec::new(), Some(Violation { account: "*".into(), rule: "integrity".into(), message })));
                    }
                    listed => listed?,
                },
            };
            Ok((accounts.iter().map(|a| verdict(tx, today, a)).collect::<Result<Vec<_>>>()?, None))
        })?;
        self.keep_verdicts(&checked_at, &verdicts);
        let mut out: Vec<Violation> = storage.into_iter().map(|(rule, message)| Violation { account: "*".into(), rule: rule.into(), message }).collect();
        out.extend(unlisted);
        out.extend(verdicts.into_iter().flat_map(|v| v.violations));
        Ok(out)
    }

    /// Keeps each account's verdict, as of its audit entry, for the accounts
    /// overview. A cache: a database too damaged to take it (its schema
    /// changed by hand) still gets its check's answer, so a failure to keep
    /// it is not one of the check.
    pub(super) fn keep_verdicts(&mut self, checked_at: &str, verdicts: &[Verdict]) {
        if verdicts.is_empty() {
            return;
        }
        let _kept = self.write(|tx, _| {
            for v in verdicts {
                tx.accounts().keep_check(v.account, checked_at, &v.head, &serde_json::json!(v.messages()).to_string())?;
            }
            Ok(())
        });
    }
}

/// Who a row of another account's member is: "a member of Acme, another
/// account", or, where no member row answers (missing, or damaged so that
/// it no longer reads as theirs), not "another account" (found by trying: a
/// damaged page of members was reported as 26 members of other accounts).
fn stranger(account: Option<String>) -> String {
    match account {
        Some(name) => format!("a member of {name}, another account"),
        None => "no member of any account (their row is missing or does not read)".into(),
    }
}

/// Every invariant of rules §1–§8 in one account.
pub(super) fn check_account(tx: &Tx, today: NaiveDate, a: &Account) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    let mut v = |rule: &str, message: String| out.push(Violation { account: a.name.clone(), rule: rule.into(), message });
    let owners = tx.members().count_role(a.id, Role::Owner)?;
    if owners != 1 {
        v("one_owner", format!("{owners} Owners instead of exactly one"));
    } else if tx.members().owner(a.id)?.status != Status::Active {
        v("one_owner", "the Owner is not Active".into());
    }
    let (kept, counted) = tx.members().kept_and_counted(a.id)?;
    if kept != counted {
        // Each (status, role) whose kept count differs from the members.
        let mut keys: Vec<(&str, &str)> = kept.iter().chain(&counted).map(|(s, r, _)| (s.as_str(), r.as_str())).collect();
        keys.sort_unstable();
        keys.dedup();
        let n = |list: &[(String, String, i64)], key: (&str, &str)| list.iter().find(|(s, r, _)| (s.as_str(), r.as_str()) == key).map_or(0, |x| x.2);
        for key in keys {
            let (k, c) = (n(&kept, key), n(&counted, key));
            if k != c {
                v("counters", format!("the count of {} {}s is kept as {k} but {c} are members", key.0, key.1));
            }
        }
    }
    for (email, kept, counted) in tx.members().inbox_count_mismatches(a.id)? {
        v("counters", format!("{email} is kept as in {kept} inbox(es) but is in {counted}"));
    }
    for (inbox, list, kept, counted) in tx.inboxes().count_mismatches(a.id)? {
        let what = match list.as_str() {
            "pending" => "pending members",
            "assignment" => "Conversation Assignment members",
            "ring_group" => "Ring Group members",
            _ => "members",
        };
        v("counters", format!("{inbox} keeps {kept} as its count of {what} but holds {counted}"));
    }
    for (inbox, place, who, theirs) in tx.inboxes().foreign_members(a.id)? {
        let what = if place == "owner" { "is owned by" } else { "holds" };
        v("one_account", format!("{inbox} {what} {who}, {}", stranger(theirs)));
    }
    let seats = seat_summary(tx, a)?;
    if seats.unassigned < 0 {
        v("seats", format!("{} assigned of {} purchased: unassigned is negative", seats.assigned, seats.purchased));
    }
    let net = tx.ledger().net_seats(a.id)?;
    if net != a.purchased_seats {
        v("ledger", format!("the ledger books {net} seats but {} are purchased", a.purchased_seats));
    }
    if a.plan.renews_on <= today {
        v("renewal", format!("renewal of {} not booked", a.plan.renews_on));
    }
    for (rule, message) in super::books::check_books(tx, a)? {
        v(rule, message);
    }
    for inbox in tx.inboxes().list(a.id)? {
        let inbox = inbox.inbox;
        for (setting, position, email) in tx.routing().strays(inbox.id)? {
            v(
                "routing",
                match setting.as_str() {
                    "assignment" => format!(
                        "{email} is in the Conversation Assignment of {} without being an active member who holds work",
                        inbox.name
                    ),
                    "ring_group" => {
                        format!("{email} is in the Ring Group of {} without being an active member who holds work", inbox.name)
                    }
                    "default_assignee" => {
                        format!("the default assignee of {} ({email}) is not an active member who holds work", inbox.name)
                    }
                    "ivr" => format!(
                        "IVR digit {position} of {} rings {email}, who is not an active member who holds work",
                        inbox.name
                    ),
                    "assignment_place" => format!(
                        "the round robin of {} keeps {email} in the place of an old name or address",
                        inbox.name
                    ),
                    _ => format!(
                        "{email} is in distribution group {position} of {} without being an active member who holds work",
                        inbox.name
                    ),
                },
            );
        }
        let s = tx.routing().settings(inbox.id)?;
        if s.ring_strategy == crate::domain::routing::RingStrategy::Simultaneous
            && tx.routing().count(inbox.id, List::RingGroup)? > MAX_SIMULTANEOUS
        {
            v("routing", format!("the simultaneous Ring Group of {} has more than {MAX_SIMULTANEOUS} members", inbox.name));
        }
        // (At most five: the schema holds positions 1 to 5 only.)
        let sizes = tx.routing().group_sizes(inbox.id)?;
        let groups = sizes.len();
        for (i, (position, size)) in sizes.iter().enumerate() {
            if *position != i as i64 + 1 {
                v("routing", format!("the distribution groups of {} are not numbered 1 to {groups}", inbox.name));
            }
            if *size == 0 {
                v(
                    "routing",
                    format!(
                        "distribution group {position} of {} has nobody in it: callers would ring into nothing",
                        inbox.name
                    ),
                );
            }
        }
        if !s.round_robin && s.default_assignee.is_none() {
            v(
                "routing",
                format!("the Conversation Assignment of {} has neither round robin nor a default assignee", inbox.name),
            );
        }
        for (digit, target, member, position) in tx.routing().ivr_options(inbox.id)? {
            let fine = match target.as_str() {
                "member" => member.is_some(),
                "distribution_group" => position.is_some_and(|p| p >= 1 && p as usize <= groups),
                "ring_group" | "voicemail" | "none" => true,
                _ => false,
            };
            if !fine {
                v(
                    "ivr",
                    format!(
                        "IVR digit {digit} of {} points to {target} {}, which does not exist",
                        inbox.name,
                        position.map(|p| p.to_string()).unwrap_or_default()
                    ),
                );
            }
        }
    }
    for (who, theirs, n) in tx.conversations().contacts_of_strangers(a.id)? {
        v("one_account", format!("{who}, {}, owns {n} contact(s) of {}", stranger(theirs), a.name));
    }
    for (email, n) in tx.conversations().contacts_of_idle_owners(a.id)? {
        v("holdings", format!("{email} owns {n} contact(s) but holds no work (pending or an Observer)"));
    }
    for (email, n) in tx.conversations().conversations_of_observers(a.id)? {
        v("holdings", format!("{email} is an Observer and holds {n} conversation(s)"));
    }
    for (email, n) in tx.conversations().inboxes_of_observers(a.id)? {
        v("holdings", format!("{email} is an Observer and owns {n} inbox(es)"));
    }
    for (inbox, email, n) in tx.conversations().held_outside_their_inbox(a.id)? {
        v("holdings", format!("{email} holds {n} conversation(s) of {inbox} without being a member of it"));
    }
    if let Some(pos) = tx.audit().first_broken_position(a.id)? {
        v("audit", format!("the audit chain breaks at entry {pos}"));
    }
    Ok(out)
}
