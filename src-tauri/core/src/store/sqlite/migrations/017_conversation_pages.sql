-- Seatdesk schema version 17: an inbox's Conversations tab pages them,
-- newest activity first, for everyone or one assignee (or nobody), in an
-- index walk rather than a sort of the inbox's whole list (issue #21).
DROP INDEX conversation_by_inbox;
CREATE INDEX conversation_by_inbox_activity ON conversation(inbox_id, last_activity DESC, id DESC);
CREATE INDEX conversation_by_inbox_assignee ON conversation(inbox_id, assignee_id, last_activity DESC, id DESC);
