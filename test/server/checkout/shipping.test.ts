import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { Cart, CheckoutState, ShippingBody, ShippingQuote } from '../../../shared/api.ts';
import type { OrderRecord } from '../../../server/stores/order-store.ts';
import { admin } from '../../helpers/admin.ts';
import { cartWith, checkout, count, pay, paymentIntentId, startTestServer, US_SHIPPING, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

/** The demo's rates (server/catalog/seed.json), loaded as a merchant loads a catalog file. */
const RATES = [
  { id: 'standard-us', label: 'Standard (3-5 business days)', amount: 500, countries: ['US'], freeOverSubtotal: 7500 },
  { id: 'express-us', label: 'Express (1-2 business days)', amount: 1500, countries: ['US'] },
  { id: 'international', label: 'International (7-14 business days)', amount: 2000, countries: ['CA', 'GB', 'DE', 'FR', 'NL', 'AT', 'CH', 'AU', 'JP'] },
];

async function withRates(s: TestServer): Promise<void> {
  const loaded = await admin<{ loaded: { shippingRates: number } }>(s, '/catalog', { method: 'PUT', json: { shippingRates: RATES } });
  assert.deepEqual([loaded.status, loaded.body.loaded.shippingRates], [200, 3]);
}

const toGermany: ShippingBody = {
  name: 'Grete Müller', address: { line1: 'Hauptstraße 5', line2: 'Hinterhaus', city: 'Berlin', state: null, postal_code: '10115', country: 'DE' }, rateId: 'international',
};
const express: ShippingBody = { ...US_SHIPPING, rateId: 'express-us' };

describe('shipping at checkout', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await withRates(s);
    // A product with nothing to ship, as a merchant makes one.
    const made = await admin(s, '/products', { json: { id: 'gift-card', name: 'Gift card', price: 5000, stock: 100, shippable: false } });
    assert.equal(made.status, 201);
  });
  after(() => s.stop());

  const quote = async (cartId: string, country?: string) =>
    (await s.api<ShippingQuote>(`/api/carts/${cartId}/shipping-rates${country ? `?country=${country}` : ''}`)).body;
  const intent = (clientSecret: string) => s.sdk.paymentIntents.retrieve(paymentIntentId(clientSecret));
  const checkoutsOf = async (cartId: string) => await count(s, 'SELECT COUNT(*) FROM checkouts WHERE cart_id = ?', cartId);
  const intentsFor = async (email: string) => (await s.sdk.paymentIntents.list({ limit: 100 })).data.filter((pi) => pi.receipt_email === email);
  const orderOf = (checkoutId: string): Promise<OrderRecord | undefined> => s.checkout.orders.byCheckout(checkoutId);

  it('says a cart with shippable products needs shipping, and prices each rate for the country', async () => {
    // 1 tee: $25.00 of goods; 8 % tax on the goods only (SHIPPING_TAXABLE is off by default).
    const cart = await cartWith(s, [['tee-black', 1]]);
    assert.equal(cart.requiresShipping, true);
    const none = await quote(cart.id);
    assert.deepEqual(none, { requiresShipping: true, countries: ['AT', 'AU', 'CA', 'CH', 'DE', 'FR', 'GB', 'JP', 'NL', 'US'], rates: [] });
    const us = await quote(cart.id, 'US');
    assert.deepEqual(us.rates.map((r) => [r.id, r.amount, r.totals]), [
      ['standard-us', 500, { subtotal: 2500, discount: 0, shipping: 500, tax: 200, total: 3200 }],
      ['express-us', 1500, { subtotal: 2500, discount: 0, shipping: 1500, tax: 200, total: 4200 }],
    ]);
    assert.deepEqual((await quote(cart.id, 'DE')).rates.map((r) => [r.id, r.amount]), [['international', 2000]]);
    assert.deepEqual((await quote(cart.id, 'BR')).rates, []);
    const bad = await s.api(`/api/carts/${cart.id}/shipping-rates?country=ZZ`);
    assert.equal(bad.status, 400);
  });

  it('makes standard shipping free once the goods after discount reach $75', async () => {
    // 2 hoodies: $120.00 of goods, free; with WELCOME15 $102.00, still free.
    const big = await cartWith(s, [['hoodie-grey', 2]], 'WELCOME15');
    assert.deepEqual((await quote(big.id, 'US')).rates[0], {
      id: 'standard-us', label: 'Standard (3-5 business days)', amount: 0, totals: { subtotal: 12000, discount: 1800, shipping: 0, tax: 816, total: 11016 },
    });
    // $82.00 of goods less 15 % = $69.70: below $75 (though the subtotal is above), so the $5 applies.
    const small = await cartWith(s, [['hoodie-grey', 1], ['cap-navy', 1]], 'WELCOME15');
    assert.deepEqual((await quote(small.id, 'US')).rates[0]!.totals, { subtotal: 8200, discount: 1230, shipping: 500, tax: 558, total: 8028 });
  });

  it('refuses a checkout of a shippable cart without an address, and changes nothing', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const res = await checkout(s, cart.id, 'no-address@example.com');
    assert.deepEqual([res.status, res.body.error?.code], [400, 'shipping_required']);
    assert.equal(await checkoutsOf(cart.id), 0);
    assert.equal((await intentsFor('no-address@example.com')).length, 0);
  });

  it('charges goods + shipping + tax, puts the address on the PaymentIntent, and the order keeps both', async () => {
    // 2 tees and a mug: $64.00; express $15.00; tax 8 % of $64.00 = $5.12; total $84.12.
    const cart = await cartWith(s, [['tee-black', 2], ['mug-stone', 1]]);
    const started = await checkout(s, cart.id, 'ship@example.com', express);
    assert.equal(started.status, 200);
    assert.deepEqual(started.body.totals, { subtotal: 6400, discount: 0, shipping: 1500, tax: 512, total: 8412 });
    assert.equal(started.body.amount, 8412);
    const pi = await intent(started.body.clientSecret);
    assert.equal(pi.amount, 8412);
    assert.deepEqual(pi.shipping, {
      name: 'Ada Lovelace', carrier: null, phone: null, tracking_number: null,
      address: { line1: '12 Analytical Row', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    assert.equal((await pay(s, started.body.clientSecret) as Stripe.PaymentIntent).status, 'succeeded');
    await webhooksSettled(s);

    const order = (await orderOf(started.body.checkoutId))!;
    assert.deepEqual([order.amountPaid, order.totals], [8412, { subtotal: 6400, discount: 0, shipping: 1500, tax: 512, total: 8412 }]);
    assert.deepEqual(order.shipping, {
      name: 'Ada Lovelace', rate: { id: 'express-us', label: 'Express (1-2 business days)' },
      address: { line1: '12 Analytical Row', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    const state = (await s.api<CheckoutState>(`/api/checkouts/${started.body.checkoutId}`)).body;
    assert.deepEqual([state.shipping?.rate.id, state.order?.shipping?.name, state.order?.totals.shipping], ['express-us', 'Ada Lovelace', 1500]);

    // The merchant: the order detail's address from the order itself, the CSV's columns.
    const detail = await admin<{ address: { kind: string; name: string; lines: string[] } }>(s, `/orders/${order.id}`);
    assert.deepEqual(detail.body.address, { kind: 'shipping', name: 'Ada Lovelace', lines: ['12 Analytical Row', 'Springfield, IL 62701', 'US'] });
    const csv = await (await fetch(`${s.url}/api/admin/orders.csv?q=ship@example.com`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } })).text();
    const [header, row] = csv.trim().split(/\r?\n/);
    assert.match(header!, /,shipping,shipping_rate,ship_to_name,ship_to_address,ship_to_country$/);
    assert.match(row!, /,1500,express-us,Ada Lovelace,"12 Analytical Row, Springfield, IL 62701",US$/);

    // The shopper's confirmation email names the rate, its cost and where it goes.
    const mail = (await sqlRows(s.db, "SELECT text, html FROM outbox WHERE recipient = 'ship@example.com'")) as { text: string; html: string }[];
    assert.equal(mail.length, 1);
    const { text, html } = mail[0]!;
    assert.match(text, /Shipping \(Express \(1-2 business days\)\): \$15\.00/);
    assert.match(text, /Ships to:\nAda Lovelace\n12 Analytical Row\nSpringfield, IL 62701\nUS/);
    assert.match(html, /Ships to<\/p><p style="margin:0 0 16px">Ada Lovelace<br>12 Analytical Row<br>Springfield, IL 62701<br>US<\/p>/);
  });

  it('refuses a rate that does not exist or does not serve the country: 400, same checkout, same PaymentIntent', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    const first = await checkout(s, cart.id, 'rates@example.com', US_SHIPPING);
    assert.equal(first.status, 200);
    const attempts: [ShippingBody, string][] = [
      [{ ...US_SHIPPING, rateId: 'overnight-moon' }, 'shipping_rate_invalid'],
      [{ ...toGermany, rateId: 'express-us' }, 'shipping_rate_invalid'],
      [{ ...US_SHIPPING, rateId: 'international' }, 'shipping_rate_invalid'],
    ];
    for (const [shipping, code] of attempts) {
      const res = await checkout(s, cart.id, 'rates@example.com', shipping);
      assert.deepEqual([res.status, res.body.error?.code], [400, code], JSON.stringify(shipping));
    }
    assert.equal(await checkoutsOf(cart.id), 1);
    const intents = await intentsFor('rates@example.com');
    assert.deepEqual(intents.map((pi) => [pi.id, pi.status, pi.amount]), [[paymentIntentId(first.body.clientSecret), 'requires_payment_method', first.body.amount]]);
    const stored = (await s.checkout.checkouts.byId(first.body.checkoutId))!;
    assert.deepEqual([stored.shipping?.rate.id, stored.totals.total], ['standard-us', 2200 + 500 + 176]);
  });

  it('refuses bad countries, huge strings and control characters with 400 validation_failed', async () => {
    const cart = await cartWith(s, [['tee-white', 1]]);
    const bad: unknown[] = [
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, country: 'ZZ' } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, country: 'us' } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, country: 'USA' } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, country: 'UK' } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, country: '' } },
      { ...US_SHIPPING, name: 'x'.repeat(201) },
      { ...US_SHIPPING, name: '   ' },
      { ...US_SHIPPING, name: 'Ada\r\nBcc: everyone@example.com' },
      // Half of a surrogate pair is no character: the Stripe SDK can't encode it (a 500 before).
      { ...US_SHIPPING, name: 'Ada \uD800' },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, line1: '\uDC00 Analytical Row' } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, line1: 'y'.repeat(5000) } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, postal_code: '9'.repeat(21) } },
      { ...US_SHIPPING, address: { ...US_SHIPPING.address, city: '' } },
      { ...US_SHIPPING, rateId: 'a rate; DROP TABLE' },
      { ...US_SHIPPING, address: 'Springfield' },
    ];
    for (const shipping of bad) {
      const res = await s.api<{ error: { code: string } }>(`/api/carts/${cart.id}/checkout`, { json: { email: 'bad@example.com', shipping } });
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], JSON.stringify(shipping).slice(0, 120));
    }
    // The optional name for Stripe's customer record takes the same care.
    for (const name of ['Ada \uD800', 'Ada\r\nLovelace']) {
      const res = await s.api<{ error: { code: string } }>(`/api/carts/${cart.id}/checkout`, { json: { email: 'bad@example.com', name, shipping: US_SHIPPING } });
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], JSON.stringify(name));
    }
    // Past the 16 KB body limit: refused at the door.
    const huge = await s.api(`/api/carts/${cart.id}/checkout`, { json: { email: 'bad@example.com', shipping: { ...US_SHIPPING, name: 'z'.repeat(20_000) } } });
    assert.equal(huge.status, 413);
    assert.equal(await checkoutsOf(cart.id), 0);
    assert.equal((await intentsFor('bad@example.com')).length, 0);
  });

  it('skips shipping for a cart with nothing to ship, and refuses an address posted for it', async () => {
    const cart = await cartWith(s, [['gift-card', 1]]);
    assert.equal(cart.requiresShipping, false);
    assert.deepEqual(await quote(cart.id, 'US'), { requiresShipping: false, countries: [], rates: [] });
    const refused = await checkout(s, cart.id, 'gift@example.com', US_SHIPPING);
    assert.deepEqual([refused.status, refused.body.error?.code], [400, 'shipping_not_required']);
    assert.equal(await checkoutsOf(cart.id), 0);

    const started = await checkout(s, cart.id, 'gift@example.com');
    assert.deepEqual([started.status, started.body.totals], [200, { subtotal: 5000, discount: 0, tax: 400, total: 5400 }]);
    assert.equal((await intent(started.body.clientSecret)).shipping, null);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const order = (await orderOf(started.body.checkoutId))!;
    assert.deepEqual([order.shipping, order.totals, order.amountPaid], [null, { subtotal: 5000, discount: 0, tax: 400, total: 5400 }, 5400]);
    // A gift card with a tee ships.
    const mixed = await cartWith(s, [['gift-card', 1], ['tee-black', 1]]);
    assert.equal(mixed.requiresShipping, true);
  });

  it('refuses a total Stripe cannot charge (a 100 % coupon on goods that ship nothing, a yacht) with 400, holding nothing', async () => {
    assert.equal((await admin(s, '/coupons', { json: { code: 'ALLFREE', type: 'percentage', value: 100 } })).status, 201);
    assert.equal((await admin(s, '/products', { json: { id: 'yacht', name: 'Yacht', price: 100_000_000, stock: 5, shippable: false } })).status, 201);
    const free = await cartWith(s, [['gift-card', 1]], 'ALLFREE');
    assert.deepEqual(free.totals, { subtotal: 5000, discount: 5000, tax: 0, total: 0 });
    const tooSmall = await checkout(s, free.id, 'free@example.com');
    // Stripe's own answer (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts), not "the payment service did not answer".
    assert.deepEqual([tooSmall.status, tooSmall.body.error?.code], [400, 'amount_too_small']);
    // Shipping is never discounted: the same coupon on a tee leaves $5.00 of shipping to pay.
    const tee = await cartWith(s, [['tee-black', 1]], 'ALLFREE');
    const shipped = await checkout(s, tee.id, 'free@example.com', US_SHIPPING);
    assert.deepEqual([shipped.status, shipped.body.totals], [200, { subtotal: 2500, discount: 2500, shipping: 500, tax: 0, total: 500 }]);

    const yacht = await cartWith(s, [['yacht', 1]]);
    const tooLarge = await checkout(s, yacht.id, 'yacht@example.com');
    assert.deepEqual([tooLarge.status, tooLarge.body.error?.code], [400, 'amount_too_large']);
    for (const cart of [free, yacht]) {
      assert.equal(await count(s, "SELECT COUNT(*) FROM checkouts WHERE cart_id = ? AND status IN ('pending', 'processing', 'failed')", cart.id), 0);
    }
    assert.deepEqual([(await intentsFor('yacht@example.com')).length, (await s.catalog.productAvailable('yacht', Date.now()))?.available], [0, 5]);
    await admin(s, '/coupons/ALLFREE', { method: 'PATCH', json: { active: false } });
  });

  it('two tabs: the rate chosen last is the one charged, the other tab\'s PaymentIntent can no longer be paid', async () => {
    // 1 hoodie: $60.00, tax $4.80. Tab 1: standard $5 -> $69.80. Tab 2: express $15 -> $79.80.
    const cart = await cartWith(s, [['hoodie-grey', 1]]);
    const tab1 = await checkout(s, cart.id, 'tabs@example.com', US_SHIPPING);
    const tab2 = await checkout(s, cart.id, 'tabs@example.com', express);
    assert.deepEqual([tab1.body.amount, tab2.body.amount], [6980, 7980]);
    assert.equal(tab1.body.checkoutId, tab2.body.checkoutId);
    assert.notEqual(tab1.body.clientSecret, tab2.body.clientSecret);
    assert.equal((await intent(tab1.body.clientSecret)).status, 'canceled');

    // Tab 1 pays with its stale PaymentIntent: Stripe refuses, nothing is charged.
    const stale = await pay(s, tab1.body.clientSecret);
    assert.equal((stale as Stripe.errors.StripeError).code, 'payment_intent_unexpected_state');
    assert.equal((await pay(s, tab2.body.clientSecret) as Stripe.PaymentIntent).status, 'succeeded');
    await webhooksSettled(s);
    const order = (await orderOf(tab2.body.checkoutId))!;
    assert.deepEqual([order.amountPaid, order.totals.shipping, order.shipping?.rate.id], [7980, 1500, 'express-us']);
    const intents = await intentsFor('tabs@example.com');
    assert.deepEqual(intents.map((pi) => [pi.status, pi.amount]).sort(), [['canceled', 6980], ['succeeded', 7980]]);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', tab2.body.checkoutId), 1);
  });

  it('two tabs: a new address at the same price still replaces the PaymentIntent, and the order ships to it', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    const first = await checkout(s, cart.id, 'moved@example.com', US_SHIPPING);
    const moved: ShippingBody = { ...US_SHIPPING, name: 'Ada King', address: { ...US_SHIPPING.address, line1: '99 Difference Lane', postal_code: '62702' } };
    const second = await checkout(s, cart.id, 'moved@example.com', moved);
    assert.deepEqual([second.status, second.body.amount], [200, first.body.amount]);
    assert.notEqual(second.body.clientSecret, first.body.clientSecret);
    const pi = await intent(second.body.clientSecret);
    assert.deepEqual([pi.shipping?.name, pi.shipping?.address?.line1, pi.shipping?.address?.postal_code], ['Ada King', '99 Difference Lane', '62702']);
    // The same request again (a reload) hands out the same PaymentIntent.
    const again = await checkout(s, cart.id, 'moved@example.com', moved);
    assert.equal(again.body.clientSecret, second.body.clientSecret);
    await pay(s, second.body.clientSecret);
    await webhooksSettled(s);
    assert.deepEqual((await orderOf(second.body.checkoutId))!.shipping?.address.line1, '99 Difference Lane');
  });

  it('a double click on Pay after changing the rate: one charge of the new amount, one order', async () => {
    const cart = await cartWith(s, [['mug-stone', 2]]);
    await checkout(s, cart.id, 'double@example.com', US_SHIPPING);
    // The shopper switches to express; the widget asks twice (double click on Continue), then Pay twice.
    const [a, b] = await Promise.all([checkout(s, cart.id, 'double@example.com', express), checkout(s, cart.id, 'double@example.com', express)]);
    assert.deepEqual([a.status, b.status, a.body.clientSecret === b.body.clientSecret], [200, 200, true]);
    // $28.00 + $15.00 + 8 % of $28.00 ($2.24) = $45.24.
    assert.equal(a.body.amount, 4524);
    const results = await Promise.all([pay(s, a.body.clientSecret), pay(s, a.body.clientSecret)]);
    const outcomes = results.map((r) => ('status' in r && typeof r.status === 'string' ? r.status : (r as Stripe.errors.StripeError).code)).sort();
    assert.deepEqual(outcomes, ['payment_intent_unexpected_state', 'succeeded']);
    await webhooksSettled(s);
    const order = (await orderOf(a.body.checkoutId))!;
    assert.deepEqual([order.amountPaid, order.totals.total, order.shipping?.rate.id], [4524, 4524, 'express-us']);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', a.body.checkoutId), 1);
    const paid = await intent(a.body.clientSecret);
    assert.deepEqual([paid.status, paid.amount_received], ['succeeded', 4524]);
    assert.equal((await s.sdk.charges.retrieve(paid.latest_charge as string)).amount, 4524);
  });

  it('refuses a catalog file with a bad rate as a whole, and a withdrawn rate can no longer be chosen', async () => {
    const bad: unknown[] = [
      [{ ...RATES[0], countries: ['USA'] }],
      [{ ...RATES[0], countries: [] }],
      [{ ...RATES[0], countries: ['US', 'US'] }],
      [{ ...RATES[0], amount: -1 }],
      [{ ...RATES[0], amount: 4.5 }],
      [RATES[0], RATES[0]],
      [{ ...RATES[0], id: 'has space' }],
    ];
    for (const shippingRates of bad) {
      const res = await admin<{ error: { code: string } }>(s, '/catalog', { method: 'PUT', json: { shippingRates: [RATES[2], ...(shippingRates as object[])] } });
      assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], JSON.stringify(shippingRates));
    }
    assert.deepEqual((await s.catalog.shippingRates()).map((r) => [r.id, r.amount, r.countries.length]), [['standard-us', 500, 1], ['express-us', 1500, 1], ['international', 2000, 9]]);

    const cart = await cartWith(s, [['tee-white', 1]]);
    const withdrawn = await admin(s, '/catalog', { method: 'PUT', json: { shippingRates: [{ ...RATES[1], active: false }] } });
    assert.equal(withdrawn.status, 200);
    const listed = await admin<{ shippingRates: { id: string; active: boolean; freeOverSubtotal: number | null }[] }>(s, '/shipping-rates');
    // A file's rates take its order: express-us is now first (ties by id).
    assert.deepEqual(listed.body.shippingRates.map((r) => [r.id, r.active, r.freeOverSubtotal]), [['express-us', false, null], ['standard-us', true, 7500], ['international', true, null]]);
    assert.equal((await s.api('/api/admin/shipping-rates')).status, 401);
    try {
      assert.deepEqual((await quote(cart.id, 'US')).rates.map((r) => r.id), ['standard-us']);
      const res = await checkout(s, cart.id, 'withdrawn@example.com', express);
      assert.deepEqual([res.status, res.body.error?.code], [400, 'shipping_rate_invalid']);
    } finally {
      await withRates(s);
    }
  });

  it('a cart changed in another tab after the address: the cart answer still says it needs shipping', async () => {
    const cart = await cartWith(s, [['gift-card', 1]]);
    const added = await s.api<{ cart: Cart }>(`/api/carts/${cart.id}/items`, { json: { productId: 'tee-black', quantity: 1 } });
    assert.equal(added.body.cart.requiresShipping, true);
    const res = await checkout(s, cart.id, 'later@example.com');
    assert.deepEqual([res.status, res.body.error?.code], [400, 'shipping_required']);
  });
});

describe('tax on shipping (SHIPPING_TAXABLE=true)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { SHIPPING_TAXABLE: 'true' } });
    await withRates(s);
  });
  after(() => s.stop());

  it('taxes goods and shipping together, and charges exactly that', async () => {
    // $25.00 + $5.00 = $30.00 taxed at 8 % = $2.40; total $32.40.
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id, 'taxed@example.com', US_SHIPPING);
    assert.deepEqual(started.body.totals, { subtotal: 2500, discount: 0, shipping: 500, tax: 240, total: 3240 });
    assert.equal((await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret))).amount, 3240);
  });
});

describe('a shop without shipping rates', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('asks for no address even for shippable products', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    assert.equal(cart.requiresShipping, false);
    const started = await checkout(s, cart.id, 'plain@example.com');
    assert.deepEqual([started.status, started.body.totals], [200, { subtotal: 2500, discount: 0, tax: 200, total: 2700 }]);
  });
});
