/**
 * The rate-limit counters servers without Redis keep in the database: one budget per window, the
 * window's rows pruned once it has run out, and a database that fails lets requests through rather
 * than answering 500. Runs on SQLite, and on PostgreSQL with TEST_DATABASE=postgres.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { databaseStore } from '../../../server/http/database-limiter.ts';
import { rateLimit, take } from '../../../server/http/rate-limit.ts';
import { sqlValue, testDatabase } from '../../helpers/db.ts';
import { tempDir } from '../../helpers/temp.ts';

describe('rate limits counted in the database', () => {
  const dir = tempDir();
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let now = 1_800_000_000_000;
  const clock = () => now;
  before(async () => { database = await testDatabase(dir.path); });
  after(async () => {
    await database?.close();
    dir.remove();
  });

  const rows = () => sqlValue<number>(database.db, 'SELECT COUNT(*) FROM rate_limit_counters');

  it('lets 3 of 10 uses at once through a budget of 3, counts each key apart, and opens a new window when the old one ran out', async () => {
    const limiter = databaseStore(database.db, clock).limiter('unit', { points: 3, duration: 60 });
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => take(limiter, 'k')));
    assert.equal(verdicts.filter((v) => v.allowed).length, 3);
    assert.deepEqual(verdicts.find((v) => !v.allowed), { allowed: false, retryAfterSeconds: 60 });
    assert.deepEqual(await take(limiter, 'other'), { allowed: true });

    now += 59_999;
    assert.deepEqual(await take(limiter, 'k'), { allowed: false, retryAfterSeconds: 1 });
    now += 1;
    const fresh = await Promise.all([1, 2, 3, 4].map(() => take(limiter, 'k')));
    assert.equal(fresh.filter((v) => v.allowed).length, 3);
  });

  it('prunes only the windows that have run out', async () => {
    const store = databaseStore(database.db, clock);
    await database.db.query('DELETE FROM rate_limit_counters');
    await take(store.limiter('short', { points: 5, duration: 10 }), 'k');
    await take(store.limiter('long', { points: 5, duration: 600 }), 'k');
    assert.equal(await store.prune(now + 9_999), 0);
    assert.equal(await rows(), 2);
    assert.equal(await store.prune(now + 10_000), 1);
    assert.equal(await rows(), 1);
  });

  it('lets requests through, never a 500, when the database fails', async () => {
    const brokenDir = tempDir();
    const broken = await testDatabase(brokenDir.path);
    const app = new Hono().use('*', rateLimit({ name: 'down', budget: { points: 1, duration: 60 }, key: () => 'k', store: databaseStore(broken.db, clock) })).get('/', (c) => c.text('ok'));
    await broken.db.query('DROP TABLE rate_limit_counters');
    const statuses = await Promise.all([1, 2, 3].map(async () => (await app.request('/')).status));
    await broken.close();
    brokenDir.remove();
    assert.deepEqual(statuses, [200, 200, 200]);
  });
});
