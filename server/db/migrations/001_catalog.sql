CREATE TABLE products (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  price       INTEGER NOT NULL CHECK (price >= 0),
  currency    TEXT NOT NULL,
  image       TEXT NOT NULL DEFAULT '',
  stock       INTEGER NOT NULL CHECK (stock >= 0),
  active      INTEGER NOT NULL DEFAULT 1,
  sort        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE coupons (
  code         TEXT PRIMARY KEY,
  type         TEXT NOT NULL CHECK (type IN ('percentage', 'fixed')),
  value        INTEGER NOT NULL CHECK (value > 0),
  expires_at   INTEGER,
  max_uses     INTEGER CHECK (max_uses IS NULL OR max_uses >= 0),
  uses         INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
  min_subtotal INTEGER NOT NULL DEFAULT 0,
  active       INTEGER NOT NULL DEFAULT 1,
  CHECK (type <> 'percentage' OR value <= 100)
);
