-- Seatdesk on a shared server, version 5: what a login's member may
-- change, enforced by the server too (Seatdesk enforces the same rules,
-- rules §2; this holds whatever SQL the login sends). A login mapped to a
-- member may change:
--   * the account, its members' roles and statuses, the ledger and the plan
--     periods only when that member is an Active Owner or Admin;
--   * inboxes, their members and routing, contacts and conversations only
--     when that member is an Active Owner, Admin or Manager;
--   * its own member's address (Personal settings) whatever its role.
-- Support agents and the server's administrators are not limited here.

-- Whether the connected login may make changes of `need` ('account' or
-- 'inboxes') in `account`.
CREATE FUNCTION seatdesk_login_may(account BIGINT, need TEXT) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user) THEN TRUE
        WHEN EXISTS (SELECT 1 FROM seatdesk_grant WHERE login = session_user AND support) THEN TRUE
        ELSE coalesce((
            SELECT m.status = 'active' AND CASE need
                       WHEN 'account' THEN m.role IN ('owner', 'admin')
                       ELSE m.role IN ('owner', 'admin', 'manager') END
              FROM seatdesk_grant g JOIN member m ON m.id = g.member_id
             WHERE g.login = session_user AND g.account_id = account AND NOT g.support), FALSE)
    END
$$;

-- The member the connected login is, in `account` (none for support agents
-- and administrators).
CREATE FUNCTION seatdesk_login_member_id(account BIGINT) RETURNS BIGINT LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
    SELECT member_id FROM seatdesk_grant WHERE login = session_user AND account_id = account AND NOT support
$$;

DO $$
DECLARE t TEXT;
BEGIN
    -- The books and the plan (the account row's own changes: see the
    -- trigger below; a policy on UPDATE would also hide the row from the
    -- lock every write takes on it).
    FOREACH t IN ARRAY ARRAY['ledger', 'plan_period'] LOOP
        EXECUTE format('CREATE POLICY seatdesk_role ON %I AS RESTRICTIVE FOR INSERT WITH CHECK (seatdesk_login_may(account_id, ''account''))', t);
    END LOOP;
    -- Members come and go with the Owner's and Admins' say.
    CREATE POLICY seatdesk_role_insert ON member AS RESTRICTIVE FOR INSERT WITH CHECK (seatdesk_login_may(account_id, 'account'));
    CREATE POLICY seatdesk_role_delete ON member AS RESTRICTIVE FOR DELETE USING (seatdesk_login_may(account_id, 'account'));
    -- Inboxes, routing and the work in them.
    FOREACH t IN ARRAY ARRAY['inbox', 'inbox_member', 'routing', 'assignment_member', 'ring_group_member', 'distribution_group',
                             'distribution_member', 'ivr_option', 'contact', 'conversation'] LOOP
        EXECUTE format('CREATE POLICY seatdesk_role_insert ON %I AS RESTRICTIVE FOR INSERT WITH CHECK (seatdesk_login_may(account_id, ''inboxes''))', t);
        EXECUTE format('CREATE POLICY seatdesk_role_update ON %I AS RESTRICTIVE FOR UPDATE USING (seatdesk_login_may(account_id, ''inboxes''))', t);
        EXECUTE format('CREATE POLICY seatdesk_role_delete ON %I AS RESTRICTIVE FOR DELETE USING (seatdesk_login_may(account_id, ''inboxes''))', t);
    END LOOP;
END $$;

-- A member row changes with the Owner's and Admins' say, except what
-- follows from other changes (how many inboxes they are in) and the
-- member's own address and name, which they change themselves.
CREATE FUNCTION seatdesk_member_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF seatdesk_login_may(OLD.account_id, 'account') THEN
        RETURN NEW;
    END IF;
    IF (NEW.account_id, NEW.role, NEW.status, NEW.invited_on, NEW.joined_on, NEW.resend_count, NEW.last_sent_at, NEW.invited_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.account_id, OLD.role, OLD.status, OLD.invited_on, OLD.joined_on, OLD.resend_count, OLD.last_sent_at, OLD.invited_by, OLD.created_at)
       OR ((NEW.email, NEW.email_key, NEW.name, NEW.name_sort) IS DISTINCT FROM (OLD.email, OLD.email_key, OLD.name, OLD.name_sort)
           AND OLD.id IS DISTINCT FROM seatdesk_login_member_id(OLD.account_id)) THEN
        RAISE EXCEPTION 'the login % may not change member % this way (its member''s role does not allow it)', session_user, OLD.email
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER member_role_change BEFORE UPDATE ON member FOR EACH ROW EXECUTE FUNCTION seatdesk_member_change();

-- The account row (seats purchased, the plan) changes with the Owner's and
-- Admins' say.
CREATE FUNCTION seatdesk_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT seatdesk_login_may(OLD.id, 'account') THEN
        RAISE EXCEPTION 'the login % may not change the account % (its member''s role does not allow it)', session_user, OLD.name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER account_role_change BEFORE UPDATE ON account FOR EACH ROW EXECUTE FUNCTION seatdesk_account_change();
