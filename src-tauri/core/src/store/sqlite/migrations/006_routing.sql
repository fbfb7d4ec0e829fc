-- Seatdesk schema version 6: each inbox's routing settings (SPEC §7).

-- One row per inbox: Conversation Assignment, Ring Group, the fall-through
-- of Call Distribution and the IVR greeting.
CREATE TABLE routing (
    inbox_id             INTEGER PRIMARY KEY REFERENCES inbox(id),
    round_robin          INTEGER NOT NULL DEFAULT 1 CHECK (round_robin IN (0, 1)),
    default_assignee_id  INTEGER REFERENCES member(id),
    rr_last_member_id    INTEGER REFERENCES member(id),
    ring_strategy        TEXT NOT NULL DEFAULT 'round_robin'
                         CHECK (ring_strategy IN ('simultaneous', 'round_robin', 'linear_round_robin')),
    ring_seconds         INTEGER NOT NULL DEFAULT 30 CHECK (ring_seconds BETWEEN 1 AND 60),
    fallthrough          TEXT NOT NULL DEFAULT 'voicemail' CHECK (fallthrough IN ('voicemail', 'drop')),
    ivr_greeting         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE assignment_member (
    inbox_id   INTEGER NOT NULL REFERENCES inbox(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    PRIMARY KEY (inbox_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX assignment_member_by_member ON assignment_member(member_id);

CREATE TABLE ring_group_member (
    inbox_id   INTEGER NOT NULL REFERENCES inbox(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    PRIMARY KEY (inbox_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX ring_group_member_by_member ON ring_group_member(member_id);

-- Call Distribution: ordered groups (position 1..5), each with members.
CREATE TABLE distribution_group (
    id            INTEGER PRIMARY KEY,
    inbox_id      INTEGER NOT NULL REFERENCES inbox(id),
    position      INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
    strategy      TEXT NOT NULL CHECK (strategy IN ('simultaneous', 'round_robin', 'linear_round_robin')),
    ring_seconds  INTEGER NOT NULL CHECK (ring_seconds BETWEEN 1 AND 60),
    UNIQUE (inbox_id, position)
) STRICT;
CREATE TABLE distribution_member (
    group_id   INTEGER NOT NULL REFERENCES distribution_group(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    PRIMARY KEY (group_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX distribution_member_by_member ON distribution_member(member_id);

-- IVR digit options. A target of 'none' points nowhere (flagged).
CREATE TABLE ivr_option (
    inbox_id        INTEGER NOT NULL REFERENCES inbox(id),
    digit           INTEGER NOT NULL CHECK (digit BETWEEN 0 AND 9),
    target          TEXT NOT NULL CHECK (target IN ('member', 'ring_group', 'distribution_group', 'voicemail', 'none')),
    member_id       INTEGER REFERENCES member(id),
    group_position  INTEGER,
    PRIMARY KEY (inbox_id, digit)
) STRICT, WITHOUT ROWID;
CREATE INDEX ivr_option_by_member ON ivr_option(member_id);

-- Existing inboxes get default settings; their Active members join the
-- Conversation Assignment and the Ring Group, as adding them would have.
INSERT INTO routing (inbox_id) SELECT id FROM inbox;
INSERT INTO assignment_member (inbox_id, member_id)
    SELECT im.inbox_id, im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE m.status = 'active';
INSERT INTO ring_group_member (inbox_id, member_id)
    SELECT im.inbox_id, im.member_id FROM inbox_member im JOIN member m ON m.id = im.member_id WHERE m.status = 'active';
