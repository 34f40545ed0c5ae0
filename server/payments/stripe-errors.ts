import { DomainError } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

/** Errors thrown by the Stripe SDK (network, API, rate limits): not the shopper's fault. */
export function isPaymentProviderError(err: unknown): boolean {
  return typeof (err as { type?: unknown })?.type === 'string' && String((err as { type: string }).type).startsWith('Stripe');
}

export function providerUnavailable(err: unknown, logger: Logger): DomainError {
  const e = err as { type?: string; code?: string; message?: string; requestId?: string };
  logger.error('payment provider error', { type: e.type, code: e.code, requestId: e.requestId, message: e.message });
  return new DomainError('payment_provider_error', 'The payment service did not answer. Please try again in a moment.');
}
