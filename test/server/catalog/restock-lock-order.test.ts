/**
 * On PostgreSQL a refund's restock and a payment's sale write the same products' rows, so both
 * must lock them in one order, product id order, as Catalog.lockStockAndCoupon says every writer
 * does. The restock's one UPDATE locks rows in the order its plan walks them (a scan of the table
 * meets them as they lie), so a refund and a payment for the same two products could each hold one
 * and wait for the other: a deadlock, which PostgreSQL breaks only after deadlock_timeout (1 s by
 * default) with both holding their products meanwhile, and one transaction run again. Here the
 * products lie against id order and the restock's session is held to a table scan, so the order
 * it locks in is its own choice and not the planner's luck.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Catalog } from '../../../server/catalog/catalog.ts';
import { sql } from '../../../server/db/database.ts';
import { sqlRows, sqlRun, testDatabase, TEST_ENGINE } from '../../helpers/db.ts';
import { tempDir } from '../../helpers/temp.ts';

const skip = TEST_ENGINE !== 'postgres' && 'row locks are PostgreSQL\'s: run with TEST_DATABASE=postgres (SQLite has one write lock)';

describe('restock lock order', { skip }, () => {
  const dir = tempDir('checkout-restock-locks-');
  let t: Awaited<ReturnType<typeof testDatabase>>;
  let paying: pg.Client;

  before(async () => {
    t = await testDatabase(dir.path);
    paying = new pg.Client({ connectionString: t.location.url });
    await paying.connect();
  });
  after(async () => {
    await paying.end();
    await t.close();
    dir.remove();
  });

  it('a refund restocking takes no product while it waits for a payment holding another', async () => {
    // The rows lie b before a: a walk in table order meets b first.
    for (const id of ['b', 'a']) await sqlRun(t.db, `INSERT INTO products (id, name, price, currency, stock) VALUES (?, ?, 100, 'USD', 5)`, id, id);
    const catalog = new Catalog(t.db, 'USD');

    await paying.query('BEGIN');
    // A payment's locks, taken in product id order: a first.
    await paying.query(`SELECT id FROM products WHERE id = 'a' FOR UPDATE`);
    let restockPid = 0;
    const restocked = t.db.tx(async () => {
      await t.db.run(sql`SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off`);
      restockPid = Number(await t.db.value(sql`SELECT pg_backend_pid()`));
      await catalog.restock([{ productId: 'a', quantity: 1 }, { productId: 'b', quantity: 2 }]);
    });
    // Until the restock waits for the payment's lock on a.
    for (let waiting = false; !waiting;) {
      const rows = await sqlRows<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'`, restockPid);
      waiting = rows[0]!.n === 1;
    }
    // The payment's next lock, b, is free: the waiting restock holds nothing the payment needs.
    const b = await paying.query(`SELECT id FROM products WHERE id = 'b' FOR UPDATE NOWAIT`).then(() => 'locked', (err: { code?: string }) => err.code);
    if (b === 'locked') {
      await paying.query(`UPDATE products SET stock = stock - 1 WHERE id IN ('a', 'b')`);
      await paying.query('COMMIT');
    } else await paying.query('ROLLBACK');
    await restocked;
    assert.equal(b, 'locked');
    const stock = await sqlRows<{ id: string; stock: number }>(t.db, 'SELECT id, stock FROM products ORDER BY id');
    assert.deepEqual(stock.map((r) => [r.id, Number(r.stock)]), [['a', 5], ['b', 6]]);
  });
});
