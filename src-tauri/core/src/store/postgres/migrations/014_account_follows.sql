-- A row hanging off an inbox (or a distribution group) carries the account
-- its policies compare, derived from that inbox. It was derived on insert
-- only: a hand UPDATE of the column filed the row under another account,
-- seen by some logins and hidden from others (found by trying, issue #23).
-- Now an update derives it again, and rows already filed wrongly are
-- filed back.
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['inbox_member', 'routing', 'assignment_member', 'ring_group_member', 'distribution_group', 'ivr_option'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_account', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OF account_id, inbox_id ON %I FOR EACH ROW EXECUTE FUNCTION seatdesk_account_of_inbox()',
                       t || '_account', t);
        EXECUTE format('UPDATE %I x SET account_id = i.account_id FROM inbox i WHERE i.id = x.inbox_id AND x.account_id <> i.account_id', t);
    END LOOP;
END $$;
DROP TRIGGER distribution_member_account ON distribution_member;
CREATE TRIGGER distribution_member_account BEFORE INSERT OR UPDATE OF account_id, group_id ON distribution_member
    FOR EACH ROW EXECUTE FUNCTION seatdesk_account_of_group();
UPDATE distribution_member x SET account_id = g.account_id FROM distribution_group g WHERE g.id = x.group_id AND x.account_id <> g.account_id;
