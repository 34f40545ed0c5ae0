import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openCheckoutStatuses, type CheckoutState } from '../../../shared/api.ts';
import { sweepExpiredCheckouts } from '../../../server/checkout/sweeper.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRow, sqlRows, sqlRun } from '../../helpers/db.ts';
import { admin } from '../../helpers/admin.ts';
import { holdCountDrift } from '../../helpers/holds.ts';

const HOLD_LAPSED_MS = 31 * 60_000;

describe('checkout lifecycle', () => {
  // Each test has a shop of its own, stocked from the seed catalog, so every number below is exact.
  let s: TestServer;
  let offset = 0;
  beforeEach(async () => {
    offset = 0;
    s = await startTestServer({ clock: () => Date.now() + offset });
  });
  afterEach(async () => {
    // Whatever each test did to its checkouts, the kept hold counts still equal the summed holds.
    assert.deepEqual(await holdCountDrift(s.db), []);
    await s.stop();
  });
  const stock = async (id: string) => await count(s, 'SELECT stock FROM products WHERE id = ?', id);
  const openCheckouts = async () => await count(s, `SELECT COUNT(*) FROM checkouts WHERE status IN (${openCheckoutStatuses.map(() => '?').join(', ')})`, ...openCheckoutStatuses);
  const stateOf = async (checkoutId: string) => (await s.api<CheckoutState>(`/api/checkouts/${checkoutId}`)).body.status;

  it('returns the same checkout for an unchanged cart; a changed cart gets a new PaymentIntent once the old one is canceled', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const first = await checkout(s, cart.id);
    const again = await checkout(s, cart.id);
    assert.deepEqual(again.body, first.body);
    await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'mug-stone', quantity: 1 } });
    const changed = await checkout(s, cart.id);
    assert.equal(changed.body.checkoutId, first.body.checkoutId);
    assert.equal(changed.body.amount, 2 * 1400 + 224);
    const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(changed.body.clientSecret));
    assert.equal(intent.amount, changed.body.amount);
    assert.notEqual(intent.id, paymentIntentId(first.body.clientSecret));
    assert.equal((await s.sdk.paymentIntents.retrieve(paymentIntentId(first.body.clientSecret))).status, 'canceled');
    assert.equal(await count(s, 'SELECT quantity FROM reservations WHERE checkout_id = ?', first.body.checkoutId), 2);
    await webhooksSettled(s);
    // The old PaymentIntent's canceled webhook leaves the checkout (and its hold) alone.
    assert.equal(await stateOf(first.body.checkoutId), 'pending');
    assert.equal(await count(s, 'SELECT quantity FROM reservations WHERE checkout_id = ?', first.body.checkoutId), 2);
  });

  it('refuses an empty cart and a coupon that stopped being valid, with clear 4xx errors', async () => {
    const empty = await cartWith(s, []);
    const res = await checkout(s, empty.id);
    assert.equal(res.status, 409);
    assert.equal(res.body.error?.code, 'cart_empty');
    const bad = await s.api<{ error: { code: string } }>(`/api/carts/${empty.id}/checkout`, { json: { email: 'not-an-email' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    const cart = await cartWith(s, [['tee-black', 1]], 'WELCOME15');
    (await sqlRun(s.db, "UPDATE coupons SET active = 0 WHERE code = 'WELCOME15'"));
    const refused = await checkout(s, cart.id);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.error, { code: 'coupon_invalid', message: 'This code is not valid.' });
    assert.equal(await count(s, 'SELECT COUNT(*) FROM checkouts'), 0);
  });

  it('expires a stale checkout: releases its stock and cancels its PaymentIntent', async () => {
    const cart = await cartWith(s, [['print-limited', 3]]);
    const started = await checkout(s, cart.id);
    const other = await cartWith(s, []);
    const blocked = await s.api<{ error: { code: string; message: string } }>(`/api/carts/${other.id}/items`, { json: { productId: 'print-limited', quantity: 1 } });
    assert.deepEqual(blocked.body.error, { code: 'out_of_stock', message: 'Limited Print is sold out.', details: { productId: 'print-limited', name: 'Limited Print', available: 0 } });
    assert.equal(await openCheckouts(), 1);
    offset += HOLD_LAPSED_MS;
    assert.equal(await sweepExpiredCheckouts(s.checkout), 1);
    offset -= HOLD_LAPSED_MS;
    assert.equal(await openCheckouts(), 0);
    const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
    assert.equal(intent.status, 'canceled');
    assert.equal(await stateOf(started.body.checkoutId), 'canceled');
    const now = await s.api(`/api/carts/${other.id}/items`, { json: { productId: 'print-limited', quantity: 1 } });
    assert.equal(now.status, 200);
    assert.equal(await stock('print-limited'), 3);
    await webhooksSettled(s);
  });

  it('keeps a payment that succeeds after its hold lapsed and the stock is gone as needs_attention, refunds it and tells the shopper', async () => {
    (await sqlRun(s.db, "UPDATE products SET stock = 1 WHERE id = 'cap-navy'"));
    const late = await cartWith(s, [['cap-navy', 1]]);
    const lateCheckout = await checkout(s, late.id, 'late@example.com');
    // 22.00 + 8 % tax = 23.76
    assert.equal(lateCheckout.body.amount, 2376);
    offset += HOLD_LAPSED_MS; // the hold lapses before the shopper pays...
    const early = await cartWith(s, [['cap-navy', 1]]);
    const earlyCheckout = await checkout(s, early.id, 'early@example.com');
    await pay(s, earlyCheckout.body.clientSecret);
    await webhooksSettled(s);
    await pay(s, lateCheckout.body.clientSecret); // ...and then pays anyway
    await webhooksSettled(s);
    offset -= HOLD_LAPSED_MS;
    assert.equal(await stock('cap-navy'), 0);
    const order = (await sqlRow(s.db, 'SELECT status, attention_reason AS reason, amount_refunded AS refunded, total FROM orders WHERE checkout_id = ?', lateCheckout.body.checkoutId));
    assert.deepEqual(order, { status: 'refunded', reason: 'stock_gone', refunded: 2376, total: 2376 });
    const lateOrder = (await s.checkout.orders.byCheckout(lateCheckout.body.checkoutId))!;
    const history = await admin<{ events: { kind: string; text: string }[] }>(s, `/orders/${lateOrder.id}`);
    assert.deepEqual(history.body.events.filter((e) => e.kind === 'order_created').map((e) => e.text), [`Order ${lateOrder.number} created (needs attention: stock_gone)`]);
    assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'late@example.com'"), 2); // needs attention, then refunded
    assert.deepEqual((await sqlRows(s.db, 'SELECT status, email FROM orders ORDER BY created_at, number')), [
      { status: 'paid', email: 'early@example.com' },
      { status: 'refunded', email: 'late@example.com' },
    ]);
  });

  it('marks a fully refunded order refunded and restocks it once; a partial refund is recorded, not restocked', async () => {
    const cart = await cartWith(s, [['tee-white', 2]]);
    const started = await checkout(s, cart.id);
    // 2 x 25.00 + 8 % tax = 54.00
    assert.equal(started.body.amount, 5400);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    assert.equal(await stock('tee-white'), 40 - 2);
    const pi = paymentIntentId(started.body.clientSecret);
    await s.sdk.refunds.create({ payment_intent: pi, amount: 1000 });
    await webhooksSettled(s);
    let order = (await sqlRow(s.db, 'SELECT status, amount_refunded AS refunded FROM orders WHERE payment_intent_id = ?', pi));
    assert.deepEqual(order, { status: 'partially_refunded', refunded: 1000 });
    assert.equal(await stock('tee-white'), 40 - 2);
    await s.sdk.refunds.create({ payment_intent: pi });
    await webhooksSettled(s);
    order = (await sqlRow(s.db, 'SELECT status, amount_refunded AS refunded FROM orders WHERE payment_intent_id = ?', pi));
    assert.deepEqual(order, { status: 'refunded', refunded: 5400 });
    assert.equal(await stock('tee-white'), 40);
  });

  it('shows orders and checkouts to the admin only', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const paid = [];
    for (const [productId, email] of [['mug-stone', 'one@example.com'], ['cap-navy', 'two@example.com']] as const) {
      const started = await checkout(s, (await cartWith(s, [[productId, 1]])).id, email);
      await pay(s, started.body.clientSecret);
      paid.push(started.body.checkoutId);
    }
    const abandoned = await checkout(s, (await cartWith(s, [['tee-black', 1]])).id, 'three@example.com');
    await webhooksSettled(s);
    offset += HOLD_LAPSED_MS;
    assert.equal(await sweepExpiredCheckouts(s.checkout), 1);
    offset -= HOLD_LAPSED_MS;

    assert.equal((await s.api('/api/admin/orders')).status, 401);
    const res = await s.api<{ orders: { id: string; number: string; email: string; items: { productId: string }[]; status: string }[] }>('/api/admin/orders', { headers: admin });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.orders.map((o) => [o.email, o.status, o.items.map((i) => i.productId)]).sort(), [
      ['one@example.com', 'paid', ['mug-stone']],
      ['two@example.com', 'paid', ['cap-navy']],
    ]);
    assert.ok(res.body.orders.every((o) => /^CO-\d+$/.test(o.number)));
    const one = await s.api<{ order: { id: string } }>(`/api/admin/orders/${res.body.orders[0]!.id}`, { headers: admin });
    assert.equal(one.status, 200);
    assert.equal(one.body.order.id, res.body.orders[0]!.id);
    const canceled = await s.api<{ checkouts: { id: string; status: string }[] }>('/api/admin/checkouts?status=canceled', { headers: admin });
    assert.deepEqual(canceled.body.checkouts.map((c) => [c.id, c.status]), [[abandoned.body.checkoutId, 'canceled']]);
    const paidCheckouts = await s.api<{ checkouts: { id: string }[] }>('/api/admin/checkouts?status=paid', { headers: admin });
    assert.deepEqual(paidCheckouts.body.checkouts.map((c) => c.id).sort(), [...paid].sort());
    assert.equal((await s.api('/api/admin/orders?limit=0', { headers: admin })).status, 400);
  });
});
