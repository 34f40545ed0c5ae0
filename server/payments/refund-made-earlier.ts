/**
 * Before asking Stripe again for a refund it never answered: was it made after all? Stripe keeps
 * an idempotency key for 24 hours only (https://docs.stripe.com/api/idempotent_requests), so a
 * refund Stripe made (its answer lost) under a key since forgotten would be made a second time by
 * the same request, or, asked without an amount, refused as `charge_already_refunded` for ever.
 * Stripe's refunds of the payment tell: ours carries metadata that `isOurs` recognises. Admin and
 * automatic refunds both ask again through this one check. A refund of ours that failed or was
 * canceled is not the one awaited: the money never reached the shopper (a failure is handled on its
 * own, ../checkout/refund-failed.ts), so it is passed over and the refund asked for again.
 */
import type Stripe from 'stripe';
import { refundsOf } from './refunds-of.ts';

export async function refundMadeEarlier(stripe: Stripe, paymentIntentId: string, isOurs: (refund: Stripe.Refund) => boolean): Promise<Stripe.Refund | undefined> {
  for await (const refund of refundsOf(stripe, paymentIntentId)) {
    if (refund.status !== 'failed' && refund.status !== 'canceled' && isOurs(refund)) return refund;
  }
  return undefined;
}


/**
 * Asked again while a failure of an earlier refund of ours was handled (that refund was passed over
 * above, then its failure marked our row failed before the new one was recorded): the new refund is
 * recorded in the row's place (the stores' 'replaced'), and the merchant, who is looking at the
 * failure, is told the money went back after all.
 */
export const replacementReason = (refundId: string): string => `a replacement refund ${refundId} was made`;
