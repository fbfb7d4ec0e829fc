//! The PostgreSQL implementation of [`crate::store::AuditStore`].

use super::{get, Pg};
use crate::domain::AccountId;
use crate::error::Result;
use crate::store::audit::*;

impl AuditStore for Pg<'_> {
    /// The new hash is computed here, over the newest stored one: the
    /// account's row, locked by the write transaction, keeps two writers
    /// from chaining onto the same entry.
    fn append(&self, e: &Entry<'_>) -> Result<()> {
        let (prev, hash) = self.link(e)?;
        self.exec(
            "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[&e.account_id.0, &e.at, &e.business_date, &e.actor_email, &e.actor_name, &e.action, &e.target, &e.details, &prev, &hash],
        )?;
        Ok(())
    }

    /// The whole batch in one statement, chained here in order; the server
    /// numbers the rows in that order and checks each link as it goes.
    fn append_many<'e>(&self, entries: &[Entry<'e>]) -> Result<()> {
        let mut prevs = Vec::with_capacity(entries.len());
        let mut hashes = Vec::with_capacity(entries.len());
        for e in entries {
            let (prev, hash) = self.link(e)?;
            prevs.push(prev);
            hashes.push(hash);
        }
        let column = |f: fn(&Entry<'e>) -> &'e str| entries.iter().map(f).collect::<Vec<&str>>();
        let accounts: Vec<i64> = entries.iter().map(|e| e.account_id.0).collect();
        let written = self.exec(
            "INSERT INTO audit (account_id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash)
             SELECT a, t, d, ae, an, ac, ta, de, p, h FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                    $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS u(a, t, d, ae, an, ac, ta, de, p, h, nr)
             ORDER BY nr",
            &[
                &accounts,
                &column(|e| e.at),
                &column(|e| e.business_date),
                &column(|e| e.actor_email),
                &column(|e| e.actor_name),
                &column(|e| e.action),
                &column(|e| e.target),
                &column(|e| e.details),
                &prevs,
                &hashes,
            ],
        );
        written.map(drop)
    }

    fn first_broken_link(&self, account: AccountId) -> Result<Option<i64>> {
        let rows = self.rows(
            "SELECT id, at, business_date, actor_email, actor_name, action, target, details, prev_hash, hash
             FROM audit WHERE account_id = $1 ORDER BY id",
            &[&account.0],
        )?;
        let mut expected_prev: &str = GENESIS;
        // The fields are read in place (borrowed from the rows), not copied.
        for r in &rows {
            let prev: &str = r.try_get(8)?;
            let hash: &str = r.try_get(9)?;
            let entry = Entry {
                account_id: account,
                at: r.try_get(1)?,
                business_date: r.try_get(2)?,
                actor_email: r.try_get(3)?,
                actor_name: r.try_get(4)?,
                action: r.try_get(5)?,
                target: r.try_get(6)?,
                details: r.try_get(7)?,
            };
            if prev != expected_prev || entry_hash(prev, &entry) != hash {
                return Ok(Some(r.try_get::<_, i64>(0)?));
            }
            expected_prev = hash;
        }
        Ok(None)
    }

    fn count(&self, account: AccountId) -> Result<i64> {
        self.value::<i64>("SELECT count(*) FROM audit WHERE account_id = $1", &[&account.0])
    }

    fn page(&self, account: AccountId, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)> {
        let sql = format!("SELECT {COLUMNS} FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3");
        Ok((self.stored(&sql, &[&account.0, &limit, &offset])?, AuditStore::count(self, account)?))
    }

    fn about(&self, account: AccountId, email: &str, upto: Option<i64>, limit: i64) -> Result<Vec<Stored>> {
        let upto = upto.unwrap_or(i64::MAX);
        let sql = format!(
            "SELECT {COLUMNS} FROM (
                 (SELECT * FROM audit WHERE account_id = $1 AND target = $2 AND id <= $4 ORDER BY id DESC LIMIT $3)
                 UNION ALL
                 (SELECT * FROM audit WHERE account_id = $1 AND ((details::jsonb) ->> 'member') = $2
                    AND action IN ({}) AND id <= $4 ORDER BY id DESC LIMIT $3)
             ) a ORDER BY id DESC LIMIT $3",
            MEMBER_ACTIONS
        );
        self.stored(&sql, &[&account.0, &email, &limit, &upto])
    }

    fn address_change_to(&self, account: AccountId, email: &str) -> Result<Option<(String, i64)>> {
        let found = self.opt(
            "SELECT coalesce((details::jsonb) ->> 'from', (details::jsonb) -> 'email' ->> 'from'), id FROM audit
             WHERE account_id = $1 AND action IN ('member.set_email', 'member.edit_invite')
               AND coalesce((details::jsonb) ->> 'to', (details::jsonb) -> 'email' ->> 'to') = $2
             ORDER BY id DESC LIMIT 1",
            &[&account.0, &email],
        )?;
        found.map(|r| Ok((get(&r, 0)?, get(&r, 1)?))).transpose()
    }

    fn by_ticket(&self, ticket: &str, account: Option<AccountId>, offset: i64, limit: i64) -> Result<(Vec<Stored>, i64)> {
        const WHERE: &str = "WHERE ((details::jsonb) ->> 'ticket') = $1 AND ($2::bigint IS NULL OR account_id = $2)";
        let account = account.map(|a| a.0);
        let rows = self.stored(&format!("SELECT {COLUMNS} FROM audit {WHERE} ORDER BY id DESC LIMIT $3 OFFSET $4"), &[&ticket, &account, &limit, &offset])?;
        let total: i64 = self.value(&format!("SELECT count(*) FROM audit {WHERE}"), &[&ticket, &account])?;
        Ok((rows, total))
    }

    fn first_broken_position(&self, account: AccountId) -> Result<Option<i64>> {
        let Some(id) = AuditStore::first_broken_link(self, account)? else {
            return Ok(None);
        };
        Ok(Some(self.value::<i64>("SELECT count(*) FROM audit WHERE account_id = $1 AND id <= $2", &[&account.0, &id])?))
    }

    fn head(&self, account: AccountId) -> Result<String> {
        Ok(match self.opt("SELECT hash FROM audit WHERE account_id = $1 ORDER BY id DESC LIMIT 1", &[&account.0])? {
            Some(r) => get(&r, 0)?,
            None => GENESIS.to_string(),
        })
    }

    /// The entry and its position in one statement (the first such entry,
    /// should a hash appear twice).
    fn position_of(&self, account: AccountId, hash: &str) -> Result<Option<i64>> {
        if hash == GENESIS {
            return Ok(Some(0));
        }
        self.opt(
            "SELECT (SELECT count(*) FROM audit b WHERE b.account_id = $1 AND b.id <= a.id)
             FROM audit a WHERE a.account_id = $1 AND a.hash = $2 ORDER BY a.id LIMIT 1",
            &[&account.0, &hash],
        )?
        .map(|r| get(&r, 0))
        .transpose()
    }
}

impl Pg<'_> {
    /// The link `e` adds to its account's chain: the previous hash and its
    /// own. The chain's head is read once per transaction and account, then
    /// kept (the account's row is locked by the write, so no other Seatdesk
    /// appends meanwhile; the server refuses an entry that does not continue
    /// the chain in any case, and a refused statement ends the transaction).
    fn link(&self, e: &Entry<'_>) -> Result<(String, String)> {
        let cached = self.heads.borrow().get(&e.account_id.0).cloned();
        let prev = match cached {
            Some(prev) => prev,
            None => AuditStore::head(self, e.account_id)?,
        };
        let hash = entry_hash(&prev, e);
        self.heads.borrow_mut().insert(e.account_id.0, hash.clone());
        Ok((prev, hash))
    }
}

const COLUMNS: &str = "at, business_date, actor_email, actor_name, action, target, details, login, account_id";

impl Pg<'_> {
    /// Entries read by a query selecting [`COLUMNS`].
    fn stored(&self, sql: &str, params: &[super::Param<'_>]) -> Result<Vec<Stored>> {
        self.rows(sql, params)?
            .iter()
            .map(|r| {
                Ok(Stored {
                    at: get(r, 0)?,
                    business_date: get(r, 1)?,
                    actor_email: get(r, 2)?,
                    actor_name: get(r, 3)?,
                    action: get(r, 4)?,
                    target: get(r, 5)?,
                    details: get(r, 6)?,
                    login: get(r, 7)?,
                    account_id: AccountId(get(r, 8)?),
                })
            })
            .collect()
    }
}
