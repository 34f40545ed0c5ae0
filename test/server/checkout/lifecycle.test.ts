import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutState } from '../../../shared/api.ts';
import { sweepExpiredCheckouts } from '../../../server/checkout/sweeper.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';

describe('checkout lifecycle', () => {
  let s: TestServer;
  let offset = 0;
  before(async () => { s = await startTestServer({ clock: () => Date.now() + offset }); });
  after(() => s.stop());
  const stock = (id: string) => count(s, 'SELECT stock FROM products WHERE id = ?', id);

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
    assert.equal(count(s, 'SELECT quantity FROM reservations WHERE checkout_id = ?', first.body.checkoutId), 2);
    await webhooksSettled(s);
    // The old PaymentIntent's canceled webhook leaves the checkout (and its hold) alone.
    assert.equal((await s.api<CheckoutState>(`/api/checkouts/${first.body.checkoutId}`)).body.status, 'pending');
    assert.equal(count(s, 'SELECT quantity FROM reservations WHERE checkout_id = ?', first.body.checkoutId), 2);
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
    s.db.prepare("UPDATE coupons SET active = 0 WHERE code = 'WELCOME15'").run();
    const refused = await checkout(s, cart.id);
    s.db.prepare("UPDATE coupons SET active = 1 WHERE code = 'WELCOME15'").run();
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error?.code, 'coupon_invalid');
    assert.equal(count(s, 'SELECT COUNT(*) FROM checkouts WHERE cart_id = ?', cart.id), 0);
  });

  it('expires a stale checkout: releases its stock and cancels its PaymentIntent', async () => {
    const cart = await cartWith(s, [['print-limited', 3]]);
    const started = await checkout(s, cart.id);
    const other = await cartWith(s, []);
    const blocked = await s.api<{ error: { code: string } }>(`/api/carts/${other.id}/items`, { json: { productId: 'print-limited', quantity: 1 } });
    assert.equal(blocked.body.error.code, 'out_of_stock');
    const open = count(s, "SELECT COUNT(*) FROM checkouts WHERE status IN ('pending', 'processing', 'failed')");
    assert.ok(open >= 1);
    offset += 31 * 60_000;
    assert.equal(await sweepExpiredCheckouts(s.checkout), open);
    offset -= 31 * 60_000;
    const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
    assert.equal(intent.status, 'canceled');
    assert.equal((await s.api<CheckoutState>(`/api/checkouts/${started.body.checkoutId}`)).body.status, 'canceled');
    const now = await s.api(`/api/carts/${other.id}/items`, { json: { productId: 'print-limited', quantity: 1 } });
    assert.equal(now.status, 200);
    await webhooksSettled(s);
  });

  it('keeps a payment that succeeds after its hold lapsed and the stock is gone as needs_attention, refunds it and tells the shopper', async () => {
    s.db.prepare("UPDATE products SET stock = 1 WHERE id = 'cap-navy'").run();
    const late = await cartWith(s, [['cap-navy', 1]]);
    const lateCheckout = await checkout(s, late.id, 'late@example.com');
    offset += 31 * 60_000; // the hold lapses before the shopper pays...
    const early = await cartWith(s, [['cap-navy', 1]]);
    const earlyCheckout = await checkout(s, early.id, 'early@example.com');
    await pay(s, earlyCheckout.body.clientSecret);
    await webhooksSettled(s);
    await pay(s, lateCheckout.body.clientSecret); // ...and then pays anyway
    await webhooksSettled(s);
    offset -= 31 * 60_000;
    assert.equal(stock('cap-navy'), 0);
    const order = s.db.prepare('SELECT status, attention_reason AS reason, amount_refunded AS refunded, total FROM orders WHERE checkout_id = ?')
      .get(lateCheckout.body.checkoutId) as { status: string; reason: string; refunded: number; total: number };
    assert.deepEqual(order, { status: 'refunded', reason: 'stock_gone', refunded: order.total, total: lateCheckout.body.amount });
    assert.equal(count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'late@example.com'"), 2); // needs attention, then refunded
    assert.equal(count(s, "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND email = 'early@example.com'"), 1);
  });

  it('marks a fully refunded order refunded and restocks it once; a partial refund is recorded, not restocked', async () => {
    const cart = await cartWith(s, [['tee-white', 2]]);
    const started = await checkout(s, cart.id);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const afterSale = stock('tee-white');
    const pi = paymentIntentId(started.body.clientSecret);
    await s.sdk.refunds.create({ payment_intent: pi, amount: 1000 });
    await webhooksSettled(s);
    let order = s.db.prepare('SELECT status, amount_refunded AS refunded FROM orders WHERE payment_intent_id = ?').get(pi);
    assert.deepEqual(order, { status: 'partially_refunded', refunded: 1000 });
    assert.equal(stock('tee-white'), afterSale);
    await s.sdk.refunds.create({ payment_intent: pi });
    await webhooksSettled(s);
    order = s.db.prepare('SELECT status, amount_refunded AS refunded FROM orders WHERE payment_intent_id = ?').get(pi);
    assert.deepEqual(order, { status: 'refunded', refunded: started.body.amount });
    assert.equal(stock('tee-white'), afterSale + 2);
  });

  it('shows orders and checkouts to the admin only', async () => {
    assert.equal((await s.api('/api/admin/orders')).status, 401);
    const res = await s.api<{ orders: { number: string; items: unknown[]; status: string }[] }>('/api/admin/orders', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(res.status, 200);
    assert.ok(res.body.orders.length >= 3);
    assert.ok(res.body.orders.every((o) => /^CO-\d+$/.test(o.number) && o.items.length > 0));
    const one = await s.api<{ order: { id: string } }>(`/api/admin/orders/${(res.body.orders[0] as unknown as { id: string }).id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(one.status, 200);
    const canceled = await s.api<{ checkouts: { status: string }[] }>('/api/admin/checkouts?status=canceled', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.ok(canceled.body.checkouts.length >= 1 && canceled.body.checkouts.every((c) => c.status === 'canceled'));
    assert.equal((await s.api('/api/admin/orders?limit=0', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 400);
  });
});
