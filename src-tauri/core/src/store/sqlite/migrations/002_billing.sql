-- Seatdesk schema version 2: the ledger (SPEC §5) and the renewal anchor.

-- The day of the month the plan renews on (1-31), so renewals stepping
-- through short months come back to it (Jan 31 -> Feb 28 -> Mar 31).
ALTER TABLE account ADD COLUMN renewal_day INTEGER NOT NULL DEFAULT 1 CHECK (renewal_day BETWEEN 1 AND 31);
UPDATE account SET renewal_day = CAST(substr(renews_on, 9, 2) AS INTEGER);

-- Append-only: every seat and number bought, removed or renewed.
-- seats_after / assigned_after record the counts right after the entry
-- (reconciliation and the purchased-vs-assigned chart).
CREATE TABLE ledger (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    date            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('seat_purchase', 'seat_removal', 'number_purchase',
                                                  'seat_renewal', 'number_renewal')),
    quantity        INTEGER NOT NULL CHECK (quantity >= 0),
    unit_cents      INTEGER NOT NULL CHECK (unit_cents >= 0),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    actor_email     TEXT NOT NULL,
    actor_name      TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    seats_after     INTEGER NOT NULL CHECK (seats_after >= 0),
    assigned_after  INTEGER NOT NULL CHECK (assigned_after >= 0),
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_by_account ON ledger(account_id, id);
CREATE INDEX ledger_by_kind ON ledger(account_id, kind, id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
