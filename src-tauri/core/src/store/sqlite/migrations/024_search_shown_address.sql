-- Seatdesk schema version 24: a search also reads the address as it is
-- shown. The index held the address's key only, whose domain is in its
-- ASCII form (IDNA): "exämple" did not find émile@exämple.com, whose key is
-- émile@xn--exmple-cua.com (found by trying, issue #23).
DROP TABLE member_fts;
CREATE VIRTUAL TABLE member_fts USING fts5(name, email_key, email, search_account, content='member', content_rowid='id', tokenize='trigram');
INSERT INTO member_fts(member_fts) VALUES ('rebuild');
