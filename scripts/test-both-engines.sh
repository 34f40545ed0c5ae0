#!/bin/sh
# The node suites on both engines, side by side: every suite on SQLite (npm run test:sqlite), and
# every suite that touches the shop's database again on PostgreSQL (npm run test:postgres; the
# list is scripts/test-files.mjs). The lanes share nothing (each test has its own database file or
# PostgreSQL schema, its own ports and its own Redis key prefix), and one lane alone leaves this
# machine's second core mostly idle while tests wait on I/O.
# The SQLite lane reports as it runs; the PostgreSQL lane's report follows it whole, so the two
# never interleave. Fails unless both lanes pass.
set -u
pg_log=$(mktemp)
trap 'rm -f "$pg_log"' EXIT
start=$(date +%s)
(
  npm run --silent test:postgres > "$pg_log" 2>&1
  status=$?
  echo "$status $(( $(date +%s) - start ))" > "$pg_log.status"
) &
pg=$!
npm run --silent test:sqlite
sqlite_status=$?
sqlite_seconds=$(( $(date +%s) - start ))
wait "$pg"
read -r pg_status pg_seconds < "$pg_log.status" || { pg_status=1; pg_seconds='?'; }
rm -f "$pg_log.status"
echo "--- PostgreSQL lane (npm run test:postgres) ---"
cat "$pg_log"
echo "SQLite lane: exit $sqlite_status after ${sqlite_seconds} s; PostgreSQL lane: exit $pg_status after ${pg_seconds} s"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
