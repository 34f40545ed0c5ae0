-- Abandoned-cart reminders (issue 15): how many reminders a checkout's cart was sent, and when the
-- last one went, so any number of sweeping processes send each one once.
ALTER TABLE checkouts ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkouts ADD COLUMN last_reminder_at INTEGER;
CREATE INDEX checkouts_reminder_due ON checkouts (reminders_sent, updated_at);

-- Addresses that asked for no more reminders (an unsubscribe link in every reminder).
CREATE TABLE email_unsubscribes (
  email      TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
