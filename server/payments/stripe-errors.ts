import Stripe from 'stripe';
import { DomainError } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

/** Anything the Stripe SDK throws (unreachable, 5xx, rate limited, refused): not the shopper's fault. */
export function isPaymentProviderError(err: unknown): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/** Stripe answered that the object (or, given `param`, the one that parameter names) does not exist. */
export function isResourceMissing(err: unknown, param?: string): err is Stripe.errors.StripeInvalidRequestError {
  return err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_missing' && (param === undefined || err.param === param);
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
