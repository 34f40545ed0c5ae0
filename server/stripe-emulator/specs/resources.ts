/** What the other routes take, typed against the SDK's own request types (see ../http/params.ts). */
import type Stripe from 'stripe';
import { MODELLED, noSuch, notModelled, paramSpec, type Check } from '../http/params.ts';
import { ADDRESS, RANGE } from './payment-methods.ts';

export const EXPAND_ONLY = paramSpec<{ expand?: string[] }>({ expand: MODELLED });
export const NOTHING = paramSpec<Stripe.CustomerDeleteParams>({});

const CUSTOMER_SHIPPING = paramSpec<Stripe.CustomerCreateParams.Shipping>({ address: ADDRESS, name: MODELLED, phone: MODELLED });

export const CUSTOMER_CREATE = paramSpec<Stripe.CustomerCreateParams>({
  address: ADDRESS, description: MODELLED, email: MODELLED, expand: MODELLED, metadata: MODELLED, name: MODELLED, phone: MODELLED,
  shipping: CUSTOMER_SHIPPING,
  balance: notModelled, business_name: notModelled, cash_balance: notModelled, individual_name: notModelled, invoice_prefix: notModelled,
  invoice_settings: notModelled, next_invoice_sequence: notModelled, payment_method: notModelled, preferred_locales: notModelled,
  source: notModelled, tax: notModelled, tax_exempt: notModelled, tax_id_data: notModelled, test_clock: noSuch('test_clock'), validate: notModelled,
});

export const CUSTOMER_UPDATE = paramSpec<Stripe.CustomerUpdateParams>({
  address: ADDRESS, description: MODELLED, email: MODELLED, expand: MODELLED, metadata: MODELLED, name: MODELLED, phone: MODELLED,
  shipping: CUSTOMER_SHIPPING,
  balance: notModelled, business_name: notModelled, cash_balance: notModelled, default_source: notModelled, individual_name: notModelled,
  invoice_prefix: notModelled, invoice_settings: notModelled, next_invoice_sequence: notModelled, preferred_locales: notModelled,
  source: notModelled, tax: notModelled, tax_exempt: notModelled, validate: notModelled,
});

export const REFUND_CREATE = paramSpec<Stripe.RefundCreateParams>({
  amount: MODELLED, charge: MODELLED, expand: MODELLED, metadata: MODELLED, payment_intent: MODELLED, reason: MODELLED,
  currency: notModelled, customer: notModelled, instructions_email: notModelled, origin: notModelled, refund_application_fee: notModelled,
  reverse_transfer: notModelled,
});

export const REFUND_LIST = paramSpec<Stripe.RefundListParams>({
  charge: MODELLED, created: RANGE, expand: MODELLED, payment_intent: MODELLED, ending_before: MODELLED, limit: MODELLED, starting_after: MODELLED,
});

export const EVENT_LIST = paramSpec<Stripe.EventListParams>({
  created: RANGE, expand: MODELLED, type: MODELLED, types: MODELLED, ending_before: MODELLED, limit: MODELLED, starting_after: MODELLED,
  delivery_success: notModelled,
});

/** Connect endpoints listen to connected accounts' events; the emulated account has none. `connect=false` is the default. */
const connectEndpoint: Check = (name, value, asker) => (value === 'true' ? notModelled(name, value, asker) : null);

export const WEBHOOK_ENDPOINT_CREATE = paramSpec<Stripe.WebhookEndpointCreateParams>({
  enabled_events: MODELLED, url: MODELLED, api_version: MODELLED, connect: connectEndpoint, description: MODELLED, expand: MODELLED, metadata: MODELLED,
});

export const WEBHOOK_ENDPOINT_UPDATE = paramSpec<Stripe.WebhookEndpointUpdateParams>({
  description: MODELLED, disabled: MODELLED, enabled_events: MODELLED, expand: MODELLED, metadata: MODELLED, url: MODELLED,
});

export const WEBHOOK_ENDPOINT_LIST = paramSpec<Stripe.WebhookEndpointListParams>({
  expand: MODELLED, ending_before: MODELLED, limit: MODELLED, starting_after: MODELLED,
});
