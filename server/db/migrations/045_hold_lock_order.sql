-- PostgreSQL: a checkout that closes (or is deleted) takes its reservations out of the hold counts
-- with their rows locked in product id order first, the order a starting checkout writes its
-- reservations in (server/stores/checkout-store.ts). The UPDATE of migration 040 locked them in
-- whatever order its plan walked them (a hash join: as they lie in the table), so a checkout
-- closing and another starting on the same products could deadlock (one of them failed; see
-- test/server/stores/hold-lock-order.test.ts). SQLite has one write lock: nothing to order.
-- Numbered 045 to stay clear of numbers other work in flight may take.
-- @postgres begin
CREATE OR REPLACE FUNCTION holds_on_checkout() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.status IN ('pending', 'processing', 'failed');
  is_open boolean := TG_OP <> 'DELETE' AND NEW.status IN ('pending', 'processing', 'failed');
BEGIN
  IF was_open AND NOT is_open THEN
    PERFORM 1 FROM product_holds h WHERE h.product_id IN (SELECT r.product_id FROM reservations r WHERE r.checkout_id = OLD.id)
      ORDER BY h.product_id FOR UPDATE;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM reservations WHERE checkout_id = OLD.id;
  ELSIF TG_OP = 'UPDATE' AND was_open AND NOT is_open THEN
    UPDATE product_holds h SET held = h.held - r.quantity FROM reservations r WHERE r.checkout_id = OLD.id AND h.product_id = r.product_id;
  ELSIF TG_OP = 'UPDATE' AND is_open AND NOT was_open THEN
    INSERT INTO product_holds (product_id, held) SELECT product_id, quantity FROM reservations WHERE checkout_id = NEW.id ORDER BY product_id
      ON CONFLICT (product_id) DO UPDATE SET held = product_holds.held + excluded.held;
  END IF;
  IF was_open AND OLD.coupon_code IS NOT NULL THEN
    UPDATE coupon_holds SET held = held - 1 WHERE code = OLD.coupon_code;
  END IF;
  IF is_open AND NEW.coupon_code IS NOT NULL THEN
    INSERT INTO coupon_holds (code, held) VALUES (NEW.coupon_code, 1) ON CONFLICT (code) DO UPDATE SET held = coupon_holds.held + 1;
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NULL END;
END $$;
-- @postgres end
