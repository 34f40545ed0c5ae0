-- The next order number is the highest so far plus one (server/stores/order-store.ts): without an
-- index on the number's value that was a scan of every order in every paid webhook, growing with
-- the shop's history. BIGINT rather than INTEGER so the expression reads the same on both engines
-- (the PostgreSQL rewrite turns INTEGER into BIGINT here but not in the query).
-- Numbered 041 to stay clear of numbers other work in flight may take.
CREATE INDEX orders_number_value ON orders (CAST(SUBSTR(number, 4) AS BIGINT));
