-- Seatdesk on a shared server, version 2: who may see what, enforced by the
-- server whatever SQL a login sends (row-level security), and audit entries
-- attributed to the login that wrote them.
--
-- Each person connects with a PostgreSQL login of their own. `seatdesk
-- server grant` maps a login to one member of an account (it sees that
-- account only and acts as that member), or makes it a support agent (it
-- sees every account; support actions still ask for a ticket). Every
-- Seatdesk login is a member of the group role seatdesk_user, which holds
-- the table privileges; the policies below decide which rows.

-- A role belongs to the whole server, while the migration lock holds one
-- database only: two databases set up at once may both find the role
-- missing, and the second to create it is told it exists (unique_violation
-- on pg_authid, or duplicate_object): either way the role is there.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatdesk_user') THEN
        CREATE ROLE seatdesk_user NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

CREATE TABLE seatdesk_grant (
    login       TEXT COLLATE "C" NOT NULL,
    account_id  BIGINT REFERENCES account(id) ON DELETE CASCADE,
    member_id   BIGINT REFERENCES member(id) ON DELETE CASCADE,
    support     BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (support = (account_id IS NULL) AND support = (member_id IS NULL))
);
CREATE UNIQUE INDEX seatdesk_grant_member ON seatdesk_grant(login, account_id) WHERE NOT support;
CREATE UNIQUE INDEX seatdesk_grant_support ON seatdesk_grant(login) WHERE support;

-- What the connected login may see. SECURITY DEFINER: a login cannot read
-- the grants themselves, only ask about its own.
CREATE FUNCTION seatdesk_is_support() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    SELECT EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user AND support)
$$;
CREATE FUNCTION seatdesk_accounts() RETURNS bigint[] LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(account_id), '{}') FROM seatdesk_grant WHERE login = session_user AND NOT support
$$;
-- Inlined into each policy; the sub-selects run once per statement.
CREATE FUNCTION seatdesk_may_see(account BIGINT) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT (SELECT seatdesk_is_support()) OR account = ANY ((SELECT seatdesk_accounts())::bigint[])
$$;
-- The member the connected login acts as in `account` (none for support
-- agents and for the server's administrators).
CREATE FUNCTION seatdesk_login_member(account BIGINT) RETURNS TABLE (member_id BIGINT, support BOOLEAN)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT member_id, support FROM seatdesk_grant
     WHERE login = session_user AND (support OR account_id = account)
     ORDER BY support LIMIT 1
$$;

-- The tables whose rows hang off an inbox or a group carry their account
-- too, filled in on insert, so that every policy is one comparison.
CREATE FUNCTION seatdesk_account_of_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT account_id INTO NEW.account_id FROM inbox WHERE id = NEW.inbox_id;
    RETURN NEW;
END $$;
CREATE FUNCTION seatdesk_account_of_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT account_id INTO NEW.account_id FROM distribution_group WHERE id = NEW.group_id;
    RETURN NEW;
END $$;

ALTER TABLE inbox_member ADD COLUMN account_id BIGINT;
ALTER TABLE routing ADD COLUMN account_id BIGINT;
ALTER TABLE assignment_member ADD COLUMN account_id BIGINT;
ALTER TABLE ring_group_member ADD COLUMN account_id BIGINT;
ALTER TABLE distribution_group ADD COLUMN account_id BIGINT;
ALTER TABLE ivr_option ADD COLUMN account_id BIGINT;
ALTER TABLE distribution_member ADD COLUMN account_id BIGINT;
UPDATE inbox_member x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE routing x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE assignment_member x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE ring_group_member x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE distribution_group x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE ivr_option x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id;
UPDATE distribution_member x SET account_id = g.account_id FROM distribution_group g WHERE g.id = x.group_id;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['inbox_member', 'routing', 'assignment_member', 'ring_group_member', 'distribution_group', 'ivr_option'] LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN account_id SET NOT NULL', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION seatdesk_account_of_inbox()',
                       t || '_account', t);
    END LOOP;
END $$;
ALTER TABLE distribution_member ALTER COLUMN account_id SET NOT NULL;
CREATE TRIGGER distribution_member_account BEFORE INSERT ON distribution_member
    FOR EACH ROW EXECUTE FUNCTION seatdesk_account_of_group();

-- An audit entry names the login that wrote it (set by the server, not by
-- the client), and a login mapped to a member writes entries in that
-- member's name only: never another member's, never support's.
ALTER TABLE audit ADD COLUMN login TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE FUNCTION seatdesk_audit_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    own BIGINT;
BEGIN
    NEW.login := session_user;
    SELECT member_id INTO own FROM seatdesk_grant WHERE login = session_user AND account_id = NEW.account_id AND NOT support;
    IF own IS NOT NULL AND (NEW.actor_email LIKE 'support:%' OR EXISTS (
        SELECT 1 FROM member WHERE account_id = NEW.account_id AND email = NEW.actor_email AND id <> own)) THEN
        RAISE EXCEPTION 'the login % may not write an audit entry in the name of %', session_user, NEW.actor_email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_login BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION seatdesk_audit_login();

-- Row-level security: each table shows and takes the rows of the accounts
-- the login may see (the tables' owner, the administrator, sees all).
ALTER TABLE account ENABLE ROW LEVEL SECURITY;
CREATE POLICY seatdesk_account ON account USING (seatdesk_may_see(id)) WITH CHECK (seatdesk_may_see(id));
-- A new account is made by a support agent; its id is not known before.
CREATE POLICY seatdesk_account_create ON account FOR INSERT WITH CHECK ((SELECT seatdesk_is_support()));
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['member', 'inbox', 'inbox_member', 'audit', 'ledger', 'routing', 'assignment_member',
                             'ring_group_member', 'distribution_group', 'distribution_member', 'ivr_option', 'contact',
                             'conversation', 'member_count', 'plan_period'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY seatdesk_account ON %I USING (seatdesk_may_see(account_id)) WITH CHECK (seatdesk_may_see(account_id))', t);
    END LOOP;
END $$;

-- What a Seatdesk login may do at all. The books stay append-only for it
-- (no UPDATE or DELETE on the audit log, the ledger or the periods, whatever
-- the triggers); the grants and the migrations it may only read.
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO seatdesk_user', current_schema());
END $$;
GRANT SELECT, INSERT, UPDATE, DELETE ON account, member, inbox, inbox_member, routing, assignment_member, ring_group_member,
    distribution_group, distribution_member, ivr_option, contact, conversation, member_count TO seatdesk_user;
GRANT SELECT, INSERT ON audit, ledger, plan_period TO seatdesk_user;
GRANT SELECT ON seatdesk_migration TO seatdesk_user;
DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO seatdesk_user', current_schema());
END $$;
