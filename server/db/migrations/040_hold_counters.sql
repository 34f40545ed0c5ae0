-- What open checkouts hold, counted as it changes instead of summed on every read. Every paid
-- webhook, checkout start and priced cart asks how much of a product and how many uses of a
-- coupon open checkouts hold; summing the reservations of every open checkout made that
-- O(open checkouts) per question (27 % of a webhook's time with 2,000 open).
--
-- product_holds.held = the quantities reserved by checkouts whose status is open (pending,
-- processing, failed); coupon_holds.held = the open checkouts carrying the code. Expiry is not
-- in them (a hold lapses by the clock, with no write): the reads in server/stores/checkout-store.ts
-- take away the lapsed-but-open checkouts' part, which the status/expiry index finds directly.
-- The triggers below keep both counts in the same transaction as the rows they count, whichever
-- code writes them; the CHECKs make a count that ever went wrong fail loudly, not oversell.
-- Numbered 040 to stay clear of numbers other work in flight may take.
CREATE TABLE product_holds (
  product_id TEXT PRIMARY KEY,
  held       INTEGER NOT NULL CHECK (held >= 0)
) WITHOUT ROWID;

CREATE TABLE coupon_holds (
  code TEXT PRIMARY KEY,
  held INTEGER NOT NULL CHECK (held >= 0)
) WITHOUT ROWID;

INSERT INTO product_holds (product_id, held)
  SELECT r.product_id, SUM(r.quantity) FROM reservations r JOIN checkouts c ON c.id = r.checkout_id
  WHERE c.status IN ('pending', 'processing', 'failed') GROUP BY r.product_id;

INSERT INTO coupon_holds (code, held)
  SELECT coupon_code, COUNT(*) FROM checkouts
  WHERE coupon_code IS NOT NULL AND status IN ('pending', 'processing', 'failed') GROUP BY coupon_code;

-- @sqlite begin
-- A reservation counts while its checkout is open. (`WHERE true` lets SQLite read the ON CONFLICT
-- as the upsert's, not as part of the SELECT.)
CREATE TRIGGER product_holds_on_reserve AFTER INSERT ON reservations
  WHEN (SELECT status FROM checkouts WHERE id = NEW.checkout_id) IN ('pending', 'processing', 'failed')
BEGIN
  INSERT INTO product_holds (product_id, held) SELECT NEW.product_id, NEW.quantity WHERE true
    ON CONFLICT (product_id) DO UPDATE SET held = held + excluded.held;
END;

CREATE TRIGGER product_holds_on_unreserve AFTER DELETE ON reservations
  WHEN (SELECT status FROM checkouts WHERE id = OLD.checkout_id) IN ('pending', 'processing', 'failed')
BEGIN
  UPDATE product_holds SET held = held - OLD.quantity WHERE product_id = OLD.product_id;
END;

-- Reservations are replaced (deleted and inserted), never edited: the counts follow those two.
CREATE TRIGGER reservations_never_updated BEFORE UPDATE ON reservations
BEGIN
  SELECT RAISE(ABORT, 'reservations are replaced, never updated (product_holds counts inserts and deletes)');
END;

CREATE TRIGGER coupon_holds_on_checkout AFTER INSERT ON checkouts
  WHEN NEW.coupon_code IS NOT NULL AND NEW.status IN ('pending', 'processing', 'failed')
BEGIN
  INSERT INTO coupon_holds (code, held) SELECT NEW.coupon_code, 1 WHERE true
    ON CONFLICT (code) DO UPDATE SET held = held + 1;
END;

-- A checkout opening or closing takes its reservations and coupon into or out of the counts; a
-- checkout that changes its coupon moves its use from the old code to the new one.
CREATE TRIGGER holds_on_checkout_change AFTER UPDATE OF status, coupon_code ON checkouts
  WHEN (OLD.status IN ('pending', 'processing', 'failed')) <> (NEW.status IN ('pending', 'processing', 'failed'))
    OR OLD.coupon_code IS NOT NEW.coupon_code
BEGIN
  UPDATE product_holds SET held = held - (SELECT quantity FROM reservations WHERE checkout_id = OLD.id AND product_id = product_holds.product_id)
    WHERE OLD.status IN ('pending', 'processing', 'failed') AND NEW.status NOT IN ('pending', 'processing', 'failed')
      AND product_id IN (SELECT product_id FROM reservations WHERE checkout_id = OLD.id);
  INSERT INTO product_holds (product_id, held) SELECT product_id, quantity FROM reservations
    WHERE checkout_id = NEW.id AND OLD.status NOT IN ('pending', 'processing', 'failed') AND NEW.status IN ('pending', 'processing', 'failed')
    ON CONFLICT (product_id) DO UPDATE SET held = held + excluded.held;
  UPDATE coupon_holds SET held = held - 1 WHERE code = OLD.coupon_code AND OLD.status IN ('pending', 'processing', 'failed');
  INSERT INTO coupon_holds (code, held) SELECT NEW.coupon_code, 1 WHERE NEW.coupon_code IS NOT NULL AND NEW.status IN ('pending', 'processing', 'failed')
    ON CONFLICT (code) DO UPDATE SET held = held + 1;
END;

-- A deleted checkout's reservations go first, while it still exists to say whether they counted
-- (the cascade would delete them after it, when their trigger could no longer tell).
CREATE TRIGGER holds_on_checkout_delete BEFORE DELETE ON checkouts
BEGIN
  DELETE FROM reservations WHERE checkout_id = OLD.id;
  UPDATE coupon_holds SET held = held - 1 WHERE code = OLD.coupon_code AND OLD.status IN ('pending', 'processing', 'failed');
END;
-- @sqlite end
-- @postgres begin
CREATE FUNCTION holds_on_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'reservations are replaced, never updated (product_holds counts inserts and deletes)';
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO product_holds (product_id, held)
      SELECT NEW.product_id, NEW.quantity FROM checkouts c WHERE c.id = NEW.checkout_id AND c.status IN ('pending', 'processing', 'failed')
      ON CONFLICT (product_id) DO UPDATE SET held = product_holds.held + excluded.held;
  ELSE
    UPDATE product_holds h SET held = h.held - OLD.quantity FROM checkouts c
      WHERE h.product_id = OLD.product_id AND c.id = OLD.checkout_id AND c.status IN ('pending', 'processing', 'failed');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER holds_on_reservation AFTER INSERT OR DELETE ON reservations
  FOR EACH ROW EXECUTE FUNCTION holds_on_reservation();
CREATE TRIGGER reservations_never_updated BEFORE UPDATE ON reservations
  FOR EACH ROW EXECUTE FUNCTION holds_on_reservation();

CREATE FUNCTION holds_on_checkout() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.status IN ('pending', 'processing', 'failed');
  is_open boolean := TG_OP <> 'DELETE' AND NEW.status IN ('pending', 'processing', 'failed');
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM reservations WHERE checkout_id = OLD.id;
  ELSIF TG_OP = 'UPDATE' AND was_open AND NOT is_open THEN
    UPDATE product_holds h SET held = h.held - r.quantity FROM reservations r WHERE r.checkout_id = OLD.id AND h.product_id = r.product_id;
  ELSIF TG_OP = 'UPDATE' AND is_open AND NOT was_open THEN
    INSERT INTO product_holds (product_id, held) SELECT product_id, quantity FROM reservations WHERE checkout_id = NEW.id
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
CREATE TRIGGER holds_on_checkout_insert AFTER INSERT ON checkouts
  FOR EACH ROW WHEN (NEW.coupon_code IS NOT NULL) EXECUTE FUNCTION holds_on_checkout();
CREATE TRIGGER holds_on_checkout_change AFTER UPDATE OF status, coupon_code ON checkouts
  FOR EACH ROW WHEN ((OLD.status IN ('pending', 'processing', 'failed')) IS DISTINCT FROM (NEW.status IN ('pending', 'processing', 'failed'))
    OR OLD.coupon_code IS DISTINCT FROM NEW.coupon_code)
  EXECUTE FUNCTION holds_on_checkout();
CREATE TRIGGER holds_on_checkout_delete BEFORE DELETE ON checkouts
  FOR EACH ROW EXECUTE FUNCTION holds_on_checkout();
-- @postgres end
