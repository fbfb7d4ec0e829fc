-- Seatdesk schema version 1: accounts, members, inboxes and the audit log.
-- Money in integer cents, dates as ISO text, every table STRICT.

-- 'SEAT': marks the file as a Seatdesk database (set in the migration's transaction).
PRAGMA application_id = 1397047636;

CREATE TABLE account (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    name_key            TEXT NOT NULL UNIQUE,
    currency            TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    billing_period      TEXT NOT NULL CHECK (billing_period IN ('monthly', 'annual')),
    renews_on           TEXT NOT NULL,
    seat_price_cents    INTEGER NOT NULL CHECK (seat_price_cents >= 0),
    number_price_cents  INTEGER NOT NULL CHECK (number_price_cents >= 0),
    purchased_seats     INTEGER NOT NULL DEFAULT 0 CHECK (purchased_seats >= 0),
    created_at          TEXT NOT NULL
) STRICT;

CREATE TABLE member (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'member', 'observer')),
    status          TEXT NOT NULL CHECK (status IN ('active', 'pending')),
    invited_on      TEXT,
    joined_on       TEXT,
    resend_count    INTEGER NOT NULL DEFAULT 0 CHECK (resend_count >= 0),
    last_sent_at    TEXT,
    UNIQUE (account_id, email_key)
) STRICT;
-- Exactly one Owner per account: at most one here, at least one by the service.
CREATE UNIQUE INDEX member_one_owner ON member(account_id) WHERE role = 'owner';
CREATE INDEX member_by_status_name ON member(account_id, status, name COLLATE NOCASE);
CREATE INDEX member_by_status_email ON member(account_id, status, email_key);

CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    number      TEXT,
    owner_id    INTEGER NOT NULL REFERENCES member(id),
    created_at  TEXT NOT NULL,
    UNIQUE (account_id, name_key)
) STRICT;
CREATE UNIQUE INDEX inbox_number_unique ON inbox(account_id, number) WHERE number IS NOT NULL;
CREATE INDEX inbox_by_owner ON inbox(owner_id);

-- A member's place in an inbox. A pending invite holds its place here too.
CREATE TABLE inbox_member (
    inbox_id   INTEGER NOT NULL REFERENCES inbox(id),
    member_id  INTEGER NOT NULL REFERENCES member(id),
    PRIMARY KEY (inbox_id, member_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX inbox_member_by_member ON inbox_member(member_id, inbox_id);

-- Append-only, hash-chained per account (SPEC §8). Actor email and name are
-- copied as they were, so deleting a member never changes an entry.
CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES account(id),
    at            TEXT NOT NULL,
    business_date TEXT NOT NULL,
    actor_email   TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    details       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_account ON audit(account_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
