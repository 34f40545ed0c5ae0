import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { holdCountDrift } from '../../helpers/holds.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Runs `work` over `items`, `width` at a time: concurrent, but bounded. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

/** One webhook delivery and the server's answer to it. */
interface Delivery { eventId: string; type: string; objectId: string; status: number; outcome: string | undefined }

/** How many of `items` fall under each key, e.g. { '200 processed': 3 }. */
function tally<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('concurrent checkouts', () => {
  let s: TestServer;
  /** Every webhook delivery the server answered, counted at the door rather than by what it stored. */
  const deliveries: Delivery[] = [];
  /** The deliveries from now on, once those already queued have been answered. */
  const deliveriesFromNow = async () => {
    await webhooksSettled(s);
    const from = deliveries.length;
    return () => deliveries.slice(from);
  };
  before(async () => {
    s = await startTestServer({
      observe: async (request, answer) => {
        if (new URL(request.url).pathname !== '/webhooks/stripe') return;
        const event = (await request.json()) as { id: string; type: string; data: { object: { id: string } } };
        const { outcome } = (await answer.json()) as { outcome?: string };
        deliveries.push({ eventId: event.id, type: event.type, objectId: event.data.object.id, status: answer.status, outcome });
      },
    });
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
  after(async () => {
    // After every race above, the kept hold counts still equal the summed holds.
    assert.deepEqual(await holdCountDrift(s.db), []);
    await s.stop();
  });

  it('lets exactly 10 of 30 concurrent checkouts reserve a product with stock 10; stock never goes below 0', async () => {
    const deliveredSince = await deliveriesFromNow();
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
    const succeeded = deliveredSince().filter((d) => d.type === 'payment_intent.succeeded');
    assert.deepEqual(succeeded.map((d) => d.objectId).sort(), ok.map((r) => paymentIntentId(r.body.clientSecret)).sort());
    assert.deepEqual(tally(succeeded, (d) => `${d.status} ${d.outcome}`), { '200 processed': 10 });
    assert.equal(await count(s, "SELECT stock FROM products WHERE id = 'drop'"), 0);
    assert.equal(await count(s, "SELECT COUNT(*) FROM order_items WHERE product_id = 'drop'"), 10);
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
    assert.equal(await count(s, "SELECT uses FROM coupons WHERE code = 'FIVE'"), 5);
    assert.equal(await count(s, "SELECT COUNT(*) FROM orders WHERE coupon_code = 'FIVE'"), 5);
    assert.equal(await count(s, "SELECT SUM(amount_paid) FROM orders WHERE coupon_code = 'FIVE'"), 5 * 1728);
  });

  it('makes exactly 200 orders from 200 payments whose webhooks arrive 3 times each, shuffled and concurrent', async () => {
    const deliveredSince = await deliveriesFromNow();
    const eventsBefore = await count(s, 'SELECT COUNT(*) FROM webhook_events');
    const stockBefore = await count(s, "SELECT stock FROM products WHERE id = 'bulk'");
    const usesBefore = await count(s, "SELECT uses FROM coupons WHERE code = 'MANY'");
    const ordersBefore = await count(s, 'SELECT COUNT(*) FROM orders');
    s.stripe.emulator!.webhooks.configure({ copies: 3, shuffle: true, paused: true, concurrency: 8 });
    const started = await inBatches(Array.from({ length: 200 }, (_, i) => i), 10, async (i) => {
      const cart = await cartWith(s, [['bulk', 1 + (i % 3)]], i % 2 === 0 ? 'MANY' : undefined);
      const res = await checkout(s, cart.id, `buyer${i}@example.com`);
      assert.equal(res.status, 200);
      const paid = await pay(s, res.body.clientSecret);
      assert.equal((paid as { status?: string }).status, 'succeeded');
      return { units: 1 + (i % 3), coupon: i % 2 === 0, paymentIntentId: paymentIntentId(res.body.clientSecret) };
    });
    await webhooksSettled(s);
    s.stripe.emulator!.webhooks.configure({ copies: 1, shuffle: false, paused: false, concurrency: 1 });

    const units = started.reduce((n, p) => n + p.units, 0);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders') - ordersBefore, 200);
    assert.equal(await count(s, "SELECT COUNT(*) FROM checkouts WHERE status = 'paid' AND email LIKE 'buyer%'"), 200);
    assert.equal(await count(s, "SELECT stock FROM products WHERE id = 'bulk'"), stockBefore - units);
    assert.equal(await count(s, "SELECT uses FROM coupons WHERE code = 'MANY'"), usesBefore + 100);
    assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient LIKE 'buyer%'"), 200);
    // Every event (of whatever type) arrived exactly 3 times, and every delivery was answered 200.
    const delivered = deliveredSince();
    const events = new Set(delivered.map((d) => d.eventId));
    assert.equal(delivered.length, 3 * events.size);
    assert.deepEqual(new Set(Object.values(tally(delivered, (d) => d.eventId))), new Set([3]));
    assert.deepEqual(tally(delivered, (d) => String(d.status)), { 200: delivered.length });
    // One payment_intent.succeeded per payment: 600 deliveries, the first of each handled and the
    // other two acknowledged as duplicates; the server stored each event once.
    const succeeded = delivered.filter((d) => d.type === 'payment_intent.succeeded');
    assert.equal(succeeded.length, 600);
    assert.deepEqual([...new Set(succeeded.map((d) => d.objectId))].sort(), started.map((p) => p.paymentIntentId).sort());
    const outcomesByEvent = new Map<string, string[]>();
    for (const d of succeeded) outcomesByEvent.set(d.eventId, [...(outcomesByEvent.get(d.eventId) ?? []), String(d.outcome)]);
    assert.equal(outcomesByEvent.size, 200);
    for (const [eventId, outcomes] of outcomesByEvent) assert.deepEqual(outcomes.sort(), ['duplicate', 'duplicate', 'processed'], eventId);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM webhook_events') - eventsBefore, events.size);
  });
});
