-- Seatdesk schema version 20 (issue #23): how many members an inbox (and
-- how many of them pending), its Conversation Assignment and its Ring Group
-- hold, kept by triggers, so an inbox of 400 000 members opens without
-- counting them, and its page knows which way to read. `check` recounts.
CREATE TABLE inbox_count (
    inbox_id  INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
    list      TEXT NOT NULL CHECK (list IN ('members', 'pending', 'assignment', 'ring_group')),
    n         INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (inbox_id, list)
) STRICT, WITHOUT ROWID;
INSERT INTO inbox_count (inbox_id, list, n) SELECT inbox_id, 'members', count(*) FROM inbox_member GROUP BY inbox_id;
INSERT INTO inbox_count (inbox_id, list, n)
    SELECT im.inbox_id, 'pending', count(*) FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE m.status = 'pending' GROUP BY im.inbox_id;
INSERT INTO inbox_count (inbox_id, list, n) SELECT inbox_id, 'assignment', count(*) FROM assignment_member GROUP BY inbox_id;
INSERT INTO inbox_count (inbox_id, list, n) SELECT inbox_id, 'ring_group', count(*) FROM ring_group_member GROUP BY inbox_id;

CREATE TRIGGER inbox_count_members_add AFTER INSERT ON inbox_member BEGIN
    INSERT INTO inbox_count (inbox_id, list, n) VALUES (new.inbox_id, 'members', 1)
        ON CONFLICT (inbox_id, list) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_count_members_remove AFTER DELETE ON inbox_member BEGIN
    UPDATE inbox_count SET n = n - 1 WHERE inbox_id = old.inbox_id AND list = 'members';
END;
CREATE TRIGGER inbox_count_assignment_add AFTER INSERT ON assignment_member BEGIN
    INSERT INTO inbox_count (inbox_id, list, n) VALUES (new.inbox_id, 'assignment', 1)
        ON CONFLICT (inbox_id, list) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_count_assignment_remove AFTER DELETE ON assignment_member BEGIN
    UPDATE inbox_count SET n = n - 1 WHERE inbox_id = old.inbox_id AND list = 'assignment';
END;
CREATE TRIGGER inbox_count_ring_group_add AFTER INSERT ON ring_group_member BEGIN
    INSERT INTO inbox_count (inbox_id, list, n) VALUES (new.inbox_id, 'ring_group', 1)
        ON CONFLICT (inbox_id, list) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_count_ring_group_remove AFTER DELETE ON ring_group_member BEGIN
    UPDATE inbox_count SET n = n - 1 WHERE inbox_id = old.inbox_id AND list = 'ring_group';
END;
-- Pending members: by their place in the inbox, and when their status changes.
CREATE TRIGGER inbox_count_pending_add AFTER INSERT ON inbox_member
WHEN (SELECT status FROM member WHERE id = new.member_id) = 'pending' BEGIN
    INSERT INTO inbox_count (inbox_id, list, n) VALUES (new.inbox_id, 'pending', 1)
        ON CONFLICT (inbox_id, list) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER inbox_count_pending_remove AFTER DELETE ON inbox_member
WHEN (SELECT status FROM member WHERE id = old.member_id) = 'pending' BEGIN
    UPDATE inbox_count SET n = n - 1 WHERE inbox_id = old.inbox_id AND list = 'pending';
END;
CREATE TRIGGER inbox_count_pending_left AFTER UPDATE OF status ON member
WHEN old.status = 'pending' AND new.status <> 'pending' BEGIN
    UPDATE inbox_count SET n = n - 1
     WHERE list = 'pending' AND inbox_id IN (SELECT inbox_id FROM inbox_member WHERE member_id = new.id);
END;
CREATE TRIGGER inbox_count_pending_joined AFTER UPDATE OF status ON member
WHEN old.status <> 'pending' AND new.status = 'pending' BEGIN
    INSERT INTO inbox_count (inbox_id, list, n) SELECT inbox_id, 'pending', 1 FROM inbox_member WHERE member_id = new.id
        ON CONFLICT (inbox_id, list) DO UPDATE SET n = n + 1;
END;
