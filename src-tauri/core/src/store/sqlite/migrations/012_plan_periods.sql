-- Seatdesk schema version 12: the books' calendar (README, "The books' calendar"). A period is
-- paid once, at the terms in force, from the day the account began.

-- The business date the account began (its first period starts on it) and
-- the first day of the current period.
ALTER TABLE account ADD COLUMN began_on TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN period_start TEXT NOT NULL DEFAULT '';
-- A plan change waiting for the next renewal (all NULL when none): the
-- terms from then on, and, when the renewal date moves, the end of the
-- period that starts at the next renewal.
ALTER TABLE account ADD COLUMN next_billing_period TEXT CHECK (next_billing_period IN ('monthly', 'annual'));
ALTER TABLE account ADD COLUMN next_seat_price_cents INTEGER CHECK (next_seat_price_cents >= 0);
ALTER TABLE account ADD COLUMN next_number_price_cents INTEGER CHECK (next_number_price_cents >= 0);
ALTER TABLE account ADD COLUMN next_currency TEXT;
ALTER TABLE account ADD COLUMN next_renews_on TEXT;

-- Accounts made before this version: they began on the business date of
-- their creation (or on their first ledger line when back-dated bookkeeping
-- came earlier); their current period starts at their last renewal, and
-- never on or after its own end.
UPDATE account SET began_on = min(
    coalesce((SELECT min(business_date) FROM audit WHERE audit.account_id = account.id AND action = 'account.create'),
             substr(created_at, 1, 10)),
    coalesce((SELECT min(date) FROM ledger WHERE ledger.account_id = account.id), '9999-12-31'));
UPDATE account SET period_start = coalesce(
    (SELECT max(date) FROM ledger WHERE ledger.account_id = account.id AND kind = 'seat_renewal' AND date < account.renews_on),
    began_on);
UPDATE account SET period_start = date(renews_on, '-1 day') WHERE period_start >= renews_on;
UPDATE account SET began_on = period_start WHERE began_on > period_start;

-- Every period an account has had, with the terms it was paid at: one row
-- when the account begins and one per renewal. `check` proves from it that
-- periods follow each other without gap or overlap and that every ledger
-- line is priced at the terms of its period. Append-only like the ledger.
-- (Accounts made before this version start with their current period.)
CREATE TABLE plan_period (
    account_id          INTEGER NOT NULL REFERENCES account(id),
    starts_on           TEXT NOT NULL,
    ends_on             TEXT NOT NULL CHECK (ends_on > starts_on),
    billing_period      TEXT NOT NULL CHECK (billing_period IN ('monthly', 'annual')),
    renewal_day         INTEGER NOT NULL CHECK (renewal_day BETWEEN 1 AND 31),
    seat_price_cents    INTEGER NOT NULL CHECK (seat_price_cents >= 0),
    number_price_cents  INTEGER NOT NULL CHECK (number_price_cents >= 0),
    currency            TEXT NOT NULL,
    PRIMARY KEY (account_id, starts_on)
) STRICT, WITHOUT ROWID;
INSERT INTO plan_period
    SELECT id, period_start, renews_on, billing_period, renewal_day, seat_price_cents, number_price_cents, currency FROM account;
CREATE TRIGGER plan_period_no_update BEFORE UPDATE ON plan_period BEGIN SELECT RAISE(ABORT, 'plan periods are append-only'); END;
CREATE TRIGGER plan_period_no_delete BEFORE DELETE ON plan_period BEGIN SELECT RAISE(ABORT, 'plan periods are append-only'); END;

-- Conversation Assignment always has a target (round robin or a default
-- assignee): inboxes left with neither go back to round robin.
UPDATE routing SET round_robin = 1 WHERE round_robin = 0 AND default_assignee_id IS NULL;

-- Every ledger line says its currency (a currency change takes effect at a
-- renewal; lines on either side of it are in different currencies). Lines
-- made before this version are in the account's currency. The append-only
-- trigger steps aside for this one backfill.
ALTER TABLE ledger ADD COLUMN currency TEXT NOT NULL DEFAULT '';
DROP TRIGGER ledger_no_update;
UPDATE ledger SET currency = (SELECT currency FROM account WHERE account.id = ledger.account_id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
