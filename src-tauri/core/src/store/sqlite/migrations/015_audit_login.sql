-- Seatdesk schema version 15: an audit entry names the shared server's
-- login that wrote it, when it was written on one (an account moved here
-- with `seatdesk migrate --from` keeps them); empty for entries written
-- on this computer.
ALTER TABLE audit ADD COLUMN login TEXT NOT NULL DEFAULT '';
