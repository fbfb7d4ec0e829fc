//! Who may connect and what they see: the grants behind row-level security
//! (schema version 2). Only the server's administrator reads or changes
//! them; a Seatdesk login only asks about itself (`seatdesk_login_member`).

use super::{get, Pg};
use crate::domain::{AccountId, MemberId};
use crate::error::Result;
use crate::store::AccessRow;

/// `login` as a quoted SQL identifier.
fn quoted(login: &str) -> String {
    format!("\"{}\"", login.replace('"', "\"\""))
}

impl Pg<'_> {
    pub(super) fn session_login(&self) -> Result<String> {
        self.value("SELECT session_user::text", &[])
    }

    pub(super) fn grant_access(&self, login: &str, to: Option<(AccountId, MemberId)>) -> Result<()> {
        // A login that bypasses row-level security (a superuser, BYPASSRLS,
        // or a member of the role owning the tables) would see every
        // account whatever it is granted: refused.
        let bypasses: Option<bool> = self
            .opt(
                "SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(r.oid, c.relowner, 'MEMBER')
                   FROM pg_roles r, pg_class c WHERE r.rolname = $1 AND c.oid = 'account'::regclass",
                &[&login],
            )?
            .map(|r| get(&r, 0))
            .transpose()?;
        if bypasses == Some(true) {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::InvalidLogin,
                format!(
                    "{login} is a superuser, bypasses row-level security or owns Seatdesk's tables, so it would see every \
                     account whatever it is granted. Grant a login of its own instead."
                ),
            )
            .with_details(serde_json::json!({ "login": login, "reason": "bypasses row-level security" })));
        }
        if bypasses.is_none() {
            self.exec(&format!("CREATE ROLE {} LOGIN", quoted(login)), &[])?;
        }
        self.exec(&format!("GRANT seatdesk_user TO {}", quoted(login)), &[])?;
        match to {
            Some((account, member)) => {
                self.exec(
                    "INSERT INTO seatdesk_grant (login, account_id, member_id) VALUES ($1, $2, $3)
                     ON CONFLICT (login, account_id) WHERE NOT support DO UPDATE SET member_id = excluded.member_id",
                    &[&login, &account.0, &member.0],
                )?;
            }
            None => {
                self.exec(
                    "INSERT INTO seatdesk_grant (login, support) VALUES ($1, TRUE) ON CONFLICT (login) WHERE support DO NOTHING",
                    &[&login],
                )?;
            }
        }
        Ok(())
    }

    pub(super) fn revoke_access(&self, login: &str, account: Option<AccountId>) -> Result<u64> {
        let gone = match account {
            Some(a) => self.exec("DELETE FROM seatdesk_grant WHERE login = $1 AND account_id = $2", &[&login, &a.0])?,
            None => self.exec("DELETE FROM seatdesk_grant WHERE login = $1", &[&login])?,
        };
        // The login stays in seatdesk_user, a role of the whole server: the
        // grants of another database may still need it, and without a grant
        // here it sees nothing here (`seatdesk_has_access`).
        Ok(gone)
    }

    pub(super) fn access_list(&self) -> Result<Vec<AccessRow>> {
        self.rows(
            "SELECT g.login, a.name, m.email, g.support FROM seatdesk_grant g
               LEFT JOIN account a ON a.id = g.account_id LEFT JOIN member m ON m.id = g.member_id
              ORDER BY g.login, g.support DESC, a.name",
            &[],
        )?
        .iter()
        .map(|r| Ok(AccessRow { login: get(r, 0)?, account: get(r, 1)?, member: get(r, 2)?, support: get(r, 3)? }))
        .collect()
    }
}
