/** Every refund of one payment, newest first, however many pages Stripe's list takes. */
import type Stripe from 'stripe';

export function refundsOf(stripe: Stripe, paymentIntentId: string): AsyncIterable<Stripe.Refund> {
  return stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 });
}

/**
 * The payment's refunds that reach (or are on their way to) the shopper, oldest first: what the
 * order counts as refunded is their sum, never a charge's `amount_refunded`, whose snapshot in an
 * event may still count a refund that failed since.
 */
export async function refundsReachingShopper(stripe: Stripe, paymentIntentId: string): Promise<Stripe.Refund[]> {
  const made: Stripe.Refund[] = [];
  for await (const refund of refundsOf(stripe, paymentIntentId)) {
    if (refund.status === 'succeeded' || refund.status === 'pending') made.unshift(refund);
  }
  return made;
}

export const amountOf = (refunds: readonly Stripe.Refund[]): number => refunds.reduce((sum, refund) => sum + refund.amount, 0);
