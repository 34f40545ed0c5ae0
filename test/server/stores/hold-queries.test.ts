/**
 * Holds are read from the kept counts (migration 040) less the lapsed and the asking cart's own
 * checkouts, never from the whole history nor from every open checkout: every cart read prices
 * its coupon and every paid webhook checks its stock, and a query that walked every checkout that
 * ever used the code grew with the shop's sales (half of a cart read's time after 3k orders), one
 * that summed every open checkout with the open checkouts (27 % of a webhook with 2,000 open).
 * Checked on SQLite's query plan, not on a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CheckoutStore } from '../../../server/stores/checkout-store.ts';
import { planOf } from '../../helpers/query-plan.ts';

describe('hold queries', () => {
  it('count a coupon\'s held uses from its kept count, the lapsed checkouts and the cart\'s own, not from every checkout with the code', async () => {
    const plan = await planOf((db) => new CheckoutStore(db).couponUsesHeld('WELCOME15', Date.now(), 'cart'), /coupon_code/);
    assert.match(plan, /SEARCH coupon_holds USING PRIMARY KEY/);
    assert.match(plan, /SEARCH checkouts USING INDEX checkouts_status_expiry \(status=\? AND expires_at<\?\)/);
    assert.match(plan, /SEARCH checkouts USING INDEX checkouts_one_open_per_cart \(cart_id=\?\)/);
    assert.doesNotMatch(plan, /checkouts_coupon/);
    assert.doesNotMatch(plan, /SCAN (?!CONSTANT ROW)/);
  });

  it('count held stock from its kept count, the lapsed checkouts and the cart\'s own, each looking up its reservation', async () => {
    const plan = await planOf((db) => new CheckoutStore(db).stockHeld('tee-black', Date.now(), 'cart'), /reservations/);
    assert.match(plan, /SEARCH product_holds USING PRIMARY KEY/);
    assert.match(plan, /SEARCH c USING INDEX checkouts_status_expiry \(status=\? AND expires_at<\?\)/);
    assert.match(plan, /SEARCH c USING INDEX checkouts_one_open_per_cart \(cart_id=\?\)/);
    assert.doesNotMatch(plan, /reservations_product/);
    assert.doesNotMatch(plan, /SCAN (?!CONSTANT ROW)/);
  });
});
