-- Rate-limit counters for servers without Redis (issue 16): in the database every host shares, so
-- several hosts spend one budget. One row per budget and key, for one fixed window.
CREATE TABLE rate_limit_counters (
  bucket    TEXT PRIMARY KEY,
  used      INTEGER NOT NULL,
  resets_at INTEGER NOT NULL
) WITHOUT ROWID;
-- The sweeper deletes windows that have run out.
CREATE INDEX rate_limit_counters_resets_at ON rate_limit_counters (resets_at);
-- @postgres begin
-- Written on nearly every shopper request: unlogged, a count commits without waiting for the WAL
-- to reach disk (about 0.3 ms instead of 2 ms a request on the test machine). What that gives up
-- is harmless here: after a crash or a failover to a standby the counters start again from zero.
ALTER TABLE rate_limit_counters SET UNLOGGED;
-- @postgres end
