/**
 * A console refund Stripe never answered is not left for the merchant to notice: the sweeper asks
 * again under the same idempotency key, claimed by one of any number of sweeping processes, and
 * Stripe ends with exactly one refund, the order partially refunded and the stock unchanged.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminStores, type AdminDeps } from '../../../server/admin/context.ts';
import { refundOrder } from '../../../server/admin/refund-order.ts';
import { REFUND_RETRY_IDLE_MS, retryAdminRefunds } from '../../../server/admin/retry-refunds.ts';
import { sweep } from '../../../server/checkout/sweeper.ts';
import { openDatabase, type Db } from '../../../server/db/database.ts';
import { silentLogger } from '../../../server/logger.ts';
import { stripeClientFor } from '../../../server/stripe-emulator/index.ts';
import { AdminRefundStore } from '../../../server/stores/admin-refund-store.ts';
import { OrderStore } from '../../../server/stores/order-store.ts';
import { paidOrder } from '../../helpers/admin.ts';
import { answerLosingProxy, closedPort } from '../../helpers/lossy-stripe.ts';
import { count, startTestServer, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

describe('console refunds Stripe never answered', () => {
  let s: TestServer;
  let now = Date.parse('2026-04-01T10:00:00Z');
  let deps: AdminDeps;
  /** A second sweeping process: its own connection to the same database. */
  let other: AdminDeps;
  let otherDb: Db;
  before(async () => {
    s = await startTestServer({ clock: () => now });
    deps = { ...s.checkout, ...adminStores(s.db, silentLogger) };
    // PostgreSQL: a pool of its own. SQLite: the same connection (one per process; two in one
    // process would block each other's event loop on the file lock).
    otherDb = s.db.engine === 'postgres' ? await openDatabase(s.database) : s.db;
    other = { ...deps, orders: new OrderStore(otherDb), adminRefunds: new AdminRefundStore(otherDb) };
  });
  after(async () => {
    if (otherDb !== s.db) await otherDb?.close();
    await s.stop();
  });

  const stock = async (id: string) => await count(s, 'SELECT stock FROM products WHERE id = ?', id);
  const stripeRefunds = async (paymentIntentId: string) => (await s.sdk.refunds.list({ payment_intent: paymentIntentId })).data.map((r) => ({ id: r.id, amount: r.amount }));
  const rows = async (orderId: string) => (await sqlRows(s.db, 'SELECT status, refund_id AS "refundId", amount FROM admin_refunds WHERE order_id = ? ORDER BY id', orderId));

  it('asks again once the emulator is back, after a refused connection: one refund, partially refunded, stock unchanged', async () => {
    const order = await paidOrder(s, [['tee-black', 2]], 'unreachable@example.com');
    const stockBefore = await stock('tee-black');
    const unreachable = { ...deps, stripe: stripeClientFor(`http://127.0.0.1:${await closedPort()}`) };
    await assert.rejects(refundOrder(unreachable, order.id, { amount: 1000, reason: 'scuffed' }, 'admin'), { code: 'payment_provider_error' });
    assert.deepEqual(await rows(order.id), [{ status: 'pending', refundId: null, amount: 1000 }]);
    assert.deepEqual(await stripeRefunds(order.paymentIntentId), []);

    // The console's request could still be on its way: not yet.
    assert.equal(await retryAdminRefunds(deps), 0);
    now += REFUND_RETRY_IDLE_MS + 1;
    // Two sweeping processes at once: one claims it.
    assert.deepEqual((await Promise.all([retryAdminRefunds(deps), retryAdminRefunds(other)])).sort(), [0, 1]);
    assert.equal(await retryAdminRefunds(deps), 0, 'nothing left pending');
    now += REFUND_RETRY_IDLE_MS + 1;
    assert.equal(await retryAdminRefunds(other), 0);

    const made = await stripeRefunds(order.paymentIntentId);
    assert.deepEqual(made.map((r) => r.amount), [1000], 'exactly one refund in the emulator');
    assert.deepEqual(await rows(order.id), [{ status: 'issued', refundId: made[0]!.id, amount: 1000 }]);
    const after = (await s.checkout.orders.byId(order.id))!;
    assert.deepEqual([after.status, after.amountRefunded], ['partially_refunded', 1000]);
    assert.equal(await stock('tee-black'), stockBefore, 'a partial refund restocks nothing');
  });

  it('does not refund twice when Stripe made the refund and its answer was lost', async () => {
    const order = await paidOrder(s, [['hoodie-grey', 1]], 'lost-answer@example.com');
    const stockBefore = await stock('hoodie-grey');
    const proxy = await answerLosingProxy(new URL(s.stripe.emulator!.url));
    try {
      const lossy = { ...deps, stripe: stripeClientFor(proxy.url) };
      await assert.rejects(refundOrder(lossy, order.id, { amount: order.amountPaid, reason: 'never arrived' }, 'admin'), { code: 'payment_provider_error' });
    } finally {
      await proxy.close();
    }
    const madeUnseen = await stripeRefunds(order.paymentIntentId);
    assert.deepEqual(madeUnseen.map((r) => r.amount), [order.amountPaid], 'Stripe made it (the SDK\'s own retry reused the key)');
    assert.deepEqual(await rows(order.id), [{ status: 'pending', refundId: null, amount: order.amountPaid }]);

    now += REFUND_RETRY_IDLE_MS + 1;
    // The sweeper's whole pass, as a server runs it every SWEEP_INTERVAL_SECONDS.
    await sweep(deps);
    assert.deepEqual(await stripeRefunds(order.paymentIntentId), madeUnseen, 'still exactly one refund');
    assert.deepEqual(await rows(order.id), [{ status: 'issued', refundId: madeUnseen[0]!.id, amount: order.amountPaid }]);
    const after = (await s.checkout.orders.byId(order.id))!;
    assert.deepEqual([after.status, after.amountRefunded], ['refunded', order.amountPaid]);
    assert.equal(await stock('hoodie-grey'), stockBefore + 1, 'a full refund puts the goods back, once');
  });

  it("does not refund twice when the merchant's next refund finds one Stripe made and forgot the key of", async () => {
    const order = await paidOrder(s, [['tee-white', 2]], 'forgotten-key@example.com');
    const proxy = await answerLosingProxy(new URL(s.stripe.emulator!.url));
    try {
      const lossy = { ...deps, stripe: stripeClientFor(proxy.url) };
      await assert.rejects(refundOrder(lossy, order.id, { amount: 500, reason: 'scuffed' }, 'admin'), { code: 'payment_provider_error' });
    } finally {
      await proxy.close();
    }
    assert.deepEqual((await stripeRefunds(order.paymentIntentId)).map((r) => r.amount), [500]);
    // No sweep ran for over a day (the sweeper was off): Stripe keeps idempotency keys 24 hours.
    now += 25 * 60 * 60_000;
    const second = await refundOrder(deps, order.id, { amount: 300, reason: 'late' }, 'admin');
    assert.equal(second.refund.status, 'issued');
    assert.deepEqual((await stripeRefunds(order.paymentIntentId)).map((r) => r.amount).sort(), [300, 500]);
    assert.deepEqual((await rows(order.id)).map((r) => [r.status, r.amount]), [['issued', 500], ['issued', 300]]);
  });
});
