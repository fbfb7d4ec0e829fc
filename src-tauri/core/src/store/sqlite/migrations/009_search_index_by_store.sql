-- Seatdesk schema version 9: the member search index is written by the
-- store (store/members.rs) in the same transaction as the member row,
-- instead of by triggers. A trigger on `member` makes every insert a
-- statement with a savepoint, and FTS5 flushes its pending terms to disk at
-- each savepoint: one tiny segment per member, then endless merging. Written
-- as plain statements, the terms of a whole transaction are flushed once.
DROP TRIGGER member_fts_insert;
DROP TRIGGER member_fts_delete;
DROP TRIGGER member_fts_update;
