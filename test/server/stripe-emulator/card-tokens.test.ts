import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { CARDS_ONLY, startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());

const confirmWithToken = async (token: string, extra: Record<string, string> = {}) => {
  const pi = await h.stripe.paymentIntents.create({ amount: 1800, currency: 'usd', ...CARDS_ONLY });
  // Stripe.js sends card fields under payment_method_data; the SDK's type leaves them out (servers don't).
  const paymentMethodData = { type: 'card', card: { token, ...extra } } as unknown as Stripe.PaymentIntentConfirmParams.PaymentMethodData;
  return h.stripe.paymentIntents.confirm(pi.id, { payment_method_data: paymentMethodData });
};

describe('card[token]: Stripe\'s test tokens, as a wallet\'s card is passed', () => {
  it('tok_visa pays: a card PaymentMethod ending in 4242 and one succeeded charge', async () => {
    const paid = await confirmWithToken('tok_visa');
    assert.equal(paid.status, 'succeeded');
    const pm = await h.stripe.paymentMethods.retrieve(paid.payment_method as string);
    assert.deepEqual([pm.type, pm.card?.brand, pm.card?.last4], ['card', 'visa', '4242']);
    const charges = (await h.stripe.events.list({ type: 'charge.succeeded', limit: 100 })).data
      .filter((event) => (event.data.object as Stripe.Charge).payment_intent === paid.id);
    assert.equal(charges.length, 1);
  });

  it('tok_chargeDeclined is declined as its card is', async () => {
    const error = await confirmWithToken('tok_chargeDeclined').then(() => assert.fail('expected a decline'), (e: unknown) => e);
    assert.ok(error instanceof Stripe.errors.StripeCardError);
    assert.equal(error.decline_code, 'generic_decline');
  });

  it('refuses an unknown token with 404 resource_missing, and a token sent with card fields', async () => {
    const unknown = await confirmWithToken('tok_nonsense').then(() => assert.fail('accepted'), (e: unknown) => e);
    assert.ok(unknown instanceof Stripe.errors.StripeInvalidRequestError);
    assert.deepEqual([unknown.statusCode, unknown.code, unknown.param], [404, 'resource_missing', 'card[token]']);
    // With card fields the secret key's raw-card refusal comes first, as Stripe's does.
    const mixed = await confirmWithToken('tok_visa', { number: '4242424242424242' }).then(() => assert.fail('accepted'), (e: unknown) => e);
    assert.ok(mixed instanceof Stripe.errors.StripeInvalidRequestError);
    assert.equal(mixed.statusCode, 400);
  });
});
