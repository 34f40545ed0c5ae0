import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import Stripe from 'stripe';
import type { StripeEmulatorOptions } from '../../../server/stripe-emulator/index.ts';
import { CARDS_ONLY, startHarness, startReceiver, type Harness } from './helpers.ts';

const SECRET = 'whsec_test_emulator';
const verifier = new Stripe('sk_test_verifier');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An emulator delivering to a fresh receiver; retries wait a minute unless a test says otherwise, so only flush() releases them. */
async function setUp(status?: Parameters<typeof startReceiver>[0], o: StripeEmulatorOptions = {}) {
  const receiver = await startReceiver(status);
  const h: Harness = await startHarness({ webhookEndpoints: [{ url: receiver.url, secret: SECRET }], webhookTiming: { retryScheduleMs: [60_000] }, ...o });
  cleanups.push(receiver.close, h.emulator.close);
  return { ...h, receiver };
}

const eventIn = (body: string) => JSON.parse(body) as Stripe.Event;

describe('webhook delivery', () => {
  it('signs every delivery so constructEvent accepts it, in the order the events happened', async () => {
    const { stripe, emulator, receiver } = await setUp();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    await emulator.webhooks.idle();
    const verified = receiver.received.map((r) => verifier.webhooks.constructEvent(r.body, r.signature, SECRET));
    assert.deepEqual(verified.map((e) => e.type), ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    assert.deepEqual(verified.map((e) => e.id), (await stripe.events.list({ limit: 3 })).data.map((e) => e.id).reverse());
    assert.equal((verified[2]!.data.object as Stripe.PaymentIntent).id, pi.id);
    assert.throws(() => verifier.webhooks.constructEvent(receiver.received[0]!.body, receiver.received[0]!.signature, 'whsec_wrong'),
      Stripe.errors.StripeSignatureVerificationError);
    assert.match(receiver.received[0]!.signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('retries a delivery answered with a 500, signed afresh', async () => {
    let now = Date.now();
    const { stripe, emulator, receiver } = await setUp((n) => (n === 1 ? 500 : 200), { clock: () => now });
    emulator.webhooks.configure({ paused: true });
    await stripe.customers.create({ email: 'retry@example.com' });
    await emulator.webhooks.flush();
    assert.equal(receiver.received.length, 1);
    now += 5_000;
    await emulator.webhooks.flush();
    assert.equal(receiver.received.length, 2);
    const [first, retry] = receiver.received as [{ body: string; signature: string }, { body: string; signature: string }];
    assert.equal(retry.body, first.body);
    const timestamps = [first, retry].map((r) => Number(/t=(\d+)/.exec(r.signature)![1]));
    assert.equal(timestamps[1]! - timestamps[0]!, 5);
    assert.notEqual(retry.signature, first.signature);
    assert.equal(verifier.webhooks.constructEvent(retry.body, retry.signature, SECRET, 300, undefined, now).type, 'customer.created');
    // Delivered: nothing more to retry.
    await emulator.webhooks.idle();
    assert.equal(receiver.received.length, 2);
  });

  it('retries on its own schedule until the endpoint succeeds or the schedule runs out', async () => {
    const { stripe, emulator, receiver } = await setUp(() => 503, { webhookTiming: { retryScheduleMs: [1, 1, 1] } });
    await stripe.customers.create({ email: 'down@example.com' });
    await emulator.webhooks.idle();
    assert.equal(receiver.received.length, 4);
    assert.equal(new Set(receiver.received.map((r) => eventIn(r.body).id)).size, 1);
  });

  it('treats an endpoint that does not answer in time as a failed attempt', async () => {
    // Long enough for the answered retry on a loaded machine (at 50 ms the test failed once while
    // both test lanes and other work ran); the hanging first attempt never answers, however long.
    const { stripe, emulator, receiver } = await setUp((n) => (n === 1 ? 'hang' : 200), { webhookTiming: { retryScheduleMs: [1], timeoutMs: 1_000 } });
    await stripe.customers.create({ email: 'slow@example.com' });
    await emulator.webhooks.idle();
    assert.equal(receiver.received.length, 2);
    assert.equal(eventIn(receiver.received[1]!.body).type, 'customer.created');
  });

  it('delivers each event N times with copies', async () => {
    const { stripe, emulator, receiver } = await setUp();
    emulator.webhooks.configure({ copies: 3 });
    const customer = await stripe.customers.create({ email: 'dup@example.com' });
    await emulator.webhooks.idle();
    const events = receiver.received.map((r) => eventIn(r.body));
    assert.deepEqual(events.map((e) => [e.type, (e.data.object as Stripe.Customer).id]), Array(3).fill(['customer.created', customer.id]));
    assert.equal(new Set(events.map((e) => e.id)).size, 1);
  });

  it('holds deliveries while paused and sends them on flush, late ones included', async () => {
    const { stripe, emulator, receiver } = await setUp();
    emulator.webhooks.configure({ paused: true });
    await stripe.customers.create({ email: 'held@example.com' });
    emulator.webhooks.configure({ paused: false, delayMs: 60_000 });
    await stripe.customers.create({ email: 'late@example.com' });
    assert.equal(receiver.received.length, 0);
    await emulator.webhooks.flush();
    assert.deepEqual(receiver.received.map((r) => (eventIn(r.body).data.object as Stripe.Customer).email), ['held@example.com', 'late@example.com']);
    await emulator.webhooks.idle();
  });

  it('shuffles the order of what is queued, delivering every event once', async () => {
    const { stripe, emulator, receiver } = await setUp();
    emulator.webhooks.configure({ paused: true, shuffle: true });
    const created: string[] = [];
    for (let i = 0; i < 20; i++) created.push((await stripe.customers.create({ email: `c${i}@example.com` })).id);
    await emulator.webhooks.flush();
    const delivered = receiver.received.map((r) => (eventIn(r.body).data.object as Stripe.Customer).id);
    assert.deepEqual([...delivered].sort(), [...created].sort());
    // Twenty events keep their order by chance once in 20! (about 4e-19).
    assert.notDeepEqual(delivered, created);
  });

  it('delivers to endpoints added later, from then on', async () => {
    const { stripe, emulator, receiver } = await setUp();
    await stripe.customers.create({ email: 'before@example.com' });
    const late = await startReceiver();
    cleanups.push(late.close);
    emulator.addWebhookEndpoint(late.url, SECRET);
    await stripe.customers.create({ email: 'after@example.com' });
    await emulator.webhooks.idle();
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(late.received.map((r) => (verifier.webhooks.constructEvent(r.body, r.signature, SECRET).data.object as Stripe.Customer).email), ['after@example.com']);
  });
});
