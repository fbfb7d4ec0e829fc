-- Seatdesk schema version 16: a number can be released (issue #21). The
-- ledger takes a `number_release` line (no refund, renewals stop billing
-- it). SQLite cannot change a CHECK in place: the table is rebuilt with
-- every row, index and guard it had.
CREATE TABLE ledger_new (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    date            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('seat_purchase', 'seat_removal', 'number_purchase',
                                                  'seat_renewal', 'number_renewal', 'number_release')),
    quantity        INTEGER NOT NULL CHECK (quantity >= 0),
    unit_cents      INTEGER NOT NULL CHECK (unit_cents >= 0),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    actor_email     TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    seats_after     INTEGER NOT NULL CHECK (seats_after >= 0),
    assigned_after  INTEGER NOT NULL CHECK (assigned_after >= 0),
    created_at      TEXT NOT NULL,
    currency        TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO ledger_new (id, account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, note,
                        seats_after, assigned_after, created_at, currency)
    SELECT id, account_id, date, kind, quantity, unit_cents, amount_cents, actor_email, actor_name, note,
           seats_after, assigned_after, created_at, currency FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_new RENAME TO ledger;
CREATE INDEX ledger_by_account ON ledger(account_id, id);
CREATE INDEX ledger_by_kind ON ledger(account_id, kind, id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
