/**
 * PaymentIntents and their state machine, as Stripe documents it:
 * requires_payment_method -(payment method)-> requires_confirmation -(confirm)-> succeeded
 *   | requires_action (3D Secure) -(authenticate)-> succeeded | requires_payment_method
 *   | requires_payment_method with last_payment_error (decline);
 * canceled from any state before succeeded, and automatically after too many failed attempts.
 */
import type Stripe from 'stripe';
import { testCardFor, type Decline, type Outcome } from './cards.ts';
import { StripeApiError, invalid, missing, notFound, unexpectedState } from './errors.ts';
import { booleanParam, metadataParam, obj, str, strings, type FormObject } from './http/form.ts';
import { chargeObject, paymentIntentObject } from './objects.ts';
import { createCardPaymentMethod, resolvePaymentMethod } from './payment-methods.ts';
import type { EmulatorState } from './state.ts';

/**
 * After this many failed attempts (declines or failed 3D Secure) an intent is canceled with
 * cancellation_reason 'automatic', so a card-testing loop can't go on forever against one intent.
 */
export const MAX_FAILED_ATTEMPTS = 10;
const CONFIRMABLE = new Set<string>(['requires_payment_method', 'requires_confirmation', 'requires_action']);
const UPDATABLE = CONFIRMABLE;
const CANCELABLE = new Set<string>(['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture', 'processing']);
const CANCELLATION_REASONS = new Set<string>(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']);
const MIN_AMOUNT = 50;
const MAX_AMOUNT = 99_999_999;

function amountParam(form: FormObject): number | undefined {
  const raw = str(form.amount);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw invalid('amount', `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  const amount = Number(raw);
  if (amount < MIN_AMOUNT) throw invalid('amount', `Amount must be at least ${MIN_AMOUNT} in the currency's smallest unit.`, 'amount_too_small');
  if (amount > MAX_AMOUNT) throw invalid('amount', `Amount must be no more than ${MAX_AMOUNT} in the currency's smallest unit.`, 'amount_too_large');
  return amount;
}

function customerParam(state: EmulatorState, form: FormObject): string | null | undefined {
  const id = str(form.customer);
  if (id === undefined || id === '') return id === '' ? null : undefined;
  if (!state.customers.has(id)) throw notFound('customer', id, 'customer');
  return id;
}

export function getIntent(state: EmulatorState, id: string): Stripe.PaymentIntent {
  const intent = state.paymentIntents.get(id);
  if (!intent) throw notFound('payment_intent', id, 'intent');
  return intent;
}

function extrasOf(state: EmulatorState, intent: Stripe.PaymentIntent) {
  return state.intentExtras.get(intent.id)!;
}

export function createIntent(state: EmulatorState, form: FormObject): Stripe.PaymentIntent {
  const amount = amountParam(form);
  if (amount === undefined) throw missing('amount');
  const currency = str(form.currency)?.toLowerCase();
  if (!currency) throw missing('currency');
  if (!/^[a-z]{3}$/.test(currency)) throw invalid('currency', `Invalid currency: ${currency}.`);
  const intent = paymentIntentObject({
    created: state.now(), amount, currency, customer: customerParam(state, form) ?? null,
    description: str(form.description) || null, metadata: metadataParam(form), receiptEmail: str(form.receipt_email) || null,
    automaticPaymentMethods: booleanParam(obj(form.automatic_payment_methods) ?? {}, 'enabled') ?? false,
    paymentMethodTypes: strings(form.payment_method_types) ?? ['card'],
  });
  const pmId = str(form.payment_method);
  if (pmId) Object.assign(intent, { payment_method: resolvePaymentMethod(state, pmId).id, status: 'requires_confirmation' });
  state.paymentIntents.set(intent.id, intent);
  state.intentExtras.set(intent.id, { pendingOutcome: null, failedAttempts: 0 });
  state.emit('payment_intent.created', intent);
  if (booleanParam(form, 'confirm')) {
    // The method was resolved above (a `pm_card_*` token makes a new one): confirm with that one.
    const { payment_method: _resolved, ...confirmParams } = form;
    return confirmIntent(state, intent.id, confirmParams);
  }
  return intent;
}

export function updateIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (!UPDATABLE.has(intent.status)) throw unexpectedState(intent, 'update');
  const amount = amountParam(form);
  const customer = customerParam(state, form);
  const pmId = str(form.payment_method);
  const pm = pmId ? resolvePaymentMethod(state, pmId) : undefined;
  const metadata = metadataParam(form, intent.metadata);
  const amountChanged = amount !== undefined && amount !== intent.amount;
  if (amount !== undefined) intent.amount = amount;
  if (customer !== undefined) intent.customer = customer;
  if (str(form.receipt_email) !== undefined) intent.receipt_email = str(form.receipt_email) || null;
  if (str(form.description) !== undefined) intent.description = str(form.description) || null;
  intent.metadata = metadata;
  // Stripe: last_payment_error "will be cleared if the PaymentIntent is later updated for any reason".
  intent.last_payment_error = null;
  if (pm) intent.payment_method = pm.id;
  // A new amount or card voids a half-done authentication: the shopper confirms again.
  if ((amountChanged || pm) && intent.payment_method) {
    Object.assign(intent, { status: 'requires_confirmation', next_action: null });
    extrasOf(state, intent).pendingOutcome = null;
  }
  return intent;
}

/** Confirms with the given (or attached) payment method; a decline throws the 402 Stripe answers with. */
export function confirmIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (!CONFIRMABLE.has(intent.status)) throw unexpectedState(intent, 'confirm');
  const pmData = obj(form.payment_method_data);
  const pm = str(form.payment_method)
    ? resolvePaymentMethod(state, str(form.payment_method)!)
    : pmData
      ? createCardPaymentMethod(state, pmData)
      : typeof intent.payment_method === 'string' ? state.paymentMethods.get(intent.payment_method) : undefined;
  if (!pm) {
    throw new StripeApiError(400, 'invalid_request_error',
      "You cannot confirm this PaymentIntent because it's missing a payment method. Update it with a payment method and confirm again, or confirm with `payment_method`.",
      { code: 'payment_intent_unexpected_state', payment_intent: structuredClone(intent) });
  }
  if (str(form.receipt_email)) intent.receipt_email = str(form.receipt_email)!;
  Object.assign(intent, { payment_method: pm.id, last_payment_error: null, next_action: null });
  const decline = applyOutcome(state, intent, pm, testCardFor(state.cardNumbers.get(pm.id) ?? '').outcome, false);
  if (decline) {
    throw new StripeApiError(402, 'card_error', decline.message, {
      code: decline.code, decline_code: decline.decline_code, charge: intent.latest_charge,
      payment_intent: structuredClone(intent), payment_method: structuredClone(pm),
    });
  }
  return intent;
}

/** Moves the intent on by the card's outcome; returns the decline, if any, for the caller to report. */
function applyOutcome(state: EmulatorState, intent: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, outcome: Outcome, authenticated: boolean): Decline | null {
  const extras = extrasOf(state, intent);
  extras.pendingOutcome = null;
  if (outcome.kind === 'authenticate') {
    extras.pendingOutcome = outcome.then;
    Object.assign(intent, {
      status: 'requires_action',
      // Opaque to merchants, as on Stripe; the stand-in's modal answers via emulator_authenticate.
      next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `/v1/payment_intents/${intent.id}/emulator_authenticate`, source: pm.id } },
    });
    state.emit('payment_intent.requires_action', intent);
    return null;
  }
  const failure = outcome.kind === 'decline' ? outcome.decline : null;
  const charge = chargeObject({ created: state.now(), intent, paymentMethod: pm, failure, authenticated });
  state.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  if (!failure) {
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    state.emit('charge.succeeded', charge);
    state.emit('payment_intent.succeeded', intent);
    return null;
  }
  state.emit('charge.failed', charge);
  failAttempt(state, intent, {
    type: 'card_error', code: failure.code, decline_code: failure.decline_code, message: failure.message, charge: charge.id,
    doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`, payment_method: structuredClone(pm),
  });
  return failure;
}

/** Back to requires_payment_method with the reason, or canceled once attempts run out. */
function failAttempt(state: EmulatorState, intent: Stripe.PaymentIntent, error: Stripe.PaymentIntent.LastPaymentError): void {
  Object.assign(intent, { status: 'requires_payment_method', payment_method: null, next_action: null, last_payment_error: error });
  state.emit('payment_intent.payment_failed', intent);
  const extras = extrasOf(state, intent);
  extras.failedAttempts++;
  if (extras.failedAttempts >= MAX_FAILED_ATTEMPTS) cancel(state, intent, 'automatic');
}

/**
 * The shopper's answer to the 3D Secure challenge. Never throws a card error: a decline after
 * authentication is reported on the intent's last_payment_error, as Stripe.js reads it.
 */
export function authenticateIntent(state: EmulatorState, id: string, result: 'complete' | 'fail'): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  const pending = extrasOf(state, intent).pendingOutcome;
  if (intent.status !== 'requires_action' || !pending) throw unexpectedState(intent, 'authenticate');
  const pm = state.paymentMethods.get(intent.payment_method as string)!;
  if (result === 'complete') {
    applyOutcome(state, intent, pm, pending, true);
    return intent;
  }
  extrasOf(state, intent).pendingOutcome = null;
  failAttempt(state, intent, {
    type: 'invalid_request_error', code: 'payment_intent_authentication_failure',
    message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure', payment_method: structuredClone(pm),
  });
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

function cancel(state: EmulatorState, intent: Stripe.PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason | null): Stripe.PaymentIntent {
  Object.assign(intent, { status: 'canceled', canceled_at: state.now(), cancellation_reason: reason, next_action: null });
  extrasOf(state, intent).pendingOutcome = null;
  state.emit('payment_intent.canceled', intent);
  return intent;
}

/** Newest first, optionally one customer's. */
export function listIntents(state: EmulatorState, form: FormObject): Stripe.PaymentIntent[] {
  const customer = str(form.customer);
  return [...state.paymentIntents.values()].filter((pi) => !customer || pi.customer === customer).reverse();
}

const EXPANDABLE = { latest_charge: 'charges', payment_method: 'paymentMethods', customer: 'customers' } as const;

/** `expand[]=latest_charge|payment_method|customer`, the expansions a checkout reads. */
export function expandIntent(state: EmulatorState, intent: Stripe.PaymentIntent, expand: string[]): Stripe.PaymentIntent {
  if (expand.length === 0) return intent;
  const out = structuredClone(intent);
  for (const field of expand) {
    if (!Object.hasOwn(EXPANDABLE, field)) throw invalid('expand', `This property cannot be expanded (${field}).`);
    const key = field as keyof typeof EXPANDABLE;
    const id = out[key];
    if (typeof id === 'string') (out as unknown as Record<string, unknown>)[key] = state[EXPANDABLE[key]].get(id) ?? id;
  }
  return out;
}
