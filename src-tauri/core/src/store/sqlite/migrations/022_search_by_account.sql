-- Seatdesk schema version 22: a search in one account reads that account's
-- matches only. The trigram index held every account's names together, so
-- "ana" in a 10 000-member account beside a million other members read
-- the 78 000 matches of all of them (15 ms, against 0.9 ms for the same
-- account alone in its file). Each member now also carries its account as
-- three private-use characters (U+E000 + 12 bits of the account's id
-- each: one trigram, found in no name or address a search can reach, as a
-- search is kept to the name and address columns), and a search in one
-- account asks the index for that trigram AND the text.
ALTER TABLE member ADD COLUMN search_account TEXT GENERATED ALWAYS AS
    (char(57344 + ((account_id >> 24) & 4095), 57344 + ((account_id >> 12) & 4095), 57344 + (account_id & 4095))) VIRTUAL;
DROP TABLE member_fts;
CREATE VIRTUAL TABLE member_fts USING fts5(name, email_key, search_account, content='member', content_rowid='id', tokenize='trigram');
INSERT INTO member_fts(member_fts) VALUES ('rebuild');
