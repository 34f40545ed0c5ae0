/** What the other PaymentIntent and charge outcomes do to checkouts and orders. */
import type Stripe from 'stripe';
import { writeTransaction } from '../db/database.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { orderRefundedEmail, paymentFailedEmail } from '../mail/templates.ts';
import { publicOrder } from '../orders/order-store.ts';
import { plainDeclineMessage } from '../payments/decline-messages.ts';
import type { CheckoutDeps } from './context.ts';
import { checkoutForIntent } from './fulfil.ts';

export function retryUrl(deps: CheckoutDeps, checkoutId: string, expiresAt: number): string {
  return `${deps.settings.publicUrl}/checkout/retry/${deps.tokens.sign(checkoutId, expiresAt)}`;
}

/**
 * A payment attempt failed: record it, keep the hold for as long as the recovery link lives, and
 * send at most one recovery email per checkout per cool-down. A late "failed" after the checkout
 * was paid or canceled changes nothing.
 */
export function paymentFailed(deps: CheckoutDeps, intent: Stripe.PaymentIntent, eventId: string | null): void {
  const changed = writeTransaction(deps.db, () => {
    const checkout = checkoutForIntent(deps, intent);
    if (!checkout || checkout.paymentIntentId !== intent.id) return null;
    const now = deps.clock();
    const error = intent.last_payment_error;
    const plain = plainDeclineMessage(error);
    const fresh = deps.checkouts.recordAttempt({
      checkoutId: checkout.id, paymentIntentId: intent.id, eventId, code: error?.code ?? null,
      declineCode: error?.decline_code ?? null, message: error?.message ?? null, at: now,
    });
    if (!fresh) return null;
    const holdUntil = now + deps.settings.recoveryHoldMs;
    if (!deps.checkouts.transition(checkout.id, ['pending', 'failed', 'processing'], 'failed', now, { lastError: plain, expiresAt: holdUntil })) return null;
    const coolingDown = checkout.lastRecoveryEmailAt !== null && now - checkout.lastRecoveryEmailAt < deps.settings.recoveryCooldownMs;
    if (!coolingDown) {
      const { shopName, locale } = deps.settings;
      enqueueEmail(deps.db, `recovery:${checkout.id}:${now}`, paymentFailedEmail({
        to: checkout.email, items: checkout.items, totals: checkout.totals, currency: checkout.currency,
        reason: plain.message, retryUrl: retryUrl(deps, checkout.id, holdUntil), shopName, locale,
      }), now);
      deps.checkouts.markRecoveryEmailSent(checkout.id, now);
    }
    return checkout.id;
  });
  if (changed) deps.bus.publish(changed);
}

/** Canceled (by us, by the sweeper or in the dashboard): the hold is released. */
export function paymentCanceled(deps: CheckoutDeps, intent: Stripe.PaymentIntent): void {
  const checkout = checkoutForIntent(deps, intent);
  if (!checkout || checkout.paymentIntentId !== intent.id) return;
  if (deps.checkouts.transition(checkout.id, ['pending', 'failed', 'processing'], 'canceled', deps.clock())) deps.bus.publish(checkout.id);
}

/**
 * A refund: a full one marks the order refunded and puts its stock back (once, and only if the
 * order took stock); a partial one is recorded, and the goods stay sold.
 */
export function chargeRefunded(deps: CheckoutDeps, charge: Stripe.Charge): void {
  const paymentIntentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!paymentIntentId) return;
  writeTransaction(deps.db, () => {
    const order = deps.orders.byPaymentIntent(paymentIntentId);
    if (!order || charge.amount_refunded <= order.amountRefunded) return;
    const now = deps.clock();
    const full = charge.amount_refunded >= charge.amount;
    const status = full ? 'refunded' : order.status === 'needs_attention' ? 'needs_attention' : 'partially_refunded';
    deps.orders.setRefund(order.id, charge.amount_refunded, status, now);
    if (full && order.stockTaken) {
      const restock = deps.db.prepare('UPDATE products SET stock = stock + ? WHERE id = ?');
      for (const item of order.items) restock.run(item.quantity, item.productId);
      deps.db.prepare('UPDATE orders SET stock_taken = 0 WHERE id = ?').run(order.id);
    }
    const { shopName, locale } = deps.settings;
    enqueueEmail(deps.db, `refund:${order.id}:${charge.amount_refunded}`,
      orderRefundedEmail({ order: publicOrder({ ...order, status }), amountRefunded: charge.amount_refunded - order.amountRefunded, shopName, locale }), now);
  });
}
