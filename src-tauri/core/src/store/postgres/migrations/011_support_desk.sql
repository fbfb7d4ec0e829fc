-- Seatdesk on a shared server, version 11 (issue #22).
-- A support session's trail: the entries written under one ticket, across
-- the accounts a login sees, found without reading the whole log. Only
-- support's entries carry a ticket, so the index holds those alone.
CREATE INDEX audit_by_ticket ON audit(((details::jsonb) ->> 'ticket'), id)
    WHERE ((details::jsonb) ->> 'ticket') IS NOT NULL;
-- The overview counts each account's pending invitations last sent long
-- ago from an index, not by reading every pending member.
CREATE INDEX member_pending_sent ON member(account_id, (coalesce(last_sent_at, invited_on))) WHERE status = 'pending';
