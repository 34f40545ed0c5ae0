/**
 * Coupons limited per customer (by email): refused when a checkout starts for an email that may
 * not use them, and, should the limit be broken while a payment was under way, the payment is
 * refunded like a coupon that ran out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerCouponMessages } from '../../../shared/messages.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { cartWith, checkout, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRows, sqlRun } from '../../helpers/db.ts';

describe('coupons limited per customer', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    for (const json of [
      { code: 'FIRST20', type: 'percentage', value: 20, firstOrderOnly: true },
      { code: 'ONCE5', type: 'fixed', value: 500, oncePerCustomer: true },
    ]) assert.equal((await admin(s, '/coupons', { json })).status, 201);
  });
  after(() => s.stop());

  const openCheckouts = async (email: string) => await count(s, "SELECT COUNT(*) FROM checkouts WHERE email = ? AND status = 'pending'", email);

  it('first order only: refused for an email with a paid order (in any case), nothing held; a new email gets it', async () => {
    await paidOrder(s, [['mug-stone', 1]], 'returning@example.com');
    const cart = await cartWith(s, [['tee-black', 1]], 'FIRST20');
    const refused = await checkout(s, cart.id, 'Returning@Example.com');
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body.error, { code: 'coupon_first_order_only', message: customerCouponMessages.couponFirstOrderOnly });
    assert.equal(await openCheckouts('Returning@Example.com'), 0);
    const fresh = await checkout(s, cart.id, 'new@example.com');
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body.totals.discount, 500);
  });

  it('an order refunded for want of stock is no first order: the email still gets the coupon', async () => {
    (await sqlRun(s.db, "UPDATE checkouts SET status = 'needs_attention' WHERE id = (SELECT checkout_id FROM orders WHERE email = 'returning@example.com')"));
    const cart = await cartWith(s, [['tee-black', 1]], 'FIRST20');
    assert.equal((await checkout(s, cart.id, 'returning@example.com')).status, 200);
    (await sqlRun(s.db, "UPDATE checkouts SET status = 'paid' WHERE id = (SELECT checkout_id FROM orders WHERE email = 'returning@example.com')"));
  });

  it('once per customer: the second checkout of an email that used it is refused', async () => {
    await paidOrder(s, [['hoodie-grey', 1]], 'once@example.com', 'ONCE5');
    const cart = await cartWith(s, [['hoodie-grey', 1]], 'ONCE5');
    const refused = await checkout(s, cart.id, 'once@example.com');
    assert.deepEqual([refused.status, refused.body.error], [409, { code: 'coupon_once_per_customer', message: customerCouponMessages.couponOncePerCustomer }]);
    assert.equal((await checkout(s, cart.id, 'someone-else@example.com')).status, 200);
  });

  it('two first orders paid at once: the second payment is refunded as coupon_gone and its order needs attention', async () => {
    const [a, b] = [await cartWith(s, [['cap-navy', 1]], 'FIRST20'), await cartWith(s, [['cap-navy', 1]], 'FIRST20')];
    const [first, second] = [await checkout(s, a.id, 'twice@example.com'), await checkout(s, b.id, 'twice@example.com')];
    assert.deepEqual([first.status, second.status], [200, 200]);
    await pay(s, first.body.clientSecret);
    await webhooksSettled(s);
    await pay(s, second.body.clientSecret);
    await webhooksSettled(s);
    const orders = (await sqlRows(s.db, "SELECT status, attention_reason AS reason FROM orders WHERE email = 'twice@example.com' ORDER BY number"));
    assert.deepEqual(orders, [{ status: 'paid', reason: null }, { status: 'refunded', reason: 'coupon_gone' }]);
    assert.equal(await count(s, "SELECT COUNT(*) FROM automatic_refunds WHERE reason = 'coupon_gone' AND status = 'refunded'"), 1);
    assert.equal(await count(s, "SELECT uses FROM coupons WHERE code = 'FIRST20'"), 1);
  });
});
