-- An automatic refund Stripe refuses for good (the payment is disputed: `charge_disputed`) is
-- 'refused': kept, with Stripe's reason in last_error, for the merchant to see, and no longer
-- asked again by every sweep. SQLite can't change a CHECK in place: the table is rebuilt, same
-- columns in the same order. Numbered 050 to stay clear of numbers other work in flight may take.
-- @sqlite begin
CREATE TABLE automatic_refunds_new (
  payment_intent_id TEXT PRIMARY KEY,
  checkout_id       TEXT REFERENCES checkouts (id),
  order_id          TEXT REFERENCES orders (id),
  amount            INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'refunded', 'refused')),
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
-- @sqlite end
-- @postgres begin
ALTER TABLE automatic_refunds DROP CONSTRAINT automatic_refunds_status_check;
ALTER TABLE automatic_refunds ADD CONSTRAINT automatic_refunds_status_check CHECK (status IN ('pending', 'refunded', 'refused'));
-- @postgres end
