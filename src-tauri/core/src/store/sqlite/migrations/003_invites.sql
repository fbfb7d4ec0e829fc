-- Seatdesk schema version 3: invites.

-- The pending invitee a "New Inbox" was created for; revoking the invite
-- removes that inbox while it is still empty and awaiting its number.
ALTER TABLE inbox ADD COLUMN created_for_member_id INTEGER REFERENCES member(id);
-- Who sent the invite (email as it was).
ALTER TABLE member ADD COLUMN invited_by TEXT;
CREATE INDEX member_by_role ON member(account_id, role, status);
