-- Seatdesk on a shared server, version 10 (issue #21).
-- A member's page lists the audit entries about them (their address is the
-- entry's target) without reading the whole log.
CREATE INDEX audit_by_target ON audit(account_id, target, id);
-- And the entries filed under an inbox that name them (joined or left it,
-- or a routing list).
CREATE INDEX audit_by_member ON audit(account_id, ((details::jsonb) ->> 'member'), id)
    WHERE action IN ('inbox.add_member', 'inbox.remove_member', 'routing.add', 'routing.remove');

-- Round robin's next member is found in an index, not by reading and
-- sorting the whole rotation (a bulk delete routes each leaver's
-- conversations to the next): each place in Conversation Assignment keeps
-- the member's sort key and address, as the rotation orders them.
ALTER TABLE assignment_member ADD COLUMN place TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE assignment_member x SET place = m.name_sort || chr(1) || m.email_key FROM member m WHERE m.id = x.member_id;
CREATE INDEX assignment_member_by_place ON assignment_member(inbox_id, place);
CREATE FUNCTION seatdesk_assignment_place() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT m.name_sort || chr(1) || m.email_key INTO NEW.place FROM member m WHERE m.id = NEW.member_id;
    RETURN NEW;
END $$;
CREATE TRIGGER assignment_member_place BEFORE INSERT ON assignment_member FOR EACH ROW EXECUTE FUNCTION seatdesk_assignment_place();
-- A member's new name or address moves their places (whoever may change
-- them: a Member changes their own address, not the inbox's routing).
CREATE FUNCTION seatdesk_member_place() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE assignment_member SET place = NEW.name_sort || chr(1) || NEW.email_key WHERE member_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER member_place AFTER UPDATE OF name_sort, email_key ON member FOR EACH ROW
    WHEN ((OLD.name_sort, OLD.email_key) IS DISTINCT FROM (NEW.name_sort, NEW.email_key)) EXECUTE FUNCTION seatdesk_member_place();
