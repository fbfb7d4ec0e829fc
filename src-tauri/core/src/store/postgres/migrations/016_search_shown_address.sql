-- A search also reads the address as it is shown: the key's domain is in
-- its ASCII form (IDNA), so "exämple" did not find émile@exämple.com
-- (found by trying, issue #23).
CREATE INDEX member_email_shown_trgm ON member USING gin (lower(email) gin_trgm_ops);
