-- Seatdesk on a shared server, version 7: a batch (an invite of 1 000, a
-- deletion) costs its rows, not a function call per row and per rule.
--  * The audit chain's field prefix (its length in bytes, a little-endian
--    u64) is one expression, inlined where the chain is checked: the old
--    form planned a subquery for each of an entry's eight fields.
--  * The audit chain is checked once per statement over the entries it
--    wrote (in id order, per account: the first continues the account's
--    newest entry, each next one the one before, the last is the newest),
--    not by a query per entry whose cached plan could scan the whole log.
--    Who may write in whose name stays a check per entry.
--  * The kept counts (`member_count`, a member's `inbox_count`) and the
--    change notice are kept once per statement, from the rows it changed
--    (transition tables), not once per row.

CREATE OR REPLACE FUNCTION seatdesk_hash_field(t TEXT) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    -- The length's bytes swapped into a 4-byte integer (sent big-endian),
    -- then four zero bytes: a text value is under 1 GiB.
    SELECT int4send(((octet_length(convert_to(t, 'UTF8')) & 255) << 24)
                  | (((octet_length(convert_to(t, 'UTF8')) >> 8) & 255) << 16)
                  | (((octet_length(convert_to(t, 'UTF8')) >> 16) & 255) << 8)
                  | ((octet_length(convert_to(t, 'UTF8')) >> 24) & 255))
        || '\x00000000'::bytea || convert_to(t, 'UTF8')
$$;

-- member_count, from the members a statement inserted or deleted (a
-- change of role or status stays a row trigger: one row at a time).
CREATE FUNCTION seatdesk_member_counts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO member_count (account_id, status, role, n)
        SELECT account_id, status, role, count(*) FROM changed_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (account_id, status, role) DO UPDATE SET n = member_count.n + EXCLUDED.n;
    ELSE
        UPDATE member_count c SET n = c.n - d.k
          FROM (SELECT account_id, status, role, count(*) AS k FROM changed_rows GROUP BY 1, 2, 3) AS d
         WHERE c.account_id = d.account_id AND c.status = d.status AND c.role = d.role;
    END IF;
    RETURN NULL;
END $$;

-- A member's inbox_count, from the inbox places a statement added or removed.
CREATE FUNCTION seatdesk_inbox_counts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    UPDATE member m SET inbox_count = m.inbox_count + CASE TG_OP WHEN 'INSERT' THEN d.k ELSE -d.k END
      FROM (SELECT member_id, count(*) AS k FROM changed_rows GROUP BY member_id) AS d
     WHERE m.id = d.member_id;
    RETURN NULL;
END $$;

DROP TRIGGER member_count_insert_delete ON member;
CREATE TRIGGER member_count_insert AFTER INSERT ON member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_member_counts();
CREATE TRIGGER member_count_delete AFTER DELETE ON member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_member_counts();

DROP TRIGGER inbox_member_count ON inbox_member;
CREATE TRIGGER inbox_member_count_insert AFTER INSERT ON inbox_member
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_counts();
CREATE TRIGGER inbox_member_count_delete AFTER DELETE ON inbox_member
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_inbox_counts();

-- The change notice: once per account a statement wrote entries for.
CREATE OR REPLACE FUNCTION seatdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('seatdesk_changes', current_schema() || ':' || account_id)
       FROM (SELECT DISTINCT account_id FROM changed_rows) AS changed;
    RETURN NULL;
END $$;
DROP TRIGGER audit_notify ON audit;
CREATE TRIGGER audit_notify AFTER INSERT ON audit
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_notify_change();

-- Who writes: as in version 6, without the chain (checked below, per statement).
CREATE OR REPLACE FUNCTION seatdesk_audit_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    own BIGINT;
    own_email TEXT;
    changed_now BOOLEAN;
    granted BOOLEAN;
BEGIN
    SELECT EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user) INTO granted;
    IF granted OR NEW.login IS NULL THEN
        NEW.login := session_user;
    END IF;
    IF NOT granted THEN
        RETURN NEW;
    END IF;
    IF NOT seatdesk_may_see(NEW.account_id) THEN
        RAISE EXCEPTION 'the login % has no access to account %', session_user, NEW.account_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT g.member_id, m.email, m.xmin = pg_current_xact_id()::xid INTO own, own_email, changed_now
      FROM seatdesk_grant g JOIN member m ON m.id = g.member_id
     WHERE g.login = session_user AND g.account_id = NEW.account_id AND NOT g.support;
    IF own IS NOT NULL AND NEW.actor_email IS DISTINCT FROM own_email AND NOT (
           -- a renewal, booked by a login that may book it
           (NEW.actor_email = 'system' AND seatdesk_login_may(NEW.account_id, 'account'))
           -- its own address as it was, in the transaction that changes it
        OR (changed_now AND position('@' IN NEW.actor_email) > 0 AND position(':' IN NEW.actor_email) = 0
            AND NOT EXISTS (SELECT 1 FROM member WHERE account_id = NEW.account_id AND id <> own AND lower(email) = lower(NEW.actor_email)))) THEN
        RAISE EXCEPTION 'the login % may not write an audit entry in the name of %', session_user, NEW.actor_email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- The chain, over a statement's entries: per account, in id order, the
-- first links to the newest entry before it, each next one to the one
-- before, every hash is the one Seatdesk computes, and no older entry of
-- the account comes after the first (the batch ends the log).
CREATE FUNCTION seatdesk_audit_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    broken BIGINT;
BEGIN
    SELECT n.id INTO broken
      FROM (SELECT r.*, lag(r.hash) OVER w AS earlier, row_number() OVER w AS k, count(*) OVER (PARTITION BY r.account_id) AS written
              FROM changed_rows r WINDOW w AS (PARTITION BY r.account_id ORDER BY r.id)) AS n
     WHERE n.prev_hash IS DISTINCT FROM CASE WHEN n.k = 1 THEN coalesce(
                   (SELECT a.hash FROM audit a WHERE a.account_id = n.account_id AND a.id < n.id ORDER BY a.id DESC LIMIT 1), repeat('0', 64))
               ELSE n.earlier END
        OR n.hash IS DISTINCT FROM encode(sha256(
               seatdesk_hash_field(n.prev_hash) || seatdesk_hash_field(n.at) || seatdesk_hash_field(n.business_date)
            || seatdesk_hash_field(n.actor_email) || seatdesk_hash_field(n.actor_name) || seatdesk_hash_field(n.action)
            || seatdesk_hash_field(n.target) || seatdesk_hash_field(n.details)), 'hex')
        OR (n.k = 1 AND (SELECT count(*) FROM audit a WHERE a.account_id = n.account_id AND a.id >= n.id) <> n.written)
     LIMIT 1;
    IF broken IS NOT NULL THEN
        RAISE EXCEPTION 'an audit entry must continue the account''s chain (its previous hash and its own)'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_chain AFTER INSERT ON audit
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION seatdesk_audit_chain();
-- Through the indexes always: a plan made while the log was small would
-- scan all of it on every write once it is large. (Without JIT: the cost a
-- refused scan adds to a plan would have it compiled, for 100s of ms.)
ALTER FUNCTION seatdesk_audit_chain() SET enable_seqscan = off;
ALTER FUNCTION seatdesk_audit_chain() SET jit = off;

-- As in version 6: this schema, the catalog, then (last) temporary tables.
DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['seatdesk_member_counts()', 'seatdesk_inbox_counts()', 'seatdesk_notify_change()',
                             'seatdesk_audit_login()', 'seatdesk_audit_chain()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp', f, current_schema());
    END LOOP;
END $$;
