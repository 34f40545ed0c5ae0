#!/bin/sh
# The node suites on SQLite (and Redis) and the PostgreSQL pass of the SQL and concurrency suites,
# side by side: they share nothing (each test has its own database file or PostgreSQL schema, its
# own ports and its own Redis key prefix), and one pass alone leaves this machine's second core
# mostly idle while tests wait on I/O. Keeps `npm test` well under 15 minutes on two cores.
# The PostgreSQL pass's report is printed after the first, so the two never interleave.
set -u
pg_log=$(mktemp)
npm run --silent test:postgres > "$pg_log" 2>&1 &
pg=$!
npm run --silent test:node
node_status=$?
wait "$pg"
pg_status=$?
echo "--- PostgreSQL pass (npm run test:postgres) ---"
cat "$pg_log"
rm -f "$pg_log"
echo "node suites on SQLite: exit $node_status; PostgreSQL pass: exit $pg_status"
[ "$node_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
