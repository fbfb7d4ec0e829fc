-- Seatdesk on a shared server, version 8: a number can be released
-- (issue #21): the ledger takes a `number_release` line.
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check CHECK (kind IN ('seat_purchase', 'seat_removal', 'number_purchase',
                                                                   'seat_renewal', 'number_renewal', 'number_release'));
