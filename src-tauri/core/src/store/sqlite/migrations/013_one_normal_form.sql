-- Seatdesk schema version 13: addresses and names compared in one normal
-- form (NFKC without case; an address's domain in ASCII, IDNA), so that
-- `é` typed composed or decomposed, `ﬁ` and `fi`, and `bücher.de` and
-- `xn--bcher-kva.de` are one address or one name, not two lookalikes.
-- The functions are Seatdesk's own (registered by Rust before migrating).
-- Two existing rows that now share a key keep their old keys (OR IGNORE):
-- nothing is merged behind anyone's back; `check` does not need them apart.
UPDATE OR IGNORE member SET email_key = seatdesk_email_key(email) WHERE email_key <> seatdesk_email_key(email);
UPDATE OR IGNORE inbox SET name_key = seatdesk_name_key(name) WHERE name_key <> seatdesk_name_key(name);
UPDATE OR IGNORE account SET name_key = seatdesk_name_key(name) WHERE name_key <> seatdesk_name_key(name);
INSERT INTO member_fts(member_fts) VALUES ('rebuild');
