/** Commands the browser tests send to the harness plugin (shared by both sides). */
export type ApiFault = 'none' | 'offline' | 'server-error' | 'malformed' | 'rate-limited';

/** A payment made with the emulator's redirect method: the checkout's client secret and what the shopper picks on its page. */
export interface RedirectPayment { clientSecret: string; result: 'authorize' | 'settle_later' | 'fail_later' | 'fail' }

/** The shopper's answer to a 3D Secure challenge, given in the bank's frame (another origin, out of the test's reach). */
export interface ChallengeAnswer { paymentIntentId: string; answer: 'complete' | 'fail' }

/** A reminder's restore token for a cart, valid for `validForMs` (negative: expired already). */
export interface RestoreTokenRequest { cartId: string; validForMs: number }

/** What Stripe charged for a checkout (its `charge.succeeded` events) and the orders the server made of it. */
export interface ChargeCount { charges: number; orders: number }
