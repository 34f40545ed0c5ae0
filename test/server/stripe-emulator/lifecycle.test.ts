/**
 * What happens between confirming and the money: return_url rules, the redirect method's page and
 * its outcomes, payments that settle later, asynchronous capture, the declines Stripe documents,
 * and what events carry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { RETURN_URL_REQUIRED } from '../../../server/stripe-emulator/confirm.ts';
import { CARDS_ONLY, RETURN_URL, eventTypesFor, refusalOf, startHarness, startReceiver, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());


/** The shopper on the redirect method's page: picks `result`, and is sent back. */
async function onRedirectPage(intent: Stripe.PaymentIntent, result: string): Promise<URL> {
  const page = intent.next_action?.redirect_to_url?.url;
  assert.ok(page, `a redirect for ${intent.id}`);
  assert.equal(new URL(page).origin, h.emulator.origins.hooks, 'on the hooks origin');
  const shown = await fetch(page);
  assert.match(await shown.text(), /Authorize test payment/);
  const answer = await fetch(page, { method: 'POST', body: new URLSearchParams({ result }), redirect: 'manual' });
  assert.equal(answer.status, 303);
  return new URL(answer.headers.get('location')!);
}

const redirected = (amount = 3000) => h.stripe.paymentIntents.create({
  amount, currency: 'usd', payment_method_data: { type: 'paypal' }, confirm: true, return_url: RETURN_URL,
});

describe('return_url', () => {
  it('is required to confirm when automatic payment methods may redirect, with Stripe\'s message', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    assert.deepEqual([pi.automatic_payment_methods, pi.payment_method_types], [{ enabled: true }, ['card', 'link', 'paypal']]);
    const error = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }));
    assert.deepEqual([error.statusCode, error.param, error.message], [400, 'return_url', RETURN_URL_REQUIRED]);
    assert.equal((await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa', return_url: RETURN_URL })).status, 'succeeded');
  });

  it('is not needed with allow_redirects never, which also rules the redirect method out', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    assert.deepEqual(pi.payment_method_types, ['card', 'link']);
    const paypal = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method_data: { type: 'paypal' } }));
    assert.equal(paypal.code, 'payment_intent_incompatible_payment_method');
    assert.equal((await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' })).status, 'succeeded');
  });

  it('must be a URL', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const error = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa', return_url: 'shop' }));
    assert.deepEqual([error.param, error.code], ['return_url', 'url_invalid']);
  });
});

describe('the redirect method', () => {
  it('sends the shopper to its page and back with redirect_status=succeeded when authorized', async () => {
    const pi = await redirected();
    assert.deepEqual([pi.status, pi.next_action?.type, pi.next_action?.redirect_to_url?.return_url], ['requires_action', 'redirect_to_url', RETURN_URL]);
    const back = await onRedirectPage(pi, 'authorize');
    assert.equal(`${back.origin}${back.pathname}`, RETURN_URL);
    assert.deepEqual([back.searchParams.get('payment_intent'), back.searchParams.get('payment_intent_client_secret'), back.searchParams.get('redirect_status')],
      [pi.id, pi.client_secret, 'succeeded']);
    assert.equal((await h.stripe.paymentIntents.retrieve(pi.id)).status, 'succeeded');
    assert.equal((await fetch(pi.next_action!.redirect_to_url!.url!)).status, 404, 'the page is spent');
  });

  it('settles later: processing (charge.pending, payment_intent.processing), then succeeded', async () => {
    const pi = await redirected();
    assert.equal((await onRedirectPage(pi, 'settle_later')).searchParams.get('redirect_status'), 'processing');
    const processing = await h.stripe.paymentIntents.retrieve(pi.id);
    const pending = await h.stripe.charges.retrieve(processing.latest_charge as string);
    assert.deepEqual([processing.status, pending.status, pending.paid], ['processing', 'pending', false]);
    h.emulator.tasks.flush();
    const settled = await h.stripe.paymentIntents.retrieve(pi.id);
    assert.deepEqual([settled.status, settled.amount_received], ['succeeded', 3000]);
    assert.deepEqual(await eventTypesFor(h.stripe, pi.id), [
      'payment_intent.created', 'payment_intent.requires_action', 'charge.pending', 'payment_intent.processing', 'charge.succeeded', 'payment_intent.succeeded',
    ]);
  });

  it('fails later: processing, then payment_failed with payment_method_provider_decline', async () => {
    const pi = await redirected();
    await onRedirectPage(pi, 'fail_later');
    h.emulator.tasks.flush();
    const failed = await h.stripe.paymentIntents.retrieve(pi.id);
    assert.deepEqual([failed.status, failed.last_payment_error?.code], ['requires_payment_method', 'payment_method_provider_decline']);
    assert.deepEqual((await eventTypesFor(h.stripe, pi.id)).slice(-2), ['charge.failed', 'payment_intent.payment_failed']);
  });

  it('fails on the page: redirect_status=failed, payable again', async () => {
    const pi = await redirected();
    assert.equal((await onRedirectPage(pi, 'fail')).searchParams.get('redirect_status'), 'failed');
    const failed = await h.stripe.paymentIntents.retrieve(pi.id);
    assert.deepEqual([failed.status, failed.last_payment_error?.code], ['requires_payment_method', 'payment_intent_payment_attempt_failed']);
    assert.equal((await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa', return_url: RETURN_URL })).status, 'succeeded');
  });
});

describe('Link', () => {
  it('pays at once with a link PaymentMethod: the account\'s email on it, one succeeded charge whose details say link', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 2500, currency: 'usd', ...CARDS_ONLY });
    const paid = await h.stripe.paymentIntents.confirm(pi.id, {
      payment_method_data: { type: 'link', billing_details: { email: 'jenny.rosen@example.com', name: 'Jenny Rosen' } }, expand: ['payment_method', 'latest_charge'],
    });
    assert.deepEqual([paid.status, paid.amount_received], ['succeeded', 2500]);
    const pm = paid.payment_method as Stripe.PaymentMethod;
    assert.deepEqual([pm.type, pm.link, pm.card, pm.billing_details.email], ['link', { email: 'jenny.rosen@example.com' }, undefined, 'jenny.rosen@example.com']);
    const charge = paid.latest_charge as Stripe.Charge;
    assert.deepEqual([charge.status, charge.paid, charge.payment_method, charge.payment_method_details], ['succeeded', true, pm.id, { type: 'link', link: { country: 'US' } }]);
    assert.deepEqual(await eventTypesFor(h.stripe, pi.id), ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('is refused by an intent that does not take it, and a PaymentMethod of it can be made and used later', async () => {
    const older = { apiVersion: '2025-04-30.basil' } as const;
    // payment_method_types is an older API version's (the SDK's types no longer have it).
    const cardOnly = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_types: ['card'] } as Stripe.PaymentIntentCreateParams, older);
    const refused = await refusalOf(h.stripe.paymentIntents.confirm(cardOnly.id, { payment_method_data: { type: 'link' } }));
    assert.equal(refused.code, 'payment_intent_incompatible_payment_method');
    const pm = await h.stripe.paymentMethods.create({ type: 'link', billing_details: { email: 'later@example.com' } });
    assert.deepEqual([pm.type, pm.link?.email], ['link', 'later@example.com']);
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    assert.equal((await h.stripe.paymentIntents.confirm(pi.id, { payment_method: pm.id })).status, 'succeeded');
  });
});

describe('capture', () => {
  it('automatic_async (the default): succeeded with balance_transaction null, then charge.updated fills it', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    assert.equal(pi.capture_method, 'automatic_async');
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    assert.deepEqual([charge.status, charge.captured, charge.balance_transaction], ['succeeded', true, null]);
    h.emulator.tasks.flush();
    assert.match(String((await h.stripe.charges.retrieve(charge.id)).balance_transaction), /^txn_/);
    const [updated] = (await h.stripe.events.list({ type: 'charge.updated', limit: 1 })).data as Stripe.ChargeUpdatedEvent[];
    assert.deepEqual([updated!.data.object.id, updated!.data.previous_attributes, updated!.request], [charge.id, { balance_transaction: null }, { id: null, idempotency_key: null }]);
  });

  it('automatic: the balance transaction at once, no charge.updated', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', capture_method: 'automatic', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    assert.match(String((await h.stripe.charges.retrieve(pi.latest_charge as string)).balance_transaction), /^txn_/);
    h.emulator.tasks.flush();
    assert.equal((await eventTypesFor(h.stripe, pi.id)).includes('charge.updated'), false);
  });
});

describe('declines as Stripe documents them', () => {
  const confirmWith = async (token: string) => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const error = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: token })) as Stripe.errors.StripeCardError;
    return { pi, error, after: await h.stripe.paymentIntents.retrieve(pi.id) };
  };

  for (const [token, code, declineCode, param, advice] of [
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', undefined, undefined],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', undefined, 'try_again_later'],
    ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card', undefined, 'do_not_try_again'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card', undefined, 'do_not_try_again'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'cvc', 'confirm_card_data'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'exp_month', 'confirm_card_data'],
    ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_declined', 'card_velocity_exceeded', undefined, 'try_again_later'],
    ['pm_card_chargeCustomerFail', 'card_declined', 'generic_decline', undefined, undefined],
  ] as const) {
    it(`${token}: ${code} / ${declineCode}${param ? `, param ${param}` : ''}${advice ? `, advice ${advice}` : ''}`, async () => {
      const { error, after } = await confirmWith(token);
      assert.deepEqual([error.code, error.decline_code, error.param, (error.raw as { advice_code?: string }).advice_code], [code, declineCode, param, advice]);
      assert.deepEqual([after.last_payment_error?.param, after.last_payment_error?.advice_code], [param, advice]);
      const charge = await h.stripe.charges.retrieve(after.latest_charge as string);
      assert.equal(charge.outcome?.advice_code, advice ?? null);
    });
  }

  it('4100 0000 0000 0019 (pm_card_chargeDeclinedFraudulent) is blocked by Radar, never sent to the network', async () => {
    const { error, after } = await confirmWith('pm_card_chargeDeclinedFraudulent');
    assert.deepEqual([error.code, error.decline_code], ['card_declined', 'fraudulent']);
    const charge = await h.stripe.charges.retrieve(after.latest_charge as string);
    assert.deepEqual([charge.outcome?.type, charge.outcome?.network_status, charge.outcome?.risk_level], ['blocked', 'not_sent_to_network', 'highest']);
  });

  it('4000 0000 0000 0341 attaches (a payment method is made) and then every charge fails', async () => {
    const pm = await h.browser.paymentMethods.create({ type: 'card', card: { number: '4000000000000341', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' } });
    assert.equal(pm.card?.last4, '0341');
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const error = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: pm.id }));
    assert.equal(error.code, 'card_declined');
  });

  it('pm_card_createDispute succeeds, then the cardholder disputes it', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true, ...CARDS_ONLY });
    assert.equal(pi.status, 'succeeded');
    h.emulator.tasks.flush();
    const [event] = (await h.stripe.events.list({ type: 'charge.dispute.created', limit: 1 })).data as Stripe.ChargeDisputeCreatedEvent[];
    const dispute = event!.data.object;
    assert.deepEqual([dispute.charge, dispute.payment_intent, dispute.amount, dispute.reason, dispute.status], [pi.latest_charge, pi.id, 1500, 'fraudulent', 'needs_response']);
    assert.equal((await h.stripe.charges.retrieve(pi.latest_charge as string)).disputed, true);
  });

  it('refuses to refund a charge under an open dispute (charge_disputed), by PaymentIntent or charge, and refunds nothing', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd', payment_method: 'pm_card_createDispute', confirm: true, ...CARDS_ONLY });
    // Refundable until the cardholder disputes it.
    assert.equal((await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 })).amount, 100);
    h.emulator.tasks.flush();
    const charge = pi.latest_charge as string;
    for (const target of [{ payment_intent: pi.id }, { charge }, { payment_intent: pi.id, amount: 200 }]) {
      const error = await refusalOf(h.stripe.refunds.create(target));
      assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
      assert.deepEqual([error.statusCode, error.type, error.code, error.message],
        [400, 'StripeInvalidRequestError', 'charge_disputed', `Charge ${charge} has been charged back; cannot issue a refund.`]);
    }
    assert.deepEqual((await h.stripe.refunds.list({ payment_intent: pi.id })).data.map((r) => r.amount), [100], 'only the refund made before the dispute');
    assert.equal((await h.stripe.charges.retrieve(charge)).amount_refunded, 100);
  });
});

describe('events', () => {
  it('name the request and idempotency key that caused them', async () => {
    const customer = await h.stripe.customers.create({ email: 'cause@example.com' }, { idempotencyKey: 'cause-1' });
    const [created] = (await h.stripe.events.list({ type: 'customer.created', limit: 1 })).data;
    assert.deepEqual(created!.request, { id: customer.lastResponse.requestId, idempotency_key: 'cause-1' });
  });

  it('count pending_webhooks down as endpoints acknowledge, and carry the endpoint\'s API version', async () => {
    const own = await startHarness({ apiVersion: '2025-04-30.basil', webhookTiming: { retryScheduleMs: [], timeoutMs: 2000 } });
    const ok = await startReceiver();
    const failing = await startReceiver(() => 500);
    try {
      own.emulator.webhooks.configure({ paused: true });
      await own.stripe.webhookEndpoints.create({ url: ok.url, enabled_events: ['customer.created'], api_version: '2024-06-20' });
      await own.stripe.webhookEndpoints.create({ url: failing.url, enabled_events: ['customer.created'] });
      await own.stripe.customers.create({ email: 'pending@example.com' });
      const [event] = (await own.stripe.events.list({ type: 'customer.created', limit: 1 })).data;
      assert.deepEqual([event!.pending_webhooks, event!.api_version], [2, '2025-04-30.basil']);
      await own.emulator.webhooks.flush();
      assert.equal((await own.stripe.events.retrieve(event!.id)).pending_webhooks, 1, 'the failing endpoint still waits');
      assert.equal(JSON.parse(ok.received[0]!.body).api_version, '2024-06-20', 'rendered at the endpoint\'s version');
      assert.equal(JSON.parse(failing.received[0]!.body).api_version, '2025-04-30.basil', 'or the account\'s');
    } finally {
      await ok.close();
      await failing.close();
      await own.emulator.close();
    }
  });
});
