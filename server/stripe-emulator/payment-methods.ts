/**
 * PaymentMethods: cards from raw card fields (Stripe.js only, as on Stripe) and Stripe's
 * `pm_card_*` tokens, Link (`link`: "every Link transaction has a PaymentMethod object with type
 * link", https://docs.stripe.com/payments/link/link-payment-integrations), and the one
 * redirect-based method the emulated account offers (`paypal`: confirming it sends the shopper to
 * a test page, as Stripe's test mode does for redirect methods).
 */
import type Stripe from 'stripe';
import { luhnValid, testCardFor, testCardTokens, testPaymentMethods } from './cards.ts';
import { StripeApiError, missing, notFound } from './errors.ts';
import { metadataParam, obj, str, type FormObject } from './http/form.ts';
import { cardPaymentMethodObject, linkPaymentMethodObject, redirectPaymentMethodObject } from './objects.ts';
import type { EmulatorState } from './state.ts';

/** Payment method types that send the shopper away and back (`next_action.redirect_to_url`). */
export const REDIRECT_METHOD_TYPES: ReadonlySet<string> = new Set(['paypal']);

// Stripe answers bad card fields with 402 card_error, like a decline, so Stripe.js shows them inline.
const cardFieldError = (code: string, message: string, param: string) => new StripeApiError(402, 'card_error', message, { code, param });

/** `POST /v1/payment_methods` (or `payment_method_data` on a confirm): a card, Link or the redirect method. */
export function createPaymentMethod(state: EmulatorState, form: FormObject, prefix = ''): Stripe.PaymentMethod {
  const type = str(form.type);
  if (!type) throw missing(`${prefix}type`);
  if (type === 'card') return createCardPaymentMethod(state, form);
  if (type !== 'link' && !REDIRECT_METHOD_TYPES.has(type)) {
    throw new StripeApiError(400, 'invalid_request_error', `The Stripe emulator models card, link and paypal payment methods, not ${type}.`, { code: 'parameter_invalid', param: `${prefix}type` });
  }
  const made = { created: state.now(), billingDetails: billingDetailsParam(form), metadata: metadataParam(form) };
  const pm = type === 'link' ? linkPaymentMethodObject(made) : redirectPaymentMethodObject({ ...made, type: 'paypal' });
  state.paymentMethods.set(pm.id, pm);
  return pm;
}

function billingDetailsParam(form: FormObject): Stripe.PaymentMethod.BillingDetails {
  const details = obj(form.billing_details) ?? {};
  const address = obj(details.address) ?? {};
  const field = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    address: { city: field(address.city), country: field(address.country), line1: field(address.line1), line2: field(address.line2), postal_code: field(address.postal_code), state: field(address.state) },
    email: field(details.email), name: field(details.name), phone: field(details.phone), tax_id: null,
  };
}

/** A card from `card[number]`, `card[exp_month]`, `card[exp_year]`, `card[cvc]`. */
function createCardPaymentMethod(state: EmulatorState, form: FormObject): Stripe.PaymentMethod {
  let card = obj(form.card);
  if (!card) throw missing('card');
  const token = str(card.token);
  if (token !== undefined) {
    // A token stands for the whole card: Stripe refuses it together with card fields.
    if (Object.keys(card).length > 1) throw new StripeApiError(400, 'invalid_request_error', 'You cannot pass card details together with card[token].', { param: 'card[token]' });
    const tokenNumber = testCardTokens[token];
    if (!tokenNumber) throw notFound('token', token, 'card[token]');
    card = { number: tokenNumber, exp_month: '12', exp_year: String(new Date(state.clock()).getUTCFullYear() + 3), cvc: '123' };
  }
  const number = (str(card.number) ?? '').replace(/[\s-]+/g, '');
  if (!number) throw missing('card[number]');
  if (!luhnValid(number)) throw cardFieldError('incorrect_number', 'Your card number is incorrect.', 'card[number]');
  const rawMonth = str(card.exp_month);
  const rawYear = str(card.exp_year);
  if (!rawMonth) throw missing('card[exp_month]');
  if (!rawYear) throw missing('card[exp_year]');
  const expMonth = Number(rawMonth);
  const expYear = Number(rawYear) < 100 ? 2000 + Number(rawYear) : Number(rawYear);
  if (!Number.isInteger(expMonth) || expMonth < 1 || expMonth > 12) throw cardFieldError('invalid_expiry_month', "Your card's expiration month is invalid.", 'card[exp_month]');
  if (!Number.isInteger(expYear)) throw cardFieldError('invalid_expiry_year', "Your card's expiration year is invalid.", 'card[exp_year]');
  const today = new Date(state.clock());
  if (expYear < today.getUTCFullYear() || (expYear === today.getUTCFullYear() && expMonth < today.getUTCMonth() + 1)) {
    throw cardFieldError('invalid_expiry_year', "Your card's expiration year is invalid.", 'card[exp_year]');
  }
  const cvc = str(card.cvc);
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) throw cardFieldError('invalid_cvc', "Your card's security code is invalid.", 'card[cvc]');
  const pm = cardPaymentMethodObject({
    created: state.now(), number, card: testCardFor(number), expMonth, expYear, billingDetails: billingDetailsParam(form), metadata: metadataParam(form),
  });
  state.paymentMethods.set(pm.id, pm);
  state.cardNumbers.set(pm.id, number);
  return pm;
}

export function getPaymentMethod(state: EmulatorState, id: string, param = 'id'): Stripe.PaymentMethod {
  const pm = state.paymentMethods.get(id);
  if (!pm) throw notFound('payment_method', id, param);
  return pm;
}

/** A payment method by id, or a fresh one for a `pm_card_*` token (each use is a new object, as on Stripe). */
export function resolvePaymentMethod(state: EmulatorState, id: string): Stripe.PaymentMethod {
  const number = testPaymentMethods[id];
  if (!number) return getPaymentMethod(state, id, 'payment_method');
  const expYear = String(new Date(state.clock()).getUTCFullYear() + 3);
  return createCardPaymentMethod(state, { type: 'card', card: { number, exp_month: '12', exp_year: expYear, cvc: '123' } });
}
