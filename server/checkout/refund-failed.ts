/**
 * A refund Stripe made can fail later, days after it was reported `succeeded` (the card was closed:
 * https://docs.stripe.com/refunds#failed-refunds). The money went back to the shop's balance, not
 * to the shopper, so the order must stop saying it was refunded: what is refunded goes back down
 * to what the payment's refunds that did not fail add up to at Stripe now, the amount is refundable again, our refund row (the
 * merchant's or an automatic one) says 'failed' with Stripe's failure_reason, and the order needs
 * the merchant's attention with that reason.
 *
 * Stock: a full refund put the goods back on the shelf; when it fails, they were put back for
 * money that never reached the shopper. They are not taken off again here: they may be sold again
 * already, and only the merchant knows whether the goods came back. The attention reason says so,
 * and the merchant adjusts stock in the console if they did not. The order keeps `stock_taken` off,
 * so a later full refund that succeeds does not restock a second time.
 *
 * Stripe tells of one failure with up to three events (`refund.updated`, `refund.failed`,
 * `charge.refund.updated`), each possibly delivered more than once and in any order, also
 * before the `charge.refunded` of the refund itself: the failure is recorded once by Stripe's
 * refund id, and the first to record it does the rest.
 */
import type Stripe from 'stripe';
import { formatMoney } from '../../shared/money.ts';
import type { FailedRefund } from '../stores/refund-failure-store.ts';
import { amountOf, refundsReachingShopper } from '../payments/refunds-of.ts';
import type { CheckoutDeps } from './context.ts';

type Deps = Pick<CheckoutDeps, 'tx' | 'orders' | 'refundFailures' | 'stripe' | 'clock' | 'logger'>;

const idOf = (x: string | { id: string } | null | undefined): string | undefined => (typeof x === 'string' ? x : x?.id);

/** What our metadata on it says it was (../admin/refund-order.ts, ./automatic-refunds.ts). */
export function failedRefundOf(refund: Stripe.Refund, paymentIntentId: string): FailedRefund {
  const admin = Number(refund.metadata?.admin_refund);
  return { refundId: refund.id, paymentIntentId, adminRefundId: Number.isSafeInteger(admin) && admin > 0 ? admin : null, automatic: Boolean(refund.metadata?.automatic) };
}

export async function refundFailed(deps: Deps, refund: Stripe.Refund): Promise<void> {
  const paymentIntentId = idOf(refund.payment_intent);
  const chargeId = idOf(refund.charge);
  // refund.updated also tells of other changes; only a failure is news here.
  if (refund.status !== 'failed' || !paymentIntentId || !chargeId) return;
  if (await deps.refundFailures.has(refund.id)) return;
  const failed = failedRefundOf(refund, paymentIntentId);
  const failureReason = refund.failure_reason ?? 'unknown';
  const ours = await deps.refundFailures.ourOrder(failed);
  const orderOf = (lock: boolean) => (ours
    ? (ours.orderId === null ? Promise.resolve(undefined) : lock ? deps.orders.lockById(ours.orderId) : deps.orders.byId(ours.orderId))
    : lock ? deps.orders.lockByPaymentIntent(paymentIntentId) : deps.orders.byPaymentIntent(paymentIntentId));
  // Stripe is asked before the transaction, never inside it: on SQLite a transaction holds the one
  // writer, and a slow answer would stop every cart and order in the shop meanwhile.
  const before = await orderOf(false);
  const refunds = before?.paymentIntentId === paymentIntentId ? await refundsReachingShopper(deps.stripe, paymentIntentId) : undefined;
  const orderId = await deps.tx(async () => {
    const order = await orderOf(true);
    // Another of its events (or a copy on another host) recorded it while this one waited for the
    // lock: done, whatever that did to the order's amounts since the read above.
    if (await deps.refundFailures.has(refund.id)) return null;
    if (order && order.paymentIntentId === paymentIntentId && (!refunds || order.amountRefunded !== before?.amountRefunded)) {
      // A charge.refunded was handled between the read and the lock: the refunds listed above may be
      // older than what it recorded. Stripe delivers this event again, and then both are read afresh.
      throw new Error(`the refunds of ${paymentIntentId} changed meanwhile; they are read again when the event comes back`);
    }
    const now = deps.clock();
    if (!await deps.refundFailures.record({
      refundId: refund.id, orderId: order?.id ?? null, paymentIntentId, amount: refund.amount, currency: refund.currency, failureReason, createdAt: now,
    })) return null;
    await deps.refundFailures.markOurs(failed, failureReason, now);
    if (!order) return null;
    // The lesser of the two: a refund of ours whose charge.refunded is still on its way is counted when it arrives.
    const amountRefunded = refunds ? Math.min(order.amountRefunded, amountOf(refunds)) : order.amountRefunded;
    const restocked = amountRefunded < order.amountPaid && await deps.orders.restockedByRefund(order.id);
    await deps.orders.refundFailed(order.id, amountRefunded, attentionReason(refund, failureReason, restocked), now);
    return order.id;
  });
  if (orderId) deps.logger.warn('a refund failed at Stripe; the order needs attention', { orderId, refundId: refund.id, failureReason });
}

function attentionReason(refund: Stripe.Refund, failureReason: string, restocked: boolean): string {
  return `Refund of ${formatMoney(refund.amount, refund.currency)} failed at Stripe (${failureReason}): the money went back to the shop's balance, not to the shopper`
    + (restocked ? '; the refund had put the goods back in stock: check the stock' : '');
}
