/**
 * Refunds Stripe reports made and that fail later (the "Refund fails" card, pm_card_refundFail):
 * the order stops counting the money as refunded, it is refundable again, our refund row says
 * failed with Stripe's reason, the order needs the merchant's attention, and every copy and kind of
 * the failure's events, in any order and before or after charge.refunded, has one effect.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import { adminStores, type AdminDeps } from '../../../server/admin/context.ts';
import { askAgain, refundableLeft, refundOrder } from '../../../server/admin/refund-order.ts';
import type { AdminRefund } from '../../../server/stores/admin-refund-store.ts';
import { resolveOrder } from '../../../server/admin/resolve-order.ts';
import { retryAutomaticRefunds } from '../../../server/checkout/automatic-refunds.ts';
import { fulfil } from '../../../server/checkout/fulfil.ts';
import { handleWebhookEvent } from '../../../server/checkout/webhook-handler.ts';
import { silentLogger } from '../../../server/logger.ts';
import { refundMadeEarlier } from '../../../server/payments/refund-made-earlier.ts';
import { stripeClientFor } from '../../../server/stripe-emulator/index.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { closedPort } from '../../helpers/lossy-stripe.ts';
import { cartWith, checkout, count, pay, returnUrl, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRow, sqlRows } from '../../helpers/db.ts';

const FAILURE_EVENTS = ['refund.updated', 'refund.failed', 'charge.refund.updated'];

describe('refunds that fail after Stripe made them', () => {
  let s: TestServer;
  let deps: AdminDeps;
  before(async () => {
    s = await startTestServer();
    deps = { ...s.checkout, ...adminStores(s.db, silentLogger) };
    // The card's refunds fail when a test says so (tasks.flush()), never on their own in between.
    s.stripe.emulator!.tasks.delay({ refundFailAfterMs: 3_600_000 });
  });
  after(() => s.stop());

  const emulator = () => s.stripe.emulator!;
  const stock = (id: string) => count(s, 'SELECT stock FROM products WHERE id = ?', id);
  const order = async (id: string) => {
    const o = (await s.checkout.orders.byId(id))!;
    return { status: o.status, amountRefunded: o.amountRefunded, attentionReason: o.attentionReason };
  };
  const failures = (paymentIntentId: string) => sqlRows(s.db,
    'SELECT refund_id AS "refundId", order_id AS "orderId", amount, failure_reason AS "failureReason" FROM refund_failures WHERE payment_intent_id = ?', paymentIntentId);
  const refundEmails = (orderId: string) => count(s, "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE ?", `refund:${orderId}:%`);
  /** The events the emulator sent about one payment's refunds, oldest first. */
  const refundEvents = async (paymentIntentId: string) => (await s.sdk.events.list({ limit: 100 })).data.reverse()
    .filter((e) => (e.data.object as { payment_intent?: string }).payment_intent === paymentIntentId && /^(refund|charge\.refund)/.test(e.type));
  /**
   * Runs `act` with Stripe's refund list stubbed: the first time it is read, `failure` (a refund's
   * held failure events) is handled first and `check`ed, as if heard while asking Stripe again.
   */
  const whileListingRefunds = async (failure: Stripe.Event[], check: () => Promise<void>, act: () => Promise<void>) => {
    const refunds = s.checkout.stripe.refunds;
    const list = refunds.list;
    let handled = false;
    refunds.list = ((...args: Parameters<typeof list>) => (async function* () {
      if (!handled) {
        handled = true;
        for (const event of failure) await handleWebhookEvent(s.checkout, event);
        await check();
      }
      yield* list.apply(refunds, args);
    })()) as unknown as typeof list;
    try {
      await act();
    } finally {
      refunds.list = list;
    }
    assert.equal(handled, true, 'the failure was handled while asking again');
  };
  const reasonFor = (amount: string) => `Refund of ${amount} failed at Stripe (expired_or_canceled_card): the money went back to the shop's balance, not to the shopper`;

  it("fails a merchant's partial refund: back to nothing refunded, refundable again, one history event, once for 3 shuffled copies of each event", async () => {
    const o = await paidOrder(s, [['tee-black', 2]], 'refund-fails@example.com', undefined, 'pm_card_refundFail');
    const stockBefore = await stock('tee-black');
    const { refund } = await refundOrder(deps, o.id, { amount: 1000, reason: 'scuffed' }, 'admin:Ada');
    await webhooksSettled(s);
    assert.deepEqual(await order(o.id), { status: 'partially_refunded', amountRefunded: 1000, attentionReason: null });
    assert.equal(await refundableLeft(deps, (await s.checkout.orders.byId(o.id))!), o.amountPaid - 1000);

    emulator().webhooks.configure({ copies: 3, shuffle: true });
    try {
      emulator().tasks.flush();
      await webhooksSettled(s);
    } finally {
      emulator().webhooks.configure({ copies: 1, shuffle: false });
    }
    const failedEvents = (await refundEvents(o.paymentIntentId)).filter((e) => FAILURE_EVENTS.includes(e.type));
    assert.equal(failedEvents.length, 3, 'Stripe told of it three ways');
    assert.equal(await count(s, 'SELECT COUNT(*) FROM webhook_events WHERE id IN (?, ?, ?) AND processed_at IS NOT NULL', ...failedEvents.map((e) => e.id)), 3);

    assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: reasonFor('$10.00') });
    assert.deepEqual(await sqlRows(s.db, 'SELECT status, refund_id AS "refundId", last_error AS "lastError" FROM admin_refunds WHERE order_id = ?', o.id),
      [{ status: 'failed', refundId: refund.refundId, lastError: 'expired_or_canceled_card' }]);
    assert.deepEqual(await failures(o.paymentIntentId), [{ refundId: refund.refundId, orderId: o.id, amount: 1000, failureReason: 'expired_or_canceled_card' }]);
    assert.equal(await refundableLeft(deps, (await s.checkout.orders.byId(o.id))!), o.amountPaid, 'all of it is refundable again');
    assert.equal(await stock('tee-black'), stockBefore, 'a partial refund moved no stock, nor does its failure');
    assert.equal(await refundEmails(o.id), 1, 'the shopper heard of the refund once; the failure sends nothing more');

    const detail = await admin<{ events: { kind: string; text: string; amount?: number }[]; refundable: number }>(s, `/orders/${o.id}`);
    assert.deepEqual(detail.body.events.filter((e) => e.kind === 'refund_failed').map(({ kind, text, amount }) => ({ kind, text, amount })),
      [{ kind: 'refund_failed', amount: 1000, text: `Refund ${refund.refundId} failed at Stripe: expired_or_canceled_card; the money went back to the shop's balance` }]);
    assert.deepEqual(detail.body.events.filter((e) => e.kind === 'refund').map((e) => e.text), ['Refund by admin:Ada (scuffed): failed, expired_or_canceled_card']);
    // The order was created paid: the failure, later, is an event of its own, not how it began.
    assert.deepEqual(detail.body.events.filter((e) => e.kind === 'order_created').map((e) => e.text), [`Order ${o.number} created`]);
    assert.equal(detail.body.refundable, o.amountPaid);

    // The merchant deals with it: the order is what its money says, paid.
    await resolveOrder(deps, o.id, 'Paid the shopper by bank transfer', 'admin:Ada');
    assert.equal((await order(o.id)).status, 'paid');
  });

  it('fails a full refund: the order is not refunded, and the goods its refund put back are left for the merchant to check', async () => {
    const o = await paidOrder(s, [['hoodie-grey', 1]], 'full-refund-fails@example.com', undefined, 'pm_card_refundFail');
    const stockBefore = await stock('hoodie-grey');
    await refundOrder(deps, o.id, { reason: 'returned' }, 'admin');
    await webhooksSettled(s);
    assert.deepEqual([(await order(o.id)).status, await stock('hoodie-grey')], ['refunded', stockBefore + 1]);
    emulator().tasks.flush();
    await webhooksSettled(s);
    const money = `$${(o.amountPaid / 100).toFixed(2)}`;
    assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: `${reasonFor(money)}; the refund had put the goods back in stock: check the stock` });
    assert.equal(await stock('hoodie-grey'), stockBefore + 1, 'not taken off the shelf behind the merchant\'s back');
    // Refunded again, for good this time: the goods are not put back a second time.
    await refundOrder(deps, o.id, { reason: 'returned, refunded by hand' }, 'admin');
    await webhooksSettled(s);
    assert.deepEqual([(await order(o.id)).amountRefunded, await stock('hoodie-grey')], [o.amountPaid, stockBefore + 1]);
  });

  it('refunds again when the same request without a key is sent after its refund failed, and a retry of that is still one refund', async () => {
    const o = await paidOrder(s, [['mug-stone', 1]], 'ask-again@example.com', undefined, 'pm_card_refundFail');
    type Answer = { refund: { id: number; status: string; refundId: string | null }; order: { amountRefunded: number } };
    // What `npm run admin -- orders:refund <number> --reason returned` sends: no amount, no key.
    const ask = () => admin<Answer>(s, `/orders/${o.id}/refunds`, { json: { reason: 'returned' } });
    const first = await ask();
    assert.deepEqual([first.status, first.body.refund.status, first.body.order.amountRefunded], [201, 'issued', o.amountPaid]);
    await webhooksSettled(s);
    emulator().tasks.flush();
    await webhooksSettled(s);
    assert.equal((await order(o.id)).amountRefunded, 0);

    const again = await ask();
    assert.deepEqual([again.status, again.body.refund.status, again.body.order.amountRefunded], [201, 'issued', o.amountPaid], JSON.stringify(again.body));
    assert.notEqual(again.body.refund.id, first.body.refund.id);
    assert.notEqual(again.body.refund.refundId, first.body.refund.refundId);
    const retried = await ask();
    assert.deepEqual([retried.status, retried.body.refund.id], [201, again.body.refund.id], 'a retry of the new request is the new refund, not a third');
    assert.deepEqual((await s.sdk.refunds.list({ payment_intent: o.paymentIntentId })).data.map((r) => [r.amount, r.status]),
      [[o.amountPaid, 'succeeded'], [o.amountPaid, 'failed']]);
    await webhooksSettled(s);
    assert.deepEqual(await sqlRows(s.db, 'SELECT status FROM admin_refunds WHERE order_id = ? ORDER BY id', o.id), [{ status: 'failed' }, { status: 'issued' }]);
    // The shopper hears of each refund made, the second too, though it brings the order to the same amount refunded.
    assert.deepEqual(await sqlRows(s.db, "SELECT subject FROM outbox WHERE dedupe_key LIKE ? ORDER BY id", `refund:${o.id}:%`),
      Array(2).fill({ subject: `Demo Shop: $${(o.amountPaid / 100).toFixed(2)} refunded for order ${o.number}` }));
  });

  it("takes a failed refund's metadata for one of ours only on that refund's own payment", async () => {
    // An order whose merchant's refund Stripe never answered: pending, no Stripe id yet.
    const waiting = await paidOrder(s, [['tee-black', 1]], 'unanswered@example.com');
    const offline = { ...deps, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) };
    await assert.rejects(refundOrder(offline, waiting.id, { amount: 500, reason: 'late' }, 'admin'));
    const [pending] = await sqlRows<{ id: number; status: string }>(s.db, 'SELECT id, status FROM admin_refunds WHERE order_id = ?', waiting.id);
    assert.equal(pending!.status, 'pending');
    // A refund of another payment whose metadata names that row's id (made by another shop on the
    // same Stripe account, whose own refund rows are numbered as ours are), and it fails.
    const other = await paidOrder(s, [['tee-black', 1]], 'other-shop@example.com', undefined, 'pm_card_refundFail');
    const made = await s.sdk.refunds.create({ payment_intent: other.paymentIntentId, amount: 700, metadata: { admin_refund: String(pending!.id) } });
    await webhooksSettled(s);
    emulator().tasks.flush();
    await webhooksSettled(s);

    assert.deepEqual(await sqlRows(s.db, 'SELECT status, refund_id AS "refundId" FROM admin_refunds WHERE order_id = ?', waiting.id), [{ status: 'pending', refundId: null }]);
    assert.deepEqual(await order(waiting.id), { status: 'paid', amountRefunded: 0, attentionReason: null });
    assert.deepEqual(await order(other.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: reasonFor('$7.00') });
    assert.deepEqual(await failures(other.paymentIntentId), [{ refundId: made.id, orderId: other.id, amount: 700, failureReason: 'expired_or_canceled_card' }]);
  });

  it("records the merchant's refund asked again while the failed one it passed over was being marked failed, and says so on the order", async () => {
    const o = await paidOrder(s, [['tee-black', 1]], 'admin-replaced@example.com', undefined, 'pm_card_refundFail');
    const offline = { ...deps, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) };
    await assert.rejects(refundOrder(offline, o.id, { amount: 500, reason: 'late', idempotencyKey: 'replaced-0001' }, 'admin'));
    const pending = (await deps.adminRefunds.byKey(o.id, 'replaced-0001'))!;
    assert.equal(pending.status, 'pending');
    emulator().webhooks.configure({ paused: true });
    try {
      // Made at Stripe (its answer lost, its key unknown to Stripe, as after 24 hours), and failed; its events held.
      const earlier = await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 500, metadata: { admin_refund: String(pending.id) } });
      emulator().tasks.flush();
      const failure = (await refundEvents(o.paymentIntentId)).filter((e) => FAILURE_EVENTS.includes(e.type)) as Stripe.Event[];
      assert.equal(failure.length, 3);
      let asked: AdminRefund | undefined;
      await whileListingRefunds(failure, async () => {
        assert.deepEqual(await sqlRows(s.db, 'SELECT status, refund_id AS "refundId" FROM admin_refunds WHERE order_id = ?', o.id), [{ status: 'failed', refundId: earlier.id }]);
      }, async () => { asked = await askAgain(deps, (await s.checkout.orders.byId(o.id))!, pending); });
      const now = await s.sdk.refunds.list({ payment_intent: o.paymentIntentId });
      assert.deepEqual(now.data.map((r) => [r.amount, r.status]), [[500, 'succeeded'], [500, 'failed']]);
      const replacement = now.data[0]!.id;
      assert.equal(asked!.refundId, replacement);
      assert.deepEqual(await sqlRows(s.db, 'SELECT status, refund_id AS "refundId" FROM admin_refunds WHERE order_id = ?', o.id), [{ status: 'issued', refundId: replacement }],
        'the money that went back is recorded');
      assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: `${reasonFor('$5.00')}; a replacement refund ${replacement} was made` });
    } finally {
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    // The held charge.refunded, read afresh: the replacement's 500 is counted, and told of once.
    const replacement = (await s.sdk.refunds.list({ payment_intent: o.paymentIntentId })).data[0]!.id;
    assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 500, attentionReason: `${reasonFor('$5.00')}; a replacement refund ${replacement} was made` });
    assert.equal(await refundEmails(o.id), 1);
    assert.equal(await refundableLeft(deps, (await s.checkout.orders.byId(o.id))!), o.amountPaid - 500);
  });

  for (const [name, failureFirst] of [['before', true], ['after', false]] as const) {
    it(`has one effect when the failure is heard ${name} the refund's charge.refunded, each event three times`, async () => {
      const o = await paidOrder(s, [['tee-white', 2]], `order-${name}@example.com`, undefined, 'pm_card_refundFail');
      emulator().webhooks.configure({ paused: true });
      try {
        // Made in the Stripe Dashboard: known to us only from its events.
        const made = await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 700 });
        emulator().tasks.flush();
        const events = await refundEvents(o.paymentIntentId);
        const failed = events.filter((e) => FAILURE_EVENTS.includes(e.type));
        const refunded = events.filter((e) => e.type === 'charge.refunded');
        assert.deepEqual([failed.length, refunded.length], [3, 1]);
        const sequence = failureFirst ? [...failed, ...refunded, ...failed, ...refunded, ...refunded, ...failed] : [...refunded, ...failed, ...refunded, ...failed, ...failed, ...refunded];
        const outcomes = [];
        for (const event of sequence) outcomes.push(await handleWebhookEvent(s.checkout, event as Stripe.Event));
        assert.deepEqual(outcomes.filter((x) => x === 'processed').length, 4, 'each event once');
        assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: reasonFor('$7.00') });
        assert.deepEqual(await failures(o.paymentIntentId), [{ refundId: made.id, orderId: o.id, amount: 700, failureReason: 'expired_or_canceled_card' }]);
        // The refund had failed at Stripe before either event was handled: Stripe's refunds, read when
        // charge.refunded is handled, say so whichever comes first, and the shopper is told of no refund.
        assert.equal(await refundEmails(o.id), 0, 'failed before it was heard of, the refund is not news to the shopper');
      } finally {
        emulator().webhooks.configure({ paused: false });
        await webhooksSettled(s);
      }
      assert.equal((await order(o.id)).amountRefunded, 0, 'the held deliveries, late, change nothing');
    });
  }

  it("lists Stripe's refunds outside the transaction, and a charge.refunded handled between that read and the lock makes the failure come again", async () => {
    const o = await paidOrder(s, [['tee-white', 1]], 'failure-race@example.com', undefined, 'pm_card_refundFail');
    emulator().webhooks.configure({ paused: true });
    try {
      await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 700 });
      emulator().tasks.flush();
      const failedEvent = (await refundEvents(o.paymentIntentId)).find((e) => e.type === 'refund.failed')!;
      // While the failure's handler reads Stripe's refunds, another refund of 300 is made and its
      // charge.refunded handled: no transaction of the failure's is open to wait for, and the order
      // it locks next no longer is as it read it.
      const refunds = s.checkout.stripe.refunds;
      const list = refunds.list;
      let raced: unknown;
      refunds.list = ((...args: Parameters<typeof list>) => (async function* () {
        yield* list.apply(refunds, args);
        if (raced === undefined) {
          raced = 'racing';
          await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 300 });
          const refunded = (await refundEvents(o.paymentIntentId)).filter((e) => e.type === 'charge.refunded').at(-1)!;
          raced = await handleWebhookEvent(s.checkout, refunded as Stripe.Event);
        }
      })()) as unknown as typeof list;
      try {
        await assert.rejects(handleWebhookEvent(s.checkout, failedEvent as Stripe.Event), /changed meanwhile/);
      } finally {
        refunds.list = list;
      }
      assert.equal(raced, 'processed');
      assert.deepEqual([(await order(o.id)).amountRefunded, (await failures(o.paymentIntentId)).length], [300, 0], 'nothing of the failure recorded');
      // Stripe delivers the failure again: read afresh, the 300 that did reach the shopper stays.
      assert.equal(await handleWebhookEvent(s.checkout, failedEvent as Stripe.Event), 'processed');
      assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 300, attentionReason: reasonFor('$7.00') });
      assert.equal((await failures(o.paymentIntentId)).length, 1);
    } finally {
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.equal((await order(o.id)).amountRefunded, 300, 'the held deliveries, late, change nothing');
  });

  it("believes no charge.refunded snapshot that still counts a refund failed since: the payment's refunds are listed afresh", async () => {
    const o = await paidOrder(s, [['tee-white', 1]], 'stale-snapshot@example.com', undefined, 'pm_card_refundFail');
    emulator().webhooks.configure({ paused: true });
    try {
      await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 700 });
      const refundedEvent = (await refundEvents(o.paymentIntentId)).find((e) => e.type === 'charge.refunded')!;
      assert.equal((refundedEvent.data.object as Stripe.Charge).amount_refunded, 700, 'the snapshot counts the refund');
      emulator().tasks.flush();
      // Heard before its failure: the refund had failed at Stripe by then, so nothing was refunded.
      assert.equal(await handleWebhookEvent(s.checkout, refundedEvent as Stripe.Event), 'processed');
      assert.deepEqual([(await order(o.id)).amountRefunded, await refundEmails(o.id)], [0, 0]);
    } finally {
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: reasonFor('$7.00') });
  });

  it("keeps a failure heard while the merchant's refund reads Stripe's charge: the charge read before it is not believed", async () => {
    const o = await paidOrder(s, [['tee-white', 1]], 'read-before-failure@example.com', undefined, 'pm_card_refundFail');
    // A refund made earlier in the Dashboard, heard of: the order counts its 700.
    const earlier = await s.sdk.refunds.create({ payment_intent: o.paymentIntentId, amount: 700 });
    await webhooksSettled(s);
    assert.equal((await order(o.id)).amountRefunded, 700);
    const chargeNow = async () => (await s.sdk.charges.retrieve((await s.sdk.paymentIntents.retrieve(o.paymentIntentId)).latest_charge as string)).amount_refunded;
    // The merchant refunds 500 more. Just after the console's request has read Stripe's charge (1200
    // refunded), the earlier refund fails at Stripe and its failure is heard and handled.
    emulator().webhooks.configure({ paused: true });
    const intents = s.checkout.stripe.paymentIntents;
    const retrieve = intents.retrieve;
    let failedMeanwhile = false;
    intents.retrieve = (async (...args: Parameters<typeof retrieve>) => {
      const answer = await retrieve.apply(intents, args);
      if (!failedMeanwhile) {
        failedMeanwhile = true;
        emulator().tasks.flush(); // every refund of this card fails: the 500 too, its events held back
        for (const event of (await refundEvents(o.paymentIntentId)).filter((e) => e.type === 'refund.failed' && (e.data.object as Stripe.Refund).id === earlier.id)) {
          await handleWebhookEvent(s.checkout, event as Stripe.Event);
        }
      }
      return answer;
    }) as typeof retrieve;
    try {
      await refundOrder(deps, o.id, { amount: 500, reason: 'late' }, 'admin');
      assert.equal(failedMeanwhile, true);
      assert.equal((await order(o.id)).amountRefunded, await chargeNow(), "what the order counts as refunded is never more than Stripe's charge");
    } finally {
      intents.retrieve = retrieve;
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.deepEqual(await order(o.id), { status: 'needs_attention', amountRefunded: 0, attentionReason: `${reasonFor('$7.00')}; ${reasonFor('$5.00')}` });
    assert.equal((await failures(o.paymentIntentId)).length, 2);
  });

  describe('automatic refunds', () => {
    /** A checkout paid, then paid again around us with the "Refund fails" card; the second payment's webhooks held back. */
    async function strayPayment(email: string): Promise<{ stray: Stripe.PaymentIntent; orderId: string }> {
      const cart = await cartWith(s, [['tee-white', 1]]);
      const started = await checkout(s, cart.id, email);
      await pay(s, started.body.clientSecret);
      await webhooksSettled(s);
      emulator().webhooks.configure({ paused: true });
      const created = await s.sdk.paymentIntents.create({ amount: started.body.amount, currency: 'usd', metadata: { checkout_id: started.body.checkoutId } });
      const stray = await s.sdk.paymentIntents.confirm(created.id, { payment_method: 'pm_card_refundFail', return_url: returnUrl(s) });
      assert.equal(stray.status, 'succeeded');
      return { stray, orderId: (await s.checkout.orders.byCheckout(started.body.checkoutId))!.id };
    }
    const row = (paymentIntentId: string) => sqlRow(s.db,
      'SELECT status, refund_id AS "refundId", last_error AS "lastError" FROM automatic_refunds WHERE payment_intent_id = ?', paymentIntentId);

    it('marks a failed automatic refund failed, and its order needs attention, its own payment untouched', async () => {
      const { stray, orderId } = await strayPayment('auto-fails@example.com');
      await fulfil(s.checkout, stray);
      assert.deepEqual(await order(orderId), { status: 'needs_attention', amountRefunded: 0, attentionReason: 'duplicate_payment' }, 'the merchant hears of the second payment');
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
      const made = (await row(stray.id))!;
      assert.equal(made.status, 'refunded');
      emulator().webhooks.configure({ copies: 3, shuffle: true });
      try {
        emulator().tasks.flush();
        await webhooksSettled(s);
      } finally {
        emulator().webhooks.configure({ copies: 1, shuffle: false });
      }
      assert.deepEqual(await row(stray.id), { status: 'failed', refundId: made.refundId, lastError: 'expired_or_canceled_card' });
      // The reason already waiting for the merchant stays, the failure after it.
      assert.deepEqual(await order(orderId), { status: 'needs_attention', amountRefunded: 0, attentionReason: `duplicate_payment; ${reasonFor(`$${(stray.amount / 100).toFixed(2)}`)}` });
      assert.deepEqual(await failures(stray.id), [{ refundId: made.refundId, orderId, amount: stray.amount, failureReason: 'expired_or_canceled_card' }]);
      const detail = await admin<{ automaticRefunds: { status: string; lastError: string }[]; events: { kind: string; text: string }[] }>(s, `/orders/${orderId}`);
      assert.deepEqual(detail.body.automaticRefunds.map((r) => [r.status, r.lastError]), [['failed', 'expired_or_canceled_card']]);
      assert.equal(detail.body.events.filter((e) => e.kind === 'refund_failed').length, 1);
      const number = (await s.checkout.orders.byId(orderId))!.number;
      assert.deepEqual(detail.body.events.filter((e) => e.kind === 'order_created').map((e) => e.text), [`Order ${number} created`], 'created paid; the second payment came later');
    });

    it('does not adopt a refund of ours that failed: the sweeper asks Stripe for a new one', async () => {
      const { stray } = await strayPayment('auto-adopt@example.com');
      // Stripe unreachable: the automatic refund is recorded, pending.
      await fulfil({ ...s.checkout, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) }, stray);
      assert.equal((await row(stray.id))!.status, 'pending');
      // One of ours made at Stripe meanwhile (its answer lost, its key forgotten), and failed; its events not heard yet.
      const earlier = await s.sdk.refunds.create({ payment_intent: stray.id, metadata: { automatic: 'duplicate_payment' } });
      emulator().tasks.flush();
      const isOurs = (r: Stripe.Refund) => r.metadata?.automatic === 'duplicate_payment';
      assert.equal(await refundMadeEarlier(s.sdk, stray.id, isOurs), undefined, 'the failed one is not adopted');

      assert.equal(await retryAutomaticRefunds(s.checkout), 1);
      const now = await s.sdk.refunds.list({ payment_intent: stray.id });
      assert.deepEqual(now.data.map((r) => [r.amount, r.status]), [[stray.amount, 'succeeded'], [stray.amount, 'failed']], 'a new refund, beside the failed one');
      const fresh = now.data[0]!;
      assert.notEqual(fresh.id, earlier.id);
      assert.equal((await refundMadeEarlier(s.sdk, stray.id, isOurs))?.id, fresh.id, 'one that did not fail is adopted');
      assert.deepEqual(await row(stray.id), { status: 'refunded', refundId: fresh.id, lastError: null });

      // The earlier failure's events, late: recorded, and the new refund stays refunded.
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
      assert.deepEqual(await row(stray.id), { status: 'refunded', refundId: fresh.id, lastError: null });
      assert.deepEqual((await failures(stray.id)).map((f) => f.refundId), [earlier.id]);
    });

    it("records the refund asked again while the failed one it passed over was being marked failed, and tells the merchant", async () => {
      const { stray, orderId } = await strayPayment('auto-replaced@example.com');
      await fulfil({ ...s.checkout, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) }, stray);
      assert.equal((await row(stray.id))!.status, 'pending');
      // One of ours made at Stripe (its answer lost, its key unknown to Stripe, as after 24 hours), and failed; its events held.
      const earlier = await s.sdk.refunds.create({ payment_intent: stray.id, metadata: { automatic: 'duplicate_payment' } });
      emulator().tasks.flush();
      const failure = (await refundEvents(stray.id)).filter((e) => FAILURE_EVENTS.includes(e.type)) as Stripe.Event[];
      assert.equal(failure.length, 3);
      // The sweeper reads Stripe's refunds (the failed one is passed over); meanwhile the failure is
      // handled and marks our row failed, before the new refund is made and recorded.
      await whileListingRefunds(failure, async () => {
        assert.deepEqual(await row(stray.id), { status: 'failed', refundId: earlier.id, lastError: 'expired_or_canceled_card' });
      }, async () => assert.equal(await retryAutomaticRefunds(s.checkout), 1));
      const now = await s.sdk.refunds.list({ payment_intent: stray.id });
      assert.deepEqual(now.data.map((r) => [r.amount, r.status]), [[stray.amount, 'succeeded'], [stray.amount, 'failed']]);
      const replacement = now.data[0]!.id;
      assert.deepEqual(await row(stray.id), { status: 'refunded', refundId: replacement, lastError: null }, 'the money that went back is recorded');
      const attention = { status: 'needs_attention', amountRefunded: 0,
        attentionReason: `duplicate_payment; ${reasonFor(`$${(stray.amount / 100).toFixed(2)}`)}; a replacement refund ${replacement} was made` };
      assert.deepEqual(await order(orderId), attention);

      // The held deliveries, late, change nothing more.
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
      assert.deepEqual(await row(stray.id), { status: 'refunded', refundId: replacement, lastError: null });
      assert.deepEqual(await order(orderId), attention);
      assert.deepEqual((await failures(stray.id)).map((f) => f.refundId), [earlier.id]);
    });
  });
});
