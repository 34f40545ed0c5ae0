-- Money exactly once (issue 9).
--
-- intent_generation counts the PaymentIntents a checkout has asked Stripe for: the idempotency key
-- of each create is (checkout, generation), so a retried request gets the same PaymentIntent and a
-- replacement gets a new one. intent_claimed_until is the lease of the one request that may talk
-- to Stripe about this checkout's PaymentIntent; concurrent requests wait for it instead of
-- creating their own.
ALTER TABLE checkouts ADD COLUMN intent_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkouts ADD COLUMN intent_claimed_until INTEGER;
-- When the recovery email for the latest failed payment is due (NULL: none due).
ALTER TABLE checkouts ADD COLUMN recovery_due_at INTEGER;
CREATE INDEX checkouts_recovery_due ON checkouts (recovery_due_at) WHERE recovery_due_at IS NOT NULL;

-- One row per failed attempt, however many ways it is heard of (webhook, status read): the key is
-- the failed charge, or the PaymentIntent's error when there is no charge (3D Secure failed).
ALTER TABLE payment_attempts ADD COLUMN failure_key TEXT;
CREATE UNIQUE INDEX payment_attempts_failure ON payment_attempts (payment_intent_id, failure_key);

-- Successful payments that could not become (or did not become) their checkout's order: a
-- second payment for one checkout, an amount we cannot honour, goods gone after the hold lapsed.
-- Each is refunded once (idempotency key per PaymentIntent) and stays visible to the merchant.
CREATE TABLE automatic_refunds (
  payment_intent_id TEXT PRIMARY KEY,
  checkout_id       TEXT REFERENCES checkouts (id),
  order_id          TEXT REFERENCES orders (id),
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'refunded')),
  refund_id         TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX automatic_refunds_pending ON automatic_refunds (status) WHERE status = 'pending';
