/**
 * The emulator started again on the same state file goes on where it stopped, as Stripe would:
 * objects, events, endpoints and their secrets, answers to idempotency keys, webhooks still owed
 * and payments still settling.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Stripe from 'stripe';
import { tempDir } from '../../helpers/temp.ts';
import { CARDS_ONLY, RETURN_URL, startHarness, startReceiver } from './helpers.ts';

describe('the emulator\'s state file', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('brings back objects, events, endpoints, idempotent answers, owed webhooks and settling payments', async () => {
    const stateFile = join(dir.path, 'emulator.db');
    const receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
    try {
      const first = await startHarness({ stateFile, webhookTiming: { retryScheduleMs: [60_000], timeoutMs: 2000 } });
      const endpoint = await first.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['payment_intent.succeeded'] });
      const paid = await first.stripe.paymentIntents.create(
        { amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order: '7' }, ...CARDS_ONLY }, { idempotencyKey: 'pay-7' });
      await first.emulator.webhooks.flush(); // the first delivery fails; its retry is a minute away
      const settling = await first.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method_data: { type: 'paypal' }, confirm: true, return_url: RETURN_URL });
      await fetch(settling.next_action!.redirect_to_url!.url!, { method: 'POST', body: new URLSearchParams({ result: 'settle_later' }), redirect: 'manual' });
      await first.emulator.close();

      const second = await startHarness({ stateFile });
      try {
        const kept = await second.stripe.paymentIntents.retrieve(paid.id);
        assert.deepEqual([kept.status, kept.amount_received, kept.metadata, kept.latest_charge], ['succeeded', 1200, { order: '7' }, paid.latest_charge]);
        const again = await second.stripe.paymentIntents.create(
          { amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order: '7' }, ...CARDS_ONLY }, { idempotencyKey: 'pay-7' });
        assert.deepEqual([again.id, again.lastResponse.headers['idempotent-replayed']], [paid.id, 'true'], 'the key still answers with the same payment');
        assert.equal((await second.stripe.webhookEndpoints.retrieve(endpoint.id)).url, receiver.url);
        assert.ok((await second.stripe.events.list({ limit: 100 })).data.some((e) => e.type === 'payment_intent.succeeded' && (e.data.object as Stripe.PaymentIntent).id === paid.id));

        await second.emulator.webhooks.flush(); // the owed retry, signed with the endpoint's kept secret
        const delivered = receiver.received.map((r) => Stripe.webhooks.constructEvent(r.body, r.signature, endpoint.secret!));
        assert.deepEqual(delivered.map((e) => (e.data.object as Stripe.PaymentIntent).id), [paid.id, paid.id]);

        assert.equal((await second.stripe.paymentIntents.retrieve(settling.id)).status, 'processing');
        second.emulator.tasks.flush();
        assert.equal((await second.stripe.paymentIntents.retrieve(settling.id)).status, 'succeeded', 'the settling payment settles after the restart');
      } finally {
        await second.emulator.close();
      }
    } finally {
      await receiver.close();
    }
  });
  it('makes its state file\'s folder when it is missing (a shop on PostgreSQL has no data/ of its own)', async () => {
    const stateFile = join(dir.path, 'not-yet', 'there', 'emulator.db');
    const harness = await startHarness({ stateFile });
    try {
      const intent = await harness.stripe.paymentIntents.create({ amount: 500, currency: 'usd', ...CARDS_ONLY });
      assert.equal((await harness.stripe.paymentIntents.retrieve(intent.id)).amount, 500);
    } finally {
      await harness.emulator.close();
    }
    assert.ok(existsSync(stateFile), 'the state file was written in the folder it made');
  });
});
