import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type Stripe from 'stripe';
import { CARDS_ONLY, startHarness, type Harness } from './helpers.ts';

// Stripe's own example objects (MIT, see test/fixtures/stripe/README.md), copied into the repository
// so the shape test runs in any clone.
const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/stripe/fixtures.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Every top-level field of the fixture, with the same JSON type wherever neither side is null. */
function assertSameShape(name: string, emulated: object) {
  const fixture = fixtures[name];
  assert.ok(fixture, `no fixture named ${name}`);
  const actual = emulated as Record<string, unknown>;
  const missing = Object.keys(fixture).filter((key) => !(key in actual));
  assert.deepEqual(missing, [], `${name} lacks fields of Stripe's example`);
  const mismatched = Object.keys(fixture)
    .filter((key) => fixture[key] !== null && actual[key] !== null && kind(fixture[key]) !== kind(actual[key]))
    .map((key) => `${key}: ${kind(actual[key])}, Stripe has ${kind(fixture[key])}`);
  assert.deepEqual(mismatched, [], `${name} fields of another type`);
}

let h: Harness;
let paid: Stripe.PaymentIntent;
before(async () => {
  h = await startHarness();
  const customer = await h.stripe.customers.create({ email: 'shape@example.com' });
  paid = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
});
after(() => h.emulator.close());

describe('emulated objects carry the fields of Stripe’s example objects', () => {
  it('payment_intent, fresh and after payment', async () => {
    assertSameShape('payment_intent', await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY }));
    assertSameShape('payment_intent', paid);
  });

  it('payment_intent after a decline (last_payment_error set)', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }).catch(() => undefined);
    assertSameShape('payment_intent', await h.stripe.paymentIntents.retrieve(pi.id));
  });

  it('charge, whose refunds are listed only when expanded (API version 2022-11-15 on)', async () => {
    assert.equal('refunds' in await h.stripe.charges.retrieve(paid.latest_charge as string), false);
    assertSameShape('charge', await h.stripe.charges.retrieve(paid.latest_charge as string, { expand: ['refunds'] }));
  });

  it('customer', async () => {
    assertSameShape('customer', await h.stripe.customers.retrieve(paid.customer as string));
  });

  it('refund', async () => {
    assertSameShape('refund', await h.stripe.refunds.create({ payment_intent: paid.id, amount: 100 }));
  });

  it('event', async () => {
    const [event] = (await h.stripe.events.list({ limit: 1 })).data;
    assertSameShape('event', event!);
  });

  it('payment_method', async () => {
    assertSameShape('payment_method', await h.stripe.paymentMethods.retrieve(paid.payment_method as string));
  });
});
