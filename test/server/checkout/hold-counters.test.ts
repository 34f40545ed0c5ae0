/**
 * The hold counts (migration 040) stay equal to the holds summed from the rows through every way a
 * checkout moves: concurrent starts, a changed cart, payments, a decline, a removed coupon, lapsing,
 * the sweeper, a refund, a deleted checkout. And what the stores answer from them is what summing
 * every open checkout answered before: the same numbers, exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openCheckoutStatuses } from '../../../shared/api.ts';
import { sweepExpiredCheckouts } from '../../../server/checkout/sweeper.ts';
import { sql } from '../../../server/db/database.ts';
import { ADMIN_TOKEN, cartWith, checkout, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { holdCountDrift, keptHolds } from '../../helpers/holds.ts';
import { sqlRun } from '../../helpers/db.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const HOLD_LAPSED_MS = 31 * 60_000;
const OPEN = sql.raw(`status IN (${openCheckoutStatuses.map((s) => `'${s}'`).join(', ')})`);

describe('hold counts', () => {
  let s: TestServer;
  let offset = 0;
  const now = () => Date.now() + offset;
  before(async () => {
    s = await startTestServer({ clock: now });
    const res = await s.api('/api/admin/catalog', {
      method: 'PUT', headers: admin,
      json: {
        products: [{ id: 'drop', name: 'Limited drop', price: 5000, stock: 10 }, { id: 'bulk', name: 'Bulk item', price: 1000, stock: 1000 }],
        coupons: [{ code: 'FIVE', type: 'percentage', value: 20, maxUses: 100 }],
      },
    });
    assert.equal(res.status, 200);
  });
  after(() => s.stop());

  /** The holds as the stores counted them before the counts existed: every open checkout summed. */
  const summedHeld = async (productId: string, exceptCartId?: string) => Number(await s.db.value(sql`SELECT COALESCE(SUM(r.quantity), 0)
    FROM reservations r JOIN checkouts c ON c.id = r.checkout_id
    WHERE r.product_id = ${productId} AND c.${OPEN} AND c.expires_at > ${now()} AND c.cart_id IS DISTINCT FROM ${exceptCartId ?? null}`));
  const summedUses = async (code: string, exceptCartId?: string) => Number(await s.db.value(sql`SELECT COUNT(*) FROM checkouts
    WHERE coupon_code = ${code} AND ${OPEN} AND expires_at > ${now()} AND cart_id IS DISTINCT FROM ${exceptCartId ?? null}`));

  /** No drift, and the stores' answers (for everyone, and for each of `carts`) equal the sums. */
  async function assertHoldsExact(carts: string[]): Promise<void> {
    assert.deepEqual(await holdCountDrift(s.db), []);
    for (const except of [undefined, ...carts]) {
      for (const product of ['drop', 'bulk']) {
        assert.equal(await s.checkout.checkouts.stockHeld(product, now(), except), await summedHeld(product, except), `${product} except ${except}`);
      }
      assert.equal(await s.checkout.checkouts.couponUsesHeld('FIVE', now(), except), await summedUses('FIVE', except), `FIVE except ${except}`);
    }
  }

  let started: { cartId: string; checkoutId: string; clientSecret: string }[] = [];

  it('counts exactly the 10 of 30 concurrent checkouts that got the last 10 units', async () => {
    const carts = await Promise.all(Array.from({ length: 30 }, () => cartWith(s, [['drop', 1], ['bulk', 2]], 'FIVE')));
    const results = await Promise.all(carts.map(async (c) => ({ cartId: c.id, res: await checkout(s, c.id) })));
    started = results.filter((r) => r.res.status === 200).map((r) => ({ cartId: r.cartId, checkoutId: r.res.body.checkoutId, clientSecret: r.res.body.clientSecret }));
    assert.equal(started.length, 10);
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 10, coupon: 10 });
    assert.deepEqual(await keptHolds(s.db, 'bulk'), { stock: 20, coupon: 0 });
    await assertHoldsExact(started.map((c) => c.cartId));
  });

  it('follows a changed cart, payments, a decline and a removed coupon', async () => {
    const [changed, uncoupon, declined, ...rest] = started;
    await s.api(`/api/carts/${changed!.cartId}/items`, { json: { productId: 'bulk', quantity: 3 } });
    assert.equal((await checkout(s, changed!.cartId)).status, 200);
    assert.deepEqual(await keptHolds(s.db, 'bulk'), { stock: 23, coupon: 0 });

    await s.api(`/api/carts/${uncoupon!.cartId}/coupon`, { method: 'DELETE' });
    assert.equal((await checkout(s, uncoupon!.cartId)).status, 200);
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 10, coupon: 9 });

    await pay(s, declined!.clientSecret, 'pm_card_chargeDeclined');
    const paid = rest.slice(0, 4);
    await Promise.all(paid.map((c) => pay(s, c.clientSecret)));
    await webhooksSettled(s);
    // A declined checkout is still open (payable again), so it still holds.
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 6, coupon: 5 });
    assert.deepEqual(await keptHolds(s.db, 'bulk'), { stock: 23 - 8, coupon: 0 });
    await assertHoldsExact(started.map((c) => c.cartId));
  });

  it('leaves lapsed holds out of the answers at once, and out of the counts when swept', async () => {
    offset += HOLD_LAPSED_MS;
    // Lapsed but not yet swept: counted, but no longer held; the declined checkout's hold lasts
    // as long as its recovery link, so it alone still holds.
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 6, coupon: 5 });
    assert.equal(await s.checkout.checkouts.stockHeld('drop', now()), 1);
    assert.equal(await s.checkout.checkouts.couponUsesHeld('FIVE', now()), 1);
    await assertHoldsExact(started.map((c) => c.cartId));
    assert.equal(await sweepExpiredCheckouts(s.checkout), 5);
    await webhooksSettled(s);
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 1, coupon: 1 });
    assert.deepEqual(await keptHolds(s.db, 'bulk'), { stock: 2, coupon: 0 });
    offset -= HOLD_LAPSED_MS;
    await assertHoldsExact(started.map((c) => c.cartId));
  });

  it('is untouched by a refund, and by a checkout deleted with its reservations', async () => {
    const order = started[4]!;
    await s.sdk.refunds.create({ payment_intent: paymentIntentId(order.clientSecret) });
    await webhooksSettled(s);
    const cart = await cartWith(s, [['drop', 2], ['bulk', 1]], 'FIVE');
    const open = await checkout(s, cart.id);
    assert.equal(open.status, 200);
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 3, coupon: 2 });
    await assertHoldsExact([cart.id]);
    assert.equal(await sqlRun(s.db, 'DELETE FROM checkouts WHERE id = ?', open.body.checkoutId), 1);
    assert.deepEqual(await keptHolds(s.db, 'drop', 'FIVE'), { stock: 1, coupon: 1 });
    assert.deepEqual(await holdCountDrift(s.db), []);
  });

  it('refuses to edit a reservation in place, which the counts would not follow', async () => {
    const cart = await cartWith(s, [['bulk', 1]]);
    const open = await checkout(s, cart.id);
    await assert.rejects(sqlRun(s.db, 'UPDATE reservations SET quantity = 5 WHERE checkout_id = ?', open.body.checkoutId), /never updated/);
    assert.deepEqual(await holdCountDrift(s.db), []);
  });
});
