-- Seatdesk on a shared server, version 4: the server itself keeps the
-- audit log honest, whatever SQL a login sends.
--  * Each entry must link to the account's newest entry and carry the hash
--    Seatdesk computes (SHA-256 over the previous hash and each field, each
--    prefixed by its length in bytes as a little-endian u64): a login can
--    no longer append an entry that breaks the chain for good.
--  * A login mapped to a member writes in that member's name only: exactly
--    its address (the address it had before, only in the transaction that
--    changes it), never another member's in any case, never support's, the
--    server administrator's or a migration's.
--  * Every entry names the login that wrote it (`login`). A login granted
--    access cannot choose it; the administrator copying an account in
--    (`seatdesk migrate`) keeps the logins the entries were written by.

ALTER TABLE audit ALTER COLUMN login SET DEFAULT session_user;

CREATE FUNCTION seatdesk_hash_field(t TEXT) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT decode((SELECT string_agg(substr(h, 15 - 2 * i, 2), '' ORDER BY i) FROM generate_series(0, 7) AS i), 'hex')
           || convert_to(t, 'UTF8')
      FROM (SELECT lpad(to_hex(octet_length(convert_to(t, 'UTF8'))), 16, '0') AS h) AS len
$$;

CREATE OR REPLACE FUNCTION seatdesk_audit_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    own BIGINT;
    own_email TEXT;
    changed_now BOOLEAN;
    granted BOOLEAN;
    newest TEXT;
BEGIN
    SELECT EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user) INTO granted;
    IF granted OR NEW.login IS NULL THEN
        NEW.login := session_user;
    END IF;
    IF granted AND NOT seatdesk_may_see(NEW.account_id) THEN
        RAISE EXCEPTION 'the login % has no access to account %', session_user, NEW.account_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT g.member_id, m.email, m.xmin = pg_current_xact_id()::xid INTO own, own_email, changed_now
      FROM seatdesk_grant g JOIN member m ON m.id = g.member_id
     WHERE g.login = session_user AND g.account_id = NEW.account_id AND NOT g.support;
    IF own IS NOT NULL AND NEW.actor_email IS DISTINCT FROM own_email AND (
           NOT changed_now
        OR NEW.actor_email ~ '^(support|server|migrate):'
        OR EXISTS (SELECT 1 FROM member WHERE account_id = NEW.account_id AND lower(email) = lower(NEW.actor_email) AND id <> own)) THEN
        RAISE EXCEPTION 'the login % may not write an audit entry in the name of %', session_user, NEW.actor_email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT hash INTO newest FROM audit WHERE account_id = NEW.account_id ORDER BY id DESC LIMIT 1;
    IF NEW.prev_hash IS DISTINCT FROM coalesce(newest, repeat('0', 64)) OR NEW.hash IS DISTINCT FROM encode(sha256(
           seatdesk_hash_field(NEW.prev_hash) || seatdesk_hash_field(NEW.at) || seatdesk_hash_field(NEW.business_date)
        || seatdesk_hash_field(NEW.actor_email) || seatdesk_hash_field(NEW.actor_name) || seatdesk_hash_field(NEW.action)
        || seatdesk_hash_field(NEW.target) || seatdesk_hash_field(NEW.details)), 'hex') THEN
        RAISE EXCEPTION 'an audit entry must continue the account''s chain (its previous hash and its own)'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
