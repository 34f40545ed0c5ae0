/**
 * The words the server and the widget both say to shoppers, in English, each under one key. The
 * server answers with them (API errors, the retry page, emails); the widget's i18n takes its
 * English from here and translates the same keys, so every place says the same thing.
 */
import type { CouponProblem } from './api.ts';
import { fillIn, rateLimitKey, rateLimitMessages } from './message-core.ts';

export { fillIn, rateLimitKey, rateLimitMessages };

/** Why a payment failed, in words a shopper understands; Stripe's codes are for us. */
export const declineMessages = {
  paymentFailed: 'Your payment did not go through.',
  cardDeclined: 'Your card was declined.',
  insufficientFunds: 'Your card has insufficient funds.',
  expiredCard: 'Your card has expired.',
  incorrectCvc: "Your card's security code (CVC) is incorrect.",
  incorrectNumber: 'Your card number is incorrect.',
  processingError: 'An error occurred while processing your card. Please try again.',
  authenticationFailed: "The bank's security check (3D Secure) was not completed.",
} as const;

export const couponMessages = {
  couponInvalid: 'This code is not valid.',
  couponExpired: 'This code has expired.',
  couponExhausted: 'This code has been used up.',
  couponMinSubtotal: 'Your cart is below the minimum for this code.',
} as const;

/** Server-only: coupons limited per customer are refused when a checkout starts (the email is
 * known only then), and the widget shows the server's words. */
export const customerCouponMessages = {
  couponFirstOrderOnly: 'This code is for a first order only.',
  couponOncePerCustomer: 'You have already used this code.',
} as const;

/** A total Stripe refuses to charge in one payment: below its minimum for the currency (a 100 %
 * coupon on goods that ship nothing, a free sample) or above its maximum
 * (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). The widget shows the
 * server's refusal in these words. */
export const amountMessages = {
  totalTooSmall: 'This total is below the smallest amount that can be paid online.',
  totalTooLarge: 'This total is more than one online payment can take. Please split it into smaller orders.',
} as const;

/** Server-only: a reminder's unsubscribe link. (Its link back to the cart has words in ./link-messages.ts, which the widget says too.) */
export const unsubscribeLinkMessages = {
  unsubscribeLinkInvalid: 'This unsubscribe link is invalid.',
} as const;

export const retryLinkMessages = {
  retryLinkInvalid: 'This payment link is invalid or has expired.',
} as const;


/** Server-only for now: the widget shows what the server says about stock. */
export const stockMessages = {
  soldOut: '{name} is sold out.',
  onlyLeft: 'Only {available} of {name} left.',
} as const;

export type SharedMessageKey = keyof typeof declineMessages | keyof typeof couponMessages | keyof typeof retryLinkMessages;
const english: Record<SharedMessageKey, string> = { ...declineMessages, ...couponMessages, ...retryLinkMessages };

const couponKeys: Record<CouponProblem, keyof typeof couponMessages> = {
  coupon_invalid: 'couponInvalid',
  coupon_expired: 'couponExpired',
  coupon_exhausted: 'couponExhausted',
  coupon_min_subtotal: 'couponMinSubtotal',
};

/**
 * Error codes (ours, and Stripe's `code` and `decline_code`) that have shared words. Lost and stolen
 * cards read as a plain decline: Stripe's decline codes say "the specific reason for the decline
 * shouldn't be reported to the customer" (https://docs.stripe.com/declines/codes).
 */
const keysByCode: Readonly<Record<string, SharedMessageKey>> = {
  card_declined: 'cardDeclined',
  generic_decline: 'cardDeclined',
  do_not_honor: 'cardDeclined',
  lost_card: 'cardDeclined',
  stolen_card: 'cardDeclined',
  insufficient_funds: 'insufficientFunds',
  expired_card: 'expiredCard',
  incorrect_cvc: 'incorrectCvc',
  invalid_cvc: 'incorrectCvc',
  incorrect_number: 'incorrectNumber',
  invalid_number: 'incorrectNumber',
  processing_error: 'processingError',
  payment_intent_authentication_failure: 'authenticationFailed',
  ...couponKeys,
  retry_link_invalid: 'retryLinkInvalid',
};

/** The key of the shared words for an error code, if there are any. */
export function messageKeyFor(code: string | null | undefined): SharedMessageKey | undefined {
  return code && Object.hasOwn(keysByCode, code) ? keysByCode[code] : undefined;
}

/** The English words for an error code, if there are any. */
export function englishFor(code: string | null | undefined): string | undefined {
  const key = messageKeyFor(code);
  return key && english[key];
}

export function couponMessage(problem: CouponProblem): string {
  return couponMessages[couponKeys[problem]];
}

/** "Mug is sold out." or "Only 2 of Mug left." */
export function stockMessage(name: string, available: number): string {
  return available === 0 ? fillIn(stockMessages.soldOut, { name }) : fillIn(stockMessages.onlyLeft, { name, available });
}

export function rateLimitMessage(retryAfterSeconds: number): string {
  return fillIn(rateLimitMessages[rateLimitKey(retryAfterSeconds)], { seconds: retryAfterSeconds });
}
