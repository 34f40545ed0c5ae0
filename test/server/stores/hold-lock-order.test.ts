/**
 * On PostgreSQL the hold counts (migration 040) are rows that every checkout holding a product
 * writes, so their locks must be taken in one order, product id order, by every writer: a checkout
 * starting (its reservations, inserted in product order) and another checkout closing (the trigger
 * taking its reservations out of the counts) would otherwise deadlock whenever the plan walks the
 * counts in another order (a hash join walks them as they lie in the table). Here the closing
 * session is held to such a plan, and the counts lie against product order, so that the order
 * the trigger locks in is its own choice and not the planner's luck.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { testDatabase, TEST_ENGINE } from '../../helpers/db.ts';
import { tempDir } from '../../helpers/temp.ts';

const skip = TEST_ENGINE !== 'postgres' && 'row locks are PostgreSQL\'s: run with TEST_DATABASE=postgres (SQLite has one write lock)';

describe('hold count lock order', { skip }, () => {
  const dir = tempDir('checkout-hold-locks-');
  let t: Awaited<ReturnType<typeof testDatabase>>;
  const clients: pg.Client[] = [];
  const client = async () => {
    const c = new pg.Client({ connectionString: t.location.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  before(async () => {
    t = await testDatabase(dir.path);
  });
  after(async () => {
    for (const c of clients) await c.end();
    await t.close();
    dir.remove();
  });

  it('a checkout closing waits for one starting on the same products instead of deadlocking', async () => {
    const setup = await client();
    const insertCheckout = `INSERT INTO checkouts (id, cart_id, cart_version, status, email, currency, items, subtotal, discount, tax, total, expires_at, created_at, updated_at)
      VALUES ($1, $2, 1, 'pending', 'a@example.com', 'USD', '[]', 0, 0, 0, 0, $3, 0, 0)`;
    for (const id of ['starting', 'closing']) await setup.query(insertCheckout, [id, `cart_${id}`, Date.now() + 3_600_000]);
    // The counts' rows lie b before a: a walk in table order meets b first.
    for (const product of ['b', 'a']) await setup.query(`INSERT INTO reservations (checkout_id, product_id, quantity) VALUES ('closing', $1, 1)`, [product]);

    const starting = await client();
    const closing = await client();
    await closing.query('SET enable_nestloop = off; SET enable_mergejoin = off; SET deadlock_timeout = 50');
    const closingPid = (await closing.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    await starting.query('SET deadlock_timeout = 50');
    await starting.query('BEGIN');
    await starting.query(`INSERT INTO reservations (checkout_id, product_id, quantity) VALUES ('starting', 'a', 1)`);
    const closed = closing.query(`UPDATE checkouts SET status = 'canceled' WHERE id = 'closing'`).then(() => 'closed', (err: { code?: string }) => err.code);
    // Until the closing one waits for the starting one's lock on a.
    for (let waiting = false; !waiting;) {
      const { rows } = await setup.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [closingPid]);
      waiting = rows[0].n === 1;
    }
    const started = await starting.query(`INSERT INTO reservations (checkout_id, product_id, quantity) VALUES ('starting', 'b', 1)`)
      .then(() => starting.query('COMMIT')).then(() => 'started', async (err: { code?: string }) => {
        await starting.query('ROLLBACK');
        return err.code;
      });
    assert.deepEqual([started, await closed], ['started', 'closed']);
    const { rows } = await setup.query('SELECT product_id, held FROM product_holds ORDER BY product_id');
    assert.deepEqual(rows.map((r) => [r.product_id, Number(r.held)]), [['a', 1], ['b', 1]]);
  });
});
