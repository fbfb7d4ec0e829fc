-- Seatdesk schema version 24: a search also reads the address as it is
-- shown. The index held the address's key only, whose domain is in its
-- ASCII form (IDNA): "exämple" did not find émile@exämple.com, whose key is
-- émile@xn--exmple-cua.com (found by trying, issue #23). The address is
-- indexed only where it differs from its key beyond ASCII case (the index
-- of a desk's million ASCII addresses would otherwise grow by half,
-- 194 -> 297 MiB).
ALTER TABLE member ADD COLUMN search_email TEXT GENERATED ALWAYS AS
    (CASE WHEN lower(email) = email_key THEN '' ELSE email END) VIRTUAL;
DROP TABLE member_fts;
CREATE VIRTUAL TABLE member_fts USING fts5(name, email_key, search_email, search_account, content='member', content_rowid='id', tokenize='trigram');
INSERT INTO member_fts(member_fts) VALUES ('rebuild');
