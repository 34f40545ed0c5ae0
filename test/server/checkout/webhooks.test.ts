import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { CheckoutState } from '../../../shared/api.ts';
import { cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { failInserts } from '../../helpers/db.ts';

describe('webhook endpoint', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  /** A real succeeded PaymentIntent whose webhooks were held back, and its event. */
  async function paidWithoutWebhooks() {
    s.stripe.emulator!.webhooks.configure({ paused: true });
    const cart = await cartWith(s, [['tee-white', 1]]);
    const started = await checkout(s, cart.id);
    await pay(s, started.body.clientSecret);
    const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
    const events = await s.sdk.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const event = events.data.find((e) => (e.data.object as { id: string }).id === intent.id)!;
    return { checkoutId: started.body.checkoutId, intent, event };
  }

  const post = (body: string, signature?: string) => fetch(`${s.url}/webhooks/stripe`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
  });
  const sign = (payload: string, timestamp = Math.floor(Date.now() / 1000), secret = s.stripe.webhookSecret) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

  it('refuses unsigned, tampered, wrongly signed and 10-minute-old events with 400 and changes nothing', async () => {
    const { checkoutId, event } = await paidWithoutWebhooks();
    const payload = JSON.stringify(event);
    const tampered = payload.replace(/"amount":\d+/, '"amount":1');
    const attempts = [
      await post(payload),
      await post(payload, 'garbage'),
      await post(tampered, sign(payload)),
      await post(payload, sign(payload, Math.floor(Date.now() / 1000), 'whsec_not_the_secret')),
      await post(payload, sign(payload, Math.floor(Date.now() / 1000) - 600)),
    ];
    for (const [i, res] of attempts.entries()) {
      assert.equal(res.status, 400, `attempt ${i}`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'signature_invalid');
    }
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 0);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM webhook_events WHERE id = ?', event.id), 0);

    // The same event, properly signed, is accepted once; a replay is acknowledged and ignored.
    const first = await post(payload, sign(payload));
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { received: true, outcome: 'processed' });
    const again = await post(payload, sign(payload));
    assert.deepEqual(await again.json(), { received: true, outcome: 'duplicate' });
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    s.stripe.emulator!.webhooks.configure({ paused: false });
    await webhooksSettled(s);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
  });

  it('still makes the order exactly once when webhooks never arrive: the status read reconciles', async () => {
    const { checkoutId } = await paidWithoutWebhooks();
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 0);
    const reads = await Promise.all([1, 2, 3].map(() => s.api<CheckoutState>(`/api/checkouts/${checkoutId}`)));
    for (const r of reads) assert.equal(r.body.status, 'paid');
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    // The held-back webhooks arrive late and change nothing.
    s.stripe.emulator!.webhooks.configure({ paused: false });
    await webhooksSettled(s);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE ?', `order:%`), await count(s, 'SELECT COUNT(*) FROM orders'));
  });

  it('answers 500 when a handler fails, and the retry succeeds', async () => {
    const { checkoutId, event } = await paidWithoutWebhooks();
    const payload = JSON.stringify(event);
    const repaired = await failInserts(s.db, 'orders');
    const failed = await post(payload, sign(payload));
    assert.equal(failed.status, 500);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 0);
    await repaired();
    const retried = await post(payload, sign(payload));
    assert.equal(retried.status, 200);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    s.stripe.emulator!.webhooks.configure({ paused: false });
    await webhooksSettled(s);
  });
});
