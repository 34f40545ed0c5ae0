/**
 * The safety net under "money exactly once": a successful payment that can't become its
 * checkout's order (a second payment for one checkout, an amount we can't honour, goods that sold
 * out after the hold lapsed) is given back. The refund is recorded in the same transaction that
 * decides it, then asked of Stripe with one idempotency key per PaymentIntent, so however many
 * processes, retries and restarts see it, Stripe refunds it once.
 */
import type Stripe from 'stripe';
import type { AutomaticRefund, RefundReason } from '../stores/automatic-refund-store.ts';
import type { CheckoutDeps } from './context.ts';

export type { AutomaticRefund, RefundReason } from '../stores/automatic-refund-store.ts';

/** What refunding needs: Stripe, where refunds are recorded, and the clock and log. */
type RefundDeps = Pick<CheckoutDeps, 'stripe' | 'refunds' | 'clock' | 'logger'>;

/** Stripe's own reason for the refund, as the merchant's dashboard shows it. */
const stripeReason = (reason: RefundReason): Stripe.RefundCreateParams.Reason => (reason === 'duplicate_payment' ? 'duplicate' : 'requested_by_customer');

/** Asks Stripe for a recorded refund. A failure is recorded and left for the sweeper to try again. */
export async function issueAutomaticRefund(deps: RefundDeps, refund: AutomaticRefund): Promise<boolean> {
  if (refund.status === 'refunded') return true;
  try {
    const created = await deps.stripe.refunds.create(
      { payment_intent: refund.paymentIntentId, reason: stripeReason(refund.reason), metadata: { automatic: refund.reason, ...(refund.orderId ? { order_id: refund.orderId } : {}) } },
      { idempotencyKey: `auto-refund:${refund.paymentIntentId}` },
    );
    await deps.refunds.done(refund.paymentIntentId, created.id, deps.clock());
    return true;
  } catch (err) {
    deps.logger.error('automatic refund failed; will try again', { paymentIntentId: refund.paymentIntentId, reason: refund.reason, error: String(err) });
    await deps.refunds.failed(refund.paymentIntentId, String(err), deps.clock());
    return false;
  }
}

/** The sweeper's pass: every refund a crash or an outage left pending. */
export async function retryAutomaticRefunds(deps: RefundDeps): Promise<number> {
  let issued = 0;
  for (const refund of await deps.refunds.pending()) if (await issueAutomaticRefund(deps, refund)) issued++;
  return issued;
}
