-- Seatdesk schema version 10: the kept member counts gain the role, so the
-- seat counter ("assigned": non-Owner paid roles, Active or Pending) is read
-- from a few rows instead of counted over the member table on every quote,
-- invite, revoke and seat summary.
DROP TRIGGER member_count_insert;
DROP TRIGGER member_count_delete;
DROP TRIGGER member_count_status;
DROP TABLE member_count;
CREATE TABLE member_count (
    account_id  INTEGER NOT NULL REFERENCES account(id),
    status      TEXT NOT NULL CHECK (status IN ('active', 'pending')),
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'member', 'observer')),
    n           INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (account_id, status, role)
) STRICT, WITHOUT ROWID;
INSERT INTO member_count (account_id, status, role, n)
    SELECT account_id, status, role, count(*) FROM member GROUP BY account_id, status, role;
CREATE TRIGGER member_count_insert AFTER INSERT ON member BEGIN
    INSERT INTO member_count (account_id, status, role, n) VALUES (new.account_id, new.status, new.role, 1)
        ON CONFLICT (account_id, status, role) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER member_count_delete AFTER DELETE ON member BEGIN
    UPDATE member_count SET n = n - 1 WHERE account_id = old.account_id AND status = old.status AND role = old.role;
END;
CREATE TRIGGER member_count_change AFTER UPDATE OF status, role ON member
    WHEN old.status <> new.status OR old.role <> new.role BEGIN
    UPDATE member_count SET n = n - 1 WHERE account_id = old.account_id AND status = old.status AND role = old.role;
    INSERT INTO member_count (account_id, status, role, n) VALUES (new.account_id, new.status, new.role, 1)
        ON CONFLICT (account_id, status, role) DO UPDATE SET n = n + 1;
END;
