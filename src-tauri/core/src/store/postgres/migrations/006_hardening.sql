-- Seatdesk on a shared server, version 6: closing what a second try as a
-- login with psql found.
--  * Functions that read tables name them through a fixed search path that
--    ends with pg_temp: a login's temporary table (a `seatdesk_grant` of its
--    own) can no longer stand in for Seatdesk's.
--  * The kept counts are the server's to keep: no login writes
--    `member_count` or a member's `inbox_count` directly.
--  * A phone number (billed) is set only by an Owner's or Admin's login.
--  * A member's login writes audit entries in its member's name only, and
--    a real address at that; renewals (written as "system") by an Owner's
--    or Admin's login.
--  * A member's own address is never another member's.
--  * `seatdesk_has_access()`: whether the connected login may use Seatdesk
--    here at all (a grant, or the administrator's rights).

CREATE FUNCTION seatdesk_has_access() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user)
        OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user
                      AND (r.rolsuper OR r.rolbypassrls
                           OR pg_has_role(r.oid, (SELECT relowner FROM pg_class WHERE oid = 'account'::regclass), 'MEMBER')))
$$;

-- The counts: written by their triggers, as the tables' owner.
ALTER FUNCTION seatdesk_member_count() SECURITY DEFINER;
ALTER FUNCTION seatdesk_inbox_count() SECURITY DEFINER;
REVOKE INSERT, UPDATE, DELETE ON member_count FROM seatdesk_user;

CREATE OR REPLACE FUNCTION seatdesk_member_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF seatdesk_login_may(OLD.account_id, 'account') THEN
        RETURN NEW;
    END IF;
    -- inbox_count follows inbox_member (its trigger, one level down).
    IF NEW.inbox_count IS DISTINCT FROM OLD.inbox_count AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'the login % may not set how many inboxes % is in', session_user, OLD.email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.account_id, NEW.role, NEW.status, NEW.invited_on, NEW.joined_on, NEW.resend_count, NEW.last_sent_at, NEW.invited_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.account_id, OLD.role, OLD.status, OLD.invited_on, OLD.joined_on, OLD.resend_count, OLD.last_sent_at, OLD.invited_by, OLD.created_at)
       OR ((NEW.email, NEW.email_key, NEW.name, NEW.name_sort) IS DISTINCT FROM (OLD.email, OLD.email_key, OLD.name, OLD.name_sort)
           AND OLD.id IS DISTINCT FROM seatdesk_login_member_id(OLD.account_id)) THEN
        RAISE EXCEPTION 'the login % may not change member % this way (its member''s role does not allow it)', session_user, OLD.email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One's own address: an address, and nobody else's.
    IF NEW.email IS DISTINCT FROM OLD.email AND (
           position('@' IN NEW.email) = 0 OR position(':' IN NEW.email) > 0
        OR EXISTS (SELECT 1 FROM member WHERE account_id = NEW.account_id AND id <> NEW.id
                      AND (lower(email) = lower(NEW.email) OR email_key = NEW.email_key))) THEN
        RAISE EXCEPTION 'the login % may not take the address %', session_user, NEW.email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION seatdesk_inbox_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.number IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.number IS DISTINCT FROM OLD.number)
       AND NOT seatdesk_login_may(NEW.account_id, 'account') THEN
        RAISE EXCEPTION 'the login % may not set a phone number (a billed item)', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER inbox_number_change BEFORE INSERT OR UPDATE ON inbox FOR EACH ROW EXECUTE FUNCTION seatdesk_inbox_change();

CREATE OR REPLACE FUNCTION seatdesk_audit_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
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
    IF own IS NOT NULL AND NEW.actor_email IS DISTINCT FROM own_email AND NOT (
           -- a renewal, booked by a login that may book it
           (NEW.actor_email = 'system' AND seatdesk_login_may(NEW.account_id, 'account'))
           -- its own address as it was, in the transaction that changes it
        OR (changed_now AND position('@' IN NEW.actor_email) > 0 AND position(':' IN NEW.actor_email) = 0
            AND NOT EXISTS (SELECT 1 FROM member WHERE account_id = NEW.account_id AND id <> own AND lower(email) = lower(NEW.actor_email)))) THEN
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

-- Every function that reads a table: this schema, then the catalog, then
-- (last, never first) the session's temporary tables.
DO $$
DECLARE f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['seatdesk_has_access()', 'seatdesk_member_count()', 'seatdesk_inbox_count()', 'seatdesk_is_support()',
                             'seatdesk_accounts()', 'seatdesk_login_member(bigint)', 'seatdesk_account_of_inbox()',
                             'seatdesk_account_of_group()', 'seatdesk_audit_login()', 'seatdesk_login_may(bigint, text)',
                             'seatdesk_login_member_id(bigint)', 'seatdesk_member_change()', 'seatdesk_inbox_change()'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_catalog, pg_temp', f, current_schema());
    END LOOP;
END $$;
