/**
 * Holds are counted from the open, unexpired checkouts, never from the whole history: every cart
 * read prices its coupon, and a query that walked every checkout that ever used the code grew
 * with the shop's sales (half of a cart read's time after 3k orders). Checked on SQLite's query
 * plan, not on a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../server/db/database.ts';
import { CheckoutStore } from '../../../server/stores/checkout-store.ts';
import { sqlRows } from '../../helpers/db.ts';

/** The SQL a store method runs, caught as it runs, and SQLite's plan for it. */
async function planOf(call: (store: CheckoutStore) => Promise<unknown>, about: RegExp): Promise<string> {
  const seen: string[] = [];
  const db = await openDatabase({ path: ':memory:', onQuery: (sql) => seen.push(sql) });
  try {
    await call(new CheckoutStore(db));
    const sql = seen.find((s) => about.test(s));
    assert.ok(sql, `no statement matching ${about}`);
    const params = (sql.match(/\?/g) ?? []).map(() => null);
    return (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${sql}`, ...params)).map((r) => r.detail).join('; ');
  } finally {
    await db.close();
  }
}

describe('hold queries', () => {
  it('count a coupon\'s held uses from open checkouts, not from every checkout with the code', async () => {
    const plan = await planOf((s) => s.couponUsesHeld('WELCOME15', Date.now(), 'cart'), /coupon_code/);
    assert.match(plan, /checkouts_status_expiry/);
    assert.doesNotMatch(plan, /checkouts_coupon/);
  });

  it('count held stock from open checkouts, looking up each one\'s reservation', async () => {
    const plan = await planOf((s) => s.stockHeld('tee-black', Date.now(), 'cart'), /reservations/);
    assert.match(plan, /SEARCH c USING INDEX checkouts_status_expiry/);
    assert.doesNotMatch(plan, /SCAN/);
  });
});
