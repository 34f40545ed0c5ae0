/**
 * Stripe's test cards and `pm_card_*` tokens, and what each does when a PaymentIntent is confirmed
 * with it (https://docs.stripe.com/testing, https://docs.stripe.com/radar/testing). Any other
 * Luhn-valid number succeeds, as in test mode. A decline carries what Stripe's does: the `param` of
 * the card field at fault (https://docs.stripe.com/api/errors), and an `advice_code` where the
 * issuer advises whether to retry (https://docs.stripe.com/declines/card#retrying-issuer-declines).
 */
export interface Decline {
  code: string;
  decline_code: string;
  message: string;
  /** The card field at fault, as Stripe names it (`cvc`, `exp_month`, `number`). */
  param?: string;
  advice_code?: 'try_again_later' | 'do_not_try_again' | 'confirm_card_data';
  /** Blocked by Radar before reaching the network, rather than declined by the issuer. */
  blocked?: boolean;
}
export type Outcome =
  | { kind: 'succeed'; dispute?: boolean }
  | { kind: 'decline'; decline: Decline }
  | { kind: 'authenticate'; then: Outcome };
export interface TestCard {
  brand: string;
  funding: 'credit' | 'debit';
  outcome: Outcome;
  /** 'fails': the payment succeeds, its refunds begin `succeeded` and later fail (https://docs.stripe.com/testing#refunds). */
  refunds?: 'fail';
}

const succeed: Outcome = { kind: 'succeed' };
const decline = (code: string, decline_code: string, message: string, extra: Partial<Decline> = {}): Outcome =>
  ({ kind: 'decline', decline: { code, decline_code, message, ...extra } });
const authenticate = (then: Outcome): Outcome => ({ kind: 'authenticate', then });
const card = (brand: string, outcome: Outcome, funding: TestCard['funding'] = 'credit'): TestCard => ({ brand, funding, outcome });

// Stripe's own wording for each decline, which shoppers see through Stripe.js.
const DECLINED = 'Your card was declined.';
const INSUFFICIENT = 'Your card has insufficient funds.';

export const testCards: Readonly<Record<string, TestCard>> = {
  '4242424242424242': card('visa', succeed),
  '4000056655665556': card('visa', succeed, 'debit'),
  '5555555555554444': card('mastercard', succeed),
  '378282246310005': card('amex', succeed),
  '4000002760003184': card('visa', authenticate(succeed)),
  '4000002500003155': card('visa', authenticate(succeed)),
  '4000000000003220': card('visa', authenticate(succeed)),
  '4000008260003178': card('visa', authenticate(decline('card_declined', 'insufficient_funds', INSUFFICIENT, { advice_code: 'try_again_later' }))),
  '4000000000000002': card('visa', decline('card_declined', 'generic_decline', DECLINED)),
  '4000000000009995': card('visa', decline('card_declined', 'insufficient_funds', INSUFFICIENT, { advice_code: 'try_again_later' })),
  '4000000000009987': card('visa', decline('card_declined', 'lost_card', DECLINED, { advice_code: 'do_not_try_again' })),
  '4000000000009979': card('visa', decline('card_declined', 'stolen_card', DECLINED, { advice_code: 'do_not_try_again' })),
  '4000000000000069': card('visa', decline('expired_card', 'expired_card', 'Your card has expired.', { param: 'exp_month', advice_code: 'confirm_card_data' })),
  '4000000000000127': card('visa', decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect.", { param: 'cvc', advice_code: 'confirm_card_data' })),
  '4000000000000119': card('visa', decline('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.', { advice_code: 'try_again_later' })),
  '4000000000006975': card('visa', decline('card_declined', 'card_velocity_exceeded', DECLINED, { advice_code: 'try_again_later' })),
  // "Always blocked": Radar blocks it whatever the rules; the shopper sees a plain decline.
  '4100000000000019': card('visa', decline('card_declined', 'fraudulent', DECLINED, { blocked: true })),
  // "Attaching this card to a Customer object succeeds, but attempts to charge the customer fail":
  // creating and attaching the PaymentMethod works (it is Luhn-valid), every charge is declined.
  '4000000000000341': card('visa', decline('card_declined', 'generic_decline', DECLINED)),
  // "Dispute: fraudulent": the payment succeeds, then the cardholder disputes it.
  '4000000000000259': card('visa', { kind: 'succeed', dispute: true }),
  // "Refund fails" (asynchronous failure): the charge succeeds; a refund of it "begins as
  // succeeded. Some time later, its status transitions to failed" with a failure_reason of
  // expired_or_canceled_card (./refunds.ts `failRefund`).
  '4000000000005126': { ...card('visa', succeed), refunds: 'fail' },
};

/** Stripe's ready-made test PaymentMethods, by the card number each stands for. */
/**
 * Stripe's test card tokens ("we make test Tokens such as tok_visa available if you need them",
 * https://docs.stripe.com/testing), taken in `card[token]` as Stripe takes a wallet's token ("you can
 * alternatively provide a Stripe token (e.g., for Apple Pay ...) into the card hash"). The Express
 * Checkout stand-in pays with them, as a wallet in test mode hands Stripe.js a test card.
 */
export const testCardTokens: Readonly<Record<string, string>> = {
  tok_visa: '4242424242424242',
  tok_mastercard: '5555555555554444',
  tok_amex: '378282246310005',
  tok_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_refundFail: '4000000000005126',
};

export const testPaymentMethods: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_chargeDeclinedFraudulent: '4100000000000019',
  pm_card_radarBlock: '4100000000000019',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_createDispute: '4000000000000259',
  pm_card_refundFail: '4000000000005126',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: '4000008260003178',
};

/** Luhn check: a number that fails it is `incorrect_number`, as on Stripe. */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function testCardFor(number: string): TestCard {
  return testCards[number] ?? card(brandOf(number), succeed);
}

function brandOf(number: string): string {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^6(011|5)/.test(number)) return 'discover';
  return number.startsWith('4') ? 'visa' : 'unknown';
}
