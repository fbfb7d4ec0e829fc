-- Seatdesk on a shared server, version 13 (issue #23): what `check` last
-- found in each account, and at which entry of its audit log, so the
-- accounts overview shows every account's verdict at once and checks again
-- only the accounts that changed since. Each login keeps (and is shown) what
-- its own check found: what a check finds depends on the rows the login
-- sees, and one login's verdict must not stand for another's. `check`
-- itself always looks again.
CREATE TABLE account_check (
    account_id  BIGINT NOT NULL REFERENCES account(id),
    login       TEXT NOT NULL DEFAULT session_user,
    checked_at  TEXT NOT NULL,
    audit_head  TEXT NOT NULL,
    problems    TEXT NOT NULL,
    PRIMARY KEY (account_id, login)
);
ALTER TABLE account_check ENABLE ROW LEVEL SECURITY;
CREATE POLICY seatdesk_account ON account_check USING (seatdesk_may_see(account_id) AND login = session_user)
    WITH CHECK (seatdesk_may_see(account_id) AND login = session_user);
GRANT SELECT, INSERT, UPDATE ON account_check TO seatdesk_user;
