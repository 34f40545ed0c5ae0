/**
 * The "Refund fails" test card (https://docs.stripe.com/testing#refunds): the payment succeeds, a
 * refund of it begins `succeeded` and later fails, and the charge takes the amount back.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import Stripe from 'stripe';
import { CARDS_ONLY, cardMethod, eventTypesFor, startHarness, startReceiver, type Harness } from './helpers.ts';

const SECRET = 'whsec_test_refund_failures';
const verifier = new Stripe('sk_test_verifier');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(o: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(o);
  cleanups.push(h.emulator.close);
  return h;
}

/** The refund events about one payment, oldest first (its asynchronous capture's charge.updated left out). */
const refundEventsFor = async (h: Harness, intentId: string) => (await eventTypesFor(h.stripe, intentId)).filter((t) => /^(refund|charge\.refund)/.test(t));

const pay = (h: Harness, paymentMethod: string, amount = 1500) =>
  h.stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: paymentMethod, confirm: true, ...CARDS_ONLY });

describe('the "Refund fails" test card', () => {
  it('pm_card_refundFail: the refund begins succeeded, later fails with expired_or_canceled_card, and the charge takes the amount back', async () => {
    const h = await harness();
    const pi = await pay(h, 'pm_card_refundFail');
    assert.equal(pi.status, 'succeeded');
    const charge = pi.latest_charge as string;
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 400 });
    assert.deepEqual([refund.status, refund.failure_reason], ['succeeded', undefined]);
    assert.equal((await h.stripe.charges.retrieve(charge)).amount_refunded, 400);
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'succeeded', 'still succeeded until Stripe hears back');

    h.emulator.tasks.flush();
    const failed = await h.stripe.refunds.retrieve(refund.id);
    assert.deepEqual([failed.status, failed.failure_reason, failed.amount], ['failed', 'expired_or_canceled_card', 400]);
    assert.match(String(failed.failure_balance_transaction), /^txn_/);
    const after = await h.stripe.charges.retrieve(charge);
    assert.deepEqual([after.amount_refunded, after.refunded], [0, false]);
    assert.deepEqual(await refundEventsFor(h, pi.id),
      ['refund.created', 'charge.refunded', 'refund.updated', 'refund.failed', 'charge.refund.updated']);
    const [updated] = (await h.stripe.events.list({ type: 'refund.updated', limit: 1 })).data as Stripe.RefundUpdatedEvent[];
    assert.deepEqual(updated!.data.previous_attributes, { status: 'succeeded', failure_reason: null, failure_balance_transaction: null });

    // What failed is refundable again: all of it.
    const again = await h.stripe.refunds.create({ payment_intent: pi.id });
    assert.equal(again.amount, 1500);
    h.emulator.tasks.flush();
    assert.equal((await h.stripe.refunds.retrieve(again.id)).status, 'failed', 'every refund to this card fails');
    assert.equal((await h.stripe.charges.retrieve(charge)).amount_refunded, 0);
  });

  it('fails the same way paid with its raw number (4000 0000 0000 5126) or tok_refundFail', async () => {
    const h = await harness();
    const raw = await cardMethod(h, '4000000000005126');
    const fromToken = await h.browser.paymentMethods.create({ type: 'card', card: { token: 'tok_refundFail' } });
    for (const pm of [raw.id, fromToken.id]) {
      const pi = await pay(h, pm, 900);
      const refund = await h.stripe.refunds.create({ payment_intent: pi.id });
      h.emulator.tasks.flush();
      assert.deepEqual([(await h.stripe.refunds.retrieve(refund.id)).status, (await h.stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded],
        ['failed', 0], pm);
    }
  });

  it('fails on its own after refundFailAfterMs, with no flush', async () => {
    const h = await harness({ taskDelays: { refundFailAfterMs: 1 } });
    const pi = await pay(h, 'pm_card_refundFail');
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    for (let i = 0; i < 200 && (await h.stripe.refunds.retrieve(refund.id)).status !== 'failed'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'failed');
  });

  it('waits as long as tasks.delay() says for refunds made from then on', async () => {
    const h = await harness({ taskDelays: { refundFailAfterMs: 1 } });
    h.emulator.tasks.delay({ refundFailAfterMs: 3_600_000 });
    const pi = await pay(h, 'pm_card_refundFail');
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'succeeded', 'an hour to go');
    h.emulator.tasks.flush();
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'failed');
  });

  it('leaves the refunds of every other card succeeded', async () => {
    const h = await harness();
    const pi = await pay(h, 'pm_card_visa');
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 400 });
    h.emulator.tasks.flush();
    assert.equal((await h.stripe.refunds.retrieve(refund.id)).status, 'succeeded');
    assert.equal((await h.stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded, 400);
    assert.deepEqual(await refundEventsFor(h, pi.id), ['refund.created', 'charge.refunded']);
  });

  it('delivers refund.failed and charge.refund.updated signed, to the endpoints that listen for them', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const h = await harness({ webhookSecret: SECRET });
    await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['refund.failed', 'charge.refund.updated'] });
    const pi = await pay(h, 'pm_card_refundFail');
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 700, metadata: { order_id: 'o-1' } });
    h.emulator.tasks.flush();
    await h.emulator.webhooks.idle();
    const verified = receiver.received.map((r) => verifier.webhooks.constructEvent(r.body, r.signature, SECRET));
    assert.deepEqual(verified.map((e) => e.type), ['refund.failed', 'charge.refund.updated']);
    for (const event of verified) {
      const object = event.data.object as Stripe.Refund;
      assert.deepEqual([object.id, object.status, object.failure_reason, object.amount, object.payment_intent, object.metadata],
        [refund.id, 'failed', 'expired_or_canceled_card', 700, pi.id, { order_id: 'o-1' }]);
    }
  });
});
