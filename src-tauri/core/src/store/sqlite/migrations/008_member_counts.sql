-- Seatdesk schema version 8: the Active / Pending tab counts, kept by
-- triggers, so the members list does not count 100 000 rows per page.
CREATE TABLE member_count (
    account_id  INTEGER NOT NULL REFERENCES account(id),
    status      TEXT NOT NULL CHECK (status IN ('active', 'pending')),
    n           INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (account_id, status)
) STRICT, WITHOUT ROWID;
INSERT INTO member_count (account_id, status, n) SELECT account_id, status, count(*) FROM member GROUP BY account_id, status;
CREATE TRIGGER member_count_insert AFTER INSERT ON member BEGIN
    INSERT INTO member_count (account_id, status, n) VALUES (new.account_id, new.status, 1)
        ON CONFLICT (account_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER member_count_delete AFTER DELETE ON member BEGIN
    UPDATE member_count SET n = n - 1 WHERE account_id = old.account_id AND status = old.status;
END;
CREATE TRIGGER member_count_status AFTER UPDATE OF status ON member WHEN old.status <> new.status BEGIN
    UPDATE member_count SET n = n - 1 WHERE account_id = old.account_id AND status = old.status;
    INSERT INTO member_count (account_id, status, n) VALUES (new.account_id, new.status, 1)
        ON CONFLICT (account_id, status) DO UPDATE SET n = n + 1;
END;
