/**
 * The funnel's figures against a history written by hand: carts created through the API on chosen
 * days, and checkouts, attempts, emails and orders as rows, with traps (another currency, days
 * either side, a reminder sent after its sale, a recovery email that failed, a payment refunded
 * for want of stock). Every figure is computed by hand in the comments and asserted exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Metrics } from '../../../server/admin/metrics.ts';
import { admin } from '../../helpers/admin.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { sqlRun } from '../../helpers/db.ts';

/** '01T09:00:00' is May 1, 2026 at 09:00 UTC; a full date-time stands for itself. */
const at = (when: string) => Date.parse(when.startsWith('2026-') ? `${when}Z` : `2026-05-${when}Z`);

describe('funnel metrics', () => {
  let s: TestServer;
  let now = at('01T00:00:00');
  before(async () => {
    s = await startTestServer({ clock: () => now });
    const newCarts = async (day: string, n: number) => {
      now = at(`${day}T12:00:00`);
      for (let i = 0; i < n; i++) assert.equal((await s.api('/api/carts', { method: 'POST' })).status, 201);
    };
    // Carts: 7 on Apr 30 (outside), 4 on May 1, 2 on May 2, none on May 3.
    await newCarts('2026-04-30', 7);
    await newCarts('01', 4);
    await newCarts('02', 2);

    const db = s.db;
    const checkout = async (id: string, cart: string, status: string, created: string, o: { currency?: string; coupon?: string } = {}) =>
      (await sqlRun(db, `INSERT INTO checkouts (id, cart_id, cart_version, status, email, currency, items, subtotal, discount, tax, total, coupon_code,
          expires_at, created_at, updated_at) VALUES (?, ?, 1, ?, 'x@example.com', ?, '[]', 0, 0, 0, 0, ?, ?, ?, ?)`, id, cart, status, o.currency ?? 'USD', o.coupon ?? null, at(created) + 1_800_000, at(created), at(created)));
    const order = async (n: number, checkoutId: string, created: string, paid: number, o: { currency?: string; coupon?: string; discount?: number; status?: string } = {}) =>
      (await sqlRun(db, `INSERT INTO orders (id, number, checkout_id, payment_intent_id, status, email, currency, subtotal, discount, tax, total,
          amount_paid, coupon_code, stock_taken, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x@example.com', ?, 0, ?, 0, ?, ?, ?, 1, ?, ?)`, `ord_${n}`, `CO-${n}`, checkoutId, `pi_${n}`, o.status ?? 'paid', o.currency ?? 'USD', o.discount ?? 0, paid, paid, o.coupon ?? null, at(created), at(created)));
    const attempt = async (checkoutId: string, created: string, key: string) =>
      (await sqlRun(db, `INSERT INTO payment_attempts (checkout_id, payment_intent_id, failure_key, code, created_at) VALUES (?, 'pi_x', ?, 'card_declined', ?)`, checkoutId, key, at(created)));
    const email = async (key: string, status: string, created: string) =>
      (await sqlRun(db, `INSERT INTO outbox (dedupe_key, recipient, subject, html, text, status, next_attempt_at, created_at) VALUES (?, 'x@example.com', 's', 'h', 't', ?, ?, ?)`, key, status, at(created), at(created)));

    // Apr 30 (outside): a sale with WELCOME15 after a decline.
    await checkout('c0', 'k0', 'paid', '2026-04-30T10:00:00');
    await attempt('c0', '2026-04-30T10:05:00', 'a0');
    await email('recovery:c0:1', 'sent', '2026-04-30T10:06:00');
    await order(1000, 'c0', '2026-04-30T23:59:59', 9999, { coupon: 'WELCOME15', discount: 1111 });

    // May 1: c1 paid at once with WELCOME15 (a reminder for it went out after the sale: no recovery);
    // c2 abandoned (its cart k2 is reminded and paid on May 2 as c5); c3 declined, recovery email sent, paid May 2.
    await checkout('c1', 'k1', 'paid', '01T09:00:00', { coupon: 'WELCOME15' });
    await order(1001, 'c1', '01T10:00:00', 4865, { coupon: 'WELCOME15', discount: 795 });
    await email('reminder:c1:1', 'sent', '01T20:00:00');
    await checkout('c2', 'k2', 'canceled', '01T09:30:00');
    await checkout('c3', 'k3', 'paid', '01T10:30:00');
    await attempt('c3', '01T11:00:00', 'a1');
    await email('recovery:c3:1', 'sent', '01T11:30:00');
    await order(1003, 'c3', '02T09:00:00', 2376);

    // May 2: c4 declined twice, its recovery email failed to send, then paid (failed-then-recovered, not by the link);
    // c5 (cart k2, reminded at 08:00) paid with TENOFF; c6 paid but refunded for want of stock (no sale);
    // c10 in EUR (another currency: left out).
    await checkout('c4', 'k4', 'paid', '02T13:00:00');
    await attempt('c4', '02T13:10:00', 'a2');
    await attempt('c4', '02T13:20:00', 'a3');
    await email('recovery:c4:1', 'failed', '02T14:00:00');
    await order(1004, 'c4', '02T15:00:00', 1000);
    await email('reminder:c2:1', 'sent', '02T08:00:00');
    await checkout('c5', 'k2', 'paid', '02T11:00:00', { coupon: 'TENOFF' });
    await order(1005, 'c5', '02T12:00:00', 3000, { coupon: 'TENOFF', discount: 1000 });
    await checkout('c6', 'k6', 'needs_attention', '02T16:00:00');
    await order(1006, 'c6', '02T16:05:00', 5000, { status: 'needs_attention' });
    await checkout('c10', 'k10', 'paid', '02T10:00:00', { currency: 'EUR' });
    await order(1010, 'c10', '02T10:05:00', 7777, { currency: 'EUR', coupon: 'WELCOME15', discount: 100 });

    // May 3: c7 open and unpaid; c8 declined (its email sent), still unpaid; c9 paid on May 4 (outside).
    await checkout('c7', 'k7', 'pending', '03T09:00:00');
    await checkout('c8', 'k8', 'failed', '03T10:00:00');
    await attempt('c8', '03T10:05:00', 'a4');
    await email('recovery:c8:1', 'sent', '03T10:40:00');
    await checkout('c9', 'k9', 'paid', '03T23:00:00');
    await order(1009, 'c9', '04T00:10:00', 1234);

    // May 5: c11 (cart k11) reminded at 10:30, then paid (recovered by the reminder). May 6: the
    // same cart checked out again as c12 and paid at once: a new sale, owed nothing to c11's reminder.
    await checkout('c11', 'k11', 'paid', '05T09:00:00');
    await email('reminder:c11:1', 'sent', '05T10:30:00');
    await order(1011, 'c11', '05T11:00:00', 2000);
    await checkout('c12', 'k11', 'paid', '06T09:00:00');
    await order(1012, 'c12', '06T09:10:00', 500);
  });
  after(() => s.stop());

  it('counts every figure of May 1 to 3 exactly as computed by hand', async () => {
    const res = await admin<Metrics>(s, '/metrics?from=2026-05-01&to=2026-05-03');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      from: '2026-05-01', to: '2026-05-03', currency: 'USD',
      totals: {
        carts: 6, // 4 + 2 + 0
        checkoutsStarted: 9, // c1 c2 c3, c4 c5 c6, c7 c8 c9
        paid: 4, // o1001 (May 1), o1003 o1004 o1005 (May 2); not o1006 (refunded for stock), o1009 (May 4), o1010 (EUR)
        abandonedCheckouts: 3, // c2 canceled, c7 pending, c8 failed
        abandonmentRateBps: 3333, // 3 / 9 = 33.333 %
        failedPayments: 4, // c3 1, c4 2, c8 1
        failedThenRecovered: 2, // o1003, o1004
        revenue: 11241, // 4865 + 2376 + 1000 + 3000
        recovered: {
          retryLink: { orders: 1, revenue: 2376 }, // o1003: declined, recovery email sent before paying
          reminder: { orders: 1, revenue: 3000 }, // o1005: its cart k2 was reminded (for c2) before paying
        },
        couponRedemptions: 2,
        discount: 1795, // 795 + 1000
      },
      coupons: [{ code: 'TENOFF', redemptions: 1, discount: 1000 }, { code: 'WELCOME15', redemptions: 1, discount: 795 }],
      days: [
        { day: '2026-05-01', carts: 4, checkoutsStarted: 3, paid: 1, failedPayments: 1, revenue: 4865, recoveredByRetryLink: 0, recoveredByReminder: 0 },
        { day: '2026-05-02', carts: 2, checkoutsStarted: 3, paid: 3, failedPayments: 2, revenue: 6376, recoveredByRetryLink: 2376, recoveredByReminder: 3000 },
        { day: '2026-05-03', carts: 0, checkoutsStarted: 3, paid: 0, failedPayments: 1, revenue: 0, recoveredByRetryLink: 0, recoveredByReminder: 0 },
      ],
    });
  });

  it("credits a reminder with the one sale of its cart it brought back, not the cart's later sales", async () => {
    const res = await admin<Metrics>(s, '/metrics?from=2026-05-05&to=2026-05-06');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.totals.recovered, { retryLink: { orders: 0, revenue: 0 }, reminder: { orders: 1, revenue: 2000 } });
    assert.deepEqual(res.body.days.map((d) => [d.day, d.paid, d.revenue, d.recoveredByReminder]), [['2026-05-05', 1, 2000, 2000], ['2026-05-06', 1, 500, 0]]);
  });

  it('takes the 30 days up to today by default and refuses a backwards or too long range', async () => {
    now = at('03T18:00:00');
    const res = await admin<Metrics>(s, '/metrics');
    assert.deepEqual([res.body.from, res.body.to, res.body.days.length, res.body.totals.carts], ['2026-04-04', '2026-05-03', 30, 13]);
    for (const query of ['from=2026-05-03&to=2026-05-01', 'from=2025-01-01&to=2026-05-01', 'from=2026-5-1']) {
      const refused = await admin<{ error: { code: string } }>(s, `/metrics?${query}`);
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'validation_failed'], query);
    }
  });
});
