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

-- Round robin's cursor is a place in the rotation's order (the sort key
-- and the address of whoever had the last turn), not a member: whoever
-- leaves or joins, the next turn goes to the first member after that
-- place, and nobody gets a second turn before the others had theirs.
ALTER TABLE routing ADD COLUMN rr_after TEXT;
UPDATE routing SET rr_after = (SELECT m.name_sort || char(1) || m.email_key FROM member m WHERE m.id = routing.rr_last_member_id);
UPDATE routing SET rr_last_member_id = NULL;
