-- Carts live here when no REDIS_URL is configured.
CREATE TABLE carts (
  id         TEXT PRIMARY KEY,
  data       TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX carts_expires_at ON carts (expires_at);
