/**
 * One webhook event, two hosts on one database: the event is claimed in the database, so exactly
 * one host handles it however many copies reach both at once, and a claim left by a host that died
 * mid-event is taken over once its lease runs out. Host b is a second server on host a's database
 * and a's Stripe emulator (STRIPE_API_URL), each with its own webhook endpoint and signing secret.
 * Runs on SQLite, and on PostgreSQL with TEST_DATABASE=postgres.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import Stripe from 'stripe';
import { fulfil } from '../../../server/checkout/fulfil.ts';
import { WEBHOOK_LEASE_MS } from '../../../server/stores/webhook-event-store.ts';
import { cartWith, checkout, count, pay, paymentIntentId, startSecondHost, startTestServer, type TestServer } from '../../helpers/server.ts';
import { failInserts, sqlRow, sqlValue } from '../../helpers/db.ts';

interface Answer { host: string; status: number; outcome?: string; code?: string }

describe('a webhook event delivered to two hosts sharing one database', () => {
  let a: TestServer;
  let b: TestServer;
  let offset = 0;
  const clock = () => Date.now() + offset;

  before(async () => {
    a = await startTestServer({ clock });
    a.stripe.emulator!.webhooks.configure({ paused: true });
    b = await startSecondHost(a, { clock });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** A paid checkout on host a whose payment_intent.succeeded event is held back, and that event. */
  async function paidEvent(product: string) {
    const cart = await cartWith(a, [[product, 1]]);
    const started = await checkout(a, cart.id, 'claims@example.com');
    await pay(a, started.body.clientSecret);
    const intentId = paymentIntentId(started.body.clientSecret);
    const events = await a.sdk.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === intentId)!;
    assert.ok(event, 'the payment made its event');
    return { checkoutId: started.body.checkoutId, event };
  }

  /** One copy of the event, signed for the host it goes to, as Stripe would send it. */
  const deliver = async (host: TestServer, event: Stripe.Event): Promise<Answer> => {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: host.stripe.webhookSecret });
    const res = await fetch(`${host.url}/webhooks/stripe`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
    const body = (await res.json()) as { outcome?: string; error?: { code: string } };
    return { host: host === a ? 'a' : 'b', status: res.status, outcome: body.outcome, code: body.error?.code };
  };

  const eventRow = (id: string) => sqlRow<{ attempts: number; processed: number; claimed_by: string | null }>(
    a.db, 'SELECT attempts, CASE WHEN processed_at IS NULL THEN 0 ELSE 1 END AS processed, claimed_by FROM webhook_events WHERE id = ?', id);

  it('has exactly one host handle each of 10 events that 8 copies each bring to both hosts at once', async () => {
    const paid = [];
    for (let i = 0; i < 10; i++) paid.push(await paidEvent('tee-black'));
    const answers = await Promise.all(paid.map(({ event }) => Promise.all(Array.from({ length: 8 }, (_, i) => deliver(i % 2 === 0 ? a : b, event)))));

    for (const [i, { checkoutId, event }] of paid.entries()) {
      const handled = answers[i]!.filter((x) => x.status === 200 && x.outcome === 'processed');
      assert.equal(handled.length, 1, JSON.stringify(answers[i]));
      // Every other copy saw it handled (200), or, had the handling outlasted its wait, was told to come again (409).
      for (const other of answers[i]!.filter((x) => x !== handled[0])) {
        assert.ok((other.status === 200 && other.outcome === 'duplicate') || (other.status === 409 && other.code === 'event_in_progress'), JSON.stringify(other));
      }
      assert.deepEqual(await eventRow(event.id), { attempts: 1, processed: 1, claimed_by: null });
      // What fulfilment leaves behind, once: the order, its confirmation email, its stock movement.
      const orderId = await sqlValue<string>(a.db, 'SELECT id FROM orders WHERE checkout_id = ?', checkoutId);
      assert.equal(await count(a, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
      assert.equal(await count(a, 'SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?', `order:${orderId}:confirmation`), 1);
      assert.equal(await count(a, 'SELECT COUNT(*) FROM stock_movements WHERE actor = ?', `order:${orderId}`), 1);
    }
    const handledBy = answers.map((copies) => copies.find((x) => x.outcome === 'processed')!.host);
    console.log(`webhook claims: events handled by a: ${handledBy.filter((h) => h === 'a').length}, by b: ${handledBy.filter((h) => h === 'b').length}; `
      + `copies told to come again: ${answers.flat().filter((x) => x.status === 409).length}`);
  });

  it('has copies that reach either host while another host handles the event wait for it, then acknowledge it without handling it again', async () => {
    const { checkoutId, event } = await paidEvent('hoodie-grey');
    // This test is the host in the middle of handling the event: claimed, not yet processed.
    assert.equal((await a.checkout.webhookEvents.claim(event.id, event.type, clock())).state, 'claimed');
    const copies = Promise.all(Array.from({ length: 6 }, (_, i) => deliver(i % 2 === 0 ? a : b, event)));
    // Time for the copies to reach the hosts and find the claim (were they slower, they would find
    // the event processed: the same answers).
    await delay(300);
    await fulfil(a.checkout, event.data.object as Stripe.PaymentIntent);
    await a.checkout.webhookEvents.processed(event.id, clock());

    for (const copy of await copies) {
      assert.ok((copy.status === 200 && copy.outcome === 'duplicate') || (copy.status === 409 && copy.code === 'event_in_progress'), JSON.stringify(copy));
    }
    assert.deepEqual(await eventRow(event.id), { attempts: 1, processed: 1, claimed_by: null });
    assert.equal(await count(a, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
  });

  it('answers 409 while a host that died mid-event holds its claim, and lets the next delivery after the lease take it over', async () => {
    const { checkoutId, event } = await paidEvent('mug-stone');
    // What a host leaves behind when it is killed between claiming an event and finishing it.
    const diedAt = clock();
    assert.equal((await a.checkout.webhookEvents.claim(event.id, event.type, diedAt)).state, 'claimed');

    // Host b waits a moment for a to finish (CLAIM_WAIT_MS), then asks Stripe to deliver again.
    assert.deepEqual(await deliver(b, event), { host: 'b', status: 409, outcome: undefined, code: 'event_in_progress' });
    assert.equal(await count(a, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 0);
    assert.equal((await b.checkout.webhookEvents.claim(event.id, event.type, diedAt + WEBHOOK_LEASE_MS - 1)).state, 'busy', 'the claim stands to the last millisecond of its lease');

    // Stripe's next retry comes after the lease ran out: b takes the event over.
    offset += WEBHOOK_LEASE_MS;
    assert.deepEqual(await deliver(b, event), { host: 'b', status: 200, outcome: 'processed', code: undefined });
    assert.deepEqual(await eventRow(event.id), { attempts: 2, processed: 1, claimed_by: null });
    assert.equal(await count(a, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    assert.deepEqual(await deliver(a, event), { host: 'a', status: 200, outcome: 'duplicate', code: undefined });
  });

  it('releases the claim of a handler that failed, so a copy on the other host handles the event at once', async () => {
    const { checkoutId, event } = await paidEvent('cap-navy');
    const repaired = await failInserts(a.db, 'orders');
    const failed = await deliver(a, event);
    await repaired();
    assert.deepEqual([failed.status, failed.code], [500, 'internal_error']);
    assert.deepEqual(await eventRow(event.id), { attempts: 1, processed: 0, claimed_by: null });
    assert.deepEqual(await deliver(b, event), { host: 'b', status: 200, outcome: 'processed', code: undefined });
    assert.deepEqual(await eventRow(event.id), { attempts: 2, processed: 1, claimed_by: null });
    assert.equal(await count(a, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
  });
});
