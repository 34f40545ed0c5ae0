/**
 * A page passes its own `shipping` when it confirms the payment (Stripe takes it on confirm): the
 * order still ships to the address the checkout priced, is neither held nor refunded, and its
 * history tells the merchant, once, that the payment said another address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { ShippingBody } from '../../../shared/api.ts';
import { admin } from '../../helpers/admin.ts';
import { cartWith, checkout, count, paymentIntentId, returnUrl, startTestServer, US_SHIPPING, webhooksSettled, type TestServer } from '../../helpers/server.ts';

type Detail = { order: { id: string; status: string; shipping: ShippingBody | null }; events: { kind: string; text: string }[]; address: { name: string; lines: string[] } | null };

const ELSEWHERE: Stripe.PaymentIntentConfirmParams.Shipping = {
  name: 'Mallory Hostile', address: { line1: '9 Drop Lane', city: 'Elsewhere', state: 'NY', postal_code: '10001', country: 'US' },
};
const PRICED = 'Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US';

describe('shipping on the payment that differs from the order\'s', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ shipping: true });
    const made = await admin(s, '/products', { json: { id: 'gift-card', name: 'Gift card', price: 5000, stock: 100, shippable: false } });
    assert.equal(made.status, 201);
  });
  after(() => s.stop());

  /** Starts a checkout and pays it through the official SDK's confirm, with the page's `shipping` if given. */
  async function payWith(email: string, lines: [string, number][], shipping: ShippingBody | undefined, confirmShipping?: Stripe.Emptyable<Stripe.PaymentIntentConfirmParams.Shipping>) {
    const started = await checkout(s, (await cartWith(s, lines)).id, email, shipping);
    assert.equal(started.status, 200);
    const paid = await s.sdk.paymentIntents.confirm(paymentIntentId(started.body.clientSecret), {
      payment_method: 'pm_card_visa', return_url: returnUrl(s), ...(confirmShipping === undefined ? {} : { shipping: confirmShipping }),
    });
    assert.equal(paid.status, 'succeeded');
    await webhooksSettled(s);
    // The shopper's page reads the status too: a second way to the same order.
    assert.equal((await s.api(`/api/checkouts/${started.body.checkoutId}`)).status, 200);
    const orders = await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId);
    assert.equal(orders, 1, 'exactly one order');
    const order = (await s.checkout.orders.byCheckout(started.body.checkoutId))!;
    const detail = (await admin<Detail>(s, `/orders/${order.id}`)).body;
    return { paid, order, detail, mismatches: detail.events.filter((e) => e.kind === 'shipping_mismatch').map((e) => e.text) };
  }

  it('ships to the priced address, neither held nor refunded, and records the payment\'s other address once', async () => {
    const { paid, order, detail, mismatches } = await payWith('elsewhere@example.com', [['tee-black', 1]], US_SHIPPING, ELSEWHERE);
    // The emulator kept what the page passed on confirm, as Stripe does.
    assert.deepEqual(paid.shipping, { ...ELSEWHERE, address: { line2: null, ...ELSEWHERE.address }, carrier: null, phone: null, tracking_number: null });
    assert.deepEqual((await s.sdk.paymentIntents.retrieve(paid.id)).shipping, paid.shipping);

    assert.equal(order.status, 'paid');
    assert.deepEqual(order.shipping, { name: US_SHIPPING.name, address: US_SHIPPING.address, rate: { id: 'standard-us', label: 'Standard (3-5 business days)' } });
    assert.equal(await count(s, 'SELECT COUNT(*) FROM automatic_refunds WHERE order_id = ?', order.id), 0);
    assert.deepEqual(detail.address, { kind: 'shipping', name: 'Ada Lovelace', lines: ['12 Analytical Row', 'Springfield, IL 62701', 'US'] });
    assert.deepEqual(detail.events.map((e) => e.kind), ['checkout_started', 'order_created', 'shipping_mismatch', 'email']);
    assert.deepEqual(mismatches, [
      `Shipping on the payment differs from the order's: payment: Mallory Hostile, 9 Drop Lane, Elsewhere, NY 10001, US; order ships to: ${PRICED}`,
    ]);
  });

  it('records none for a payment whose shipping is the priced one, whether the page passes it again or not', async () => {
    const untouched = await payWith('same@example.com', [['tee-black', 1]], US_SHIPPING);
    const passedAgain = await payWith('same-again@example.com', [['tee-black', 1]], US_SHIPPING, {
      name: US_SHIPPING.name, address: { line1: '12 Analytical Row', line2: '', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    for (const { detail, mismatches } of [untouched, passedAgain]) {
      assert.deepEqual(mismatches, []);
      assert.deepEqual(detail.events.map((e) => e.kind), ['checkout_started', 'order_created', 'email']);
    }
  });

  it('records another name at the same address, and a payment stripped of its shipping', async () => {
    const renamed = await payWith('renamed@example.com', [['mug-stone', 1]], US_SHIPPING, {
      name: 'Mallory Hostile', address: { line1: '12 Analytical Row', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    assert.deepEqual(renamed.mismatches, [`Shipping on the payment differs from the order's: payment: Mallory Hostile, 12 Analytical Row, Springfield, IL 62701, US; order ships to: ${PRICED}`]);
    const stripped = await payWith('stripped@example.com', [['mug-stone', 1]], US_SHIPPING, '');
    assert.equal(stripped.paid.shipping, null);
    assert.deepEqual(stripped.mismatches, [`Shipping on the payment differs from the order's: payment: none; order ships to: ${PRICED}`]);
    assert.deepEqual([renamed.order.status, stripped.order.status], ['paid', 'paid']);
  });

  it('records none when nothing ships: the payment\'s address is then the only one', async () => {
    const { order, mismatches } = await payWith('gift@example.com', [['gift-card', 1]], undefined, ELSEWHERE);
    assert.deepEqual([order.shipping, mismatches], [null, []]);
  });
});
