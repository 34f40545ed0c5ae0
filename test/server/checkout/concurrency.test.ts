import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Runs `work` over `items`, `width` at a time: concurrent, but bounded. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

describe('concurrent checkouts', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    const res = await s.api('/api/admin/catalog', {
      method: 'PUT', headers: admin,
      json: {
        products: [
          { id: 'drop', name: 'Limited drop', price: 5000, stock: 10 },
          { id: 'bulk', name: 'Bulk item', price: 1000, stock: 1000 },
        ],
        coupons: [{ code: 'FIVE', type: 'percentage', value: 20, maxUses: 5 }, { code: 'MANY', type: 'fixed', value: 100, maxUses: 1000 }],
      },
    });
    assert.equal(res.status, 200);
  });
  after(() => s.stop());

  it('lets exactly 10 of 30 concurrent checkouts reserve a product with stock 10; stock never goes below 0', async () => {
    const carts = await inBatches(Array.from({ length: 30 }, (_, i) => i), 10, () => cartWith(s, [['drop', 1]]));
    const results = await Promise.all(carts.map((c) => checkout(s, c.id)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    assert.equal(ok.length, 10);
    assert.equal(refused.length, 20);
    for (const r of refused) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error?.code, 'out_of_stock');
    }
    await Promise.all(ok.map((r) => pay(s, r.body.clientSecret)));
    await webhooksSettled(s);
    assert.equal(count(s, "SELECT stock FROM products WHERE id = 'drop'"), 0);
    assert.equal(count(s, "SELECT COUNT(*) FROM order_items WHERE product_id = 'drop'"), 10);
    // Nothing left to sell: a new cart can't even add it.
    const fresh = await cartWith(s, []);
    const late = await s.api<{ error: { code: string } }>(`/api/carts/${fresh.id}/items`, { json: { productId: 'drop', quantity: 1 } });
    assert.equal(late.body.error.code, 'out_of_stock');
  });

  it('holds a coupon with max_uses 5 for exactly 5 of 20 concurrent checkouts, and counts exactly 5 uses once all pay', async () => {
    const carts = await inBatches(Array.from({ length: 20 }, (_, i) => i), 10, () => cartWith(s, [['bulk', 2]], 'five'));
    const results = await Promise.all(carts.map((c) => checkout(s, c.id)));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    assert.equal(ok.length, 5);
    assert.equal(refused.length, 15);
    for (const r of refused) assert.equal(r.body.error?.code, 'coupon_exhausted');
    for (const r of ok) {
      // 2 x 1000 = 2000, 20 % off = 400, tax 8 % of 1600 = 128: what was shown is what is charged.
      assert.equal(r.body.amount, 1728);
      const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(r.body.clientSecret));
      assert.equal(intent.amount, 1728);
    }
    await Promise.all(ok.map((r) => pay(s, r.body.clientSecret)));
    await webhooksSettled(s);
    assert.equal(count(s, "SELECT uses FROM coupons WHERE code = 'FIVE'"), 5);
    assert.equal(count(s, "SELECT COUNT(*) FROM orders WHERE coupon_code = 'FIVE'"), 5);
    assert.equal(count(s, "SELECT SUM(amount_paid) FROM orders WHERE coupon_code = 'FIVE'"), 5 * 1728);
  });

  it('makes exactly 200 orders from 200 payments whose webhooks arrive 3 times each, shuffled and concurrent', async () => {
    const stockBefore = count(s, "SELECT stock FROM products WHERE id = 'bulk'");
    const usesBefore = count(s, "SELECT uses FROM coupons WHERE code = 'MANY'");
    const ordersBefore = count(s, 'SELECT COUNT(*) FROM orders');
    s.stripe.emulator!.webhooks.configure({ copies: 3, shuffle: true, paused: true, concurrency: 8 });
    const started = await inBatches(Array.from({ length: 200 }, (_, i) => i), 10, async (i) => {
      const cart = await cartWith(s, [['bulk', 1 + (i % 3)]], i % 2 === 0 ? 'MANY' : undefined);
      const res = await checkout(s, cart.id, `buyer${i}@example.com`);
      assert.equal(res.status, 200);
      const paid = await pay(s, res.body.clientSecret);
      assert.equal((paid as { status?: string }).status, 'succeeded');
      return { units: 1 + (i % 3), coupon: i % 2 === 0, checkoutId: res.body.checkoutId };
    });
    await webhooksSettled(s);
    s.stripe.emulator!.webhooks.configure({ copies: 1, shuffle: false, paused: false, concurrency: 1 });

    const units = started.reduce((n, p) => n + p.units, 0);
    assert.equal(count(s, 'SELECT COUNT(*) FROM orders') - ordersBefore, 200);
    assert.equal(count(s, "SELECT COUNT(*) FROM checkouts WHERE status = 'paid' AND email LIKE 'buyer%'"), 200);
    assert.equal(count(s, "SELECT stock FROM products WHERE id = 'bulk'"), stockBefore - units);
    assert.equal(count(s, "SELECT uses FROM coupons WHERE code = 'MANY'"), usesBefore + 100);
    assert.equal(count(s, "SELECT COUNT(*) FROM outbox WHERE recipient LIKE 'buyer%'"), 200);
    assert.ok(count(s, 'SELECT COUNT(*) FROM webhook_events') >= 200 * 3, 'every event was received');
  });
});
