// The node test files each lane of `npm test` runs (scripts/test-both-engines.sh), one per line:
//   node scripts/test-files.mjs sqlite     every node suite, on SQLite
//   node scripts/test-files.mjs postgres   every node suite but the engine-independent ones, on PostgreSQL
// A new suite runs on both engines unless it is named below: leaving one out of the PostgreSQL
// pass takes a line here, with the reason, never an oversight.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Suites whose outcome can't depend on the shop's database engine, by path or folder (trailing /). */
const ENGINE_INDEPENDENT = [
  // The emulator keeps its own state (a SQLite file of its own, as Stripe keeps its own), never the shop's.
  'test/server/stripe-emulator/',
  // Pure logic: pricing, money, messages, configuration parsing, logging, CSV, email templates.
  'test/shared/',
  'test/server/config.test.ts',
  'test/server/logger.test.ts',
  'test/server/admin/csv.test.ts',
  'test/server/mail/templates.test.ts',
  // The email templates rendered in Chromium: no server, no database.
  'test/e2e/email-layout.test.ts',
  // Redis or the file system only: the status bus, the rate limiter's stores, the dev mailbox.
  'test/server/checkout/status-bus.test.ts',
  'test/server/http/rate-limit.test.ts',
  'test/server/mail/dev-mailbox.test.ts',
  // The built widget's bytes and size, and the tools around the repository.
  'test/widget-build/budget.test.ts',
  'test/widget-build/manifest.test.ts',
  'test/widget-build/production-build.test.ts',
  'test/bench/',
  'test/scripts/ensure-chromium.test.ts',
  'test/scripts/stripe-setup.test.ts',
  'test/scripts/test-files.test.ts',
  // The server's bundle, its staleness check and its loader are one build for either engine (the
  // production install suite runs that build on both).
  'test/scripts/build-manifest.test.ts',
  'test/scripts/server-loader.test.ts',
  'test/scripts/start.test.ts',
  // Pick their engines themselves: the hosts share a PostgreSQL database made for the run; the copy
  // goes from a SQLite shop to a PostgreSQL database.
  'test/multihost/',
  'test/scripts/db-copy.test.ts',
];

/** @param {string} dir */
function testFiles(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const engine = process.argv[2];
if (engine !== 'sqlite' && engine !== 'postgres') {
  console.error('usage: node scripts/test-files.mjs sqlite|postgres');
  process.exit(2);
}
// test/widget runs in the browser (npm run test:widget), not under node's runner.
const all = testFiles('test').filter((path) => !path.startsWith('test/widget/'));
const independent = (path) => ENGINE_INDEPENDENT.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
// A stale entry (a suite renamed or moved) would silently stop meaning anything: refuse it.
const stale = ENGINE_INDEPENDENT.filter((entry) => !all.some((path) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry)));
if (stale.length) {
  console.error(`scripts/test-files.mjs: no test file matches ${stale.join(', ')}: update ENGINE_INDEPENDENT`);
  process.exit(1);
}
console.log((engine === 'sqlite' ? all : all.filter((path) => !independent(path))).join('\n'));
