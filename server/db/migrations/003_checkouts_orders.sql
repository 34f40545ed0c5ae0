-- Checkouts map a PaymentIntent to a priced snapshot of the cart. While a checkout is open
-- (pending, processing or failed, and not past expires_at) its reservations and its coupon hold
-- count against available stock and remaining coupon uses.
CREATE TABLE checkouts (
  id                     TEXT PRIMARY KEY,
  cart_id                TEXT NOT NULL,
  cart_version           INTEGER NOT NULL,
  status                 TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'paid', 'failed', 'needs_attention', 'canceled')),
  email                  TEXT NOT NULL,
  name                   TEXT,
  currency               TEXT NOT NULL,
  items                  TEXT NOT NULL,
  subtotal               INTEGER NOT NULL,
  discount               INTEGER NOT NULL,
  tax                    INTEGER NOT NULL,
  total                  INTEGER NOT NULL,
  coupon_code            TEXT,
  payment_intent_id      TEXT UNIQUE,
  client_secret          TEXT,
  customer_id            TEXT,
  expires_at             INTEGER NOT NULL,
  last_error_code        TEXT,
  last_error_message     TEXT,
  last_recovery_email_at INTEGER,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL
);
-- One open checkout per cart, even when two requests race from two server processes.
CREATE UNIQUE INDEX checkouts_one_open_per_cart ON checkouts (cart_id) WHERE status IN ('pending', 'processing', 'failed');
CREATE INDEX checkouts_status_expiry ON checkouts (status, expires_at);
CREATE INDEX checkouts_coupon ON checkouts (coupon_code) WHERE coupon_code IS NOT NULL;

CREATE TABLE reservations (
  checkout_id TEXT NOT NULL REFERENCES checkouts (id) ON DELETE CASCADE,
  product_id  TEXT NOT NULL,
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (checkout_id, product_id)
);
CREATE INDEX reservations_product ON reservations (product_id);

CREATE TABLE payment_attempts (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  checkout_id       TEXT NOT NULL REFERENCES checkouts (id),
  payment_intent_id TEXT NOT NULL,
  event_id          TEXT UNIQUE,
  code              TEXT,
  decline_code      TEXT,
  message           TEXT,
  created_at        INTEGER NOT NULL
);

CREATE TABLE customers (
  email              TEXT PRIMARY KEY,
  stripe_customer_id TEXT NOT NULL
);

CREATE TABLE orders (
  id                TEXT PRIMARY KEY,
  number            TEXT NOT NULL UNIQUE,
  checkout_id       TEXT NOT NULL UNIQUE REFERENCES checkouts (id),
  payment_intent_id TEXT NOT NULL UNIQUE,
  status            TEXT NOT NULL CHECK (status IN ('paid', 'needs_attention', 'refunded', 'partially_refunded')),
  attention_reason  TEXT,
  email             TEXT NOT NULL,
  currency          TEXT NOT NULL,
  subtotal          INTEGER NOT NULL,
  discount          INTEGER NOT NULL,
  tax               INTEGER NOT NULL,
  total             INTEGER NOT NULL,
  amount_paid       INTEGER NOT NULL,
  amount_refunded   INTEGER NOT NULL DEFAULT 0,
  coupon_code       TEXT,
  stock_taken       INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE TABLE order_items (
  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  unit_price INTEGER NOT NULL,
  quantity   INTEGER NOT NULL,
  line_total INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

CREATE TABLE webhook_events (
  id           TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  processed_at INTEGER
);

-- Emails to send, written in the same transaction as what they announce (transactional outbox).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key      TEXT NOT NULL UNIQUE,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  html            TEXT NOT NULL,
  text            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE outbox_attempts (
  outbox_id    INTEGER NOT NULL REFERENCES outbox (id),
  attempted_at INTEGER NOT NULL,
  ok           INTEGER NOT NULL,
  error        TEXT
);

-- Server-generated secrets (token signing) that must survive restarts.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
