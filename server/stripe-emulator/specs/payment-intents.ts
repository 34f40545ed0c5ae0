/** What each /v1/payment_intents route takes, typed against the SDK's own request types (see ../http/params.ts). */
import type Stripe from 'stripe';
import { StripeApiError } from '../errors.ts';
import { MODELLED, noSuch, notModelled, paramSpec, publishableOnly, unknownParameter, type Check, type RuntimeSpec } from '../http/params.ts';
import { ADDRESS, PAYMENT_METHOD_DATA, RANGE } from './payment-methods.ts';

/**
 * `payment_method_types` is no longer writable from API version 2026-09-30 on: "Passing
 * payment_method_types on this API version returns a 400 error with the code
 * payment_method_types_no_longer_supported" (https://docs.stripe.com/changelog/endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-intents-and-setup-intents).
 * Requests pinned to an older version (`Stripe-Version`) may still send it.
 */
export const PAYMENT_METHOD_TYPES_REMOVED_IN = '2026-09-30';
const paymentMethodTypes: Check = (name, _value, asker) => (asker.apiVersion.slice(0, 10) < PAYMENT_METHOD_TYPES_REMOVED_IN ? null
  : new StripeApiError(400, 'invalid_request_error',
    `payment_method_types is no longer supported on API version ${asker.apiVersion}. Use automatic payment methods, with excluded_payment_method_types or allowed_payment_method_types for more control.`,
    { code: 'payment_method_types_no_longer_supported', param: name }));

const SHIPPING = paramSpec<Stripe.PaymentIntentCreateParams.Shipping>({
  address: ADDRESS, carrier: MODELLED, name: MODELLED, phone: MODELLED, tracking_number: MODELLED,
});

/** What only Stripe.js sends: the client secret that stands for a publishable key's right to the intent. */
const FROM_STRIPE_JS: RuntimeSpec = { client_secret: publishableOnly((name) => unknownParameter(name)) };

export const CREATE = paramSpec<Stripe.PaymentIntentCreateParams>({
  amount: MODELLED, currency: MODELLED, automatic_payment_methods: paramSpec<Stripe.PaymentIntentCreateParams.AutomaticPaymentMethods>({ allow_redirects: MODELLED, enabled: MODELLED }),
  capture_method: MODELLED, confirm: MODELLED, customer: MODELLED, description: MODELLED, expand: MODELLED, metadata: MODELLED,
  payment_method: MODELLED, payment_method_data: PAYMENT_METHOD_DATA, receipt_email: MODELLED, return_url: MODELLED,
  setup_future_usage: MODELLED, shipping: SHIPPING, statement_descriptor_suffix: MODELLED,
  allowed_payment_method_types: notModelled, amount_details: notModelled, application_fee_amount: notModelled,
  confirmation_method: notModelled, confirmation_token: noSuch('confirmationtoken'), customer_account: notModelled,
  error_on_requires_action: notModelled, excluded_payment_method_types: notModelled, hooks: notModelled, mandate: noSuch('mandate'),
  mandate_data: notModelled, off_session: notModelled, on_behalf_of: notModelled, payment_details: notModelled,
  payment_method_configuration: noSuch('payment method configuration'), payment_method_options: notModelled, radar_options: notModelled,
  statement_descriptor: notModelled, transfer_data: notModelled, transfer_group: notModelled, use_stripe_sdk: notModelled,
}, { payment_method_types: paymentMethodTypes });

export const UPDATE = paramSpec<Stripe.PaymentIntentUpdateParams>({
  amount: MODELLED, capture_method: MODELLED, currency: MODELLED, customer: MODELLED, description: MODELLED, expand: MODELLED,
  metadata: MODELLED, payment_method: MODELLED, receipt_email: MODELLED, setup_future_usage: MODELLED, shipping: SHIPPING,
  statement_descriptor_suffix: MODELLED,
  allowed_payment_method_types: notModelled, amount_details: notModelled, application_fee_amount: notModelled, customer_account: notModelled,
  excluded_payment_method_types: notModelled, hooks: notModelled, payment_details: notModelled,
  payment_method_configuration: noSuch('payment method configuration'), payment_method_data: notModelled, payment_method_options: notModelled,
  statement_descriptor: notModelled, transfer_data: notModelled, transfer_group: notModelled,
}, { payment_method_types: paymentMethodTypes });

export const CONFIRM = paramSpec<Stripe.PaymentIntentConfirmParams>({
  capture_method: MODELLED, expand: MODELLED, payment_method: MODELLED, payment_method_data: PAYMENT_METHOD_DATA, receipt_email: MODELLED,
  return_url: MODELLED, setup_future_usage: MODELLED, shipping: SHIPPING,
  allowed_payment_method_types: notModelled, amount_details: notModelled, amount_to_confirm: notModelled,
  confirmation_token: noSuch('confirmationtoken'), error_on_requires_action: notModelled, excluded_payment_method_types: notModelled,
  hooks: notModelled, mandate: noSuch('mandate'), mandate_data: notModelled, off_session: notModelled, payment_details: notModelled,
  payment_method_options: notModelled, radar_options: notModelled, use_stripe_sdk: notModelled,
}, { ...FROM_STRIPE_JS, payment_method_types: paymentMethodTypes });

export const RETRIEVE = paramSpec<Stripe.PaymentIntentRetrieveParams>({ client_secret: MODELLED, expand: MODELLED });

export const LIST = paramSpec<Stripe.PaymentIntentListParams>({
  created: RANGE, customer: MODELLED, expand: MODELLED, ending_before: MODELLED, limit: MODELLED, starting_after: MODELLED,
  customer_account: notModelled,
});

export const CANCEL = paramSpec<Stripe.PaymentIntentCancelParams>({ cancellation_reason: MODELLED, expand: MODELLED });

export const CAPTURE = paramSpec<Stripe.PaymentIntentCaptureParams>({
  amount_to_capture: MODELLED, expand: MODELLED, metadata: MODELLED,
  amount_details: notModelled, application_fee_amount: notModelled, final_capture: notModelled, hooks: notModelled,
  payment_details: notModelled, statement_descriptor: notModelled, statement_descriptor_suffix: notModelled, transfer_data: notModelled,
});

export const SEARCH = paramSpec<Stripe.PaymentIntentSearchParams>({ query: MODELLED, expand: MODELLED, limit: MODELLED, page: MODELLED });

/** The emulator's own route, which its 3D Secure challenge page posts to. */
export const AUTHENTICATE: RuntimeSpec = { result: MODELLED, ...FROM_STRIPE_JS };
