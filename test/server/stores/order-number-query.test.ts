/**
 * The next order number is read from an index on the number's value (migration 041), not from a
 * scan of every order: every paid webhook asks, and the scan grew with the shop's history.
 * Checked on SQLite's query plan, not on a timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OrderStore } from '../../../server/stores/order-store.ts';
import { planOf } from '../../helpers/query-plan.ts';

describe('order number query', () => {
  it('finds the highest order number on its index', async () => {
    const plan = await planOf(async (db) => {
      // The insert itself fails (no such checkout); the number was read before it.
      await new OrderStore(db).insert({
        checkoutId: 'co_none', paymentIntentId: 'pi_none', status: 'paid', attentionReason: null, email: 'a@example.com', currency: 'USD',
        items: [], totals: { subtotal: 0, discount: 0, tax: 0, total: 0 }, shipping: null, amountPaid: 0, couponCode: null, stockTaken: true, now: 0,
      }).catch(() => undefined);
    }, /MAX\(/);
    assert.match(plan, /SEARCH orders USING COVERING INDEX orders_number_value/);
  });
});
