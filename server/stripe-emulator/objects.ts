/**
 * Builders for the objects the emulator returns. Each carries every top-level field of Stripe's own
 * example object (checked against test/fixtures/stripe by the shape test) and is typed as the
 * SDK's type without casts, so a field the SDK requires can't go missing unnoticed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import type { Decline, TestCard } from './cards.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 from 6 random bits per character (62/64 of values kept), so nothing is guessable. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      const v = byte & 63;
      if (v < 62 && out.length < length) out += BASE62[v];
    }
  }
  return out;
}

/** Stripe-looking ids (`pi_`, `ch_`, ...) with 24 random base62 characters: ~142 bits. */
export const newId = (prefix: string): string => `${prefix}_${randomToken(24)}`;

const nullAddress = (): Stripe.Address => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

export function customerObject(p: {
  created: number; email: string | null; name: string | null; description: string | null; phone: string | null; metadata: Record<string, string>;
}): Stripe.Customer {
  return {
    id: newId('cus'), object: 'customer', address: null, balance: 0, created: p.created, currency: null, customer_account: null,
    default_source: null, delinquent: false, description: p.description, discount: null, email: p.email,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false, metadata: p.metadata, name: p.name, next_invoice_sequence: 1, phone: p.phone,
    preferred_locales: [], shipping: null, tax_exempt: 'none', test_clock: null,
  };
}

export function cardPaymentMethodObject(p: {
  created: number; number: string; card: TestCard; expMonth: number; expYear: number; postalCode: string | null;
}): Stripe.PaymentMethod {
  return {
    id: newId('pm'), object: 'payment_method', allow_redisplay: 'unspecified',
    billing_details: { address: { ...nullAddress(), postal_code: p.postalCode }, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: p.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: p.postalCode ? 'pass' : null, cvc_check: 'pass' },
      country: 'US', display_brand: p.card.brand, exp_month: p.expMonth, exp_year: p.expYear,
      // Same number, same fingerprint, as on Stripe; hashed so the number can't be read back.
      fingerprint: fingerprintOf(p.number), funding: p.card.funding, generated_from: null, last4: p.number.slice(-4),
      networks: { available: [p.card.brand], preferred: null }, regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true }, wallet: null,
    },
    created: p.created, customer: null, customer_account: null, livemode: false, metadata: {}, type: 'card',
  };
}

function fingerprintOf(number: string): string {
  return createHash('sha256').update(`card:${number}`).digest('base64url').replace(/[-_]/g, '').slice(0, 16);
}

export function paymentIntentObject(p: {
  created: number; amount: number; currency: string; customer: string | null; description: string | null;
  metadata: Record<string, string>; receiptEmail: string | null; automaticPaymentMethods: boolean; paymentMethodTypes: string[];
}): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id, object: 'payment_intent', allowed_payment_method_types: null, amount: p.amount, amount_capturable: 0,
    amount_details: { tip: {} }, amount_received: 0, application: null, application_fee_amount: null,
    automatic_payment_methods: p.automaticPaymentMethods ? { allow_redirects: 'always', enabled: true } : null,
    canceled_at: null, cancellation_reason: null, capture_method: 'automatic_async',
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: 'automatic', created: p.created, currency: p.currency, customer: p.customer, customer_account: null,
    description: p.description, excluded_payment_method_types: null, last_payment_error: null, latest_charge: null,
    livemode: false, managed_payments: null, metadata: p.metadata, next_action: null, on_behalf_of: null,
    payment_method: null, payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: p.paymentMethodTypes, payment_record: null, processing: null, receipt_email: p.receiptEmail,
    review: null, setup_future_usage: null, shipping: null, source: null, statement_descriptor: null,
    statement_descriptor_suffix: null, status: 'requires_payment_method', transfer_data: null, transfer_group: null,
  };
}

export function chargeObject(p: {
  created: number; intent: Stripe.PaymentIntent; paymentMethod: Stripe.PaymentMethod; failure: Decline | null; authenticated: boolean;
}): Stripe.Charge {
  const { intent, paymentMethod: pm, failure } = p;
  const card = pm.card!;
  const id = newId('ch');
  return {
    id, object: 'charge', amount: intent.amount, amount_captured: failure ? 0 : intent.amount, amount_refunded: 0,
    application: null, application_fee: null, application_fee_amount: null,
    balance_transaction: failure ? null : newId('txn'),
    billing_details: structuredClone(pm.billing_details) as Stripe.Charge.BillingDetails,
    calculated_statement_descriptor: 'EMULATED CHECKOUT', captured: !failure, created: p.created, currency: intent.currency,
    customer: typeof intent.customer === 'string' ? intent.customer : null, description: intent.description, disputed: false,
    failure_balance_transaction: null, failure_code: failure?.code ?? null, failure_message: failure?.message ?? null,
    fraud_details: {}, livemode: false, metadata: { ...intent.metadata }, on_behalf_of: null,
    outcome: failure
      ? {
          advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network',
          reason: failure.decline_code, risk_level: 'normal', risk_score: 20,
          seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined',
        }
      : {
          advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network',
          reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized',
        },
    paid: !failure, payment_intent: intent.id, payment_method: pm.id,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: failure ? null : intent.amount, authorization_code: failure ? null : randomToken(6).toUpperCase(),
        brand: card.brand, checks: card.checks, country: card.country, electronic_commerce_indicator: null, exp_month: card.exp_month, exp_year: card.exp_year,
        fingerprint: card.fingerprint, funding: card.funding, installments: null, last4: card.last4, mandate: null,
        network: card.brand, network_transaction_id: null, regulated_status: 'unregulated',
        transaction_link_id: null,
        three_d_secure: p.authenticated
          ? { authentication_flow: 'challenge', electronic_commerce_indicator: '05', exemption_indicator: null, result: 'authenticated', result_reason: null, transaction_id: null, version: '2.2.0' }
          : null,
        wallet: null,
      },
    },
    receipt_email: intent.receipt_email, receipt_number: null,
    receipt_url: failure ? null : `https://pay.stripe.com/receipts/payment/emulated_${id}`, refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null, shipping: null, source: null, source_transfer: null, statement_descriptor: null,
    statement_descriptor_suffix: null, status: failure ? 'failed' : 'succeeded', transfer_data: null, transfer_group: null,
  };
}

export function refundObject(p: {
  created: number; charge: Stripe.Charge; amount: number; reason: Stripe.Refund.Reason | null; metadata: Record<string, string>;
}): Stripe.Refund {
  return {
    id: newId('re'), object: 'refund', amount: p.amount, balance_transaction: newId('txn'), charge: p.charge.id,
    created: p.created, currency: p.charge.currency, customer: p.charge.customer, customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: p.metadata, payment_intent: p.charge.payment_intent, payment_method: p.charge.payment_method, reason: p.reason,
    receipt_number: null, source_transfer_reversal: null, status: 'succeeded', transfer_reversal: null,
  };
}
