-- `check`'s rule one_account reads who owns an account's contacts from
-- this index, in owner order (a contact owned by another account's member
-- was not checked).
CREATE INDEX contact_by_account_owner ON contact(account_id, owner_id);
