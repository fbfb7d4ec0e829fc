-- Seatdesk schema version 21 (issue #23): what `check` last found in each
-- account, and at which entry of its audit log, so the accounts overview
-- shows every account's verdict at once and checks again only the accounts
-- that changed since (every change writes an audit entry).
CREATE TABLE account_check (
    account_id  INTEGER PRIMARY KEY REFERENCES account(id),
    checked_at  TEXT NOT NULL,
    audit_head  TEXT NOT NULL,
    problems    TEXT NOT NULL
) STRICT;
