-- Every change to a product's stock, with who made it and why: a merchant can see how a number
-- came about, and the sum of a product's deltas is its stock.
-- actor: 'admin' (the ADMIN_TOKEN holder), 'catalog-upload', 'order:<order id>' or 'migration'.
CREATE TABLE stock_movements (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  product_id  TEXT NOT NULL REFERENCES products (id),
  delta       INTEGER NOT NULL,
  stock_after INTEGER NOT NULL CHECK (stock_after >= 0),
  actor       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);

-- The ledger starts with what is on the shelf today.
-- @sqlite begin
INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
  SELECT id, stock, stock, 'migration', 'opening balance', CAST(unixepoch('subsec') * 1000 AS INTEGER)
  FROM products WHERE stock > 0;
-- @sqlite end
-- @postgres begin
INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
  SELECT id, stock, stock, 'migration', 'opening balance', (extract(epoch FROM clock_timestamp()) * 1000)::bigint
  FROM products WHERE stock > 0;
-- @postgres end

-- Sales and refund restocks are made by the checkout code (server/checkout/fulfil.ts and
-- payment-events.ts) in the same transaction that writes the order. Recording them here, from the
-- order rows themselves, means no order can move stock without a trace, whichever code path
-- writes it. A sale: the order took stock (stock_taken = 1) and its items are being written; the
-- product's stock was already decremented, so it is the stock after the sale. The same two
-- triggers in PostgreSQL's form follow the SQLite ones.
-- @sqlite begin
CREATE TRIGGER stock_movements_on_sale AFTER INSERT ON order_items
  WHEN (SELECT stock_taken FROM orders WHERE id = NEW.order_id) = 1
BEGIN
  INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    SELECT NEW.product_id, -NEW.quantity, p.stock, 'order:' || o.id, 'sale', o.created_at
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id;
END;

-- A full refund puts an order's stock back and clears stock_taken (after the restock).
CREATE TRIGGER stock_movements_on_restock AFTER UPDATE OF stock_taken ON orders
  WHEN OLD.stock_taken = 1 AND NEW.stock_taken = 0
BEGIN
  INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    SELECT i.product_id, i.quantity, p.stock, 'order:' || NEW.id, 'refund', NEW.updated_at
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id;
END;
-- @sqlite end
-- @postgres begin
CREATE FUNCTION stock_movements_on_sale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    SELECT NEW.product_id, -NEW.quantity, p.stock, 'order:' || o.id, 'sale', o.created_at
    FROM orders o JOIN products p ON p.id = NEW.product_id
    WHERE o.id = NEW.order_id AND o.stock_taken = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER stock_movements_on_sale AFTER INSERT ON order_items
  FOR EACH ROW EXECUTE FUNCTION stock_movements_on_sale();

CREATE FUNCTION stock_movements_on_restock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_movements (product_id, delta, stock_after, actor, reason, created_at)
    SELECT i.product_id, i.quantity, p.stock, 'order:' || NEW.id, 'refund', NEW.updated_at
    FROM order_items i JOIN products p ON p.id = i.product_id
    WHERE i.order_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER stock_movements_on_restock AFTER UPDATE OF stock_taken ON orders
  FOR EACH ROW WHEN (OLD.stock_taken = 1 AND NEW.stock_taken = 0) EXECUTE FUNCTION stock_movements_on_restock();
-- @postgres end
