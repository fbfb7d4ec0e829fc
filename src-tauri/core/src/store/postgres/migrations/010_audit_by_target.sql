-- Seatdesk on a shared server, version 10: a member's page lists the audit
-- entries about them (their address is the entry's target) without
-- reading the whole log (issue #21).
CREATE INDEX audit_by_target ON audit(account_id, target, id);
