/**
 * The shopper hears of each refund Stripe made once, with that refund's own amount, however a
 * failed refund of the same payment moves the order's amount refunded meanwhile.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import { adminStores, type AdminDeps } from '../../../server/admin/context.ts';
import { refundOrder } from '../../../server/admin/refund-order.ts';
import { handleWebhookEvent } from '../../../server/checkout/webhook-handler.ts';
import { silentLogger } from '../../../server/logger.ts';
import { paidOrder } from '../../helpers/admin.ts';
import { startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

describe('refund emails after a failed refund', () => {
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
  const money = (amount: number) => `$${(amount / 100).toFixed(2)}`;
  const subjects = (o: { id: string }) => sqlRows(s.db, 'SELECT subject FROM outbox WHERE dedupe_key LIKE ? ORDER BY id', `refund:${o.id}:%`);
  const subject = (amount: number, number: string) => ({ subject: `Demo Shop: ${money(amount)} refunded for order ${number}` });
  const amountRefunded = async (id: string) => (await s.checkout.orders.byId(id))!.amountRefunded;
  /** The events of one payment of the given types, newest first. */
  const events = async (paymentIntentId: string, types: RegExp) => (await s.sdk.events.list({ limit: 100 })).data
    .filter((e) => types.test(e.type) && (e.data.object as { payment_intent?: string }).payment_intent === paymentIntentId) as Stripe.Event[];
  const handle = async (list: Stripe.Event[]) => {
    for (const event of list) await handleWebhookEvent(s.checkout, event);
  };

  it("tells of a refund made while an earlier one's failure was not handled yet: one email, of its own amount", async () => {
    const o = await paidOrder(s, [['tee-black', 2]], 'refund-after-unheard-failure@example.com', undefined, 'pm_card_refundFail');
    await refundOrder(deps, o.id, { amount: 1000, reason: 'scuffed' }, 'admin');
    await webhooksSettled(s);
    assert.equal(await amountRefunded(o.id), 1000);
    emulator().webhooks.configure({ paused: true });
    try {
      emulator().tasks.flush(); // the 1000 fails at Stripe: the charge counts nothing refunded; its events held
      // The merchant refunds 500: the charge's 500 is not more than the order's 1000, so the order is left as it is.
      await refundOrder(deps, o.id, { amount: 500, reason: 'one more' }, 'admin');
      assert.equal(await amountRefunded(o.id), 1000);
      const failure = (await events(o.paymentIntentId, /^(refund\.(updated|failed)|charge\.refund\.updated)$/))
        .filter((e) => (e.data.object as Stripe.Refund).status === 'failed').reverse();
      assert.equal(failure.length, 3, 'the failure, told three ways');
      await handle(failure);
      assert.equal(await amountRefunded(o.id), 500);
      const refunded = await events(o.paymentIntentId, /^charge\.refunded$/);
      assert.equal(refunded.length, 2, "both refunds' charge.refunded");
      await handle([refunded[0]!]); // the newest: the 500's
    } finally {
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.equal(await amountRefunded(o.id), 500);
    assert.deepEqual(await subjects(o), [subject(1000, o.number), subject(500, o.number)]);
  });

  it('tells the amount of a full refund made in the Dashboard before an earlier failure was handled', async () => {
    const o = await paidOrder(s, [['tee-black', 2]], 'dashboard-after-unheard-failure@example.com', undefined, 'pm_card_refundFail');
    await refundOrder(deps, o.id, { amount: 400, reason: 'scuffed' }, 'admin');
    await webhooksSettled(s);
    emulator().webhooks.configure({ paused: true });
    try {
      emulator().tasks.flush(); // the 400 fails at Stripe; its events held
      const full = await s.sdk.refunds.create({ payment_intent: o.paymentIntentId });
      assert.equal(full.amount, o.amountPaid, 'the 400 went back to the shop: all of it is refundable');
      // The full refund's event is heard first, the failure's after it.
      await handle([(await events(o.paymentIntentId, /^charge\.refunded$/))[0]!]);
    } finally {
      emulator().webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.equal(await amountRefunded(o.id), o.amountPaid);
    assert.deepEqual(await subjects(o), [subject(400, o.number), subject(o.amountPaid, o.number)]);
  });
});
