import { ApiError } from '../api/client.ts';
import { rateLimitedMessage, type Translate } from '../i18n/messages.ts';

/** A failure as the panel shows it, with a "Try again" when trying again may work. */
export interface Problem {
  message: string;
  retry?: (() => void) | undefined;
}

/**
 * A failure in the shopper's words: retryable ones (network, 5xx, malformed answers, 429) keep
 * `retry`. A refusal shows the server's message, or `describe`'s words for it: the views that meet
 * refusals with shared words (coupons, declines, payment links) bring those.
 */
export function problemFor(t: Translate, error: unknown, retry?: () => void, describe?: (error: ApiError) => string): Problem {
  if (!(error instanceof ApiError)) return { message: t('serverError'), retry };
  if (error.code === 'rate_limited') return { message: rateLimitedMessage(t, error.retryAfterSeconds), retry };
  if (error.retryable) return { message: t(error.code === 'network' ? 'networkError' : 'serverError'), retry };
  return { message: describe ? describe(error) : error.message };
}
