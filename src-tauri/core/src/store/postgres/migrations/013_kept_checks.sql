-- Seatdesk on a shared server, version 13 (issue #23): what `check` last
-- found in each account, and at which entry of its audit log, so the
-- accounts overview shows every account's verdict at once and checks again
-- only the accounts that changed since. Any login that sees an account
-- keeps what its own check found there; `check` itself always looks again.
CREATE TABLE account_check (
    account_id  BIGINT PRIMARY KEY REFERENCES account(id),
    checked_at  TEXT NOT NULL,
    audit_head  TEXT NOT NULL,
    problems    TEXT NOT NULL
);
ALTER TABLE account_check ENABLE ROW LEVEL SECURITY;
CREATE POLICY seatdesk_account ON account_check USING (seatdesk_may_see(account_id)) WITH CHECK (seatdesk_may_see(account_id));
GRANT SELECT, INSERT, UPDATE ON account_check TO seatdesk_user;
