-- A refund Stripe made can fail later (the card was closed: https://docs.stripe.com/refunds#failed-refunds);
-- the money goes back to the merchant's balance, not to the shopper. Each failure is kept once, by
-- Stripe's refund id, however many of its events arrive (refund.updated, refund.failed,
-- charge.refund.updated, each possibly more than once): the first to arrive records it, the
-- others find it recorded. order_id is null for an automatic refund of a payment with no order.
CREATE TABLE refund_failures (
  refund_id         TEXT PRIMARY KEY,
  order_id          TEXT REFERENCES orders (id),
  payment_intent_id TEXT NOT NULL,
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  failure_reason    TEXT NOT NULL,
  created_at        INTEGER NOT NULL
);
CREATE INDEX refund_failures_order ON refund_failures (order_id);

-- The refund rows that failed say so: 'failed', with Stripe's failure_reason in last_error, and
-- take nothing from what is left to refund. SQLite can't change a CHECK in place: both tables are
-- rebuilt, same columns in the same order (as migration 050 did). Numbered 055 to stay clear of
-- numbers other work in flight may take.
-- @sqlite begin
CREATE TABLE automatic_refunds_new (
  payment_intent_id TEXT PRIMARY KEY,
  checkout_id       TEXT REFERENCES checkouts (id),
  order_id          TEXT REFERENCES orders (id),
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'refunded', 'refused', 'failed')),
  refund_id         TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
INSERT INTO automatic_refunds_new SELECT payment_intent_id, checkout_id, order_id, amount, currency, reason, status, refund_id,
  attempts, last_error, created_at, updated_at FROM automatic_refunds;
DROP TABLE automatic_refunds;
ALTER TABLE automatic_refunds_new RENAME TO automatic_refunds;
CREATE INDEX automatic_refunds_pending ON automatic_refunds (status) WHERE status = 'pending';

CREATE TABLE admin_refunds_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id        TEXT NOT NULL REFERENCES orders (id),
  idempotency_key TEXT NOT NULL,
  amount          INTEGER NOT NULL CHECK (amount > 0),
  reason          TEXT NOT NULL,
  actor           TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'issued', 'refused', 'failed')),
  refund_id       TEXT,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (order_id, idempotency_key)
);
INSERT INTO admin_refunds_new SELECT id, order_id, idempotency_key, amount, reason, actor, status, refund_id, last_error,
  created_at, updated_at FROM admin_refunds;
DROP TABLE admin_refunds;
ALTER TABLE admin_refunds_new RENAME TO admin_refunds;
-- @sqlite end
-- @postgres begin
ALTER TABLE automatic_refunds DROP CONSTRAINT automatic_refunds_status_check;
ALTER TABLE automatic_refunds ADD CONSTRAINT automatic_refunds_status_check CHECK (status IN ('pending', 'refunded', 'refused', 'failed'));
ALTER TABLE admin_refunds DROP CONSTRAINT admin_refunds_status_check;
ALTER TABLE admin_refunds ADD CONSTRAINT admin_refunds_status_check CHECK (status IN ('pending', 'issued', 'refused', 'failed'));
-- @postgres end
