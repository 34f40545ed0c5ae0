-- The locale the shopper's widget spoke when the checkout began (a BCP 47 tag, e.g. "de-DE"):
-- the emails about this checkout and its order use its words and money format. NULL: the
-- server's LOCALE. Numbered 016 to stay clear of numbers other work in flight may take.
ALTER TABLE checkouts ADD COLUMN locale TEXT;
