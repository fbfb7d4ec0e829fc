-- Seatdesk on a shared server, version 9: an inbox's Conversations tab
-- pages them, newest activity first, for everyone or one assignee (or
-- nobody), in an index walk (issue #21).
DROP INDEX conversation_by_inbox;
CREATE INDEX conversation_by_inbox_activity ON conversation(inbox_id, last_activity DESC, id DESC);
CREATE INDEX conversation_by_inbox_assignee ON conversation(inbox_id, assignee_id, last_activity DESC, id DESC);
