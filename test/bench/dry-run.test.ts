/**
 * `npm run bench` can't rot silently: its dry run starts the hello-world and the real server as
 * the bench does, asks each once, and prints the table. Nothing is timed.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('bench/run.ts --dry-run starts every target and prints every row', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--dry-run'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  for (const row of ['ceiling: Hono hello-world', 'GET cart (SQLite)', 'PATCH quantity (Redis)', 'POST cart (SQLite)', 'payment_intent.succeeded -> order', 'cold start']) {
    assert.ok(run.stdout.includes(row), `missing row ${row}:\n${run.stdout}`);
  }
  assert.match(run.stderr, /every target started and answered/);
});
