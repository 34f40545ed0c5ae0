import { ApiError } from '../api/client.ts';
import { rateLimitKey } from '../../shared/message-core.ts';
import type { Translate } from '../i18n/messages.ts';
import { describeRefusal } from '../i18n/refusal-words.ts';

/** A failure as the panel shows it, with a "Try again" when trying again may work. */
export interface Problem {
  message: string;
  retry?: (() => void) | undefined;
}

/**
 * A failure in the shopper's words, in the cart panel's chunk (the first script shows only "could
 * not reach the shop" when that chunk itself fails to load): retryable ones (network, 5xx,
 * malformed answers, 429) keep `retry`; a refusal is told in the panel's words, never the server's.
 */
export function problemFor(t: Translate, error: unknown, retry?: () => void): Problem {
  if (!(error instanceof ApiError)) return { message: t('serverError'), retry };
  const wait = error.retryAfterSeconds;
  if (error.code === 'rate_limited') return { message: t(rateLimitKey(wait), wait === undefined ? undefined : { seconds: wait }), retry };
  if (error.retryable) return { message: t(error.code === 'network' ? 'networkError' : 'serverError'), retry };
  return { message: describeRefusal(t, error) };
}
