/**
 * A cardholder disputed a payment (`charge.dispute.created`): the order it paid for is marked for
 * the merchant (`needs_attention`, reason `disputed`) and the dispute kept, so the admin order view
 * shows what to answer in Stripe's dashboard and by when (https://docs.stripe.com/disputes/responding).
 * Stock and money stay as they are: the dispute isn't lost yet, and Stripe moves the funds.
 */
import type Stripe from 'stripe';
import type { CheckoutDeps } from './context.ts';

export const DISPUTED = 'disputed';

export async function chargeDisputed(deps: CheckoutDeps, dispute: Stripe.Dispute): Promise<void> {
  const paymentIntentId = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
  const order = paymentIntentId ? await deps.orders.byPaymentIntent(paymentIntentId) : undefined;
  if (!order || !paymentIntentId) {
    deps.logger.warn('dispute for a payment that is no order of this shop', { disputeId: dispute.id, paymentIntentId });
    return;
  }
  const now = deps.clock();
  const recorded = await deps.tx(async () => {
    const fresh = await deps.disputes.record({
      id: dispute.id, orderId: order.id, paymentIntentId, chargeId: typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id,
      amount: dispute.amount, currency: dispute.currency.toUpperCase(), reason: dispute.reason, status: dispute.status,
      evidenceDueBy: dispute.evidence_details.due_by === null ? null : dispute.evidence_details.due_by * 1000, createdAt: now,
    });
    if (fresh) await deps.orders.markAttention(order.id, DISPUTED, now);
    return fresh;
  });
  if (recorded) deps.logger.warn('a payment was disputed: the order needs the merchant', { orderId: order.id, disputeId: dispute.id, reason: dispute.reason });
}
