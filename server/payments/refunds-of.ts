/** Every refund of one payment, newest first, however many pages Stripe's list takes. */
import type Stripe from 'stripe';

export function refundsOf(stripe: Stripe, paymentIntentId: string): AsyncIterable<Stripe.Refund> {
  return stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 });
}
