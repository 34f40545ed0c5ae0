-- Rate-limit counters for servers without Redis (issue 16): in the database every host shares, so
-- several hosts spend one budget. One row per budget and key, for one fixed window.
CREATE TABLE rate_limit_counters (
  bucket    TEXT PRIMARY KEY,
  used      INTEGER NOT NULL,
  resets_at INTEGER NOT NULL
) WITHOUT ROWID;
-- The sweeper deletes windows that have run out.
CREATE INDEX rate_limit_counters_resets_at ON rate_limit_counters (resets_at);
