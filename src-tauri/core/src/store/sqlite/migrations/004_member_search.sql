-- Seatdesk schema version 4: fast member search at scale.

-- Substring search over names and emails: an FTS5 trigram index kept in
-- step with `member` by triggers (external content, nothing duplicated).
CREATE VIRTUAL TABLE member_fts USING fts5(name, email_key, content='member', content_rowid='id', tokenize='trigram');
INSERT INTO member_fts(member_fts) VALUES ('rebuild');
CREATE TRIGGER member_fts_insert AFTER INSERT ON member BEGIN
    INSERT INTO member_fts(rowid, name, email_key) VALUES (new.id, new.name, new.email_key);
END;
CREATE TRIGGER member_fts_delete AFTER DELETE ON member BEGIN
    INSERT INTO member_fts(member_fts, rowid, name, email_key) VALUES ('delete', old.id, old.name, old.email_key);
END;
CREATE TRIGGER member_fts_update AFTER UPDATE OF name, email_key ON member BEGIN
    INSERT INTO member_fts(member_fts, rowid, name, email_key) VALUES ('delete', old.id, old.name, old.email_key);
    INSERT INTO member_fts(rowid, name, email_key) VALUES (new.id, new.name, new.email_key);
END;

-- The list's default order (name, then email) straight from one index.
DROP INDEX member_by_status_name;
CREATE INDEX member_by_status_name ON member(account_id, status, name COLLATE NOCASE, email_key);
