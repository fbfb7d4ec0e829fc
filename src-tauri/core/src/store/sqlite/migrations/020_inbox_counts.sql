-- Seatdesk schema version 20 (issue #23): how many members an inbox, its
-- Conversation Assignment and its Ring Group hold, kept by triggers, so an
-- inbox of 400 000 members opens without counting them. `check` recounts.
CREATE TABLE inbox_count (
    inbox_id  INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
    list      TEXT NOT NULL CHECK (list IN ('members', 'assignment', 'ring_group')),
    n         INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (inbox_id, list)
) STRICT, WITHOUT ROWID;
INSERT INTO inbox_count (inbox_id, list, n) SELECT inbox_id, 'members', count(*) FROM inbox_member GROUP BY inbox_id;
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
