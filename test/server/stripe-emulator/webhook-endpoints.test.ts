/**
 * /v1/webhook_endpoints through the SDK, as https://docs.stripe.com/api/webhook_endpoints describes
 * it: the secret only in the create answer, events only to the endpoints that asked for them,
 * nothing more to a disabled or deleted endpoint.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import Stripe from 'stripe';
import { MAX_WEBHOOK_ENDPOINTS } from '../../../server/stripe-emulator/webhook-endpoints.ts';
import { CARDS_ONLY, rawRequest, startHarness, startReceiver } from './helpers.ts';

const verifier = new Stripe('sk_test_verifier');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(o: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(o);
  const receiver = await startReceiver();
  cleanups.push(receiver.close, h.emulator.close);
  return { ...h, receiver };
}

const typesReceived = (received: { body: string }[]) => received.map((r) => (JSON.parse(r.body) as Stripe.Event).type);

describe('webhook endpoints', () => {
  it('are created with Stripe\'s fields and a whsec_ secret that only the create answer shows', async () => {
    const { stripe } = await setUp();
    const created = await stripe.webhookEndpoints.create({ url: 'https://shop.example/webhooks/stripe', enabled_events: ['payment_intent.succeeded', 'charge.refunded'], metadata: { app: 'checkout' } });
    assert.deepEqual(Object.keys(created).sort(), ['api_version', 'application', 'created', 'description', 'enabled_events', 'id', 'livemode', 'metadata', 'object', 'secret', 'status', 'url']);
    assert.match(created.id, /^we_/);
    assert.match(created.secret!, /^whsec_[0-9A-Za-z]{32}$/);
    assert.deepEqual([created.object, created.status, created.url, created.enabled_events, created.metadata, created.livemode, created.description],
      ['webhook_endpoint', 'enabled', 'https://shop.example/webhooks/stripe', ['payment_intent.succeeded', 'charge.refunded'], { app: 'checkout' }, false, null]);

    const { secret: _secret, ...withoutSecret } = created;
    assert.deepEqual(await stripe.webhookEndpoints.retrieve(created.id), withoutSecret);
    assert.deepEqual((await stripe.webhookEndpoints.list()).data, [withoutSecret]);
    const other = await stripe.webhookEndpoints.create({ url: 'https://shop.example/other', enabled_events: ['*'] });
    assert.notEqual(other.secret, created.secret, 'each endpoint has its own secret');
    assert.deepEqual((await stripe.webhookEndpoints.list()).data.map((e) => e.id), [other.id, created.id]);
  });

  it('give every endpoint the emulator\'s fixed secret when it was started with one', async () => {
    const { stripe } = await setUp({ webhookSecret: 'whsec_fixed_for_this_emulator' });
    const created = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/webhooks/stripe', enabled_events: ['*'] });
    assert.equal(created.secret, 'whsec_fixed_for_this_emulator');
  });

  it('receive the events they enabled, signed with their secret', async () => {
    const { stripe, emulator, receiver } = await setUp();
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['payment_intent.succeeded', 'payment_intent.payment_failed'] });
    await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    await emulator.webhooks.idle();
    assert.deepEqual(typesReceived(receiver.received), ['payment_intent.succeeded']);
    const [delivery] = receiver.received;
    assert.equal(verifier.webhooks.constructEvent(delivery!.body, delivery!.signature, endpoint.secret!).type, 'payment_intent.succeeded');
  });

  it('get nothing more once disabled, and again once enabled, with the events and URL updated', async () => {
    const { stripe, emulator, receiver } = await setUp();
    const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/nowhere', enabled_events: ['customer.created'] });
    const disabled = await stripe.webhookEndpoints.update(endpoint.id, { disabled: true, url: receiver.url, enabled_events: ['customer.updated'], description: 'checkout' });
    assert.deepEqual([disabled.status, disabled.url, disabled.enabled_events, disabled.description], ['disabled', receiver.url, ['customer.updated'], 'checkout']);
    const customer = await stripe.customers.create({ email: 'a@example.com' });
    await stripe.customers.update(customer.id, { name: 'Ada' });
    await emulator.webhooks.idle();
    assert.equal(receiver.received.length, 0);

    assert.equal((await stripe.webhookEndpoints.update(endpoint.id, { disabled: false })).status, 'enabled');
    await stripe.customers.update(customer.id, { name: 'Ada L.' });
    await stripe.customers.create({ email: 'b@example.com' });
    await emulator.webhooks.idle();
    assert.deepEqual(typesReceived(receiver.received), ['customer.updated']);
  });

  it('are deleted as Stripe deletes them, and a queued delivery to a deleted endpoint is dropped', async () => {
    const { stripe, emulator, receiver } = await setUp();
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    emulator.webhooks.configure({ paused: true });
    await stripe.customers.create({ email: 'a@example.com' });
    assert.deepEqual(await stripe.webhookEndpoints.del(endpoint.id), { id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    await emulator.webhooks.flush();
    assert.equal(receiver.received.length, 0);
    await assert.rejects(stripe.webhookEndpoints.retrieve(endpoint.id), { type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
    assert.deepEqual((await stripe.webhookEndpoints.list()).data, []);
  });

  it('list the endpoints added from code too, without their secret', async () => {
    const { stripe } = await setUp({ webhookEndpoints: [{ url: 'http://127.0.0.1:1/in-process', secret: 'whsec_in_process' }] });
    const [listed] = (await stripe.webhookEndpoints.list()).data;
    assert.deepEqual([listed!.url, listed!.enabled_events, listed!.status, 'secret' in listed!], ['http://127.0.0.1:1/in-process', ['*'], 'enabled', false]);
  });

  it('refuse a missing or malformed url or event list, a publishable key, and a seventeenth endpoint', async () => {
    const { stripe, emulator } = await setUp();
    const create = (body: string, key = emulator.secretKey) => rawRequest(emulator.url, 'POST', '/v1/webhook_endpoints', { key, body });
    const refusals = await Promise.all([
      create('enabled_events[]=*'),
      create('url=https://shop.example/hook'),
      create('url=not a url&enabled_events[]=*'),
      create('url=ftp://shop.example/hook&enabled_events[]=*'),
      create('url=https://shop.example/hook&enabled_events[]=Payment+Succeeded'),
      create('url=https://shop.example/hook&enabled_events[]=*', emulator.publishableKey),
    ]);
    assert.deepEqual(refusals.map((r) => [r.status, r.body.error?.code ?? null, r.body.error?.param ?? null]), [
      [400, 'parameter_missing', 'url'],
      [400, 'parameter_missing', 'enabled_events'],
      [400, 'url_invalid', 'url'],
      [400, 'url_invalid', 'url'],
      [400, 'parameter_invalid', 'enabled_events[0]'],
      [401, null, null],
    ]);
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS; i++) await stripe.webhookEndpoints.create({ url: `https://shop.example/hook/${i}`, enabled_events: ['*'] });
    await assert.rejects(stripe.webhookEndpoints.create({ url: 'https://shop.example/hook/16', enabled_events: ['*'] }), { type: 'StripeInvalidRequestError', statusCode: 400 });
    assert.equal((await stripe.webhookEndpoints.list({ limit: 100 })).data.length, MAX_WEBHOOK_ENDPOINTS);
  });
});
