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
import type { CheckoutRecord } from './checkout-store.ts';
import type { CheckoutDeps } from './context.ts';

export type AttentionReason = 'stock_gone' | 'coupon_gone' | 'amount_mismatch';

export interface FulfilResult {
  order: OrderRecord | null;
  /** True only for the call that created the order. */
  created: boolean;
}

const attentionWords: Record<AttentionReason, string> = {
  stock_gone: 'An item sold out while your payment was being completed.',
  coupon_gone: 'Your discount code ran out while your payment was being completed.',
  amount_mismatch: 'The amount paid did not match your order; we will check it and get back to you.',
};

export function checkoutForIntent(deps: CheckoutDeps, intent: Stripe.PaymentIntent): CheckoutRecord | undefined {
  // metadata covers a PaymentIntent that was replaced after the cart changed but got paid anyway.
  return deps.checkouts.byPaymentIntent(intent.id) ?? (intent.metadata?.checkout_id ? deps.checkouts.byId(intent.metadata.checkout_id) : undefined);
}

export async function fulfil(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<FulfilResult> {
  if (intent.status !== 'succeeded') return { order: deps.orders.byPaymentIntent(intent.id) ?? null, created: false };
  const result = writeTransaction(deps.db, () => fulfilInTransaction(deps, intent));
  if (!result.created || !result.order) return result;

  deps.bus.publish(result.order.checkoutId);
  const checkout = deps.checkouts.byId(result.order.checkoutId);
  if (checkout) await clearCartIfUnchanged(deps, checkout);
  if (result.order.status === 'needs_attention' && result.order.attentionReason !== 'amount_mismatch') {
    // The shopper paid for something we can't deliver: give the money back at once.
    await deps.stripe.refunds.create({ payment_intent: intent.id, reason: 'requested_by_customer', metadata: { order_id: result.order.id } },
      { idempotencyKey: `auto-refund:${result.order.id}` })
      .catch((err: unknown) => deps.logger.error('automatic refund failed; order left needing attention', { orderId: result.order?.id, error: String(err) }));
  }
  return result;
}

function fulfilInTransaction(deps: CheckoutDeps, intent: Stripe.PaymentIntent): FulfilResult {
  const existing = deps.orders.byPaymentIntent(intent.id);
  if (existing) return { order: existing, created: false };
  const checkout = checkoutForIntent(deps, intent);
  if (!checkout) {
    deps.logger.warn('paid PaymentIntent with no checkout', { paymentIntentId: intent.id });
    return { order: null, created: false };
  }
  const paidBefore = deps.orders.byCheckout(checkout.id);
  if (paidBefore) {
    deps.logger.error('second payment for a checkout that already has an order', { checkoutId: checkout.id, paymentIntentId: intent.id });
    return { order: paidBefore, created: false };
  }
  const now = deps.clock();
  const reason = attentionReason(deps, checkout, intent, now);
  const takeGoods = reason === null || reason === 'amount_mismatch';
  if (takeGoods) takeStockAndCoupon(deps.db, checkout);
  const order = deps.orders.insert({
    checkoutId: checkout.id, paymentIntentId: intent.id, status: reason ? 'needs_attention' : 'paid', attentionReason: reason,
    email: checkout.email, currency: checkout.currency, items: checkout.items, totals: checkout.totals,
    amountPaid: intent.amount_received || intent.amount, couponCode: checkout.couponCode, stockTaken: takeGoods, now,
  });
  deps.db.prepare('UPDATE checkouts SET status = ?, payment_intent_id = ?, updated_at = ? WHERE id = ?')
    .run(reason ? 'needs_attention' : 'paid', intent.id, now, checkout.id);
  const { shopName, locale, publicUrl } = deps.settings;
  const email = reason
    ? orderNeedsAttentionEmail({ order: publicOrder(order), shopName, locale, refunded: reason !== 'amount_mismatch', reason: attentionWords[reason] })
    : orderConfirmationEmail({ order: publicOrder(order), shopName, locale, publicUrl });
  enqueueEmail(deps.db, `order:${order.id}:${reason ? 'attention' : 'confirmation'}`, email, now);
  return { order, created: true };
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

async function clearCartIfUnchanged(deps: CheckoutDeps, checkout: CheckoutRecord): Promise<void> {
  try {
    const { stored } = await deps.carts.price(checkout.cartId);
    if (stored.version === checkout.cartVersion) await deps.carts.clear(checkout.cartId);
  } catch {
    // Already gone or expired: nothing to clear.
  }
}
