-- Seatdesk schema version 7: contacts and conversations, minimal but real:
-- enough to count, list per member and reassign (SPEC §6).
CREATE TABLE contact (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES member(id),
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, phone)
) STRICT;
CREATE INDEX contact_by_owner ON contact(owner_id);

CREATE TABLE conversation (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES account(id),
    inbox_id       INTEGER NOT NULL REFERENCES inbox(id),
    contact_id     INTEGER NOT NULL REFERENCES contact(id),
    assignee_id    INTEGER REFERENCES member(id),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    last_activity  TEXT NOT NULL
) STRICT;
CREATE INDEX conversation_by_assignee ON conversation(assignee_id);
CREATE INDEX conversation_by_inbox ON conversation(inbox_id);
