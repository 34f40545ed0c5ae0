/**
 * The parameters of payment method data, as the SDK types them: the card (Stripe.js only: raw card
 * numbers from a secret key are refused with Stripe's own answer) and the redirect method are
 * modelled; every other payment method type is refused, naming it.
 */
import type Stripe from 'stripe';
import { StripeApiError } from '../errors.ts';
import type { FormObject } from '../http/form.ts';
import { MODELLED, notModelled, paramSpec, refusedParameter, type Check } from '../http/params.ts';

export const ADDRESS = paramSpec<Stripe.AddressParam>({ city: MODELLED, country: MODELLED, line1: MODELLED, line2: MODELLED, postal_code: MODELLED, state: MODELLED });

export const RANGE = paramSpec<Stripe.RangeQueryParam>({ gt: MODELLED, gte: MODELLED, lt: MODELLED, lte: MODELLED });

const BILLING_DETAILS = paramSpec<Stripe.PaymentMethodCreateParams.BillingDetails>({
  address: ADDRESS, email: MODELLED, name: MODELLED, phone: MODELLED, tax_id: notModelled,
});

/** Stripe's answer to card numbers sent with a secret key (https://docs.stripe.com/testing: use test tokens such as pm_card_visa instead). */
export const RAW_CARD_DATA = 'Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing. To enable raw card data APIs in test mode, see https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis.';

const CARD_DETAILS = paramSpec<Stripe.PaymentMethodCreateParams.Card>({
  number: MODELLED, exp_month: MODELLED, exp_year: MODELLED, cvc: MODELLED, networks: notModelled, token: MODELLED,
});

/** Raw card fields: Stripe.js (a publishable key) sends them; a secret key is refused as Stripe refuses it. A test token (`card[token]`) is no card number: either key may send it. */
export const rawCard: Check = (name, value, asker) => {
  const tokenOnly = typeof value === 'object' && value !== null && Object.keys(value).join() === 'token';
  if (asker.caller.kind === 'secret' && !tokenOnly) return new StripeApiError(400, 'invalid_request_error', RAW_CARD_DATA, { param: name });
  return typeof value === 'object' && !Array.isArray(value) ? refusedParameter(value as FormObject, CARD_DETAILS, asker, name) : null;
};

/** Every payment method type the SDK knows besides card, link and the redirect method: refused, naming it. */
const OTHER_METHOD_TYPES = {
  acss_debit: notModelled, affirm: notModelled, afterpay_clearpay: notModelled, alipay: notModelled, alma: notModelled, amazon_pay: notModelled,
  au_becs_debit: notModelled, bacs_debit: notModelled, bancontact: notModelled, billie: notModelled, bizum: notModelled, blik: notModelled,
  boleto: notModelled, cashapp: notModelled, crypto: notModelled, customer_balance: notModelled, eps: notModelled, fpx: notModelled,
  giropay: notModelled, grabpay: notModelled, ideal: notModelled, interac_present: notModelled, kakao_pay: notModelled, klarna: notModelled,
  konbini: notModelled, kr_card: notModelled, mb_way: notModelled, mobilepay: notModelled, multibanco: notModelled,
  naver_pay: notModelled, nz_bank_account: notModelled, oxxo: notModelled, p24: notModelled, pay_by_bank: notModelled, payco: notModelled,
  paynow: notModelled, paypay: notModelled, payto: notModelled, pix: notModelled, promptpay: notModelled, revolut_pay: notModelled,
  samsung_pay: notModelled, satispay: notModelled, scalapay: notModelled, sepa_debit: notModelled, sequra: notModelled, sofort: notModelled,
  sunbit: notModelled, swish: notModelled, twint: notModelled, upi: notModelled, us_bank_account: notModelled, wechat_pay: notModelled,
  zip: notModelled,
} as const;

/** `payment_method_data` on a PaymentIntent create or confirm. */
export const PAYMENT_METHOD_DATA = paramSpec<Stripe.PaymentIntentConfirmParams.PaymentMethodData>({
  type: MODELLED, billing_details: BILLING_DETAILS, metadata: MODELLED, paypal: MODELLED, link: MODELLED,
  allow_redisplay: notModelled, radar_options: notModelled, ...OTHER_METHOD_TYPES,
}, { card: rawCard });

/** `POST /v1/payment_methods`. */
export const PAYMENT_METHOD_CREATE = paramSpec<Stripe.PaymentMethodCreateParams>({
  type: MODELLED, billing_details: BILLING_DETAILS, metadata: MODELLED, paypal: MODELLED, link: MODELLED, card: rawCard, expand: MODELLED,
  allow_redisplay: notModelled, radar_options: notModelled, customer: notModelled, payment_method: notModelled, custom: notModelled,
  ...OTHER_METHOD_TYPES,
});
