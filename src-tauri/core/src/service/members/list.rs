//! Members (rules §2, §6). This issue lists them; invites, edits and
//! deletion build on the same pieces.

use super::{resolve_target, view};
use crate::domain::Permission;
use crate::error::Result;
use crate::service::{resolve, MemberPage, MemberQuery, MemberSort, MemberView, Scope, Seatdesk};
use crate::store;
use crate::store::members::{ListQuery, SortKey};
use crate::store::Tx;

/// The most rows one page may hold.
pub const MAX_PAGE: i64 = 1_000;
pub const DEFAULT_PAGE: i64 = 100;

/// A page of members inside the caller's transaction.
fn page(tx: &Tx, account: crate::domain::AccountId, query: &MemberQuery) -> Result<MemberPage> {
    let offset = query.offset.unwrap_or(0).max(0);
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let sent_before = query.pending_days.map(sent_before).transpose()?;
    let q = ListQuery {
        status: query.status,
        role: query.role,
        search: query.search.as_deref(),
        sent_before: sent_before.as_deref(),
        sort: match query.sort.unwrap_or_default() {
            MemberSort::Name => SortKey::Name,
            MemberSort::Email => SortKey::Email,
            MemberSort::Role => SortKey::Role,
            MemberSort::Inboxes => SortKey::Inboxes,
            MemberSort::Joined => SortKey::Joined,
        },
        descending: query.descending.unwrap_or(false),
        offset,
        limit,
    };
    let (active_count, pending_count) = tx.members().status_counts(account)?;
    let (rows, total) = tx.members().list(account, &q, (active_count, pending_count))?;
    Ok(MemberPage {
        rows: rows.into_iter().map(|l| MemberView::new(l.member, l.inboxes)).collect(),
        // Only a counted total stops at the cap; a tab's is kept whole.
        total_capped: q.counted() && total > store::members::COUNT_CAP,
        total: if q.counted() { total.min(store::members::COUNT_CAP) } else { total },
        offset,
        active_count,
        pending_count,
    })
}

/// Every member matching `query`'s filters (its paging ignored), at most
/// `max`, by name: a bulk action's "all matching".
pub(crate) fn matching(tx: &Tx, account: crate::domain::AccountId, query: &MemberQuery, max: usize) -> Result<Vec<crate::domain::Member>> {
    let sent_before = query.pending_days.map(sent_before).transpose()?;
    let q = ListQuery {
        status: query.status,
        role: query.role,
        search: query.search.as_deref(),
        sent_before: sent_before.as_deref(),
        sort: SortKey::Name,
        descending: false,
        offset: 0,
        limit: max as i64,
    };
    let counts = tx.members().status_counts(account)?;
    Ok(tx.members().list(account, &q, counts)?.0.into_iter().map(|l| l.member).collect())
}

/// The day before which an invite last sent `days` ago or more was sent
/// (`pending_days`: 0 to 3 650). Days count on the computer's clock, as the
/// sending time is stamped (not on a fixed `--today`, which dates the books).
pub(crate) fn sent_before(days: i64) -> Result<String> {
    if !(0..=3_650).contains(&days) {
        return Err(crate::error::Error::new(crate::error::ErrorCode::InvalidQuantity, format!("Pending for how many days: 0 to 3 650, not {days}."))
            .with_details(serde_json::json!({ "pending_days": days })));
    }
    Ok((chrono::Utc::now().date_naive() - chrono::Duration::days(days)).to_string())
}

impl Seatdesk {
    /// One member with their inboxes.
    pub fn member(&mut self, scope: &Scope, email: &str) -> Result<MemberView> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "read members")?;
            let target = resolve_target(tx, &ctx, email)?;
            view(tx, &target)
        })
    }

    /// Active Owner, Admin and Manager members the window may act as.
    pub fn actors(&mut self, scope: &Scope, search: &str) -> Result<Vec<MemberView>> {
        self.read(|tx, _| {
            let account = crate::service::resolve_account(tx, scope)?;
            tx.members().actors(account.id, search, 50)?.into_iter().map(|m| Ok(MemberView::new(m, vec![]))).collect()
        })
    }

    /// A page of members, filtered and sorted in SQL, with the tab counts.
    pub fn members(&mut self, scope: &Scope, query: &MemberQuery) -> Result<MemberPage> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "list members")?;
            page(tx, ctx.account.id, query)
        })
    }

    /// Every member matching the filters (the CLI's `members`, the members
    /// export), page by page inside one read transaction: one snapshot, even
    /// while another process writes.
    pub fn all_members(&mut self, scope: &Scope, query: &MemberQuery) -> Result<Vec<MemberView>> {
        self.read(|tx, _| {
            let ctx = resolve(tx, scope, Permission::Read, "list members")?;
            let mut out = Vec::new();
            let mut q = query.clone();
            q.limit = Some(MAX_PAGE);
            q.offset = Some(0);
            loop {
                let got = page(tx, ctx.account.id, &q)?.rows;
                let n = got.len() as i64;
                out.extend(got);
                if n < MAX_PAGE {
                    return Ok(out);
                }
                q.offset = Some(q.offset.unwrap_or(0) + n);
            }
        })
    }
}
