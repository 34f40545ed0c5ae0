/**
 * The one way a paid PaymentIntent becomes an order, used by the webhook, the status read and the
 * sweeper. Idempotent: whoever comes first creates the order; everyone after finds it.
 */
import type Stripe from 'stripe';
import { customerCouponProblem, isUsedUp } from '../../shared/coupons.ts';
import { shopperLocale } from '../mail/mail-words.ts';
import { orderConfirmationEmail, orderNeedsAttentionEmail, type AttentionWord } from '../mail/templates.ts';
import { publicOrder, type OrderRecord } from '../stores/order-store.ts';
import { issueAutomaticRefund, type AutomaticRefund, type RefundReason } from './automatic-refunds.ts';
import type { CheckoutRecord } from '../stores/checkout-store.ts';
import type { CheckoutDeps } from './context.ts';
import { paymentShippingDiffering } from './shipping-choice.ts';

export type AttentionReason = Exclude<RefundReason, 'duplicate_payment'>;

export interface FulfilResult {
  order: OrderRecord | null;
  /** True only for the call that created the order. */
  created: boolean;
}

/** The words of the email that tells the shopper, per reason. */
const attentionWords: Record<AttentionReason, AttentionWord> = {
  stock_gone: 'attentionStockGone',
  coupon_gone: 'attentionCouponGone',
  amount_mismatch: 'attentionAmountMismatch',
};

export async function checkoutForIntent(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<CheckoutRecord | undefined> {
  // metadata covers a PaymentIntent that was replaced after the cart changed but got paid anyway.
  return await deps.checkouts.byPaymentIntent(intent.id) ?? (intent.metadata?.checkout_id ? deps.checkouts.byId(intent.metadata.checkout_id) : undefined);
}

export async function fulfil(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<FulfilResult> {
  if (intent.status !== 'succeeded') return { order: await deps.orders.byPaymentIntent(intent.id) ?? null, created: false };
  const { refund, checkout, ...result } = await deps.tx(() => fulfilInTransaction(deps, intent));
  // Recorded with the order, so a crash here leaves it for the sweeper, never forgotten.
  if (refund) await issueAutomaticRefund(deps, refund);
  if (!result.created || !result.order) return result;

  // The paid lines leave the cart before anyone is told of the order: the paying tab reads the cart
  // as soon as it hears, and a cart still holding them would show (and let it sell) them again.
  if (checkout && result.order.stockTaken) await removePaidLines(deps, checkout);
  deps.bus.publish(result.order.checkoutId);
  return result;
}

interface Outcome extends FulfilResult {
  /** A refund this call recorded, to ask Stripe for once the transaction has committed. */
  refund: AutomaticRefund | null;
  checkout: CheckoutRecord | null;
}

/**
 * Locks, in the one order every transaction uses: the checkout's row, then its products' and its
 * coupon's (PostgreSQL; SQLite's write lock covers all). So the same payment heard three times at
 * once (webhook retries, the status read, two hosts) makes one order, the others waiting and then
 * finding it; and two payments for the last unit both count what the other took.
 */
async function fulfilInTransaction(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<Outcome> {
  const checkout = await deps.checkouts.lockByPaymentIntent(intent.id)
    ?? (intent.metadata?.checkout_id ? await deps.checkouts.lockById(intent.metadata.checkout_id) : undefined);
  const existing = await deps.orders.byPaymentIntent(intent.id);
  if (existing) return { order: existing, created: false, refund: null, checkout: null };
  if (!checkout) {
    // Not a payment this shop asked for (no checkout in its metadata): not ours to keep or refund.
    deps.logger.warn('paid PaymentIntent with no checkout', { paymentIntentId: intent.id });
    return { order: null, created: false, refund: null, checkout: null };
  }
  await deps.catalog.lockStockAndCoupon(checkout.items.map((l) => l.productId), checkout.couponCode);
  const now = deps.clock();
  const paidBefore = await deps.orders.byCheckout(checkout.id);
  if (paidBefore) {
    // One checkout, one order: a second payment for it is given back, and the merchant sees why.
    deps.logger.warn('second payment for a checkout that already has an order: refunding it', { checkoutId: checkout.id, paymentIntentId: intent.id });
    const refund = await recordRefund(deps, intent, checkout, paidBefore.id, 'duplicate_payment', now);
    if (refund) await deps.orders.markAttention(paidBefore.id, 'duplicate_payment', now);
    return { order: paidBefore, created: false, refund, checkout: null };
  }
  const reason = await attentionReason(deps, checkout, intent, now);
  // Not a reason to hold the order (it ships to the priced address), but the merchant is told.
  const paymentShipping = paymentShippingDiffering(intent.shipping, checkout.shipping);
  if (paymentShipping) deps.logger.warn('the payment\'s shipping differs from the order\'s', { checkoutId: checkout.id, paymentIntentId: intent.id });
  if (reason === null) await deps.catalog.sell(checkout.items, checkout.couponCode);
  const order = await deps.orders.insert({
    checkoutId: checkout.id, paymentIntentId: intent.id, status: reason ? 'needs_attention' : 'paid', attentionReason: reason,
    email: checkout.email, currency: checkout.currency, items: checkout.items, totals: checkout.totals, shipping: checkout.shipping,
    amountPaid: intent.amount_received || intent.amount, couponCode: checkout.couponCode, stockTaken: reason === null, paymentShipping, now,
  });
  await deps.checkouts.markPaid(checkout.id, reason ? 'needs_attention' : 'paid', intent.id, now);
  const refund = reason ? await recordRefund(deps, intent, checkout, order.id, reason, now) : null;
  const { shopName, shopUrl } = deps.settings;
  const locale = shopperLocale(checkout, deps.settings.locale);
  const email = reason
    ? orderNeedsAttentionEmail({ order: publicOrder(order), shopName, locale, refunded: true, reason: attentionWords[reason] })
    : orderConfirmationEmail({ order: publicOrder(order), shopName, locale, shopUrl });
  await deps.outbox.enqueue(`order:${order.id}:${reason ? 'attention' : 'confirmation'}`, email, now);
  return { order, created: true, refund, checkout };
}

async function recordRefund(deps: CheckoutDeps, intent: Stripe.PaymentIntent, checkout: CheckoutRecord, orderId: string, reason: RefundReason, now: number): Promise<AutomaticRefund | null> {
  const recorded = await deps.refunds.record({
    paymentIntentId: intent.id, checkoutId: checkout.id, orderId, amount: intent.amount_received || intent.amount,
    currency: intent.currency.toUpperCase(), reason, now,
  });
  return recorded ? await deps.refunds.byPaymentIntent(intent.id) ?? null : null;
}

/**
 * Why this payment can't simply become an order, or null. While the checkout's hold is live the
 * stock and coupon use are guaranteed; after it lapsed others may have taken them.
 */
async function attentionReason(deps: CheckoutDeps, checkout: CheckoutRecord, intent: Stripe.PaymentIntent, now: number): Promise<AttentionReason | null> {
  const available = await deps.catalog.availableToPaid(checkout.items.map((l) => l.productId), now, checkout.cartId);
  if (checkout.items.some((line) => (available.get(line.productId) ?? 0) < line.quantity)) return 'stock_gone';
  if (checkout.couponCode) {
    const coupon = await deps.catalog.coupon(checkout.couponCode, now, checkout.cartId);
    if (!coupon || isUsedUp(coupon)) return 'coupon_gone';
    // A limit per customer broken since the checkout began (another order for the email got paid first).
    if (await customerCouponProblem(coupon, () => deps.orders.customerHistory(checkout.email, coupon.code))) return 'coupon_gone';
  }
  if (intent.amount !== checkout.totals.total || intent.currency.toLowerCase() !== checkout.currency.toLowerCase()) return 'amount_mismatch';
  return null;
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
