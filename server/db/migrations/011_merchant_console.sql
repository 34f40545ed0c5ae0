-- The merchant's console (issue 15): products that need no shipping, coupons limited per customer,
-- refunds the merchant asks for, resolved orders, and the one funnel figure no other row records.

-- A product with nothing to ship (a gift card, a download).
ALTER TABLE products ADD COLUMN shippable INTEGER NOT NULL DEFAULT 1;

-- Coupons limited per customer, by email: only for an email with no earlier paid order, or once
-- per email. Checked when a checkout starts (the email is known then) and again at payment.
ALTER TABLE coupons ADD COLUMN first_order_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN once_per_customer INTEGER NOT NULL DEFAULT 0;

-- Those rules and the console's search find orders by email (as typed, so case-insensitively) and by date.
-- @sqlite begin
CREATE INDEX orders_email ON orders (email COLLATE NOCASE);
-- @sqlite end
-- @postgres begin
CREATE INDEX orders_email ON orders (lower(email));
-- @postgres end
CREATE INDEX orders_created ON orders (created_at);

-- Refunds the merchant asks for, full or partial. A row is written before Stripe is asked, under
-- an idempotency key unique per order, so a repeated request (a double click, a retry after a
-- timeout) reaches Stripe with the same key and refunds once. pending: asked, answer unknown;
-- issued: Stripe made the refund; refused: Stripe said no (the amount is free again).
CREATE TABLE admin_refunds (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id        TEXT NOT NULL REFERENCES orders (id),
  idempotency_key TEXT NOT NULL,
  amount          INTEGER NOT NULL CHECK (amount > 0),
  reason          TEXT NOT NULL,
  actor           TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'issued', 'refused')),
  refund_id       TEXT,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (order_id, idempotency_key)
);

-- needs_attention orders the merchant dealt with: which reason, who, when and what they did. The
-- order's status goes back to what its money says; a later problem can mark it again.
CREATE TABLE order_resolutions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id         TEXT NOT NULL REFERENCES orders (id),
  attention_reason TEXT,
  resolved_by      TEXT NOT NULL,
  note             TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX order_resolutions_order ON order_resolutions (order_id);

-- The funnel counts a sale as recovered by a reminder when any checkout of its cart was reminded:
-- a cart's checkouts, found by cart.
CREATE INDEX checkouts_cart ON checkouts (cart_id, created_at);

-- Funnel counts per UTC day for what no other row keeps: carts (they live in Redis and expire).
-- One upsert per new cart; checkouts, payments and orders are counted from their own rows.
CREATE TABLE funnel_daily (
  day    TEXT NOT NULL,
  metric TEXT NOT NULL,
  count  INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (day, metric)
) WITHOUT ROWID;
