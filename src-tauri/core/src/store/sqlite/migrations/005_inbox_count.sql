-- Seatdesk schema version 5: members sortable by their number of inboxes
-- at any size, from a count kept by triggers.
ALTER TABLE member ADD COLUMN inbox_count INTEGER NOT NULL DEFAULT 0 CHECK (inbox_count >= 0);
UPDATE member SET inbox_count = (SELECT count(*) FROM inbox_member im WHERE im.member_id = member.id);
CREATE TRIGGER inbox_member_count_add AFTER INSERT ON inbox_member BEGIN
    UPDATE member SET inbox_count = inbox_count + 1 WHERE id = new.member_id;
END;
CREATE TRIGGER inbox_member_count_remove AFTER DELETE ON inbox_member BEGIN
    UPDATE member SET inbox_count = inbox_count - 1 WHERE id = old.member_id;
END;
CREATE INDEX member_by_inbox_count ON member(account_id, status, inbox_count, name COLLATE NOCASE);
