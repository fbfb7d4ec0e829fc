-- Seatdesk schema version 11: when each member row was made (UTC, to the
-- microsecond). SQLite may give a new member the row id of a deleted one;
-- with the time the two are told apart, so the window, which holds the
-- member it was confirmed to act as, never acts as a later member who took
-- the same address. Rows made before this version read ''.
ALTER TABLE member ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
