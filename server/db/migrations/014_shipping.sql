-- Shipping (issue 13): the shop's rates, and on each checkout and order where it goes and what
-- shipping cost. Numbered 014 so it cannot collide with the 012/013 other work in flight may take.

-- A rate serves the countries it lists (a JSON array of ISO 3166-1 alpha-2 codes) and is free
-- when the goods (subtotal less discount) reach free_over_subtotal. Like products, a rate is never
-- deleted, only deactivated: orders name it.
CREATE TABLE shipping_rates (
  id                 TEXT PRIMARY KEY,
  label              TEXT NOT NULL,
  amount             INTEGER NOT NULL CHECK (amount >= 0),
  countries          TEXT NOT NULL,
  free_over_subtotal INTEGER CHECK (free_over_subtotal >= 0),
  active             INTEGER NOT NULL DEFAULT 1,
  sort               INTEGER NOT NULL DEFAULT 0
);

-- Where a checkout ships and by which rate: JSON { name, address, rate: { id, label } }, NULL when
-- nothing ships. shipping_amount is the priced shipping in the checkout's total (NULL: none).
ALTER TABLE checkouts ADD COLUMN shipping TEXT;
ALTER TABLE checkouts ADD COLUMN shipping_amount INTEGER;

-- Copied from the checkout when it becomes the order: what the merchant ships, and what it cost.
ALTER TABLE orders ADD COLUMN shipping TEXT;
ALTER TABLE orders ADD COLUMN shipping_amount INTEGER;
