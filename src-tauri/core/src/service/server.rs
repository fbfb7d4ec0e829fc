//! A shared server's access (issue #20): which login may open which
//! account, as which member, or as a support agent. Run by the server's
//! administrator; each grant and revoke is audited in the account it opens.

use serde_json::json;

use super::{audit, member_by_email, Ctx, Seatdesk};
use crate::domain::Member;
use crate::error::{Error, ErrorCode, Result};
use crate::store::{AccessRow, Tx};

/// A PostgreSQL login name Seatdesk will create and grant: letters, digits
/// and `_ . @ -`, starting with a letter or `_`, at most 63 bytes (the
/// server's limit), and none of the server's own (`pg_…`, `seatdesk_user`).
pub fn parse_login(login: &str) -> Result<&str> {
    let login = login.trim();
    let valid_start = login.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let valid_rest = login.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.@-".contains(c));
    let reserved = login.starts_with("pg_") || login == "seatdesk_user" || login == "public";
    if !valid_start || !valid_rest || login.len() > 63 || reserved {
        return Err(Error::new(
            ErrorCode::InvalidLogin,
            format!(
                "{login:?} is not a login Seatdesk grants: use lower-case letters, digits and _ . @ -, starting with a \
                 letter, at most 63 characters, not pg_… or seatdesk_user."
            ),
        )
        .with_details(json!({ "login": login })));
    }
    Ok(login)
}

/// The administrator as an audit entry's actor.
fn administrator(tx: &Tx, owner: &Member) -> Result<Member> {
    let login = tx.session_login()?.unwrap_or_default();
    Ok(Member { email: format!("server:{login}"), name: format!("{login} (server administrator)"), ..owner.clone() })
}

impl Seatdesk {
    /// Lets `login` open `account` as the member `email` (`server grant
    /// LOGIN --account NAME --member EMAIL`): that member must be Active.
    pub fn server_grant_member(&mut self, login: &str, account: &str, email: &str) -> Result<AccessRow> {
        let login = parse_login(login)?;
        self.write(|tx, today| {
            let account = tx.accounts().by_name(account)?;
            let member = member_by_email(tx, account.id, email)?;
            if member.status != crate::domain::Status::Active {
                return Err(Error::new(
                    ErrorCode::NotAMember,
                    format!("{} has not accepted the invitation yet; a login acts as an Active member.", member.email),
                )
                .with_details(json!({ "kind": "member", "key": member.email, "status": "pending" })));
            }
            tx.grant_access(login, Some((account.id, member.id)))?;
            let owner = tx.members().owner(account.id)?;
            let ctx = Ctx { actor: administrator(tx, &owner)?, account: account.clone(), via: None, support: None };
            audit(tx, &ctx, today, "server.grant", &member.email, json!({ "login": login, "member": member.email }))?;
            Ok(AccessRow { login: login.to_string(), account: Some(account.name), member: Some(member.email), support: false })
        })
    }

    /// Makes `login` a support agent (`server grant LOGIN --support`): it
    /// sees every account; support actions still ask for a ticket.
    pub fn server_grant_support(&mut self, login: &str) -> Result<AccessRow> {
        let login = parse_login(login)?;
        self.write(|tx, _| {
            tx.grant_access(login, None)?;
            Ok(AccessRow { login: login.to_string(), account: None, member: None, support: true })
        })
    }

    /// Takes `login`'s access to `account`, or all of it (support too) when
    /// `None`; refuses when there was none to take.
    pub fn server_revoke(&mut self, login: &str, account: Option<&str>) -> Result<u64> {
        let login = parse_login(login)?;
        self.write(|tx, today| {
            let account = account.map(|name| tx.accounts().by_name(name)).transpose()?;
            let gone = tx.revoke_access(login, account.as_ref().map(|a| a.id))?;
            if gone == 0 {
                return Err(Error::not_found("grant for the login", login));
            }
            if let Some(account) = account {
                let owner = tx.members().owner(account.id)?;
                let ctx = Ctx { actor: administrator(tx, &owner)?, account, via: None, support: None };
                audit(tx, &ctx, today, "server.revoke", login, json!({ "login": login }))?;
            }
            Ok(gone)
        })
    }

    /// Every grant on the server, by login.
    pub fn server_access(&mut self) -> Result<Vec<AccessRow>> {
        self.read(|tx, _| tx.access_list())
    }

    /// Whether the acting member of `scope`'s account is fixed by the
    /// server (a login mapped to a member), so the window offers no switch.
    pub fn acting_is_fixed(&mut self, scope: &super::Scope) -> Result<bool> {
        self.read(|tx, _| {
            let account = super::resolve_account(tx, scope)?;
            Ok(matches!(tx.login_identity(account.id)?, crate::store::LoginIdentity::Member { .. }))
        })
    }

    /// The login this desk is connected as (`None` on the local file).
    pub fn server_login(&mut self) -> Result<Option<String>> {
        self.read(|tx, _| tx.session_login())
    }
}
