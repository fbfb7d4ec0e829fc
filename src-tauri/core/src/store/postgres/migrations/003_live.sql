-- Seatdesk on a shared server, version 3: every open window on an account
-- learns of a change made from another desktop as it commits. Every change
-- Seatdesk makes writes an audit entry, so the audit log is where the
-- notice is sent from: `seatdesk_changes`, with the schema and the
-- account's id (`schema:id`; the channel is the database's, and a database
-- may hold several Seatdesk schemas). Repeated notices of one transaction
-- are sent once.
CREATE FUNCTION seatdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('seatdesk_changes', current_schema() || ':' || NEW.account_id);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_notify AFTER INSERT ON audit FOR EACH ROW EXECUTE FUNCTION seatdesk_notify_change();
