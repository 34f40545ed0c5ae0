/**
 * The rate-limit words and `{placeholders}`: the part of the message catalogue (./messages.ts,
 * which re-exports it) that the widget's first script (`fillIn`) and its cart panel need. A module
 * of its own, so that script carries none of the longer words (declines, coupons, payment links),
 * which load with the views that show them.
 */

export const rateLimitMessages = {
  rateLimited: 'Too many attempts. Please wait a moment and try again.',
  rateLimitedOne: 'Too many attempts. Please wait 1 second and try again.',
  rateLimitedOther: 'Too many attempts. Please wait {seconds} seconds and try again.',
} as const;

/** The words for a 429: how long to wait, when the server said (`{seconds}` to fill in). */
export function rateLimitKey(retryAfterSeconds: number | undefined): keyof typeof rateLimitMessages {
  if (retryAfterSeconds === undefined) return 'rateLimited';
  return retryAfterSeconds === 1 ? 'rateLimitedOne' : 'rateLimitedOther';
}

/** Fills `{name}` placeholders from `params`; a placeholder without a value stays as it is. */
export function fillIn(text: string, params: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
