import Stripe from 'stripe';
import { DomainError } from '../../shared/errors.ts';
import { amountMessages } from '../../shared/messages.ts';
import type { Logger } from '../logger.ts';

/** Anything the Stripe SDK throws (unreachable, 5xx, rate limited, refused): not the shopper's fault. */
export function isPaymentProviderError(err: unknown): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/** Stripe answered that the object (or, given `param`, the one that parameter names) does not exist. */
export function isResourceMissing(err: unknown, param?: string): err is Stripe.errors.StripeInvalidRequestError {
  return err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing' && (param === undefined || err.param === param);
}

/** Stripe refuses to refund a charge whose dispute is open, however often it is asked (https://docs.stripe.com/error-codes#charge-disputed). */
export function isChargeDisputed(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'charge_disputed';
}

/**
 * Stripe refused the amount itself (below the currency's minimum charge, above its maximum): the
 * cart decides that, so the shopper is told what to change (4xx), never "try again in a moment".
 */
export function amountRefused(err: Stripe.errors.StripeError): DomainError | null {
  if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) return null;
  if (err.code === 'amount_too_small') return new DomainError('amount_too_small', amountMessages.totalTooSmall);
  if (err.code === 'amount_too_large') return new DomainError('amount_too_large', amountMessages.totalTooLarge);
  return null;
}

/** The shopper is told to try again; the log says which failure it was, to tell an outage from a bug of ours. */
export function providerUnavailable(err: Stripe.errors.StripeError, logger: Logger): DomainError {
  const transient = err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError
    || err instanceof Stripe.errors.StripeRateLimitError;
  logger.error('payment provider error', {
    type: err.type, transient, code: err.code, statusCode: err.statusCode, requestId: err.requestId, message: err.message,
  });
  return new DomainError('payment_provider_error', 'The payment service did not answer. Please try again in a moment.');
}
