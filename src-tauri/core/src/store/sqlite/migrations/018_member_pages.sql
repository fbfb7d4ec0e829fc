-- Seatdesk schema version 18 (issue #21).
-- A member's page lists the audit entries about them (their address is the
-- entry's target) without reading the whole log.
CREATE INDEX audit_by_target ON audit(account_id, target, id);
-- And the entries filed under an inbox that name them (joined or left it,
-- or a routing list).
CREATE INDEX audit_by_member ON audit(account_id, json_extract(details, '$.member'), id)
    WHERE action IN ('inbox.add_member', 'inbox.remove_member', 'routing.add', 'routing.remove');

-- Round robin's next member is found in an index, not by reading and
-- sorting the whole rotation (a bulk delete routes each leaver's
-- conversations to the next): each place in Conversation Assignment keeps
-- the member's sort key and address, as the rotation orders them.
ALTER TABLE assignment_member ADD COLUMN place TEXT NOT NULL DEFAULT '';
UPDATE assignment_member SET place = (SELECT m.name_sort || char(1) || m.email_key FROM member m WHERE m.id = assignment_member.member_id);
CREATE INDEX assignment_member_by_place ON assignment_member(inbox_id, place);
CREATE TRIGGER assignment_member_place AFTER INSERT ON assignment_member BEGIN
    UPDATE assignment_member SET place = (SELECT m.name_sort || char(1) || m.email_key FROM member m WHERE m.id = NEW.member_id)
    WHERE inbox_id = NEW.inbox_id AND member_id = NEW.member_id;
END;
CREATE TRIGGER member_place AFTER UPDATE OF name_sort, email_key ON member BEGIN
    UPDATE assignment_member SET place = NEW.name_sort || char(1) || NEW.email_key WHERE member_id = NEW.id;
END;
