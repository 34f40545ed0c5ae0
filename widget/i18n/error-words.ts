/** The shopper's words for error codes (ours and Stripe's), with the views that show such errors. */
import { messageKeyFor } from '../../shared/messages.ts';
import type { Translate } from './messages.ts';

/** The words for an error code in the shopper's language, or `fallback` (the server's or Stripe's
 * message) for codes without shared words. */
export function messageFor(t: Translate, code: string | null | undefined, fallback: string): string {
  const key = messageKeyFor(code);
  return key ? t(key) : fallback;
}
