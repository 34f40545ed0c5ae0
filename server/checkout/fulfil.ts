/**
 * The one way a paid PaymentIntent becomes an order, used by the webhook, the status read and the
 * sweeper. Idempotent: whoever comes first creates the order; everyone after finds it.
 */
import type Stripe from 'stripe';
import type { Db } from '../db/database.ts';
import { writeTransaction } from '../db/database.ts';
import { enqueueEmail } from '../mail/outbox.ts';
import { orderConfirmationEmail, orderNeedsAttentionEmail } from '../mail/templates.ts';
import { publicOrder, type OrderRecord } from '../orders/order-store.ts';
import { issueAutomaticRefund, type AutomaticRefund, type RefundReason } from './automatic-refunds.ts';
import type { CheckoutRecord } from './checkout-store.ts';
import type { CheckoutDeps } from './context.ts';

export type AttentionReason = Exclude<RefundReason, 'duplicate_payment'>;

export interface FulfilResult {
  order: OrderRecord | null;
  /** True only for the call that created the order. */
  created: boolean;
}

const attentionWords: Record<AttentionReason, string> = {
  stock_gone: 'An item sold out while your payment was being completed.',
  coupon_gone: 'Your discount code ran out while your payment was being completed.',
  amount_mismatch: 'The amount paid did not match your order.',
};

export function checkoutForIntent(deps: CheckoutDeps, intent: Stripe.PaymentIntent): CheckoutRecord | undefined {
  // metadata covers a PaymentIntent that was replaced after the cart changed but got paid anyway.
  return deps.checkouts.byPaymentIntent(intent.id) ?? (intent.metadata?.checkout_id ? deps.checkouts.byId(intent.metadata.checkout_id) : undefined);
}

export async function fulfil(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<FulfilResult> {
  if (intent.status !== 'succeeded') return { order: deps.orders.byPaymentIntent(intent.id) ?? null, created: false };
  const { refund, checkout, ...result } = writeTransaction(deps.db, () => fulfilInTransaction(deps, intent));
  // Recorded with the order, so a crash here leaves it for the sweeper, never forgotten.
  if (refund) await issueAutomaticRefund(deps, refund);
  if (!result.created || !result.order) return result;

  deps.bus.publish(result.order.checkoutId);
  if (checkout && result.order.stockTaken) await removePaidLines(deps, checkout);
  return result;
}

interface Outcome extends FulfilResult {
  /** A refund this call recorded, to ask Stripe for once the transaction has committed. */
  refund: AutomaticRefund | null;
  checkout: CheckoutRecord | null;
}

function fulfilInTransaction(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Outcome {
  const existing = deps.orders.byPaymentIntent(intent.id);
  if (existing) return { order: existing, created: false, refund: null, checkout: null };
  const checkout = checkoutForIntent(deps, intent);
  if (!checkout) {
    // Not a payment this shop asked for (no checkout in its metadata): not ours to keep or refund.
    deps.logger.warn('paid PaymentIntent with no checkout', { paymentIntentId: intent.id });
    return { order: null, created: false, refund: null, checkout: null };
  }
  const now = deps.clock();
  const paidBefore = deps.orders.byCheckout(checkout.id);
  if (paidBefore) {
    // One checkout, one order: a second payment for it is given back, and the merchant sees why.
    deps.logger.warn('second payment for a checkout that already has an order: refunding it', { checkoutId: checkout.id, paymentIntentId: intent.id });
    const refund = recordRefund(deps, intent, checkout, paidBefore.id, 'duplicate_payment', now);
    if (refund) deps.orders.markAttention(paidBefore.id, 'duplicate_payment', now);
    return { order: paidBefore, created: false, refund, checkout: null };
  }
  const reason = attentionReason(deps, checkout, intent, now);
  if (reason === null) takeStockAndCoupon(deps.db, checkout);
  const order = deps.orders.insert({
    checkoutId: checkout.id, paymentIntentId: intent.id, status: reason ? 'needs_attention' : 'paid', attentionReason: reason,
    email: checkout.email, currency: checkout.currency, items: checkout.items, totals: checkout.totals,
    amountPaid: intent.amount_received || intent.amount, couponCode: checkout.couponCode, stockTaken: reason === null, now,
  });
  deps.checkouts.markPaid(checkout.id, reason ? 'needs_attention' : 'paid', intent.id, now);
  const refund = reason ? recordRefund(deps, intent, checkout, order.id, reason, now) : null;
  const { shopName, locale, publicUrl } = deps.settings;
  const email = reason
    ? orderNeedsAttentionEmail({ order: publicOrder(order), shopName, locale, refunded: true, reason: attentionWords[reason] })
    : orderConfirmationEmail({ order: publicOrder(order), shopName, locale, publicUrl });
  enqueueEmail(deps.db, `order:${order.id}:${reason ? 'attention' : 'confirmation'}`, email, now);
  return { order, created: true, refund, checkout };
}

function recordRefund(deps: CheckoutDeps, intent: Stripe.PaymentIntent, checkout: CheckoutRecord, orderId: string, reason: RefundReason, now: number): AutomaticRefund | null {
  const recorded = deps.refunds.record({
    paymentIntentId: intent.id, checkoutId: checkout.id, orderId, amount: intent.amount_received || intent.amount,
    currency: intent.currency.toUpperCase(), reason, now,
  });
  return recorded ? deps.refunds.byPaymentIntent(intent.id) ?? null : null;
}

/**
 * Why this payment can't simply become an order, or null. While the checkout's hold is live the
 * stock and coupon use are guaranteed; after it lapsed others may have taken them.
 */
function attentionReason(deps: CheckoutDeps, checkout: CheckoutRecord, intent: Stripe.PaymentIntent, now: number): AttentionReason | null {
  for (const line of checkout.items) {
    const stock = deps.db.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(line.productId) as number | undefined;
    if (stock === undefined || stock - deps.checkouts.stockHeld(line.productId, now, checkout.cartId) < line.quantity) return 'stock_gone';
  }
  if (checkout.couponCode) {
    const coupon = deps.db.prepare('SELECT uses, max_uses AS maxUses FROM coupons WHERE code = ?').get(checkout.couponCode) as { uses: number; maxUses: number | null } | undefined;
    if (!coupon || (coupon.maxUses !== null && coupon.uses + deps.checkouts.couponUsesHeld(checkout.couponCode, now, checkout.cartId) >= coupon.maxUses)) return 'coupon_gone';
  }
  if (intent.amount !== checkout.totals.total || intent.currency.toLowerCase() !== checkout.currency.toLowerCase()) return 'amount_mismatch';
  return null;
}

/** The reservation becomes a decrement; the CHECK constraints make "never negative" and "never
 * above max_uses" hold even if the checks above were wrong. */
function takeStockAndCoupon(db: Db, checkout: CheckoutRecord): void {
  const take = db.prepare('UPDATE products SET stock = stock - ? WHERE id = ?');
  for (const line of checkout.items) take.run(line.quantity, line.productId);
  if (checkout.couponCode) db.prepare('UPDATE coupons SET uses = uses + 1 WHERE code = ?').run(checkout.couponCode);
}

/** What was paid for leaves the cart; whatever another tab added since the checkout stays. */
async function removePaidLines(deps: CheckoutDeps, checkout: CheckoutRecord): Promise<void> {
  try {
    await deps.carts.removePaid(checkout.cartId, checkout.items, checkout.couponCode);
  } catch (err) {
    // The order stands either way; the shopper can remove the lines by hand.
    deps.logger.warn('could not take the paid lines out of the cart', { cartId: checkout.cartId, error: String(err) });
  }
}
