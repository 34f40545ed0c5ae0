/**
 * A shop in ISK, a currency Stripe takes in two-decimal form whose decimals are always 00
 * (https://docs.stripe.com/currencies#special-cases): prices, fixed discounts, shipping and partial
 * refunds in hundredths are refused when written, discounts and tax round to whole krónur, and the
 * emulator (which refuses other amounts, as Stripe does) takes the checkout and the refund.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderRecord } from '../../../server/stores/order-store.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { cartWith, checkout, count, paymentIntentId, startTestServer, type TestServer } from '../../helpers/server.ts';

type Refused = { error: { code: string; message: string; details?: { fields: string[]; step: number } } };

describe('a shop in ISK (whole krónur only)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ env: { CURRENCY: 'ISK' } }); });
  after(() => s.stop());

  it('refuses prices, fixed discounts and shipping in hundredths of a króna, and changes nothing', async () => {
    const product = { id: 'skyr-bowl', name: 'Skyr bowl', price: 199_050, stock: 5 };
    const refused = await admin<Refused>(s, '/products', { json: product });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.details], [400, 'validation_failed', { fields: ['price'], step: 100 }]);
    assert.equal(await count(s, "SELECT COUNT(*) FROM products WHERE id = 'skyr-bowl'"), 0);
    assert.equal((await admin(s, '/products', { json: { ...product, price: 199_000 } })).status, 201);
    assert.equal((await admin<Refused>(s, '/products/skyr-bowl', { method: 'PATCH', json: { price: 150 } })).status, 400);

    const coupon = await admin<Refused>(s, '/coupons', { json: { code: 'KRONA', type: 'fixed', value: 1050 } });
    assert.deepEqual([coupon.status, coupon.body.error.details?.fields], [400, ['value']]);
    assert.equal((await admin(s, '/coupons', { json: { code: 'KRONA', type: 'fixed', value: 1000 } })).status, 201);
    assert.equal((await admin<Refused>(s, '/coupons/KRONA', { method: 'PATCH', json: { value: 999 } })).status, 400);
    assert.equal((await admin(s, '/coupons', { json: { code: 'PCT7', type: 'percentage', value: 7 } })).status, 201, 'a percentage is no amount');

    const file = await admin<Refused>(s, '/catalog', {
      method: 'PUT',
      json: { products: [{ ...product, price: 100 }, { ...product, id: 'odd', price: 101 }], shippingRates: [{ id: 'post', label: 'Póstur', amount: 990, countries: ['IS'] }] },
    });
    assert.deepEqual([file.status, file.body.error.details?.fields], [400, ['products[1].price', 'shippingRates[0].amount']]);
    assert.equal(await count(s, "SELECT price FROM products WHERE id = 'skyr-bowl'"), 199_000, 'the refused file changed nothing');
  });

  it('rounds the discount and the tax to whole krónur, and Stripe takes the amount', async () => {
    // 25 kr less 15 % (3.75 kr -> 4 kr) = 21 kr; 8 % tax = 1.68 kr -> 2 kr; 23 kr.
    const cart = await cartWith(s, [['tee-black', 1]], 'WELCOME15');
    assert.deepEqual([cart.currency, cart.totals], ['ISK', { subtotal: 2500, discount: 400, tax: 200, total: 2300 }]);
    const started = await checkout(s, cart.id, 'kr@example.com');
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
    assert.deepEqual([intent.amount, intent.currency], [2300, 'isk']);
  });

  it('refuses a partial refund in hundredths before asking Stripe, and refunds whole krónur', async () => {
    const order: OrderRecord = await paidOrder(s, [['mug-stone', 2]], 'refund-kr@example.com');
    const refused = await admin<Refused>(s, `/orders/${order.id}/refunds`, { json: { amount: 150, reason: 'chipped' } });
    assert.deepEqual([refused.status, refused.body.error.code], [400, 'validation_failed']);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM admin_refunds WHERE order_id = ?', order.id), 0);
    const refunded = await admin<{ order: OrderRecord }>(s, `/orders/${order.id}/refunds`, { json: { amount: 200, reason: 'chipped' } });
    assert.equal(refunded.status, 201, JSON.stringify(refunded.body));
    assert.deepEqual((await s.sdk.refunds.list({ payment_intent: order.paymentIntentId })).data.map((r) => [r.amount, r.currency]), [[200, 'isk']]);
    assert.deepEqual([refunded.body.order.status, refunded.body.order.amountRefunded], ['partially_refunded', 200]);
  });
});
