-- PostgreSQL (issue 16): what the queries shared by both engines need of an SQLite database.
-- Numbered 020 to stay clear of numbers other work in flight may take.

-- Order lines keep the order they were bought in (PostgreSQL has no rowid to sort by).
ALTER TABLE order_items ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
-- @sqlite begin
UPDATE order_items SET position = rowid;

-- Emails are matched case-insensitively as lower(email) = lower(?), which both engines index.
DROP INDEX orders_email;
CREATE INDEX orders_email ON orders (lower(email));
-- @sqlite end
