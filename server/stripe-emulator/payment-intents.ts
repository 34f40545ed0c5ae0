/**
 * PaymentIntents: creating, updating, listing and canceling them, and capturing a manual one
 * (https://docs.stripe.com/api/payment_intents). Confirming, and what happens after, is in
 * ./confirm.ts. Defaults are the API version the emulated account is on: automatic payment methods
 * and asynchronous capture.
 */
import type Stripe from 'stripe';
import { shippingParam } from './addresses.ts';
import { chargeableAmount, currencyParam } from './currencies.ts';
import { StripeApiError, invalid, missing, notFound, unexpectedState } from './errors.ts';
import { booleanParam, metadataParam, obj, str, strings, type FormObject } from './http/form.ts';
import { newId, paymentIntentObject, refundObject, type CaptureMode } from './objects.ts';
import { resolvePaymentMethod } from './payment-methods.ts';
import type { EmulatorState } from './state.ts';

/**
 * After this many failed attempts (declines or failed 3D Secure) an intent is canceled with
 * cancellation_reason 'automatic', so a card-testing loop can't go on forever against one intent.
 */
export const MAX_FAILED_ATTEMPTS = 10;
export const UPDATABLE = new Set<string>(['requires_payment_method', 'requires_confirmation', 'requires_action']);
const CANCELABLE = new Set<string>(['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture', 'processing']);
const CANCELLATION_REASONS = new Set<string>(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']);
const CAPTURE_METHODS = new Set<string>(['automatic', 'automatic_async', 'manual']);
const SETUP_FUTURE_USAGE = new Set<string>(['on_session', 'off_session']);
/** PayPal's presentment currencies on Stripe (https://docs.stripe.com/payments/paypal). */
const REDIRECT_METHOD_CURRENCIES = new Set(['aud', 'cad', 'chf', 'czk', 'dkk', 'eur', 'gbp', 'hkd', 'nok', 'nzd', 'pln', 'sek', 'sgd', 'usd']);
const MIN_AMOUNT = 50;
const MAX_AMOUNT = 99_999_999;
/** "The statement descriptor suffix ... must be at most 22 characters" with the prefix (https://docs.stripe.com/get-started/account/statement-descriptors). */
const MAX_SUFFIX = 22;

function amountParam(form: FormObject, param = 'amount'): number | undefined {
  const raw = str(form[param]);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw invalid(param, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  const amount = Number(raw);
  if (amount < MIN_AMOUNT) throw invalid(param, `Amount must be at least ${MIN_AMOUNT} in the currency's smallest unit.`, 'amount_too_small');
  if (amount > MAX_AMOUNT) throw invalid(param, `Amount must be no more than ${MAX_AMOUNT} in the currency's smallest unit.`, 'amount_too_large');
  return amount;
}

function customerParam(state: EmulatorState, form: FormObject): string | null | undefined {
  const id = str(form.customer);
  if (id === undefined || id === '') return id === '' ? null : undefined;
  if (!state.customers.has(id)) throw notFound('customer', id, 'customer');
  return id;
}

function oneOf<T extends string>(form: FormObject, param: string, allowed: ReadonlySet<string>): T | null | undefined {
  const raw = str(form[param]);
  if (raw === undefined || raw === '') return raw === '' ? null : undefined;
  if (!allowed.has(raw)) throw invalid(param, `Invalid ${param}: must be one of ${[...allowed].join(', ')}`);
  return raw as T;
}

function suffixParam(form: FormObject): string | null | undefined {
  const raw = str(form.statement_descriptor_suffix);
  if (raw === undefined || raw === '') return raw === '' ? null : undefined;
  if (raw.length > MAX_SUFFIX || /[<>\\'"*]/.test(raw) || !/[A-Za-z]/.test(raw)) {
    throw invalid('statement_descriptor_suffix', `The statement descriptor suffix must be at most ${MAX_SUFFIX} characters, contain a letter, and none of < > \\ ' " *.`);
  }
  return raw;
}

/** Settings shared by create and update: what each reads when given. */
function commonSettings(state: EmulatorState, form: FormObject) {
  return {
    customer: customerParam(state, form), shipping: shippingParam(form.shipping),
    setupFutureUsage: oneOf<Stripe.PaymentIntent.SetupFutureUsage>(form, 'setup_future_usage', SETUP_FUTURE_USAGE),
    captureMethod: oneOf<CaptureMode>(form, 'capture_method', CAPTURE_METHODS), statementDescriptorSuffix: suffixParam(form),
    receiptEmail: str(form.receipt_email), description: str(form.description),
  };
}

/**
 * Automatic payment methods are on unless `payment_method_types` is given (allowed before API
 * version 2026-09-30, ./specs/payment-intents.ts), and never together with it.
 */
function paymentMethodChoice(form: FormObject, currency: string): { automatic: Stripe.PaymentIntent.AutomaticPaymentMethods | null; types: string[] } {
  const types = strings(form.payment_method_types);
  const apm = form.automatic_payment_methods === undefined ? undefined : obj(form.automatic_payment_methods);
  if (form.automatic_payment_methods !== undefined && !apm) throw invalid('automatic_payment_methods', 'Invalid object');
  if (apm && types) {
    throw new StripeApiError(400, 'invalid_request_error', 'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.',
      { code: 'parameters_exclusive', param: 'automatic_payment_methods' });
  }
  if (types) return { automatic: null, types };
  const enabled = apm ? booleanParam(apm, 'enabled') : true;
  if (enabled === undefined) throw missing('automatic_payment_methods[enabled]');
  if (!enabled) throw invalid('automatic_payment_methods[enabled]', 'automatic_payment_methods[enabled] must be true: the emulated account offers its payment methods through automatic payment methods only.');
  const allowRedirects = apm ? oneOf<'always' | 'never'>(apm, 'allow_redirects', new Set(['always', 'never'])) : undefined;
  return {
    automatic: { enabled: true, ...(allowRedirects ? { allow_redirects: allowRedirects } : {}) },
    // The emulated account has Link on under Wallets, so dynamic payment methods offer it
    // (https://docs.stripe.com/payments/link/link-payment-integrations).
    types: allowRedirects !== 'never' && REDIRECT_METHOD_CURRENCIES.has(currency) ? ['card', 'link', 'paypal'] : ['card', 'link'],
  };
}

export function getIntent(state: EmulatorState, id: string): Stripe.PaymentIntent {
  const intent = state.paymentIntents.get(id);
  if (!intent) throw notFound('payment_intent', id, 'intent');
  return intent;
}

/** Creates the intent; with `confirm=true` the caller confirms it (./confirm.ts) with the same form. */
export function createIntent(state: EmulatorState, form: FormObject): Stripe.PaymentIntent {
  const amount = amountParam(form);
  if (amount === undefined) throw missing('amount');
  const rawCurrency = str(form.currency);
  if (!rawCurrency) throw missing('currency');
  const currency = currencyParam(rawCurrency);
  chargeableAmount(currency, amount);
  const choice = paymentMethodChoice(form, currency);
  const common = commonSettings(state, form);
  const intent = paymentIntentObject(state.now(), {
    amount, currency, customer: common.customer ?? null, description: common.description || null, metadata: metadataParam(form),
    receiptEmail: common.receiptEmail || null, automaticPaymentMethods: choice.automatic, paymentMethodTypes: choice.types,
    captureMethod: common.captureMethod ?? 'automatic_async', shipping: common.shipping ?? null, setupFutureUsage: common.setupFutureUsage ?? null,
    statementDescriptorSuffix: common.statementDescriptorSuffix ?? null,
  });
  const pmId = str(form.payment_method);
  if (pmId) Object.assign(intent, { payment_method: resolvePaymentMethod(state, pmId).id, status: 'requires_confirmation' });
  state.paymentIntents.set(intent.id, intent);
  state.intentExtras.set(intent.id, { pendingOutcome: null, failedAttempts: 0, redirect: null });
  state.emit('payment_intent.created', intent);
  return intent;
}

export function updateIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (!UPDATABLE.has(intent.status)) throw unexpectedState(intent, 'update');
  const amount = amountParam(form);
  const currency = str(form.currency) ? currencyParam(str(form.currency)!) : undefined;
  const common = commonSettings(state, form);
  const pmId = str(form.payment_method);
  const pm = pmId ? resolvePaymentMethod(state, pmId) : undefined;
  const metadata = metadataParam(form, intent.metadata);
  if (amount !== undefined || currency !== undefined) chargeableAmount(currency ?? intent.currency, amount ?? intent.amount);
  const amountChanged = (amount !== undefined && amount !== intent.amount) || (currency !== undefined && currency !== intent.currency);
  if (amount !== undefined) intent.amount = amount;
  if (currency !== undefined) intent.currency = currency;
  if (common.customer !== undefined) intent.customer = common.customer;
  if (common.receiptEmail !== undefined) intent.receipt_email = common.receiptEmail || null;
  if (common.description !== undefined) intent.description = common.description || null;
  if (common.shipping !== undefined) intent.shipping = common.shipping;
  if (common.setupFutureUsage !== undefined) intent.setup_future_usage = common.setupFutureUsage;
  if (common.captureMethod !== undefined) intent.capture_method = common.captureMethod ?? 'automatic_async';
  if (common.statementDescriptorSuffix !== undefined) intent.statement_descriptor_suffix = common.statementDescriptorSuffix;
  intent.metadata = metadata;
  // Stripe: last_payment_error "will be cleared if the PaymentIntent is later updated for any reason".
  intent.last_payment_error = null;
  if (pm) intent.payment_method = pm.id;
  // A new amount or card voids a half-done authentication: the shopper confirms again.
  if ((amountChanged || pm) && intent.payment_method) {
    Object.assign(intent, { status: 'requires_confirmation', next_action: null });
    const extras = state.intentExtras.get(intent.id)!;
    extras.pendingOutcome = null;
    extras.redirect = null;
  }
  return intent;
}

export function cancelIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (!CANCELABLE.has(intent.status)) throw unexpectedState(intent, 'cancel');
  const reason = str(form.cancellation_reason) || null;
  if (reason !== null && !CANCELLATION_REASONS.has(reason)) {
    throw invalid('cancellation_reason', `Invalid cancellation_reason: must be one of ${[...CANCELLATION_REASONS].join(', ')}`);
  }
  return cancel(state, intent, reason as Stripe.PaymentIntent.CancellationReason | null);
}

/**
 * Canceled. An authorization not yet captured is released: "the remaining amount_capturable will
 * automatically be refunded" (https://docs.stripe.com/api/payment_intents/cancel).
 */
export function cancel(state: EmulatorState, intent: Stripe.PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | null): Stripe.PaymentIntent {
  if (intent.status === 'requires_capture' && typeof intent.latest_charge === 'string') {
    const charge = state.charges.get(intent.latest_charge)!;
    const refund = refundObject({ created: state.now(), charge, amount: intent.amount_capturable, reason: null, metadata: {} });
    state.refunds.set(refund.id, refund);
    Object.assign(charge, { amount_refunded: charge.amount, refunded: true });
    state.emit('refund.created', refund);
    state.emit('charge.refunded', charge);
  }
  Object.assign(intent, { status: 'canceled', canceled_at: state.now(), cancellation_reason: reason, next_action: null, amount_capturable: 0 });
  const extras = state.intentExtras.get(intent.id)!;
  extras.pendingOutcome = null;
  extras.redirect = null;
  state.emit('payment_intent.canceled', intent);
  return intent;
}

/**
 * Captures an authorized (`requires_capture`) intent, in full or in part: "any additional amount
 * is automatically refunded" (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method).
 */
export function captureIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (intent.status !== 'requires_capture' || typeof intent.latest_charge !== 'string') throw unexpectedState(intent, 'capture');
  const requested = str(form.amount_to_capture);
  if (requested !== undefined && !/^\d+$/.test(requested)) throw invalid('amount_to_capture', `Invalid integer: ${requested}`, 'parameter_invalid_integer');
  const amount = requested === undefined ? intent.amount_capturable : Number(requested);
  if (amount > intent.amount_capturable) {
    throw invalid('amount_to_capture', `The amount to capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`, 'amount_too_large');
  }
  if (amount < MIN_AMOUNT) throw invalid('amount_to_capture', `Amount must be at least ${MIN_AMOUNT} in the currency's smallest unit.`, 'amount_too_small');
  intent.metadata = metadataParam(form, intent.metadata);
  const charge = state.charges.get(intent.latest_charge)!;
  Object.assign(charge, { captured: true, amount_captured: amount, amount_refunded: charge.amount - amount, balance_transaction: newId('txn') });
  Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
  state.emit('charge.captured', charge);
  state.emit('payment_intent.succeeded', intent);
  return intent;
}

/** Newest first, optionally one customer's; the `created` filter and cursors are applied by listOf. */
export function listIntents(state: EmulatorState, form: FormObject): Stripe.PaymentIntent[] {
  const customer = str(form.customer);
  return [...state.paymentIntents.values()].filter((pi) => !customer || pi.customer === customer).reverse();
}
