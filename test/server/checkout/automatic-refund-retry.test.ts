/**
 * Automatic refunds (a second payment for a checkout that has its order) asked again by the
 * sweeper end refunded exactly once, even when Stripe made the refund, its answer was lost and
 * no sweep ran for over the 24 hours Stripe keeps idempotency keys; and one Stripe refuses for
 * good (the payment is disputed) is recorded as refused and never asked again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import { retryAutomaticRefunds } from '../../../server/checkout/automatic-refunds.ts';
import { fulfil } from '../../../server/checkout/fulfil.ts';
import { sweep } from '../../../server/checkout/sweeper.ts';
import { adminStores } from '../../../server/admin/context.ts';
import { silentLogger } from '../../../server/logger.ts';
import { stripeClientFor } from '../../../server/stripe-emulator/index.ts';
import { admin } from '../../helpers/admin.ts';
import { answerLosingProxy, closedPort } from '../../helpers/lossy-stripe.ts';
import { cartWith, checkout, pay, returnUrl, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRow } from '../../helpers/db.ts';

describe('automatic refunds asked again', () => {
  let s: TestServer;
  let now = Date.parse('2026-05-04T10:00:00Z');
  before(async () => { s = await startTestServer({ clock: () => now }); });
  after(() => s.stop());

  const stripeRefunds = async (paymentIntentId: string) => (await s.sdk.refunds.list({ payment_intent: paymentIntentId })).data.map((r) => ({ id: r.id, amount: r.amount }));
  const row = (paymentIntentId: string) => sqlRow(s.db,
    'SELECT status, refund_id AS "refundId", attempts, last_error AS "lastError" FROM automatic_refunds WHERE payment_intent_id = ?', paymentIntentId);

  /**
   * A checkout paid, then paid again around us with `paymentMethod`: the second payment succeeded
   * at Stripe, its webhooks held back (the test hands it to `fulfil` itself).
   */
  async function strayPayment(email: string, paymentMethod = 'pm_card_visa'): Promise<{ stray: Stripe.PaymentIntent; orderId: string }> {
    const cart = await cartWith(s, [['tee-white', 1]]);
    const started = await checkout(s, cart.id, email);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    s.stripe.emulator!.webhooks.configure({ paused: true });
    const created = await s.sdk.paymentIntents.create({ amount: started.body.amount, currency: 'usd', metadata: { checkout_id: started.body.checkoutId } });
    const stray = await s.sdk.paymentIntents.confirm(created.id, { payment_method: paymentMethod, return_url: returnUrl(s) });
    assert.equal(stray.status, 'succeeded');
    return { stray, orderId: (await s.checkout.orders.byCheckout(started.body.checkoutId))!.id };
  }

  /** The held webhooks delivered: their handling finds the refund recorded and asks nothing more. */
  async function release(): Promise<void> {
    s.stripe.emulator!.webhooks.configure({ paused: false });
    await webhooksSettled(s);
  }

  it('adopts the refund Stripe made when its answer was lost and the key is forgotten: refunded once, never retried', async () => {
    const { stray } = await strayPayment('lost-auto@example.com');
    const proxy = await answerLosingProxy(new URL(s.stripe.emulator!.url));
    try {
      await fulfil({ ...s.checkout, stripe: stripeClientFor(proxy.url) }, stray);
    } finally {
      await proxy.close();
    }
    await release();
    const made = await stripeRefunds(stray.id);
    assert.deepEqual(made.map((r) => r.amount), [stray.amount], 'Stripe made it (the SDK\'s own retry reused the key)');
    assert.equal((await row(stray.id))!.status, 'pending');

    // No sweep for over a day: Stripe has forgotten the idempotency key.
    now += 25 * 60 * 60_000;
    assert.equal(await retryAutomaticRefunds(s.checkout), 1);
    assert.deepEqual(await stripeRefunds(stray.id), made, 'still exactly one refund at Stripe');
    assert.deepEqual(await row(stray.id), { status: 'refunded', refundId: made[0]!.id, attempts: 2, lastError: null });
    await sweep({ ...s.checkout, ...adminStores(s.db, silentLogger) });
    assert.deepEqual(await stripeRefunds(stray.id), made);
    assert.equal((await row(stray.id))!.attempts, 2, 'nothing left to ask');
  });

  it('records as refused, and stops asking for, a refund the merchant already made in full in the Stripe Dashboard', async () => {
    const { stray } = await strayPayment('dashboard-auto@example.com');
    await fulfil({ ...s.checkout, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) }, stray);
    await release();
    assert.deepEqual((await row(stray.id))!.status, 'pending');
    const byHand = await s.sdk.refunds.create({ payment_intent: stray.id });
    const refused = { status: 'refused', refundId: null, attempts: 2, lastError: `Charge ${stray.latest_charge as string} has already been refunded.` };
    assert.equal(await retryAutomaticRefunds(s.checkout), 0);
    assert.deepEqual(await row(stray.id), refused);
    assert.equal(await retryAutomaticRefunds(s.checkout), 0);
    assert.deepEqual(await row(stray.id), refused, 'not asked again');
    assert.deepEqual(await stripeRefunds(stray.id), [{ id: byHand.id, amount: stray.amount }], 'the merchant\'s refund alone');
  });

  it('records a refund Stripe refuses for a disputed payment as refused, shows it, and never asks again', async () => {
    const { stray, orderId } = await strayPayment('disputed-auto@example.com', 'pm_card_createDispute');
    // The cardholder disputes the second payment before the refund is asked.
    s.stripe.emulator!.tasks.flush();
    await fulfil(s.checkout, stray);
    await release();
    const charge = stray.latest_charge as string;
    const refused = { status: 'refused', refundId: null, attempts: 1, lastError: `Charge ${charge} has been charged back; cannot issue a refund.` };
    assert.deepEqual(await row(stray.id), refused);
    assert.equal(await retryAutomaticRefunds(s.checkout), 0);
    now += 25 * 60 * 60_000;
    await sweep({ ...s.checkout, ...adminStores(s.db, silentLogger) });
    assert.deepEqual(await row(stray.id), refused, 'not asked again');
    assert.deepEqual(await stripeRefunds(stray.id), []);
    const detail = await admin<{ automaticRefunds: { paymentIntentId: string; status: string; lastError: string }[] }>(s, `/orders/${orderId}`);
    assert.deepEqual(detail.body.automaticRefunds.map((r) => [r.paymentIntentId, r.status, r.lastError]), [[stray.id, 'refused', refused.lastError]]);
  });
});
