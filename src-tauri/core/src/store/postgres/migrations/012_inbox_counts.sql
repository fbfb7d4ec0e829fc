-- Seatdesk on a shared server, version 12 (issue #23): how many members an
-- inbox (and how many of them pending), its Conversation Assignment and its
-- Ring Group hold, kept once per statement from the rows it changed, so an
-- inbox of 400 000 members opens without counting them and its page knows
-- which way to read. The server keeps them: a login only reads them, in the
-- accounts it sees. `check` recounts.
CREATE TABLE inbox_count (
    account_id  BIGINT NOT NULL REFERENCES account(id),
    inbox_id    BIGINT NOT NULL REFERENCES inbox(id) ON DELETE CASCADE,
    list        TEXT NOT NULL CHECK (list IN ('members', 'pending', 'assignment', 'ring_group')),
    n           BIGINT NOT NULL DEFAULT 0 CHECK (n >= 0),
    PRIMARY KEY (inbox_id, list)
);
INSERT INTO inbox_count (account_id, inbox_id, list, n)
    SELECT account_id, inbox_id, 'members', count(*) FROM inbox_member GROUP BY 1, 2
    UNION ALL SELECT im.account_id, im.inbox_id, 'pending', count(*) FROM inbox_member im JOIN member m ON m.id = im.member_id
              WHERE m.status = 'pending' GROUP BY 1, 2
    UNION ALL SELECT account_id, inbox_id, 'assignment', count(*) FROM assignment_member GROUP BY 1, 2
    UNION ALL SELECT account_id, inbox_id, 'ring_group', count(*) FROM ring_group_member GROUP BY 1, 2;

CREATE FUNCTION seatdesk_inbox_list_counts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO inbox_count (account_id, inbox_id, list, n)
        SELECT account_id, inbox_id, TG_ARGV[0], count(*) FROM changed_rows GROUP BY 1, 2 ORDER BY 2
            ON CONFLICT (inbox_id, list) DO UPDATE SET n = inbox_count.n + EXCLUDED.n;
    ELSE
        UPDATE inbox_count c SET n = c.n - d.k
          FROM (SELECT inbox_id, count(*) AS k FROM changed_rows GROUP BY 1) AS d
         WHERE c.inbox_id = d.inbox_id AND c.list = TG_ARGV[0];
    END IF;
    RETURN NULL;
END $$;
-- An inbox's pending members: from the places a statement added or removed
-- (of members pending then), and when a member's status changes.
CREATE FUNCTION seatdesk_inbox_pending_counts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO inbox_count (account_id, inbox_id, list, n)
        SELECT x.account_id, x.inbox_id, 'pending', count(*) FROM changed_rows x JOIN member m ON m.id = x.member_id
         WHERE m.status = 'pending' GROUP BY 1, 2 ORDER BY 2
            ON CONFLICT (inbox_id, list) DO UPDATE SET n = inbox_count.n + EXCLUDED.n;
    ELSE
        UPDATE inbox_count c SET n = c.n - d.k
          FROM (SELECT x.inbox_id, count(*) AS k FROM changed_rows x JOIN member m ON m.id = x.member_id
                 WHERE m.status = 'pending' GROUP BY 1) AS d
         WHERE c.inbox_id = d.inbox_id AND c.list = 'pending';
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION seatdesk_inbox_pending_status() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF OLD.status = 'pending' AND NEW.status <> 'pending' THEN
        UPDATE inbox_count c SET n = c.n - 1 FROM inbox_member im
         WHERE im.member_id = NEW.id AND c.inbox_id = im.inbox_id AND c.list = 'pending';
    ELSIF OLD.status <> 'pending' AND NEW.status = 'pending' THEN
        INSERT INTO inbox_count (account_id, inbox_id, list, n)
        SELECT account_id, inbox_id, 'pending', 1 FROM inbox_member WHERE member_id = NEW.id ORDER BY inbox_id
            ON CONFLICT (inbox_id, list) DO UPDATE SET n = inbox_count.n + 1;
    END IF;
    RETURN NULL;
END $$;
DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['seatdesk_inbox_list_counts()', 'seatdesk_inbox_pending_counts()', 'seatdesk_inbox_pending_status()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp', f, current_schema());
    END LOOP;
END $$;

CREATE TRIGGER inbox_count_members_insert AFTER INSERT ON inbox_member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('members');
CREATE TRIGGER inbox_count_members_delete AFTER DELETE ON inbox_member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('members');
CREATE TRIGGER inbox_count_pending_insert AFTER INSERT ON inbox_member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_pending_counts();
CREATE TRIGGER inbox_count_pending_delete AFTER DELETE ON inbox_member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_pending_counts();
CREATE TRIGGER inbox_count_pending_status AFTER UPDATE OF status ON member
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION seatdesk_inbox_pending_status();
CREATE TRIGGER inbox_count_assignment_insert AFTER INSERT ON assignment_member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('assignment');
CREATE TRIGGER inbox_count_assignment_delete AFTER DELETE ON assignment_member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('assignment');
CREATE TRIGGER inbox_count_ring_group_insert AFTER INSERT ON ring_group_member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('ring_group');
CREATE TRIGGER inbox_count_ring_group_delete AFTER DELETE ON ring_group_member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_list_counts('ring_group');

ALTER TABLE inbox_count ENABLE ROW LEVEL SECURITY;
CREATE POLICY seatdesk_account ON inbox_count USING (seatdesk_may_see(account_id));
GRANT SELECT ON inbox_count TO seatdesk_user;
