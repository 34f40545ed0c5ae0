/**
 * The safety net under "money exactly once": a successful payment that can't become its
 * checkout's order (a second payment for one checkout, an amount we can't honour, goods that sold
 * out after the hold lapsed) is given back. The refund is recorded in the same transaction that
 * decides it, then asked of Stripe with one idempotency key per PaymentIntent, so however many
 * processes, retries and restarts see it, Stripe refunds it once; the sweeper's retries first look
 * for it among Stripe's refunds, since Stripe forgets a key after 24 hours.
 */
import Stripe from 'stripe';
import { refundMadeEarlier, replacementReason } from '../payments/refund-made-earlier.ts';
import type { AutomaticRefund, RefundReason } from '../stores/automatic-refund-store.ts';
import type { CheckoutDeps } from './context.ts';

export type { AutomaticRefund, RefundReason } from '../stores/automatic-refund-store.ts';

/** What refunding needs: Stripe, where refunds are recorded, and the clock and log. */
type RefundDeps = Pick<CheckoutDeps, 'stripe' | 'refunds' | 'orders' | 'tx' | 'clock' | 'logger'>;

/** Stripe's own reason for the refund, as the merchant's dashboard shows it. */
const stripeReason = (reason: RefundReason): Stripe.RefundCreateParams.Reason => (reason === 'duplicate_payment' ? 'duplicate' : 'requested_by_customer');

/** Stripe's answers that asking again can never change: the payment is disputed, or someone else refunded all of it. */
const FINAL_REFUSALS = new Set(['charge_disputed', 'charge_already_refunded']);

/**
 * Asks Stripe for a recorded refund. `askedBefore` (the sweeper's retries): it may have been made
 * already, its answer lost, so Stripe's refunds of the payment are looked through first. A failure
 * is recorded and left for the sweeper to try again; a refusal for good is recorded as refused,
 * with Stripe's reason for the merchant, and never asked again.
 */
export async function issueAutomaticRefund(deps: RefundDeps, refund: AutomaticRefund, askedBefore = false): Promise<boolean> {
  if (refund.status !== 'pending') return refund.status === 'refunded';
  try {
    const made = askedBefore ? await refundMadeEarlier(deps.stripe, refund.paymentIntentId, (r) => r.metadata?.automatic === refund.reason) : undefined;
    const created = made ?? await deps.stripe.refunds.create(
      { payment_intent: refund.paymentIntentId, reason: stripeReason(refund.reason), metadata: { automatic: refund.reason, ...(refund.orderId ? { order_id: refund.orderId } : {}) } },
      { idempotencyKey: `auto-refund:${refund.paymentIntentId}` },
    );
    await deps.tx(async () => {
      const now = deps.clock();
      if (await deps.refunds.done(refund.paymentIntentId, created.id, now) === 'replaced' && refund.orderId) {
        await deps.orders.addAttention(refund.orderId, replacementReason(created.id), now);
      }
    });
    return true;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError && FINAL_REFUSALS.has(err.code ?? '')) {
      deps.logger.warn('Stripe refused an automatic refund for good; the merchant sees why', { paymentIntentId: refund.paymentIntentId, orderId: refund.orderId, code: err.code });
      await deps.refunds.refused(refund.paymentIntentId, err.message, deps.clock());
      return false;
    }
    deps.logger.error('automatic refund failed; will try again', { paymentIntentId: refund.paymentIntentId, reason: refund.reason, error: String(err) });
    await deps.refunds.failed(refund.paymentIntentId, String(err), deps.clock());
    return false;
  }
}

/** The sweeper's pass: every refund a crash or an outage left pending. */
export async function retryAutomaticRefunds(deps: RefundDeps): Promise<number> {
  let issued = 0;
  for (const refund of await deps.refunds.pending()) if (await issueAutomaticRefund(deps, refund, true)) issued++;
  return issued;
}
