/**
 * Errors in Stripe's shape and with Stripe's statuses, so the official SDK raises the class it
 * raises against the real API (402 + card_error -> StripeCardError, 404 -> StripeInvalidRequestError,
 * 401 -> StripeAuthenticationError, idempotency_error -> StripeIdempotencyError).
 */
export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, unknown> } {
    const code = typeof this.extra.code === 'string' ? this.extra.code : undefined;
    return {
      error: {
        type: this.type, message: this.message,
        ...(code ? { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}),
        ...this.extra,
      },
    };
  }
}

export const missing = (param: string) =>
  new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param });

export const invalid = (param: string, message: string, code = 'parameter_invalid') =>
  new StripeApiError(400, 'invalid_request_error', message, { code, param });

export const notFound = (kind: string, id: string, param = 'id') =>
  new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });

export const unexpectedState = (intent: { id: string; status: string }, action: string) =>
  new StripeApiError(400, 'invalid_request_error',
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}.`,
    { code: 'payment_intent_unexpected_state', payment_intent: structuredClone(intent) });
