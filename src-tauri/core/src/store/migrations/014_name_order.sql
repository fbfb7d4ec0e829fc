-- Seatdesk schema version 14: alphabetical means alphabetical. Members sort
-- by a key Rust computes from the name (accents and case set aside:
-- `Ängel` and `Émile` before `Zoe`), then the address; the members table
-- and round robin follow it, straight from the indexes.
ALTER TABLE member ADD COLUMN name_sort TEXT NOT NULL DEFAULT '';
UPDATE member SET name_sort = seatdesk_sort_key(name);
DROP INDEX member_by_status_name;
CREATE INDEX member_by_status_name ON member(account_id, status, name_sort, email_key);
DROP INDEX member_by_inbox_count;
CREATE INDEX member_by_inbox_count ON member(account_id, status, inbox_count, name_sort);
