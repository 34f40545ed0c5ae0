/** The merchant's order operations through the admin API, against the real server and the Stripe emulator. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderRecord } from '../../../server/stores/order-store.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { cartWith, checkout, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlColumn } from '../../helpers/db.ts';

type Refunded = { refund: { id: number; amount: number; status: string; refundId: string }; order: OrderRecord };
type ErrorBody = { error: { code: string; message: string; details?: unknown } };

describe('admin orders', () => {
  let s: TestServer;
  let now = Date.parse('2026-03-02T10:00:00Z');
  before(async () => { s = await startTestServer({ clock: () => now }); });
  after(() => s.stop());

  const stock = async (id: string) => await count(s, 'SELECT stock FROM products WHERE id = ?', id);
  const stripeRefunds = async (o: OrderRecord) => (await s.sdk.refunds.list({ payment_intent: o.paymentIntentId })).data.map((r) => r.amount).sort();

  describe('search', () => {
    let early: OrderRecord; let mid: OrderRecord; let late: OrderRecord;
    before(async () => {
      now = Date.parse('2026-03-01T09:00:00Z');
      early = await paidOrder(s, [['mug-stone', 1]], 'grace.hopper@example.com');
      now = Date.parse('2026-03-02T09:00:00Z');
      mid = await paidOrder(s, [['cap-navy', 1]], 'Ada.Lovelace@example.com');
      now = Date.parse('2026-03-03T23:59:59Z');
      late = await paidOrder(s, [['tee-white', 1]], 'alan@example.org');
      now = Date.parse('2026-03-04T10:00:00Z');
    });
    const numbers = async (query: string) => {
      const res = await admin<{ orders: OrderRecord[]; total: number }>(s, `/orders?${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { numbers: res.body.orders.map((o) => o.number), total: res.body.total };
    };

    it('finds an order by its number, with or without CO-, and by any part of the email in any case', async () => {
      assert.deepEqual(await numbers(`q=${mid.number}`), { numbers: [mid.number], total: 1 });
      assert.deepEqual(await numbers(`q=${mid.number.slice(3)}`), { numbers: [mid.number], total: 1 });
      assert.deepEqual(await numbers('q=lovelace'), { numbers: [mid.number], total: 1 });
      assert.deepEqual(await numbers('q=example.com'), { numbers: [mid.number, early.number], total: 2 });
      // LIKE's wildcards are literal in a search: '%' and '_' match only themselves.
      assert.deepEqual(await numbers('q=%25'), { numbers: [], total: 0 });
      assert.deepEqual(await numbers('q=_'), { numbers: [], total: 0 });
    });

    it('filters by status and by UTC days, both ends included, and pages newest first with the total that matched', async () => {
      assert.deepEqual(await numbers('from=2026-03-02&to=2026-03-03'), { numbers: [late.number, mid.number], total: 2 });
      assert.deepEqual(await numbers('to=2026-03-01'), { numbers: [early.number], total: 1 });
      assert.deepEqual(await numbers('from=2026-03-01&limit=2&offset=0'), { numbers: [late.number, mid.number], total: 3 });
      assert.deepEqual(await numbers('from=2026-03-01&limit=2&offset=2'), { numbers: [early.number], total: 3 });
      assert.deepEqual(await numbers('status=paid&from=2026-03-01'), { numbers: [late.number, mid.number, early.number], total: 3 });
      assert.deepEqual(await numbers('status=refunded&from=2026-03-01'), { numbers: [], total: 0 });
    });

    it('refuses a malformed filter with a 400 naming it', async () => {
      const refused: [query: string, field: string][] = [
        ['from=2026-02-30', 'from'], ['to=yesterday', 'to'], ['status=lost', 'status'], ['from=2026-03-03&to=2026-03-01', 'from'], ['limit=0', 'limit'],
      ];
      for (const [query, field] of refused) {
        const res = await admin<ErrorBody>(s, `/orders?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.match(res.body.error.message, new RegExp(`^${field}:`), query);
      }
    });

    it('asks for the token like every admin route', async () => {
      const res = await s.api<ErrorBody>('/api/admin/orders?q=ada', { headers: { authorization: 'Bearer wrong-token-0123456789' } });
      assert.equal(res.status, 401);
    });
  });

  describe('detail', () => {
    it('shows an order\'s items, its failed attempts and its whole history in order, each email after what it tells of', async () => {
      now = Date.parse('2026-03-05T10:00:00Z');
      const cart = await cartWith(s, [['cap-navy', 2]]);
      const started = await checkout(s, cart.id, 'detail@example.com');
      now += 60_000;
      await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
      await webhooksSettled(s);
      now += 60_000;
      await pay(s, started.body.clientSecret);
      await webhooksSettled(s);
      await s.outbox.drain();
      const order = (await s.checkout.orders.byCheckout(started.body.checkoutId))!;
      now += 60_000;
      assert.equal((await admin(s, `/orders/${order.id}/refunds`, { json: { amount: 500, reason: 'faded', by: 'Ada' } })).status, 201);
      await webhooksSettled(s);
      await s.outbox.drain();

      type Detail = { order: OrderRecord; attempts: unknown[]; events: { at: string; kind: string; text: string; amount?: number }[]; refundable: number };
      const detail = await admin<Detail>(s, `/orders/${order.id}`);
      assert.equal(detail.status, 200);
      // 2 x 2200 = 4400; tax 8 % = 352; total 4752.
      assert.deepEqual(detail.body.order.items, [{ productId: 'cap-navy', name: 'Six-Panel Cap', unitPrice: 2200, quantity: 2, lineTotal: 4400 }]);
      assert.deepEqual([detail.body.order.amountPaid, detail.body.order.amountRefunded, detail.body.refundable], [4752, 500, 4252]);
      assert.deepEqual(detail.body.attempts, [{ code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' }]);
      const at = (minutes: number) => new Date(Date.parse('2026-03-05T10:00:00Z') + minutes * 60_000).toISOString();
      assert.deepEqual(detail.body.events.map((e) => [e.at, e.kind, e.text, e.amount]), [
        [at(0), 'checkout_started', 'Checkout started', undefined],
        [at(1), 'payment_failed', 'Payment failed: generic_decline, Your card was declined.', undefined],
        [at(2), 'order_created', `Order ${order.number} created`, undefined],
        [at(2), 'email', `Email sent: Demo Shop: order ${order.number} confirmed`, undefined],
        // An email of the same moment as what it tells of comes after it.
        [at(3), 'refund', 'Refund by admin:Ada (faded): issued', 500],
        [at(3), 'email', `Email sent: Demo Shop: $5.00 refunded for order ${order.number}`, undefined],
      ]);
    });
  });

  describe('refunds', () => {
    it('refunds part of an order once however often it is asked: partially refunded, stock unchanged, one Stripe refund', async () => {
      const order = await paidOrder(s, [['hoodie-grey', 1]], 'part@example.com');
      const before = await stock('hoodie-grey');
      const ask = () => admin<Refunded>(s, `/orders/${order.id}/refunds`, { json: { amount: 1500, reason: 'arrived late' } });
      const [first, second] = await Promise.all([ask(), ask()]);
      assert.deepEqual([first.status, second.status], [201, 201]);
      assert.equal(first.body.refund.refundId, second.body.refund.refundId);
      const third = await ask();
      assert.equal(third.body.refund.refundId, first.body.refund.refundId);
      await webhooksSettled(s);
      assert.deepEqual(await stripeRefunds(order), [1500]);
      const detail = await admin<{ order: OrderRecord; refundable: number; refunds: unknown[] }>(s, `/orders/${order.id}`);
      assert.deepEqual([detail.body.order.status, detail.body.order.amountRefunded, detail.body.refundable, detail.body.refunds.length],
        ['partially_refunded', 1500, order.amountPaid - 1500, 1]);
      assert.equal(await stock('hoodie-grey'), before);
    });

    it('never refunds more than is left; the rest refunds in full and puts the stock back', async () => {
      const order = await paidOrder(s, [['tee-black', 2]], 'rest@example.com');
      const before = await stock('tee-black');
      assert.equal((await admin(s, `/orders/${order.id}/refunds`, { json: { amount: 1000, reason: 'one was stained' } })).status, 201);
      const tooMuch = await admin<ErrorBody>(s, `/orders/${order.id}/refunds`, { json: { amount: order.amountPaid - 999, reason: 'everything' } });
      assert.equal(tooMuch.status, 409);
      assert.deepEqual([tooMuch.body.error.code, tooMuch.body.error.details], ['refund_exceeds_balance', { left: order.amountPaid - 1000 }]);
      const rest = await admin<Refunded>(s, `/orders/${order.id}/refunds`, { json: { reason: 'returned' } });
      assert.equal(rest.status, 201);
      assert.equal(rest.body.refund.amount, order.amountPaid - 1000);
      assert.deepEqual([rest.body.order.status, rest.body.order.amountRefunded], ['refunded', order.amountPaid]);
      assert.equal(await stock('tee-black'), before + 2);
      const nothingLeft = await admin<ErrorBody>(s, `/orders/${order.id}/refunds`, { json: { amount: 1, reason: 'again' } });
      assert.deepEqual([nothingLeft.status, nothingLeft.body.error.code], [409, 'refund_exceeds_balance']);
      await webhooksSettled(s);
      assert.deepEqual(await stripeRefunds(order), [1000, order.amountPaid - 1000].sort());
      assert.equal(await count(s, 'SELECT COUNT(*) FROM admin_refunds WHERE order_id = ?', order.id), 2);
    });

    it('refuses a refund without a reason, or a key reused for another amount, and changes nothing', async () => {
      const order = await paidOrder(s, [['mug-stone', 2]], 'keys@example.com');
      for (const json of [{ amount: 100 }, { amount: 100, reason: '  ' }, { amount: 0, reason: 'x' }, { amount: 1.5, reason: 'x' }]) {
        const res = await admin<ErrorBody>(s, `/orders/${order.id}/refunds`, { json });
        assert.deepEqual([res.status, res.body.error.code], [400, 'validation_failed'], JSON.stringify(json));
      }
      const key = 'console-0123456789abcdef';
      assert.equal((await admin(s, `/orders/${order.id}/refunds`, { json: { amount: 100, reason: 'chipped', idempotencyKey: key } })).status, 201);
      const reused = await admin<ErrorBody>(s, `/orders/${order.id}/refunds`, { json: { amount: 200, reason: 'chipped', idempotencyKey: key } });
      assert.deepEqual([reused.status, reused.body.error.code], [409, 'idempotency_key_reused']);
      await webhooksSettled(s);
      assert.deepEqual(await stripeRefunds(order), [100]);
      assert.equal((await admin<ErrorBody>(s, '/orders/ord_nope/refunds', { json: { amount: 1, reason: 'x' } })).status, 404);
    });

    it('answers a refund of a disputed order with a 409 that says why, refunds nothing and leaves nothing to retry', async () => {
      const cart = await cartWith(s, [['cap-navy', 1]]);
      const started = await checkout(s, cart.id, 'disputed@example.com');
      await pay(s, started.body.clientSecret, 'pm_card_createDispute');
      await webhooksSettled(s);
      s.stripe.emulator!.tasks.flush();
      await webhooksSettled(s);
      const order = (await s.checkout.orders.byCheckout(started.body.checkoutId))!;
      assert.deepEqual([order.status, order.attentionReason], ['needs_attention', 'disputed']);
      const before = await stock('cap-navy');
      for (const json of [{ amount: 500, reason: 'goodwill' }, { reason: 'all of it' }, { amount: 500, reason: 'goodwill' }]) {
        const res = await admin<ErrorBody>(s, `/orders/${order.id}/refunds`, { json });
        assert.equal(res.status, 409, JSON.stringify(res.body));
        assert.deepEqual(res.body.error, { code: 'order_disputed',
          message: `${order.number} is disputed: Stripe refunds nothing while the dispute is open. Answer or accept it in the Stripe Dashboard.` });
      }
      assert.deepEqual(await stripeRefunds(order), []);
      const rows = await sqlColumn(s.db, "SELECT status || ' ' || amount FROM admin_refunds WHERE order_id = ? ORDER BY id", order.id);
      assert.deepEqual(rows, ['refused 500', 'refused ' + order.amountPaid], 'refused, so no sweep asks again');
      const detail = await admin<{ order: OrderRecord; refundable: number }>(s, `/orders/${order.id}`);
      assert.deepEqual([detail.body.order.status, detail.body.order.amountRefunded, detail.body.refundable], ['needs_attention', 0, order.amountPaid]);
      assert.equal(await stock('cap-navy'), before);
    });
  });

  describe('resending the confirmation', () => {
    it('queues a new copy, at most one per order every 5 minutes (429 with Retry-After)', async () => {
      const order = await paidOrder(s, [['cap-navy', 1]], 'resend@example.com');
      const resend = () => admin<{ queued: string } & ErrorBody>(s, `/orders/${order.id}/resend-confirmation`, { method: 'POST' });
      const first = await resend();
      assert.deepEqual([first.status, first.body.queued], [202, `order:${order.id}:resend:1`]);
      const soon = await resend();
      assert.deepEqual([soon.status, soon.body.error.code, soon.headers.get('retry-after')], [429, 'rate_limited', '300']);
      now += 5 * 60_000 + 1;
      const later = await resend();
      assert.deepEqual([later.status, later.body.queued], [202, `order:${order.id}:resend:2`]);
      const subjects = (await sqlColumn(s.db, "SELECT subject FROM outbox WHERE recipient = 'resend@example.com' ORDER BY id"));
      assert.deepEqual(subjects, Array(3).fill(`Demo Shop: order ${order.number} confirmed`));
    });
  });

  describe('resolving', () => {
    it('resolves a needs_attention order with who and a note, back to what its money says; a paid one is refused', async () => {
      const order = await paidOrder(s, [['tee-white', 1]], 'attention@example.com');
      const paid = await admin<ErrorBody>(s, `/orders/${order.id}/resolve`, { json: { note: 'nothing to do' } });
      assert.deepEqual([paid.status, paid.body.error.code], [409, 'order_not_needing_attention']);
      now += 60_000;
      await s.checkout.orders.markAttention(order.id, 'disputed', now);
      const noNote = await admin<ErrorBody>(s, `/orders/${order.id}/resolve`, { json: { note: '' } });
      assert.equal(noNote.status, 400);
      const resolved = await admin<{ order: OrderRecord }>(s, `/orders/${order.id}/resolve`, { json: { note: 'Won the dispute in the dashboard', by: 'Grace' } });
      assert.equal(resolved.status, 200);
      assert.equal(resolved.body.order.status, 'paid');
      const detail = await admin<{ resolutions: unknown[]; events: { kind: string; text: string }[] }>(s, `/orders/${order.id}`);
      assert.deepEqual(detail.body.resolutions, [{ attentionReason: 'disputed', resolvedBy: 'admin:Grace', note: 'Won the dispute in the dashboard', resolvedAt: new Date(now).toISOString() }]);
      assert.deepEqual(detail.body.events.at(-1), { at: new Date(now).toISOString(), kind: 'resolved', text: 'Resolved by admin:Grace: Won the dispute in the dashboard' });
    });
  });

  describe('CSV export', () => {
    it('exports the filtered orders, quoting what needs it and defusing formulas', async () => {
      const created = await admin(s, '/products', { json: { id: 'evil', name: '=HYPERLINK("http://x.test","click"), "quoted"', price: 1000, stock: 5 } });
      assert.equal(created.status, 201);
      // A code may start with '-', which a spreadsheet reads as a formula.
      assert.equal((await admin(s, '/coupons', { json: { code: '-SALE', type: 'percentage', value: 10 } })).status, 201);
      now = Date.parse('2026-04-01T12:00:00Z');
      const order = await paidOrder(s, [['evil', 1]], 'csv@example.com', '-sale');
      const res = await fetch(`${s.url}/api/admin/orders.csv?from=2026-04-01&to=2026-04-01`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="orders-2026-04-01\.csv"$/);
      assert.equal(await res.text(), [
        'number,created_at,status,attention_reason,email,currency,subtotal,discount,tax,total,amount_paid,amount_refunded,coupon_code,items,shipping,shipping_rate,ship_to_name,ship_to_address,ship_to_country',
        // 1000 - 10 % = 900; tax 8 % = 72; total 972.
        // Nothing shipped (the test shop has no shipping rates): the shipping columns are empty.
        `${order.number},2026-04-01T12:00:00.000Z,paid,,csv@example.com,USD,1000,100,72,972,972,0,'-SALE,"1 x =HYPERLINK(""http://x.test"",""click""), ""quoted"" (evil)",,,,,`,
        '',
      ].join('\r\n'));
    });
  });
});
