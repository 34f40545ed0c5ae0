/**
 * One refund failure, told by all three of its events (refund.updated, refund.failed,
 * charge.refund.updated), each copy reaching two hosts on one database at the same moment: it is
 * recorded once, the order's amounts are exact, and no copy is answered with an error (a 500 makes
 * Stripe deliver again and shows the endpoint failing). Host b is a second server on host a's
 * database and a's Stripe emulator, as in ./webhook-claims.test.ts. SQLite, and PostgreSQL with
 * TEST_DATABASE=postgres.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { adminStores, type AdminDeps } from '../../../server/admin/context.ts';
import { refundableLeft, refundOrder } from '../../../server/admin/refund-order.ts';
import { silentLogger } from '../../../server/logger.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { count, startSecondHost, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

const FAILURE_EVENTS = ['refund.updated', 'refund.failed', 'charge.refund.updated'];

describe('a refund failure told three ways to two hosts at once', () => {
  let a: TestServer;
  let b: TestServer;
  let deps: AdminDeps;
  before(async () => {
    a = await startTestServer();
    // The card's refunds fail when the test says so (tasks.flush()), never on their own.
    a.stripe.emulator!.tasks.delay({ refundFailAfterMs: 3_600_000 });
    b = await startSecondHost(a);
    deps = { ...a.checkout, ...adminStores(a.db, silentLogger) };
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  /** One copy of the event, signed for the host it goes to, as Stripe would send it. */
  const deliver = async (host: TestServer, event: Stripe.Event) => {
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: host.stripe.webhookSecret });
    const res = await fetch(`${host.url}/webhooks/stripe`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
    const body = (await res.json()) as { outcome?: string; error?: { code: string } };
    return { event: event.type, status: res.status, outcome: body.outcome ?? body.error?.code };
  };

  it('records it once, with exact amounts, and answers every copy without an error', async () => {
    const emulator = a.stripe.emulator!;
    const o = await paidOrder(a, [['tee-black', 2]], 'two-hosts@example.com', undefined, 'pm_card_refundFail');
    const { refund } = await refundOrder(deps, o.id, { amount: 1000, reason: 'scuffed' }, 'admin:Ada');
    await webhooksSettled(a);
    assert.equal((await a.checkout.orders.byId(o.id))!.amountRefunded, 1000);

    emulator.webhooks.configure({ paused: true });
    try {
      emulator.tasks.flush();
      const events = (await a.sdk.events.list({ limit: 100 })).data
        .filter((e) => FAILURE_EVENTS.includes(e.type) && (e.data.object as { id: string }).id === refund.refundId);
      assert.equal(events.length, 3);
      // Two copies of each event to each host, all at once.
      const answers = await Promise.all(events.flatMap((e) => [a, b, a, b].map((host) => deliver(host, e as Stripe.Event))));
      const handled = answers.filter((x) => x.status === 200 && x.outcome === 'processed');
      assert.deepEqual(handled.map((x) => x.event).sort(), [...FAILURE_EVENTS].sort(), JSON.stringify(answers));
      for (const other of answers.filter((x) => !handled.includes(x))) {
        assert.ok((other.status === 200 && other.outcome === 'duplicate') || (other.status === 409 && other.outcome === 'event_in_progress'), JSON.stringify(answers));
      }
    } finally {
      emulator.webhooks.configure({ paused: false });
      await webhooksSettled(a);
    }

    const order = (await a.checkout.orders.byId(o.id))!;
    assert.deepEqual([order.status, order.amountRefunded, order.attentionReason],
      ['needs_attention', 0, "Refund of $10.00 failed at Stripe (expired_or_canceled_card): the money went back to the shop's balance, not to the shopper"]);
    assert.deepEqual(await sqlRows(a.db, 'SELECT refund_id AS "refundId", amount FROM refund_failures WHERE order_id = ?', o.id), [{ refundId: refund.refundId, amount: 1000 }]);
    assert.deepEqual(await sqlRows(a.db, 'SELECT status FROM admin_refunds WHERE order_id = ?', o.id), [{ status: 'failed' }]);
    assert.equal(await refundableLeft(deps, order), o.amountPaid);
    const detail = await admin<{ events: { kind: string }[] }>(a, `/orders/${o.id}`);
    assert.equal(detail.body.events.filter((e) => e.kind === 'refund_failed').length, 1);
    assert.equal(await count(a, 'SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE ?', `refund:${o.id}:%`), 1, 'the shopper heard of the refund once');
  });
});
