/**
 * `GET /api/admin/metrics`: the checkout funnel over a range of UTC days, in total and per day.
 *
 * - carts: carts created; checkoutsStarted: checkouts created (an email given);
 * - paid: sales (orders whose checkout ended paid), revenue: what they took (minor units);
 * - abandonment: of the checkouts started in the range, the share (basis points) not paid so far;
 * - failedPayments: declined or failed attempts; failedThenRecovered: sales whose checkout had one;
 * - recovered: sales won back, by the recovery email's retry link (a failed attempt, then that
 *   email sent before the payment) or else by an abandoned-cart reminder (one sent for a
 *   checkout of the sale's cart before the payment, and not already answered by an earlier sale
 *   of that cart);
 * - coupons: per code, the sales that redeemed it and the discount they gave.
 */
import { dayEnd, dayStart, daysFrom } from '../../shared/days.ts';
import { divideRounded } from '../../shared/rounding.ts';
import type { AdminStores } from './context.ts';

interface Recovered { orders: number; revenue: number }

export interface DayFigures {
  day: string;
  carts: number;
  checkoutsStarted: number;
  paid: number;
  failedPayments: number;
  revenue: number;
  recoveredByRetryLink: number;
  recoveredByReminder: number;
}

export interface Metrics {
  from: string;
  to: string;
  currency: string;
  totals: {
    carts: number;
    checkoutsStarted: number;
    paid: number;
    abandonedCheckouts: number;
    abandonmentRateBps: number;
    failedPayments: number;
    failedThenRecovered: number;
    revenue: number;
    recovered: { retryLink: Recovered; reminder: Recovered };
    couponRedemptions: number;
    discount: number;
  };
  coupons: { code: string; redemptions: number; discount: number }[];
  days: DayFigures[];
}

export async function computeMetrics(stores: Pick<AdminStores, 'metrics' | 'funnel'>, o: { from: string; to: string; currency: string }): Promise<Metrics> {
  const range = { from: dayStart(o.from), to: dayEnd(o.to), currency: o.currency };
  const carts = await stores.funnel.daily('carts', o.from, o.to);
  const started = await stores.metrics.checkoutsStarted(range);
  const failed = await stores.metrics.failedPayments(range);
  const days = new Map<string, DayFigures>(daysFrom(o.from, o.to).map((day) => [day, {
    day, carts: carts.get(day) ?? 0, checkoutsStarted: started.get(day) ?? 0, paid: 0, failedPayments: failed.get(day) ?? 0,
    revenue: 0, recoveredByRetryLink: 0, recoveredByReminder: 0,
  }]));

  const recovered = { retryLink: { orders: 0, revenue: 0 }, reminder: { orders: 0, revenue: 0 } };
  const coupons = new Map<string, { code: string; redemptions: number; discount: number }>();
  let failedThenRecovered = 0;
  for (const sale of await stores.metrics.sales(range)) {
    const day = days.get(sale.day);
    if (!day) continue;
    day.paid++;
    day.revenue += sale.amountPaid;
    if (sale.failedFirst) failedThenRecovered++;
    // One sale, one way back: the retry link when the shopper had a failed payment and its email.
    const by = sale.failedFirst && sale.recoveryEmailSent ? 'retryLink' : sale.reminderSent ? 'reminder' : null;
    if (by) {
      recovered[by].orders++;
      recovered[by].revenue += sale.amountPaid;
      if (by === 'retryLink') day.recoveredByRetryLink += sale.amountPaid;
      else day.recoveredByReminder += sale.amountPaid;
    }
    if (sale.couponCode) {
      const code = coupons.get(sale.couponCode) ?? { code: sale.couponCode, redemptions: 0, discount: 0 };
      code.redemptions++;
      code.discount += sale.discount;
      coupons.set(sale.couponCode, code);
    }
  }

  const perDay = [...days.values()];
  const sum = (f: (d: DayFigures) => number) => perDay.reduce((total, d) => total + f(d), 0);
  const cohort = await stores.metrics.checkoutCohort(range);
  const couponList = [...coupons.values()].sort((a, b) => b.redemptions - a.redemptions || a.code.localeCompare(b.code));
  return {
    from: o.from, to: o.to, currency: o.currency,
    totals: {
      carts: sum((d) => d.carts), checkoutsStarted: sum((d) => d.checkoutsStarted), paid: sum((d) => d.paid),
      abandonedCheckouts: cohort.unpaid, abandonmentRateBps: cohort.started === 0 ? 0 : divideRounded(cohort.unpaid * 10_000, cohort.started),
      failedPayments: sum((d) => d.failedPayments), failedThenRecovered, revenue: sum((d) => d.revenue), recovered,
      couponRedemptions: couponList.reduce((n, c) => n + c.redemptions, 0), discount: couponList.reduce((n, c) => n + c.discount, 0),
    },
    coupons: couponList,
    days: perDay,
  };
}
