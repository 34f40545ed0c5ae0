/**
 * The emulator refuses what Stripe refuses, so code that passes offline can't be relying on
 * something it silently ignored; and what it accepts, it models (headers, pagination both ways,
 * `created` filters, nested expansion, metadata limits, manual capture, shipping, search).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { CARDS_ONLY, rawRequest, refusalOf, startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());


const post = (path: string, body: string, key = h.emulator.secretKey, headers: Record<string, string> = {}) =>
  rawRequest(h.emulator.url, 'POST', path, { key, body, headers });

describe('unknown parameters', () => {
  it('are refused with 400 parameter_unknown and Stripe\'s message, top-level and nested', async () => {
    for (const [body, name] of [
      ['amount=1000&currency=usd&price=1', 'price'],
      ['amount=1000&currency=usd&automatic_payment_methods[enabled]=true&automatic_payment_methods[sometimes]=true', 'automatic_payment_methods[sometimes]'],
      ['amount=1000&currency=usd&shipping[name]=Ada&shipping[address][planet]=Mars', 'shipping[address][planet]'],
    ] as const) {
      const res = await post('/v1/payment_intents', body);
      assert.deepEqual([res.status, res.body.error?.code, res.body.error?.param, res.body.error?.message],
        [400, 'parameter_unknown', name, `Received unknown parameter: ${name}`]);
    }
    const sdk = await refusalOf(h.stripe.customers.create({ email: 'x@example.com', nickname: 'x' } as Stripe.CustomerCreateParams));
    assert.deepEqual([sdk.type, sdk.code, sdk.param], ['StripeInvalidRequestError', 'parameter_unknown', 'nickname']);
    assert.equal((await h.stripe.paymentIntents.list({ limit: 100 })).data.filter((pi) => pi.amount === 1000 && pi.currency === 'usd').length, 0,
      'a refused request creates nothing');
  });

  it('Stripe.js\'s client_secret is a parameter only with a publishable key', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const res = await post(`/v1/payment_intents/${pi.id}/confirm`, `payment_method=pm_card_visa&client_secret=${pi.client_secret}`);
    assert.deepEqual([res.status, res.body.error?.code], [400, 'parameter_unknown']);
  });
});

describe('parameters Stripe accepts that the emulator does not model', () => {
  it('are refused naming the parameter, never silently dropped', async () => {
    const res = await post('/v1/payment_intents', 'amount=1000&currency=usd&payment_method_options[card][request_three_d_secure]=any');
    assert.deepEqual([res.status, res.body.error?.type, res.body.error?.param], [400, 'invalid_request_error', 'payment_method_options']);
    assert.match(String(res.body.error?.message), /does not model the parameter payment_method_options/);
    const connect = await refusalOf(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', on_behalf_of: 'acct_123' }));
    assert.equal(connect.param, 'on_behalf_of');
    const mandate = await refusalOf(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', mandate: 'mandate_123' }));
    assert.deepEqual([mandate.code, mandate.message], ['resource_missing', "No such mandate: 'mandate_123'"]);
  });

  it('an empty value (unsetting) is no request for anything', async () => {
    const res = await post('/v1/payment_intents', 'amount=1000&currency=usd&transfer_group=');
    assert.equal(res.status, 200);
  });
});

describe('currencies and payment method types', () => {
  it('refuse a currency Stripe does not support, listing the ones it does', async () => {
    const error = await refusalOf(h.stripe.paymentIntents.create({ amount: 1000, currency: 'xyz' }));
    assert.deepEqual([error.statusCode, error.param], [400, 'currency']);
    assert.match(error.message, /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, aed, /);
    assert.equal((await h.stripe.paymentIntents.create({ amount: 1000, currency: 'JPY', ...CARDS_ONLY })).currency, 'jpy');
  });

  it('take ISK and UGX in two-decimal form with 00 as the decimals only (Stripe\'s special cases), in payments and refunds', async () => {
    for (const currency of ['isk', 'ugx', 'ISK']) {
      const error = await refusalOf(h.stripe.paymentIntents.create({ amount: 50_050, currency, ...CARDS_ONLY }));
      assert.deepEqual([error.statusCode, error.rawType, error.param], [400, 'invalid_request_error', 'amount'], currency);
      assert.match(error.message, /multiple of 100/);
    }
    const intent = await h.stripe.paymentIntents.create({ amount: 50_000, currency: 'isk', ...CARDS_ONLY });
    assert.equal(intent.amount, 50_000, '500 kr');
    const update = await refusalOf(h.stripe.paymentIntents.update(intent.id, { amount: 50_001 }));
    assert.deepEqual([update.statusCode, update.param], [400, 'amount']);
    assert.equal((await h.stripe.paymentIntents.retrieve(intent.id)).amount, 50_000, 'a refused update changes nothing');
    // The same amount stays right in a currency with hundredths.
    assert.equal((await h.stripe.paymentIntents.create({ amount: 50_050, currency: 'huf', ...CARDS_ONLY })).amount, 50_050);

    const paid = await h.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    assert.equal(paid.status, 'succeeded');
    const partial = await refusalOf(h.stripe.refunds.create({ payment_intent: intent.id, amount: 150 }));
    assert.deepEqual([partial.statusCode, partial.param], [400, 'amount']);
    assert.deepEqual((await h.stripe.refunds.list({ payment_intent: intent.id })).data, [], 'no refund made');
    assert.equal((await h.stripe.refunds.create({ payment_intent: intent.id, amount: 200 })).amount, 200, '2 kr back');
  });

  it('refuse payment_method_types on the account\'s API version, and together with automatic payment methods on an older one', async () => {
    const now = await post('/v1/payment_intents', 'amount=1000&currency=usd&payment_method_types[]=card');
    assert.deepEqual([now.status, now.body.error?.code], [400, 'payment_method_types_no_longer_supported']);
    const basil = { 'Stripe-Version': '2025-04-30.basil' };
    const older = await post('/v1/payment_intents', 'amount=1000&currency=usd&payment_method_types[]=card', h.emulator.secretKey, basil);
    assert.deepEqual([older.status, older.body.payment_method_types, older.body.automatic_payment_methods], [200, ['card'], null]);
    assert.equal(older.headers.get('stripe-version'), '2025-04-30.basil');
    const both = await post('/v1/payment_intents', 'amount=1000&currency=usd&payment_method_types[]=card&automatic_payment_methods[enabled]=true', h.emulator.secretKey, basil);
    assert.deepEqual([both.status, both.body.error?.code], [400, 'parameters_exclusive']);
  });

  it('refuse raw card numbers from a secret key with Stripe\'s answer, and take them from Stripe.js', async () => {
    const card = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' };
    const error = await refusalOf(h.stripe.paymentMethods.create({ type: 'card', card }));
    assert.match(error.message, /^Sending credit card numbers directly to the Stripe API is generally unsafe\./);
    assert.equal((await h.browser.paymentMethods.create({ type: 'card', card })).card?.last4, '4242');
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const viaConfirm = await post(`/v1/payment_intents/${pi.id}/confirm`,
      'payment_method_data[type]=card&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=40');
    assert.deepEqual([viaConfirm.status, viaConfirm.body.error?.param], [400, 'payment_method_data[card]']);
  });
});

describe('a PaymentIntent read with a publishable key', () => {
  it('carries only the fields Stripe documents as retrievable with a publishable key', async () => {
    const customer = await h.stripe.customers.create({ email: 'subset@example.com' });
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id, metadata: { secret: 'merchant-only' }, ...CARDS_ONLY });
    const res = await rawRequest(h.emulator.url, 'GET', `/v1/payment_intents/${pi.id}?key=${h.emulator.publishableKey}&client_secret=${pi.client_secret}`);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'amount', 'automatic_payment_methods', 'canceled_at', 'cancellation_reason', 'capture_method', 'client_secret', 'confirmation_method',
      'created', 'currency', 'description', 'id', 'last_payment_error', 'livemode', 'next_action', 'object', 'payment_method',
      'payment_method_types', 'receipt_email', 'setup_future_usage', 'shipping', 'status',
    ]);
    const declined = await post(`/v1/payment_intents/${pi.id}/confirm`, new URLSearchParams({
      key: h.emulator.publishableKey, client_secret: pi.client_secret!, payment_method: 'pm_card_chargeDeclined',
    }).toString(), '');
    const inError = declined.body.error?.payment_intent as Record<string, unknown>;
    assert.deepEqual([declined.status, 'metadata' in inError, 'customer' in inError, inError.status], [402, false, false, 'requires_payment_method']);
  });
});

describe('Stripe\'s response headers', () => {
  it('let the SDK read lastResponse.idempotencyKey, apiVersion and requestId, and name the original request on a replay', async () => {
    const first = await h.stripe.customers.create({ email: 'headers@example.com' }, { idempotencyKey: 'headers-1' });
    assert.deepEqual([first.lastResponse.idempotencyKey, first.lastResponse.apiVersion], ['headers-1', Stripe.API_VERSION]);
    assert.match(first.lastResponse.requestId, /^req_/);
    const again = await h.stripe.customers.create({ email: 'headers@example.com' }, { idempotencyKey: 'headers-1' });
    assert.notEqual(again.lastResponse.requestId, first.lastResponse.requestId);
    assert.equal(again.lastResponse.headers['original-request'], first.lastResponse.requestId);
    assert.equal(first.lastResponse.headers['original-request'], first.lastResponse.requestId);
  });

  it('answer with the account\'s API version, or the one a request asks for', async () => {
    const own = await startHarness({ apiVersion: '2025-04-30.basil' });
    try {
      const listed = await own.stripe.events.list({ limit: 1 });
      assert.equal(listed.lastResponse.apiVersion, Stripe.API_VERSION, 'the SDK pins its version in Stripe-Version');
      const unpinned = await rawRequest(own.emulator.url, 'GET', '/v1/customers/cus_x', { key: own.emulator.secretKey });
      assert.equal(unpinned.headers.get('stripe-version'), '2025-04-30.basil');
    } finally {
      await own.emulator.close();
    }
  });

  it('refuse Stripe-Account: the emulated account has no connected accounts', async () => {
    const error = await refusalOf(h.stripe.customers.create({ email: 'c@example.com' }, { stripeAccount: 'acct_123' }));
    assert.ok(error instanceof Stripe.errors.StripePermissionError);
  });
});

describe('lists', () => {
  it('page backwards with ending_before until the newest, as the SDK\'s auto-pagination does', async () => {
    const customer = await h.stripe.customers.create({ email: 'pages@example.com' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await h.stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd', customer: customer.id, ...CARDS_ONLY })).id);
    const page = await h.stripe.paymentIntents.list({ customer: customer.id, ending_before: ids[0], limit: 2 });
    assert.deepEqual([page.data.map((pi) => pi.id), page.has_more], [[ids[2], ids[1]], true]);
    const newer = await h.stripe.paymentIntents.list({ customer: customer.id, ending_before: ids[0], limit: 2 }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(newer.map((pi) => pi.id), ids.slice(1));
    const older = await h.stripe.paymentIntents.list({ customer: customer.id, limit: 3 }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(older.map((pi) => pi.id), [...ids].reverse());
  });

  it('filter on created with gt, gte, lt and lte', async () => {
    let now = Date.UTC(2030, 0, 1);
    const own = await startHarness({ clock: () => now });
    try {
      const created: number[] = [];
      for (let i = 0; i < 4; i++) {
        created.push((await own.stripe.customers.create({})).created);
        await own.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
        now += 60_000;
      }
      const amounts = async (filter: Stripe.RangeQueryParam | number) => (await own.stripe.paymentIntents.list({ created: filter })).data.map((pi) => pi.created);
      assert.deepEqual(await amounts({ gt: created[1]! }), [created[3], created[2]]);
      assert.deepEqual(await amounts({ gte: created[1]!, lt: created[3]! }), [created[2], created[1]]);
      assert.deepEqual(await amounts({ lte: created[0]! }), [created[0]]);
      assert.deepEqual(await amounts(created[2]!), [created[2]]);
      const events = await own.stripe.events.list({ created: { gte: created[3]! }, type: 'customer.created' });
      assert.equal(events.data.length, 1);
      const bad = await rawRequest(own.emulator.url, 'GET', '/v1/payment_intents?created[after]=1', { key: own.emulator.secretKey });
      assert.deepEqual([bad.status, bad.body.error?.code], [400, 'parameter_unknown']);
    } finally {
      await own.emulator.close();
    }
  });
});

describe('expand', () => {
  it('expands nested paths and list items, and refuses what can\'t be expanded before doing anything', async () => {
    const customer = await h.stripe.customers.create({ email: 'nested@example.com' });
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    const deep = await h.stripe.refunds.retrieve(refund.id, { expand: ['charge.payment_intent.customer'] });
    const charge = deep.charge as Stripe.Charge;
    assert.equal(((charge.payment_intent as Stripe.PaymentIntent).customer as Stripe.Customer).email, 'nested@example.com');
    const listed = await h.stripe.paymentIntents.list({ customer: customer.id, expand: ['data.latest_charge'] });
    assert.equal((listed.data[0]!.latest_charge as Stripe.Charge).object, 'charge');
    const count = (await h.stripe.events.list({ type: 'payment_intent.created', limit: 100 })).data.length;
    const bogus = await refusalOf(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', expand: ['nope'] }));
    assert.deepEqual([bogus.statusCode, bogus.param, bogus.message], [400, 'expand', 'This property cannot be expanded (nope).']);
    assert.equal((await h.stripe.events.list({ type: 'payment_intent.created', limit: 100 })).data.length, count, 'nothing was created');
    const tooDeep = await refusalOf(h.stripe.refunds.retrieve(deep.id, { expand: ['charge.payment_intent.latest_charge.payment_intent.customer'] }));
    assert.match(tooDeep.message, /more than 4 levels/);
  });
});

describe('metadata', () => {
  it('keeps to Stripe\'s limits: 50 keys, 40-character keys, 500-character values', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(Object.keys((await h.stripe.customers.create({ metadata: fifty })).metadata).length, 50);
    const tooMuch: Record<string, string>[] = [{ ...fifty, k50: 'v' }, { ['k'.repeat(41)]: 'v' }, { long: 'v'.repeat(501) }];
    for (const metadata of tooMuch) {
      const error = await refusalOf(h.stripe.customers.create({ metadata }));
      assert.deepEqual([error.statusCode, error.type], [400, 'StripeInvalidRequestError']);
    }
  });
});

describe('manual capture', () => {
  it('authorizes to requires_capture, then captures in part and releases the rest', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 5000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    assert.deepEqual([pi.status, pi.amount_capturable, pi.amount_received], ['requires_capture', 5000, 0]);
    const held = await h.stripe.charges.retrieve(pi.latest_charge as string);
    assert.deepEqual([held.captured, held.paid, held.amount_captured], [false, true, 0]);
    const captured = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 4000 });
    assert.deepEqual([captured.status, captured.amount_received, captured.amount_capturable], ['succeeded', 4000, 0]);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    assert.deepEqual([charge.captured, charge.amount_captured, charge.amount_refunded, typeof charge.balance_transaction], [true, 4000, 1000, 'string']);
    const types = (await h.stripe.events.list({ limit: 100 })).data.filter((e) => [pi.id, charge.id].includes((e.data.object as { id: string }).id)).map((e) => e.type).reverse();
    assert.deepEqual(types, ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded']);
    const again = await refusalOf(h.stripe.paymentIntents.capture(pi.id));
    assert.equal(again.code, 'payment_intent_unexpected_state');
  });

  it('a canceled authorization is released in full', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 5000, currency: 'usd', capture_method: 'manual', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    const canceled = await h.stripe.paymentIntents.cancel(pi.id);
    assert.deepEqual([canceled.status, canceled.amount_capturable], ['canceled', 0]);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    assert.deepEqual([charge.refunded, charge.amount_refunded], [true, 5000]);
  });
});

describe('shipping and addresses', () => {
  it('are kept on PaymentIntents (and their charges) and on customers, with previous_attributes on customer.updated', async () => {
    const address = { line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' };
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000, currency: 'usd', shipping: { name: 'Ada', address, carrier: 'UPS' }, payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY,
    });
    assert.deepEqual(pi.shipping, { name: 'Ada', address: { ...address, line2: null, state: null }, carrier: 'UPS', phone: null, tracking_number: null });
    assert.equal((await h.stripe.charges.retrieve(pi.latest_charge as string)).shipping?.name, 'Ada');
    const noName = await refusalOf(h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', shipping: { address } as Stripe.PaymentIntentCreateParams.Shipping }));
    assert.deepEqual([noName.code, noName.param], ['parameter_missing', 'shipping[name]']);
    const customer = await h.stripe.customers.create({ email: 'ship@example.com', address, shipping: { name: 'Ada', address } });
    assert.deepEqual([customer.address?.city, customer.shipping?.name], ['Springfield', 'Ada']);
    await h.stripe.customers.update(customer.id, { address: { ...address, city: 'Shelbyville' } });
    const [updated] = (await h.stripe.events.list({ type: 'customer.updated', limit: 1 })).data as Stripe.CustomerUpdatedEvent[];
    assert.deepEqual(updated!.data.previous_attributes, { address: { ...address, line2: null, state: null } });
    const carrier = await refusalOf(h.stripe.customers.create({ shipping: { name: 'Ada', address, carrier: 'UPS' } as Stripe.CustomerCreateParams.Shipping }));
    assert.deepEqual([carrier.code, carrier.param], ['parameter_unknown', 'shipping[carrier]']);
  });
});

describe('search', () => {
  it('finds PaymentIntents by Stripe\'s query language and pages through next_page', async () => {
    const order = `order-${Date.now()}`;
    const paid = [];
    for (let i = 0; i < 3; i++) {
      paid.push((await h.stripe.paymentIntents.create({ amount: 2000 + i, currency: 'usd', metadata: { order }, payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY })).id);
    }
    await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', metadata: { order }, ...CARDS_ONLY });
    const found = await h.stripe.paymentIntents.search({ query: `metadata['order']:'${order}' AND status:'succeeded'`, limit: 2 }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(found.map((pi) => pi.id), [...paid].reverse());
    const bigger = await h.stripe.paymentIntents.search({ query: `metadata["order"]:"${order}" AND amount>2000` });
    assert.equal(bigger.data.length, 2);
    assert.equal(bigger.object, 'search_result');
    const bad = await refusalOf(h.stripe.paymentIntents.search({ query: 'status:succeeded AND amount>1 OR currency:usd' }));
    assert.equal(bad.param, 'query');
  });
});
