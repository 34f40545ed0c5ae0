import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Stripe from 'stripe';
import { MAX_FAILED_ATTEMPTS, sdkApiVersion } from '../../../server/stripe-emulator/index.ts';
import { CARDS_ONLY, eventTypesFor, refusalOf, startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.emulator.close());


describe('payment intents', () => {
  it('are created with Stripe-like ids, an unguessable client secret and the given fields', async () => {
    const customer = await h.stripe.customers.create({ email: 'ada@example.com' });
    const pi = await h.stripe.paymentIntents.create({
      amount: 1999, currency: 'EUR', customer: customer.id, receipt_email: 'ada@example.com', description: 'Order 7',
      metadata: { checkout_id: 'co_1' }, automatic_payment_methods: { enabled: true },
    });
    assert.match(pi.id, /^pi_[A-Za-z0-9]{24}$/);
    assert.match(pi.client_secret!, new RegExp(`^${pi.id}_secret_[A-Za-z0-9]{25}$`));
    assert.deepEqual(
      [pi.status, pi.amount, pi.currency, pi.customer, pi.receipt_email, pi.description, pi.metadata, pi.automatic_payment_methods?.enabled],
      ['requires_payment_method', 1999, 'eur', customer.id, 'ada@example.com', 'Order 7', { checkout_id: 'co_1' }, true],
    );
    assert.deepEqual(await h.stripe.paymentIntents.retrieve(pi.id), pi);
  });

  it('are updated (amount, metadata, receipt email, customer, description) while not succeeded', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { a: '1', b: '2' }, ...CARDS_ONLY });
    const customer = await h.stripe.customers.create({ email: 'b@example.com' });
    const updated = await h.stripe.paymentIntents.update(pi.id, {
      amount: 1500, metadata: { a: '', c: '3' }, receipt_email: 'b@example.com', customer: customer.id, description: 'bigger cart',
    });
    assert.deepEqual([updated.amount, updated.metadata, updated.receipt_email, updated.customer, updated.description],
      [1500, { b: '2', c: '3' }, 'b@example.com', customer.id, 'bigger cart']);
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    const error = await refusalOf(h.stripe.paymentIntents.update(pi.id, { amount: 2000 }));
    assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
    assert.deepEqual([error.statusCode, error.code], [400, 'payment_intent_unexpected_state']);
    assert.equal((await h.stripe.paymentIntents.retrieve(pi.id)).amount, 1500);
  });

  it('a new amount during 3D Secure voids the challenge: the intent waits for a new confirmation', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    await h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_authenticationRequired' });
    const updated = await h.stripe.paymentIntents.update(pi.id, { amount: 1200 });
    assert.deepEqual([updated.status, updated.next_action], ['requires_confirmation', null]);
    await assert.rejects(h.emulator.authenticate(pi.id, 'complete'), /status of requires_confirmation/);
    const again = await h.stripe.paymentIntents.confirm(pi.id);
    assert.equal(again.status, 'requires_action');
    assert.equal((await h.emulator.authenticate(pi.id, 'complete')).amount_received, 1200);
  });

  it('are canceled from any state before success, with the reason and an event', async () => {
    for (const setUp of [async () => {}, async (id: string) => void (await h.stripe.paymentIntents.confirm(id, { payment_method: 'pm_card_authenticationRequired' }))]) {
      const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
      await setUp(pi.id);
      const canceled = await h.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
      assert.deepEqual([canceled.status, canceled.cancellation_reason, typeof canceled.canceled_at], ['canceled', 'abandoned', 'number']);
      assert.equal((await eventTypesFor(h.stripe, pi.id)).at(-1), 'payment_intent.canceled');
    }
  });

  it('refuse to cancel, confirm or update once succeeded or canceled (payment_intent_unexpected_state)', async () => {
    const paid = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    assert.equal(paid.status, 'succeeded');
    const canceled = await h.stripe.paymentIntents.cancel((await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY })).id);
    for (const pi of [paid, canceled]) {
      for (const call of [
        () => h.stripe.paymentIntents.cancel(pi.id),
        () => h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }),
        () => h.stripe.paymentIntents.update(pi.id, { metadata: { x: '1' } }),
      ]) {
        const error = await refusalOf(call());
        assert.deepEqual([error.statusCode, error.code, error.type], [400, 'payment_intent_unexpected_state', 'StripeInvalidRequestError']);
        assert.equal((error.raw as { payment_intent?: { status: string } }).payment_intent?.status, pi.status);
      }
    }
  });

  it('refuse to confirm without a payment method', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    const error = await refusalOf(h.stripe.paymentIntents.confirm(pi.id));
    assert.deepEqual([error.statusCode, error.code], [400, 'payment_intent_unexpected_state']);
  });

  it(`are canceled ('automatic') after ${MAX_FAILED_ATTEMPTS} failed attempts`, async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', ...CARDS_ONLY });
    for (let attempt = 1; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }));
    }
    assert.equal((await h.stripe.paymentIntents.retrieve(pi.id)).status, 'requires_payment_method');
    const last = await refusalOf(h.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_chargeDeclined' }));
    assert.equal(last.code, 'card_declined');
    const canceled = await h.stripe.paymentIntents.retrieve(pi.id);
    assert.deepEqual([canceled.status, canceled.cancellation_reason], ['canceled', 'automatic']);
    const types = await eventTypesFor(h.stripe, pi.id);
    assert.deepEqual([types.filter((t) => t === 'payment_intent.payment_failed').length, types.at(-1)], [MAX_FAILED_ATTEMPTS, 'payment_intent.canceled']);
  });

  it('are listed by customer, newest first, with a limit and a cursor', async () => {
    const customer = await h.stripe.customers.create({ email: 'list@example.com' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift((await h.stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd', customer: customer.id, ...CARDS_ONLY })).id);
    await h.stripe.paymentIntents.create({ amount: 5000, currency: 'usd', ...CARDS_ONLY });
    const first = await h.stripe.paymentIntents.list({ customer: customer.id, limit: 2 });
    assert.deepEqual([first.data.map((pi) => pi.id), first.has_more], [ids.slice(0, 2), true]);
    const rest = await h.stripe.paymentIntents.list({ customer: customer.id, limit: 2, starting_after: ids[1] });
    assert.deepEqual([rest.data.map((pi) => pi.id), rest.has_more], [ids.slice(2), false]);
  });

  it('expand latest_charge, payment_method and customer', async () => {
    const customer = await h.stripe.customers.create({ email: 'expand@example.com' });
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    const expanded = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method', 'customer'] });
    assert.equal((expanded.latest_charge as Stripe.Charge).object, 'charge');
    assert.equal((expanded.payment_method as Stripe.PaymentMethod).object, 'payment_method');
    assert.equal((expanded.customer as Stripe.Customer).email, 'expand@example.com');
  });

  it('emit events carrying the SDK pinned api_version and a snapshot of the object', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...CARDS_ONLY });
    const events = await h.stripe.events.list({ type: 'payment_intent.*', limit: 2 });
    assert.deepEqual(events.data.map((e) => e.type), ['payment_intent.succeeded', 'payment_intent.created']);
    for (const event of events.data) assert.equal(event.api_version, sdkApiVersion());
    assert.equal(sdkApiVersion(), Stripe.API_VERSION);
    const [succeeded, created] = events.data as [Stripe.PaymentIntentSucceededEvent, Stripe.PaymentIntentCreatedEvent];
    assert.deepEqual([created.data.object.id, created.data.object.status, succeeded.data.object.status], [pi.id, 'requires_confirmation', 'succeeded']);
    assert.deepEqual(await h.stripe.events.retrieve(succeeded.id), succeeded);
  });
});

describe('customers', () => {
  it('are created, retrieved and updated', async () => {
    const created = await h.stripe.customers.create({ email: 'c@example.com', name: 'Cee', metadata: { tier: 'gold' } });
    assert.match(created.id, /^cus_[A-Za-z0-9]{24}$/);
    assert.deepEqual(await h.stripe.customers.retrieve(created.id), created);
    const updated = await h.stripe.customers.update(created.id, { name: 'Cee Dee', metadata: { tier: '' } });
    assert.deepEqual([updated.email, updated.name, updated.metadata], ['c@example.com', 'Cee Dee', {}]);
    assert.deepEqual((await h.stripe.events.list({ limit: 2 })).data.map((e) => e.type), ['customer.updated', 'customer.created']);
  });
});
