/**
 * `npm test`'s two lanes (scripts/test-files.mjs): PostgreSQL runs every suite that touches the
 * shop's database, so only suites that never start a test server or open a test database may be
 * left to the SQLite lane alone, besides the one that chooses its engine itself.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const lane = (engine: string) => execFileSync(process.execPath, ['scripts/test-files.mjs', engine], { encoding: 'utf8' }).trim().split('\n');
/** A call that gets a server or a database on the test's engine. */
const USES_THE_TEST_ENGINE = /\b(?:startTestServer|testDatabase|testDatabaseLocation|processDatabase)\(/;
/** Starts a test server, but its shop is SQLite whatever the lane (the shop being copied into PostgreSQL). */
const CHOOSES_ITS_ENGINE = 'test/scripts/db-copy.test.ts';

it('runs on PostgreSQL every suite that uses the test engine, and each suite once on SQLite', () => {
  const sqlite = lane('sqlite');
  const postgres = lane('postgres');
  assert.equal(new Set(sqlite).size, sqlite.length);
  assert.deepEqual(postgres.filter((path) => !sqlite.includes(path)), [], 'the PostgreSQL lane runs nothing the SQLite lane lacks');
  assert.ok(sqlite.every((path) => path.endsWith('.test.ts') && !path.startsWith('test/widget/')), 'node suites only: test/widget runs in the browser');
  const sqliteOnly = sqlite.filter((path) => !postgres.includes(path));
  assert.deepEqual(sqliteOnly.filter((path) => USES_THE_TEST_ENGINE.test(readFileSync(path, 'utf8'))), [CHOOSES_ITS_ENGINE]);
  for (const path of ['test/server/production-build.test.ts', 'test/server/checkout/cart-reminders-processes.test.ts', 'test/chaos/kill-server.test.ts', 'test/e2e/journeys.test.ts']) assert.ok(postgres.includes(path), path);
});
