import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { CARDS_ONLY, cardMethod, eventTypesFor, startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());

async function intent(): Promise<Stripe.PaymentIntent> {
  return h.stripe.paymentIntents.create({ amount: 2500, currency: 'usd', ...CARDS_ONLY });
}

async function declineOf(confirm: Promise<unknown>): Promise<Stripe.errors.StripeCardError> {
  const error = await confirm.then(() => assert.fail('expected a decline'), (e: unknown) => e);
  assert.ok(error instanceof Stripe.errors.StripeCardError, `expected StripeCardError, got ${String(error)}`);
  return error;
}

describe('test cards confirmed through the SDK', () => {
  it('4242 4242 4242 4242 succeeds, with a succeeded charge and its events', async () => {
    const pi = await intent();
    const pm = await cardMethod(h, '4242424242424242');
    const paid = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: pm.id });
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.amount_received, 2500);
    assert.equal(paid.last_payment_error, null);
    const charge = await h.stripe.charges.retrieve(paid.latest_charge as string);
    assert.deepEqual([charge.status, charge.amount, charge.paid, charge.payment_intent, charge.payment_method_details?.card?.last4], ['succeeded', 2500, true, pi.id, '4242']);
    assert.deepEqual(await eventTypesFor(h.stripe, pi.id), ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  for (const number of ['4000002760003184', '4000002500003155', '4000000000003220']) {
    it(`${number} requires 3D Secure, and succeeds once authenticated`, async () => {
      const pi = await intent();
      const pending = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: (await cardMethod(h, number)).id });
      assert.equal(pending.status, 'requires_action');
      assert.equal(pending.next_action?.type, 'use_stripe_sdk');
      assert.equal(typeof pending.next_action?.use_stripe_sdk, 'object');
      const done = await h.emulator.authenticate(pi.id, 'complete');
      assert.equal(done.status, 'succeeded');
      const charge = await h.stripe.charges.retrieve(done.latest_charge as string);
      assert.equal(charge.payment_method_details?.card?.three_d_secure?.result, 'authenticated');
      assert.deepEqual(await eventTypesFor(h.stripe, pi.id),
        ['payment_intent.created', 'payment_intent.requires_action', 'charge.succeeded', 'payment_intent.succeeded']);
    });
  }

  it('a failed 3D Secure returns the intent to requires_payment_method with payment_intent_authentication_failure', async () => {
    const pi = await intent();
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_threeDSecure2Required' });
    const failed = await h.emulator.authenticate(pi.id, 'fail');
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.last_payment_error?.code, 'payment_intent_authentication_failure');
    assert.equal(failed.payment_method, null);
    assert.deepEqual(await eventTypesFor(h.stripe, pi.id),
      ['payment_intent.created', 'payment_intent.requires_action', 'payment_intent.payment_failed']);
    // The shopper may try again with another card.
    const retried = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'succeeded');
  });

  it('4000 0082 6000 3178 authenticates, then declines for insufficient funds', async () => {
    const pi = await intent();
    const pending = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: (await cardMethod(h, '4000008260003178')).id });
    assert.equal(pending.status, 'requires_action');
    const declined = await h.emulator.authenticate(pi.id, 'complete');
    assert.equal(declined.status, 'requires_payment_method');
    assert.deepEqual([declined.last_payment_error?.type, declined.last_payment_error?.code, declined.last_payment_error?.decline_code],
      ['card_error', 'card_declined', 'insufficient_funds']);
    assert.deepEqual(await eventTypesFor(h.stripe, pi.id),
      ['payment_intent.created', 'payment_intent.requires_action', 'charge.failed', 'payment_intent.payment_failed']);
  });

  const declines: [string, string, string, string][] = [
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['4000000000009995', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.'],
    ['4000000000000127', 'incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."],
    ['4000000000000119', 'processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'],
  ];
  for (const [number, code, declineCode, message] of declines) {
    it(`${number} is declined with ${code} / ${declineCode}`, async () => {
      const pi = await intent();
      const error = await declineOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: (await cardMethod(h, number)).id }));
      assert.deepEqual([error.statusCode, error.code, error.decline_code, error.message], [402, code, declineCode, message]);
      const inError = error.payment_intent!;
      assert.equal(inError.id, pi.id);
      assert.equal(inError.status, 'requires_payment_method');
      const after = await h.stripe.paymentIntents.retrieve(pi.id);
      assert.deepEqual([after.status, after.last_payment_error?.code, after.last_payment_error?.decline_code], ['requires_payment_method', code, declineCode]);
      const charge = await h.stripe.charges.retrieve(after.latest_charge as string);
      assert.deepEqual([charge.status, charge.paid, charge.failure_code], ['failed', false, code]);
      assert.deepEqual(await eventTypesFor(h.stripe, pi.id), ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);
    });
  }

  const tokens: [string, string][] = [
    ['pm_card_visa', 'succeeded'], ['pm_card_mastercard', 'succeeded'],
    ['pm_card_authenticationRequired', 'requires_action'], ['pm_card_threeDSecure2Required', 'requires_action'],
    ['pm_card_chargeDeclined', 'generic_decline'], ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedLostCard', 'lost_card'], ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc'], ['pm_card_chargeDeclinedProcessingError', 'processing_error'],
  ];
  for (const [token, expected] of tokens) {
    it(`the ${token} test token ends in ${expected}`, async () => {
      const pi = await intent();
      const outcome = await h.stripe.paymentIntents.confirm(pi.id, { payment_method: token }).then(
        (confirmed) => confirmed.status,
        (e: unknown) => (e instanceof Stripe.errors.StripeCardError ? e.decline_code : String(e)),
      );
      assert.equal(outcome, expected);
    });
  }

  it('a number failing the Luhn check is refused as incorrect_number', async () => {
    const error = await declineOf(cardMethod(h, '4242424242424241'));
    assert.deepEqual([error.code, error.param], ['incorrect_number', 'card[number]']);
  });
});
