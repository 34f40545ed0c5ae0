/**
 * Payments that don't settle at once, and payments disputed later: a redirect method the shopper
 * authorizes to settle later keeps the checkout `processing` (its goods held, no second payment)
 * until Stripe says succeeded (the order, once) or failed (the usual failure path); a dispute marks
 * the order for the merchant.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutState } from '../../../shared/api.ts';
import { sendDueRecoveryEmails } from '../../../server/checkout/payment-events.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, payByRedirect, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';

describe('payments that settle later', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { RECOVERY_EMAIL_DELAY_MINUTES: '0' } });
  });
  after(() => s.stop());

  const state = async (id: string) => (await s.api<CheckoutState>(`/api/checkouts/${id}`)).body;
  const stock = async (id: string) => await count(s, 'SELECT stock FROM products WHERE id = ?', id);
  /** Stripe settles the payment (in the emulator, after `taskDelays.settleAfterMs`; here, now). */
  const settle = async () => {
    s.stripe.emulator!.tasks.flush();
    await webhooksSettled(s);
  };

  it('shows processing after the redirect, refuses a second payment meanwhile, then makes exactly one order when it succeeds', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const before = await stock('tee-black');
    const started = await checkout(s, cart.id, 'later@example.com');
    const back = await payByRedirect(s, started.body.clientSecret, 'settle_later');
    assert.deepEqual([back.searchParams.get('redirect_status'), back.searchParams.get('payment_intent')], ['processing', paymentIntentId(started.body.clientSecret)]);
    await webhooksSettled(s);
    assert.equal((await state(started.body.checkoutId)).status, 'processing');
    const again = await checkout(s, cart.id, 'later@example.com');
    assert.deepEqual([again.status, again.body.error?.code], [409, 'checkout_closed']);

    await settle();
    const done = await state(started.body.checkoutId);
    assert.equal(done.status, 'paid');
    assert.equal(done.order?.totals.total, started.body.amount);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    assert.equal(await stock('tee-black'), before - 1);
  });

  it('takes the failure path when it fails later: failed with the reason, a recovery email, payable again with a card', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const started = await checkout(s, cart.id, 'fails-later@example.com');
    await payByRedirect(s, started.body.clientSecret, 'fail_later');
    await webhooksSettled(s);
    assert.equal((await state(started.body.checkoutId)).status, 'processing');

    await settle();
    const failed = await state(started.body.checkoutId);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.lastError?.code, 'payment_method_provider_decline');
    assert.equal(await sendDueRecoveryEmails(s.checkout), 1);
    assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'fails-later@example.com' AND dedupe_key LIKE 'recovery:%'"), 1);

    assert.equal(((await pay(s, failed.clientSecret!)) as { status?: string }).status, 'succeeded');
    await webhooksSettled(s);
    assert.equal((await state(started.body.checkoutId)).status, 'paid');
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
  });

  it('a redirect the shopper fails leaves the checkout payable, with the reason', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    const started = await checkout(s, cart.id, 'fails-now@example.com');
    const back = await payByRedirect(s, started.body.clientSecret, 'fail');
    assert.equal(back.searchParams.get('redirect_status'), 'failed');
    // The shopper is back before the webhook: the status read asks Stripe.
    const failed = await state(started.body.checkoutId);
    assert.deepEqual([failed.status, failed.lastError?.code], ['failed', 'payment_intent_payment_attempt_failed']);
    assert.equal(typeof failed.clientSecret, 'string');
    await webhooksSettled(s);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ?', started.body.checkoutId), 1, 'one attempt, however it was heard of');
  });
});

describe('a disputed payment', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.stop());

  it('marks the order for the merchant, once, and keeps the dispute for the admin view', async () => {
    const cart = await cartWith(s, [['tee-black', 1]]);
    const started = await checkout(s, cart.id, 'chargeback@example.com');
    assert.equal(((await pay(s, started.body.clientSecret, 'pm_card_createDispute')) as { status?: string }).status, 'succeeded');
    await webhooksSettled(s);
    const order = (await s.api<CheckoutState>(`/api/checkouts/${started.body.checkoutId}`)).body.order!;
    assert.equal(order.status, 'paid');

    s.stripe.emulator!.webhooks.configure({ copies: 2 });
    s.stripe.emulator!.tasks.flush();
    await webhooksSettled(s);
    s.stripe.emulator!.webhooks.configure({ copies: 1 });
    const admin = await s.api<{ order: { status: string; attentionReason: string }; disputes: { reason: string; amount: number; evidenceDueBy: number }[] }>(
      `/api/admin/orders/${order.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.deepEqual([admin.body.order.status, admin.body.order.attentionReason], ['needs_attention', 'disputed']);
    assert.deepEqual(admin.body.disputes.map((d) => [d.reason, d.amount]), [['fraudulent', started.body.amount]]);
    assert.ok(admin.body.disputes[0]!.evidenceDueBy > Date.now(), 'the evidence deadline is ahead');
  });
});
