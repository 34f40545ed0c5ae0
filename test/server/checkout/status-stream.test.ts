import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalStatusBus, RedisStatusBus, type StatusBus } from '../../../server/checkout/status-bus.ts';
import { redisAvailable, TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';
import type Stripe from 'stripe';
import { IntentReadHold } from '../../helpers/intent-reads.ts';
import { openStatusStream } from '../../helpers/sse.ts';
import { sqlRun } from '../../helpers/db.ts';
import { cartWith, checkout, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';

describe('checkout status stream', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  it('sends the current status at once, then the paid status with the order, then ends', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id);
    const stream = await openStatusStream(`${s.url}/api/checkouts/${started.body.checkoutId}/events`);
    assert.equal((await stream.next())?.status, 'pending');
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const paid = await stream.next();
    assert.equal(paid?.status, 'paid');
    assert.match(paid!.order!.number, /^CO-\d+$/);
    assert.equal(await stream.next(), null, 'the stream ends once the checkout is paid');
    await stream.close();
  });

  it('never reports a decline Stripe has moved past: its webhook comes late, after the next card paid', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id);
    const webhooks = s.stripe.emulator!.webhooks;
    const reads = new IntentReadHold(s.sdk);
    webhooks.configure({ paused: true });
    try {
      assert.equal(((await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined')) as Stripe.errors.StripeError).code, 'card_declined');
      assert.equal(((await pay(s, started.body.clientSecret)) as Stripe.PaymentIntent).status, 'succeeded');
      // The widget opens the stream once its payment went through; the stream asks Stripe, which is slow.
      reads.hold();
      const stream = await openStatusStream(`${s.url}/api/checkouts/${started.body.checkoutId}/events`);
      await reads.someHeld();
      // Meanwhile the webhooks arrive, the decline's first: the checkout is stored as failed for a moment.
      await webhooksSettled(s);
      reads.letGo();
      const statuses: string[] = [];
      for (let state = await stream.next(); state; state = await stream.next()) statuses.push(state.status);
      assert.deepEqual(statuses, ['paid'], 'the paid status only, never the old decline');
      assert.equal(await count(s, 'SELECT count(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    } finally {
      reads.letGo();
      webhooks.configure({ paused: false });
    }
  });

  it('ends the stream when re-reading the checkout fails, so the widget reads it afresh', { timeout: 30_000 }, async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id);
    const stream = await openStatusStream(`${s.url}/api/checkouts/${started.body.checkoutId}/events`);
    assert.equal((await stream.next())?.status, 'pending');
    // A real failing read: the table is out of reach while a change is announced.
    await sqlRun(s.db, 'ALTER TABLE checkouts RENAME TO checkouts_away');
    try {
      s.checkout.bus.publish(started.body.checkoutId);
      assert.equal(await stream.next(), null, 'the stream ends instead of staying open on its old state');
    } finally {
      await sqlRun(s.db, 'ALTER TABLE checkouts_away RENAME TO checkouts');
      await stream.close();
    }
    const again = await openStatusStream(`${s.url}/api/checkouts/${started.body.checkoutId}/events`);
    assert.equal((await again.next())?.status, 'pending');
    await again.close();
  });

  it('answers HEAD with the stream\'s headers and leaves no stream running behind it', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id);
    const bus = s.checkout.bus;
    const subscribe = bus.subscribe.bind(bus);
    let live = 0;
    bus.subscribe = (checkoutId, listener) => {
      live++;
      const unsubscribe = subscribe(checkoutId, listener);
      return () => { live--; unsubscribe(); };
    };
    try {
      const res = await fetch(`${s.url}/api/checkouts/${started.body.checkoutId}/events`, { method: 'HEAD' });
      assert.deepEqual([res.status, res.headers.get('content-type'), await res.text()], [200, 'text/event-stream', '']);
      assert.equal(live, 0, 'no stream subscribed for a HEAD');
    } finally {
      bus.subscribe = subscribe;
    }
  });

  it('answers 404 for an unknown checkout', async () => {
    assert.equal((await fetch(`${s.url}/api/checkouts/chk_${'A'.repeat(22)}/events`)).status, 404);
    assert.equal((await fetch(`${s.url}/api/checkouts/nope/events`)).status, 404);
  });
});

describe('status bus', () => {
  const buses: StatusBus[] = [];
  after(() => Promise.all(buses.map((b) => b.close())));

  it('tells in-process subscribers of their checkout only', async () => {
    const bus = new LocalStatusBus();
    buses.push(bus);
    const heard: string[] = [];
    const stop = bus.subscribe('chk_a', () => heard.push('a'));
    bus.subscribe('chk_b', () => heard.push('b'));
    bus.publish('chk_a');
    stop();
    bus.publish('chk_a');
    assert.deepEqual(heard, ['a']);
  });

  it('carries a status change from one process to a stream served by another over Redis', async (t) => {
    if (!(await redisAvailable())) return t.skip('Redis is not running');
    const channel = uniquePrefix('status');
    const publisher = new RedisStatusBus(TEST_REDIS_URL, { channel });
    const subscriber = new RedisStatusBus(TEST_REDIS_URL, { channel });
    buses.push(publisher, subscriber);
    await subscriber.ready;
    const heard = new Promise<string>((resolve) => subscriber.subscribe('chk_x', () => resolve('chk_x')));
    publisher.publish('chk_x');
    assert.equal(await heard, 'chk_x');
  });
});
