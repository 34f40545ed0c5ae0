/**
 * Holds are counted from the open, unexpired checkouts, never from the whole history: every cart
 * read prices its coupon, and a query that walked every checkout that ever used the code grew
 * with the shop's sales (half of a cart read's time after 3k orders). Checked on SQLite's query
 * plan, not on a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../../server/db/database.ts';
import { CheckoutStore } from '../../../server/stores/checkout-store.ts';

/** The SQL a store method runs, caught at prepare(), and SQLite's plan for it. */
function planOf(db: Db, call: (store: CheckoutStore) => void, about: RegExp): string {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  (db as { prepare: Db['prepare'] }).prepare = ((sql: string) => { seen.push(sql); return prepare(sql); }) as Db['prepare'];
  call(new CheckoutStore(db));
  const sql = seen.find((s) => about.test(s));
  assert.ok(sql, `no statement matching ${about}`);
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('; ');
}

describe('hold queries', () => {
  it('count a coupon\'s held uses from open checkouts, not from every checkout with the code', () => {
    const plan = planOf(openDatabase(':memory:'), (s) => s.couponUsesHeld('WELCOME15', Date.now(), 'cart'), /coupon_code/);
    assert.match(plan, /checkouts_status_expiry/);
    assert.doesNotMatch(plan, /checkouts_coupon/);
  });

  it('count held stock from open checkouts, looking up each one\'s reservation', () => {
    const plan = planOf(openDatabase(':memory:'), (s) => s.stockHeld('tee-black', Date.now(), 'cart'), /reservations/);
    assert.match(plan, /SEARCH c USING INDEX checkouts_status_expiry/);
    assert.doesNotMatch(plan, /SCAN/);
  });
});
