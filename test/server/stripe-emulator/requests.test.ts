import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { CARDS_ONLY, rawRequest, startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());

const SERVER_ROUTES: [string, string][] = [
  ['POST', '/v1/payment_intents'], ['GET', '/v1/payment_intents'], ['POST', '/v1/payment_intents/pi_x'],
  ['POST', '/v1/payment_intents/pi_x/cancel'], ['POST', '/v1/customers'], ['GET', '/v1/customers/cus_x'],
  ['POST', '/v1/customers/cus_x'], ['POST', '/v1/refunds'], ['GET', '/v1/refunds/re_x'], ['GET', '/v1/charges/ch_x'],
  ['GET', '/v1/events'], ['GET', '/v1/events/evt_x'], ['GET', '/v1/payment_methods/pm_x'],
];

describe('authentication', () => {
  it('answers 401 in Stripe shape without a key, and the SDK raises StripeAuthenticationError for a live key', async () => {
    const bare = await rawRequest(h.emulator.url, 'GET', '/v1/payment_intents');
    assert.equal(bare.status, 401);
    assert.equal(bare.body.error?.type, 'invalid_request_error');
    assert.match(String(bare.body.error?.message), /did not provide an API key/);
    const live = new Stripe('sk_live_nope', { host: new URL(h.emulator.url).hostname, port: Number(new URL(h.emulator.url).port), protocol: 'http', maxNetworkRetries: 0 });
    await assert.rejects(live.customers.create({}), Stripe.errors.StripeAuthenticationError);
  });

  it('refuses a publishable key on every server-only route', async () => {
    for (const [method, path] of SERVER_ROUTES) {
      const res = await rawRequest(h.emulator.url, method, path, { key: h.emulator.publishableKey, ...(method === 'POST' ? { body: '' } : {}) });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.match(String(res.body.error?.message), /publishable API key/);
    }
  });

  it('lets a publishable key read and confirm an intent only with its client secret', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const pk = h.emulator.publishableKey;
    const without = await rawRequest(h.emulator.url, 'GET', `/v1/payment_intents/${pi.id}?key=${pk}`);
    const wrong = await rawRequest(h.emulator.url, 'GET', `/v1/payment_intents/${pi.id}?key=${pk}&client_secret=${pi.id}_secret_guess`);
    const right = await rawRequest(h.emulator.url, 'GET', `/v1/payment_intents/${pi.id}?key=${pk}&client_secret=${pi.client_secret}`);
    assert.deepEqual([without.status, without.body.error?.code, wrong.status, right.status, right.body.id], [400, 'parameter_missing', 400, 200, pi.id]);
    const confirmed = await rawRequest(h.emulator.url, 'POST', `/v1/payment_intents/${pi.id}/confirm`, {
      body: new URLSearchParams({ key: pk, client_secret: pi.client_secret!, payment_method: 'pm_card_visa' }).toString(),
    });
    assert.deepEqual([confirmed.status, confirmed.body.status], [200, 'succeeded']);
    // CORS is open on the API, as on Stripe, so the stand-in can call it from any page.
    assert.equal(right.headers.get('access-control-allow-origin'), '*');
  });
});

describe('bad requests', () => {
  it('answer 404 resource_missing for unknown ids', async () => {
    for (const call of [
      () => h.stripe.paymentIntents.retrieve('pi_missing'), () => h.stripe.customers.retrieve('cus_missing'),
      () => h.stripe.refunds.retrieve('re_missing'), () => h.stripe.events.retrieve('evt_missing'),
      () => h.stripe.paymentIntents.confirm('pi_missing', { payment_method: 'pm_card_visa' }),
      () => h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: 'cus_missing', ...CARDS_ONLY }),
      () => h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_missing', ...CARDS_ONLY }),
    ]) {
      const error = await call().then(() => assert.fail('expected 404'), (e: Stripe.errors.StripeError) => e);
      assert.deepEqual([error.type, error.statusCode, error.code], ['StripeInvalidRequestError', 404, 'resource_missing']);
      assert.match(error.message, /^No such \w+: '\w+_missing'$/);
    }
  });

  it('answer 400 parameter_missing naming the parameter', async () => {
    const res = await rawRequest(h.emulator.url, 'POST', '/v1/payment_intents', { key: h.emulator.secretKey, body: 'currency=usd' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error, {
      type: 'invalid_request_error', code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.',
      doc_url: 'https://stripe.com/docs/error-codes/parameter-missing',
    });
    const noCurrency = await rawRequest(h.emulator.url, 'POST', '/v1/payment_intents', { key: h.emulator.secretKey, body: 'amount=100' });
    assert.deepEqual([noCurrency.status, noCurrency.body.error?.param], [400, 'currency']);
  });

  it('answer 404 for unknown URLs', async () => {
    const res = await rawRequest(h.emulator.url, 'GET', '/v1/subscriptions', { key: h.emulator.secretKey });
    assert.deepEqual([res.status, res.body.error?.type], [404, 'invalid_request_error']);
  });

  it('never crash on malformed input', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const bodies = [
      'amount=-5&currency=usd', 'amount=1e3&currency=usd', 'amount=99999999999999999999&currency=usd', 'amount=10&currency=usd',
      'amount=100&currency=dollars', 'amount[x]=1&currency[]=usd', 'amount=100&currency=usd&metadata=oops', 'amount=100&currency=usd&metadata[a][b]=c',
      '__proto__[polluted]=1&amount=100&currency=usd', 'amount=100&currency=usd&confirm=maybe', '%%%&&&===', '{"amount":100}',
      'payment_method_data[type]=card&payment_method_data[card][number]=abc', 'payment_method_data[type]=card&payment_method_data[card]=x',
      'payment_method_data[type]=card&payment_method_data[card][number]=4242424242424242&payment_method_data[card][exp_month]=13&payment_method_data[card][exp_year]=40',
      'cancellation_reason=because', 'amount=&limit=0', 'expand[]=nope', 'payment_method=', 'result=maybe',
    ];
    const paths = ['/v1/payment_intents', `/v1/payment_intents/${pi.id}`, `/v1/payment_intents/${pi.id}/confirm`,
      `/v1/payment_intents/${pi.id}/cancel`, `/v1/payment_intents/${pi.id}/emulator_authenticate`, '/v1/customers', '/v1/refunds', '/v1/payment_methods'];
    for (const path of paths) {
      for (const body of bodies) {
        const res = await rawRequest(h.emulator.url, 'POST', path, { key: h.emulator.secretKey, body });
        assert.ok(res.status < 500, `${path} ${body} -> ${res.status}`);
        if (res.status >= 400) assert.equal(typeof res.body.error?.message, 'string');
      }
      const list = await rawRequest(h.emulator.url, 'GET', `/v1/payment_intents?limit=abc&starting_after=pi_nope`, { key: h.emulator.secretKey });
      assert.equal(list.status, 400);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('idempotency keys', () => {
  it('replay the saved response for the same request, marked Idempotent-Replayed', async () => {
    const params = { amount: 4200, currency: 'usd' };
    const first = await h.stripe.paymentIntents.create(params, { idempotencyKey: 'order-42' });
    const again = await h.stripe.paymentIntents.create(params, { idempotencyKey: 'order-42' });
    assert.deepEqual(again, first);
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal((await h.stripe.paymentIntents.list({ limit: 100 })).data.filter((pi) => pi.amount === 4200).length, 1);
  });

  it('refuse the same key with different parameters (idempotency_error)', async () => {
    await h.stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'cust-1' });
    const error = await h.stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'cust-1' })
      .then(() => assert.fail('expected an idempotency error'), (e: Stripe.errors.StripeError) => e);
    assert.ok(error instanceof Stripe.errors.StripeIdempotencyError);
    assert.equal(error.statusCode, 400);
  });

  it('replay a decline too, without charging again', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const decline = () => h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }, { idempotencyKey: 'pay-once' })
      .then(() => assert.fail('expected a decline'), (e: Stripe.errors.StripeCardError) => e);
    const [first, second] = [await decline(), await decline()];
    assert.deepEqual([second.code, second.charge, second.headers?.['idempotent-replayed']], [first.code, first.charge, 'true']);
    const failedCharges = (await h.stripe.events.list({ type: 'charge.failed', limit: 100 })).data.filter((e) => (e.data.object as Stripe.Charge).payment_intent === pi.id);
    assert.equal(failedCharges.length, 1);
  });

  it('do not save requests refused on validation, so a corrected retry goes through', async () => {
    const bad = await rawRequest(h.emulator.url, 'POST', '/v1/payment_intents', { key: h.emulator.secretKey, body: 'currency=usd', headers: { 'Idempotency-Key': 'fix-me' } });
    const good = await rawRequest(h.emulator.url, 'POST', '/v1/payment_intents', { key: h.emulator.secretKey, body: 'currency=usd&amount=500', headers: { 'Idempotency-Key': 'fix-me' } });
    assert.deepEqual([bad.status, good.status, good.body.amount], [400, 200, 500]);
  });
});

describe('refunds', () => {
  async function paid(amount: number): Promise<Stripe.PaymentIntent> {
    return h.stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
  }

  it('refund part, then the rest, each emitting charge.refunded; more than what is left is a 400', async () => {
    const pi = await paid(5000);
    const part = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 2000, reason: 'requested_by_customer', metadata: { order_id: 'o1' } });
    assert.match(part.id, /^re_[A-Za-z0-9]{24}$/);
    assert.deepEqual([part.amount, part.status, part.charge, part.payment_intent, part.reason, part.metadata], [2000, 'succeeded', pi.latest_charge, pi.id, 'requested_by_customer', { order_id: 'o1' }]);
    const over = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 3001 }).then(() => assert.fail('expected 400'), (e: Stripe.errors.StripeError) => e);
    assert.deepEqual([over.statusCode, over.code, over.param], [400, 'amount_too_large', 'amount']);
    const rest = await h.stripe.refunds.create({ payment_intent: pi.id });
    assert.equal(rest.amount, 3000);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string, { expand: ['refunds'] });
    assert.deepEqual([charge.amount_refunded, charge.refunded, charge.refunds?.data.map((r) => r.id)], [5000, true, [rest.id, part.id]]);
    const refundedEvents = (await h.stripe.events.list({ type: 'charge.refunded', limit: 100 })).data
      .filter((e) => (e.data.object as Stripe.Charge).id === charge.id)
      .map((e) => (e.data.object as Stripe.Charge).amount_refunded);
    assert.deepEqual(refundedEvents, [5000, 2000]);
    const again = await h.stripe.refunds.create({ payment_intent: pi.id }).then(() => assert.fail('expected 400'), (e: Stripe.errors.StripeError) => e);
    assert.deepEqual([again.statusCode, again.code], [400, 'charge_already_refunded']);
    assert.deepEqual(await h.stripe.refunds.retrieve(part.id), part);
  });

  it('refuse an intent that has not succeeded', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const error = await h.stripe.refunds.create({ payment_intent: pi.id }).then(() => assert.fail('expected 400'), (e: Stripe.errors.StripeError) => e);
    assert.deepEqual([error.statusCode, error.code], [400, 'charge_not_refundable']);
  });
});
