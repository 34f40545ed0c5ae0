-- Several hosts (issue 16): a webhook event is claimed in the database by the one host handling it,
-- for a lease, so copies delivered to other hosts meanwhile wait or are retried instead of handling
-- it too, and a host that died mid-event holds it only until the lease runs out.
ALTER TABLE webhook_events ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_events ADD COLUMN claimed_until INTEGER;
-- How many times a host began handling the event: 1 unless one failed or died mid-event.
ALTER TABLE webhook_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
UPDATE webhook_events SET attempts = 1;
