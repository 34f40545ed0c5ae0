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

export function customerObject(p: {
  created: number; email: string | null; name: string | null; description: string | null; phone: string | null; metadata: Record<string, string>;
  address: Stripe.Address | null; shipping: Stripe.Customer.Shipping | null;
}): Stripe.Customer {
  return {
    id: newId('cus'), object: 'customer', address: p.address, balance: 0, created: p.created, currency: null, customer_account: null,
    default_source: null, delinquent: false, description: p.description, discount: null, email: p.email,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false, metadata: p.metadata, name: p.name, next_invoice_sequence: 1, phone: p.phone,
    preferred_locales: [], shipping: p.shipping, tax_exempt: 'none', test_clock: null,
  };
}

export function cardPaymentMethodObject(p: {
  created: number; number: string; card: TestCard; expMonth: number; expYear: number;
  billingDetails: Stripe.PaymentMethod.BillingDetails; metadata: Record<string, string>;
}): Stripe.PaymentMethod {
  return {
    id: newId('pm'), object: 'payment_method', allow_redisplay: 'unspecified', billing_details: p.billingDetails,
    card: {
      brand: p.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: p.billingDetails.address?.postal_code ? 'pass' : null, cvc_check: 'pass' },
      country: 'US', display_brand: p.card.brand, exp_month: p.expMonth, exp_year: p.expYear,
      // Same number, same fingerprint, as on Stripe; hashed so the number can't be read back.
      fingerprint: fingerprintOf(p.number), funding: p.card.funding, generated_from: null, last4: p.number.slice(-4),
      networks: { available: [p.card.brand], preferred: null }, regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true }, wallet: null,
    },
    created: p.created, customer: null, customer_account: null, livemode: false, metadata: p.metadata, type: 'card',
  };
}

/** The redirect-based method: what the shopper authorizes on the (test) page they are sent to. */
export function redirectPaymentMethodObject(p: {
  created: number; type: 'paypal'; billingDetails: Stripe.PaymentMethod.BillingDetails; metadata: Record<string, string>;
}): Stripe.PaymentMethod {
  return {
    id: newId('pm'), object: 'payment_method', allow_redisplay: 'unspecified', billing_details: p.billingDetails,
    created: p.created, customer: null, customer_account: null, livemode: false, metadata: p.metadata, type: p.type,
    paypal: { country: null, payer_email: p.billingDetails.email, payer_id: null },
  };
}

/** Link: the shopper's Link account (its email) pays; which card or bank funds it stays Link's. */
export function linkPaymentMethodObject(p: { created: number; billingDetails: Stripe.PaymentMethod.BillingDetails; metadata: Record<string, string> }): Stripe.PaymentMethod {
  return {
    id: newId('pm'), object: 'payment_method', allow_redisplay: 'unspecified', billing_details: p.billingDetails,
    created: p.created, customer: null, customer_account: null, livemode: false, metadata: p.metadata, type: 'link',
    link: { email: p.billingDetails.email },
  };
}

function fingerprintOf(number: string): string {
  return createHash('sha256').update(`card:${number}`).digest('base64url').replace(/[-_]/g, '').slice(0, 16);
}

export interface IntentSettings {
  amount: number; currency: string; customer: string | null; description: string | null; metadata: Record<string, string>;
  receiptEmail: string | null; automaticPaymentMethods: Stripe.PaymentIntent.AutomaticPaymentMethods | null; paymentMethodTypes: string[];
  captureMethod: CaptureMode; shipping: Stripe.PaymentIntent.Shipping | null; setupFutureUsage: Stripe.PaymentIntent.SetupFutureUsage | null;
  statementDescriptorSuffix: string | null;
}

export function paymentIntentObject(created: number, p: IntentSettings): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id, object: 'payment_intent', allowed_payment_method_types: null, amount: p.amount, amount_capturable: 0,
    amount_details: { tip: {} }, amount_received: 0, application: null, application_fee_amount: null,
    automatic_payment_methods: p.automaticPaymentMethods, canceled_at: null, cancellation_reason: null, capture_method: p.captureMethod,
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: 'automatic', created, currency: p.currency, customer: p.customer, customer_account: null,
    description: p.description, excluded_payment_method_types: null, last_payment_error: null, latest_charge: null,
    livemode: false, managed_payments: null, metadata: p.metadata, next_action: null, on_behalf_of: null,
    payment_method: null, payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: p.paymentMethodTypes, payment_record: null, processing: null, receipt_email: p.receiptEmail,
    review: null, setup_future_usage: p.setupFutureUsage, shipping: p.shipping, source: null, statement_descriptor: null,
    statement_descriptor_suffix: p.statementDescriptorSuffix, status: 'requires_payment_method', transfer_data: null, transfer_group: null,
  };
}

/** How a charge's money moves: at once (`automatic`), in the background (`automatic_async`), or on capture (`manual`). */
export type CaptureMode = 'automatic' | 'automatic_async' | 'manual';

/**
 * A charge for one attempt. A successful one is captured at once (`automatic`: with its balance
 * transaction), captured with `balance_transaction: null` until `charge.updated` says otherwise
 * (`automatic_async`, Stripe's default: https://docs.stripe.com/payments/payment-intents/asynchronous-capture),
 * or only authorized (`manual`). `refunds` is not embedded (API version 2022-11-15 on); `expand[]=refunds` lists them.
 */
export function chargeObject(p: {
  created: number; intent: Stripe.PaymentIntent; paymentMethod: Stripe.PaymentMethod; failure: Decline | null; authenticated: boolean;
  capture: CaptureMode; pending?: boolean;
}): Stripe.Charge {
  const { intent, paymentMethod: pm, failure } = p;
  const id = newId('ch');
  const succeeded = !failure && !p.pending;
  const captured = !failure && p.capture !== 'manual';
  return {
    id, object: 'charge', amount: intent.amount, amount_captured: captured ? intent.amount : 0, amount_refunded: 0,
    application: null, application_fee: null, application_fee_amount: null,
    balance_transaction: captured && p.capture === 'automatic' && !p.pending ? newId('txn') : null,
    billing_details: structuredClone(pm.billing_details) as Stripe.Charge.BillingDetails,
    calculated_statement_descriptor: `EMULATED CHECKOUT${intent.statement_descriptor_suffix ? `* ${intent.statement_descriptor_suffix}` : ''}`.slice(0, 22),
    captured, created: p.created, currency: intent.currency,
    customer: typeof intent.customer === 'string' ? intent.customer : null, description: intent.description, disputed: false,
    failure_balance_transaction: null, failure_code: failure?.code ?? null, failure_message: failure?.message ?? null,
    fraud_details: {}, livemode: false, metadata: { ...intent.metadata }, on_behalf_of: null,
    outcome: outcomeOf(failure, p.pending ?? false),
    paid: succeeded, payment_intent: intent.id, payment_method: pm.id,
    payment_method_details: paymentMethodDetails(pm, intent, failure, p.authenticated),
    receipt_email: intent.receipt_email, receipt_number: null,
    receipt_url: succeeded ? `https://pay.stripe.com/receipts/payment/emulated_${id}` : null, refunded: false,
    review: null, shipping: structuredClone(intent.shipping), source: null, source_transfer: null, statement_descriptor: null,
    statement_descriptor_suffix: intent.statement_descriptor_suffix, status: failure ? 'failed' : p.pending ? 'pending' : 'succeeded',
    transfer_data: null, transfer_group: null,
  };
}

function outcomeOf(failure: Decline | null, pending: boolean): Stripe.Charge.Outcome {
  const base = { advice_code: null, network_advice_code: null, network_decline_code: null, risk_level: 'normal', risk_score: 20 } as const;
  if (failure?.blocked) {
    return { ...base, network_status: 'not_sent_to_network', reason: 'highest_risk_level', risk_level: 'highest', risk_score: 95, seller_message: 'Stripe blocked this payment as too risky.', type: 'blocked' };
  }
  if (failure) {
    return {
      ...base, advice_code: failure.advice_code ?? null, network_status: 'declined_by_network', reason: failure.decline_code,
      seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined',
    };
  }
  return { ...base, network_status: 'approved_by_network', reason: null, seller_message: pending ? 'The payment is pending.' : 'Payment complete.', type: 'authorized' };
}

function paymentMethodDetails(pm: Stripe.PaymentMethod, intent: Stripe.PaymentIntent, failure: Decline | null, authenticated: boolean): Stripe.Charge.PaymentMethodDetails {
  // The funding source's country: the emulated Link accounts pay with US test cards.
  if (pm.type === 'link') return { type: 'link', link: { country: 'US' } };
  if (pm.type === 'paypal') {
    return {
      type: 'paypal',
      paypal: { country: null, payer_email: pm.billing_details.email, payer_id: null, payer_name: pm.billing_details.name, seller_protection: null, transaction_id: null },
    };
  }
  const card = pm.card!;
  return {
    type: 'card',
    card: {
      amount_authorized: failure ? null : intent.amount, authorization_code: failure ? null : randomToken(6).toUpperCase(),
      brand: card.brand, checks: card.checks, country: card.country, electronic_commerce_indicator: null, exp_month: card.exp_month, exp_year: card.exp_year,
      fingerprint: card.fingerprint, funding: card.funding, installments: null, last4: card.last4, mandate: null,
      network: card.brand, network_transaction_id: null, regulated_status: 'unregulated',
      transaction_link_id: null,
      three_d_secure: authenticated
        ? { authentication_flow: 'challenge', electronic_commerce_indicator: '05', exemption_indicator: null, result: 'authenticated', result_reason: null, transaction_id: null, version: '2.2.0' }
        : null,
      wallet: null,
    },
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

const EVIDENCE_FIELDS = [
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure', 'cancellation_rebuttal',
  'customer_communication', 'customer_email_address', 'customer_name', 'customer_purchase_ip', 'customer_signature',
  'duplicate_charge_documentation', 'duplicate_charge_explanation', 'duplicate_charge_id', 'product_description', 'receipt',
  'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date', 'service_documentation',
  'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_documentation', 'shipping_tracking_number',
  'uncategorized_file', 'uncategorized_text',
] as const;

/** A dispute opened by the cardholder, waiting for the merchant's evidence (https://docs.stripe.com/disputes). */
export function disputeObject(p: { created: number; charge: Stripe.Charge; reason: string; respondBy: number }): Stripe.Dispute {
  const evidence = Object.fromEntries(EVIDENCE_FIELDS.map((field) => [field, null])) as Record<(typeof EVIDENCE_FIELDS)[number], null>;
  const dispute: Stripe.Dispute = {
    id: newId('dp'), object: 'dispute', amount: p.charge.amount, balance_transactions: [], charge: p.charge.id, created: p.created,
    currency: p.charge.currency, enhanced_eligibility_types: [],
    evidence: { ...evidence, enhanced_evidence: {} },
    evidence_details: { due_by: p.respondBy, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: 'not_submitted' },
    intended_submission_method: null, is_charge_refundable: false, livemode: false, metadata: {},
    payment_intent: typeof p.charge.payment_intent === 'string' ? p.charge.payment_intent : null, reason: p.reason, status: 'needs_response',
  };
  return dispute;
}
