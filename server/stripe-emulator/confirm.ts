/**
 * Confirming a PaymentIntent and everything after, as Stripe documents the lifecycle
 * (https://docs.stripe.com/payments/paymentintents/lifecycle):
 * - a card succeeds (captured at once, in the background, or authorized for a manual capture),
 *   asks for 3D Secure (`requires_action`, `use_stripe_sdk`), or is declined (402, back to
 *   `requires_payment_method` with `last_payment_error`);
 * - Link succeeds at once, as a card that needs nothing more does;
 * - the redirect method sends the shopper to a test page (`requires_action`, `redirect_to_url`),
 *   where they authorize (succeeded), authorize a payment that settles later (`processing`, then
 *   succeeded or failed) or fail it; Stripe sends them back to `return_url` with `redirect_status`.
 * With automatic payment methods that may redirect, a confirm needs a `return_url`, as on Stripe.
 */
import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import { testCardFor, type Decline, type Outcome } from './cards.ts';
import { StripeApiError, invalid, unexpectedState } from './errors.ts';
import { obj, str, type FormObject } from './http/form.ts';
import { chargeObject, disputeObject, newId, type CaptureMode } from './objects.ts';
import { MAX_FAILED_ATTEMPTS, cancel, getIntent } from './payment-intents.ts';
import { REDIRECT_METHOD_TYPES, createPaymentMethod, resolvePaymentMethod } from './payment-methods.ts';
import type { EmulatorState } from './state.ts';
import { shippingParam } from './addresses.ts';

const CONFIRMABLE = new Set<string>(['requires_payment_method', 'requires_confirmation', 'requires_action']);

/** Stripe's answer to a confirm without `return_url` when the intent may use redirect-based methods. */
export const RETURN_URL_REQUIRED = "A `return_url` must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

/** What the shopper chose on the redirect method's test page; `redirect_status` is what Stripe appends to `return_url`. */
export type RedirectResult = 'authorize' | 'settle_later' | 'fail_later' | 'fail';
export const REDIRECT_RESULTS: ReadonlySet<string> = new Set(['authorize', 'settle_later', 'fail_later', 'fail']);

const extrasOf = (state: EmulatorState, intent: Stripe.PaymentIntent) => state.intentExtras.get(intent.id)!;

function returnUrlParam(form: FormObject): string | undefined {
  const raw = str(form.return_url);
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // refused below
  }
  throw invalid('return_url', 'Not a valid URL', 'url_invalid');
}

/** Confirms with the given (or attached) payment method; a decline throws the 402 Stripe answers with. */
export function confirmIntent(state: EmulatorState, id: string, form: FormObject): Stripe.PaymentIntent {
  const intent = getIntent(state, id);
  if (!CONFIRMABLE.has(intent.status)) throw unexpectedState(intent, 'confirm');
  const returnUrl = returnUrlParam(form);
  const mayRedirect = intent.automatic_payment_methods?.enabled && intent.automatic_payment_methods.allow_redirects !== 'never';
  if (mayRedirect && !returnUrl) throw new StripeApiError(400, 'invalid_request_error', RETURN_URL_REQUIRED, { param: 'return_url' });
  const pmData = obj(form.payment_method_data);
  const pm = str(form.payment_method)
    ? resolvePaymentMethod(state, str(form.payment_method)!)
    : pmData
      ? createPaymentMethod(state, pmData, 'payment_method_data')
      : typeof intent.payment_method === 'string' ? state.paymentMethods.get(intent.payment_method) : undefined;
  if (!pm) {
    throw new StripeApiError(400, 'invalid_request_error',
      "You cannot confirm this PaymentIntent because it's missing a payment method. Update it with a payment method and confirm again, or confirm with `payment_method`.",
      { code: 'payment_intent_unexpected_state', payment_intent: structuredClone(intent) });
  }
  if (!intent.payment_method_types.includes(pm.type)) {
    throw new StripeApiError(400, 'invalid_request_error',
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Allowed types: ${intent.payment_method_types.join(', ')}.`,
      { code: 'payment_intent_incompatible_payment_method', param: 'payment_method', payment_intent: structuredClone(intent) });
  }
  if (str(form.receipt_email)) intent.receipt_email = str(form.receipt_email)!;
  const shipping = shippingParam(form.shipping);
  if (shipping !== undefined) intent.shipping = shipping;
  const captureMethod = str(form.capture_method);
  if (captureMethod) {
    if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod)) throw invalid('capture_method', 'Invalid capture_method: must be one of automatic, automatic_async, manual');
    intent.capture_method = captureMethod as CaptureMode;
  }
  Object.assign(intent, { payment_method: pm.id, last_payment_error: null, next_action: null });
  if (REDIRECT_METHOD_TYPES.has(pm.type)) return startRedirect(state, intent, returnUrl!);
  // "All Link transactions confirm immediately" (https://docs.stripe.com/payments/link/link-payment-integrations).
  const outcome: Outcome = pm.type === 'link' ? { kind: 'succeed' } : testCardFor(state.cardNumbers.get(pm.id) ?? '').outcome;
  const decline = applyOutcome(state, intent, pm, outcome, false);
  if (decline) {
    throw new StripeApiError(402, 'card_error', decline.message, {
      code: decline.code, decline_code: decline.decline_code, charge: intent.latest_charge,
      ...(decline.param ? { param: decline.param } : {}), ...(decline.advice_code ? { advice_code: decline.advice_code } : {}),
      payment_intent: structuredClone(intent), payment_method: structuredClone(pm),
    });
  }
  return intent;
}

/** The redirect method: Stripe sends the shopper to the method's page (here, the emulator's test page). */
function startRedirect(state: EmulatorState, intent: Stripe.PaymentIntent, returnUrl: string): Stripe.PaymentIntent {
  const token = randomBytes(18).toString('base64url');
  extrasOf(state, intent).redirect = { token, returnUrl };
  Object.assign(intent, {
    status: 'requires_action',
    next_action: { type: 'redirect_to_url', redirect_to_url: { url: `${state.hooksUrl}/redirect/${token}`, return_url: returnUrl } },
  });
  state.emit('payment_intent.requires_action', intent);
  return intent;
}

/** The intent waiting on the redirect page with this token, if any. */
export function intentForRedirect(state: EmulatorState, token: string): Stripe.PaymentIntent | undefined {
  for (const [id, extras] of state.intentExtras) {
    if (extras.redirect?.token === token) return state.paymentIntents.get(id);
  }
  return undefined;
}

/**
 * The shopper's choice on the redirect page. Returns where Stripe sends them back: `return_url`
 * with `payment_intent`, `payment_intent_client_secret` and `redirect_status`.
 */
export function completeRedirect(state: EmulatorState, intent: Stripe.PaymentIntent, result: RedirectResult): string {
  const extras = extrasOf(state, intent);
  const { returnUrl } = extras.redirect!;
  extras.redirect = null;
  const pm = state.paymentMethods.get(intent.payment_method as string)!;
  let redirectStatus: 'succeeded' | 'processing' | 'failed';
  if (result === 'fail') {
    failAttempt(state, intent, {
      type: 'invalid_request_error', code: 'payment_intent_payment_attempt_failed',
      message: 'The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached payment method has been removed. You can try confirming again with a new payment method.',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed', payment_method: structuredClone(pm),
    });
    redirectStatus = 'failed';
  } else if (result === 'authorize') {
    applyOutcome(state, intent, pm, { kind: 'succeed' }, false);
    redirectStatus = intent.status === 'succeeded' || intent.status === 'requires_capture' ? 'succeeded' : 'processing';
  } else {
    const charge = chargeObject({ created: state.now(), intent, paymentMethod: pm, failure: null, authenticated: false, capture: captureModeOf(intent), pending: true });
    state.charges.set(charge.id, charge);
    Object.assign(intent, { latest_charge: charge.id, status: 'processing', next_action: null });
    state.emit('charge.pending', charge);
    state.emit('payment_intent.processing', intent);
    state.schedule({ kind: 'settle', intent: intent.id, outcome: result === 'settle_later' ? 'succeed' : 'fail' }, state.delays.settleAfterMs);
    redirectStatus = 'processing';
  }
  const back = new URL(returnUrl);
  back.searchParams.set('payment_intent', intent.id);
  back.searchParams.set('payment_intent_client_secret', intent.client_secret!);
  back.searchParams.set('redirect_status', redirectStatus);
  return back.href;
}

/** A `processing` payment settles: its pending charge succeeds, or fails and the intent asks for another method. */
export function settle(state: EmulatorState, intentId: string, outcome: 'succeed' | 'fail'): void {
  const intent = state.paymentIntents.get(intentId);
  if (intent?.status !== 'processing' || typeof intent.latest_charge !== 'string') return;
  const charge = state.charges.get(intent.latest_charge)!;
  if (outcome === 'succeed') {
    Object.assign(charge, { status: 'succeeded', paid: true, captured: true, amount_captured: charge.amount, balance_transaction: newId('txn'),
      outcome: { ...charge.outcome, seller_message: 'Payment complete.' } });
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    state.emit('charge.succeeded', charge);
    state.emit('payment_intent.succeeded', intent);
    return;
  }
  const message = 'The customer\'s bank or payment provider declined the payment.';
  Object.assign(charge, { status: 'failed', failure_code: 'payment_method_provider_decline', failure_message: message,
    outcome: { ...charge.outcome, network_status: 'declined_by_network', type: 'issuer_declined', seller_message: message } });
  state.emit('charge.failed', charge);
  failAttempt(state, intent, {
    type: 'card_error', code: 'payment_method_provider_decline', message, charge: charge.id,
    doc_url: 'https://stripe.com/docs/error-codes/payment-method-provider-decline',
    payment_method: structuredClone(state.paymentMethods.get(intent.payment_method as string)),
  });
}

const captureModeOf = (intent: Stripe.PaymentIntent): CaptureMode => (intent.capture_method === 'manual' ? 'manual' : intent.capture_method === 'automatic' ? 'automatic' : 'automatic_async');

/** Moves the intent on by the card's outcome; returns the decline, if any, for the caller to report. */
function applyOutcome(state: EmulatorState, intent: Stripe.PaymentIntent, pm: Stripe.PaymentMethod, outcome: Outcome, authenticated: boolean): Decline | null {
  const extras = extrasOf(state, intent);
  extras.pendingOutcome = null;
  if (outcome.kind === 'authenticate') {
    extras.pendingOutcome = outcome.then;
    Object.assign(intent, {
      status: 'requires_action',
      // Opaque to merchants, as on Stripe; the stand-in opens the challenge page it names.
      next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `${state.hooksUrl}/3ds/${intent.id}`, source: pm.id } },
    });
    state.emit('payment_intent.requires_action', intent);
    return null;
  }
  const failure = outcome.kind === 'decline' ? outcome.decline : null;
  const capture = captureModeOf(intent);
  const charge = chargeObject({ created: state.now(), intent, paymentMethod: pm, failure, authenticated, capture });
  state.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  if (failure) {
    state.emit('charge.failed', charge);
    failAttempt(state, intent, {
      type: 'card_error', code: failure.code, decline_code: failure.decline_code, message: failure.message, charge: charge.id,
      ...(failure.param ? { param: failure.param } : {}), ...(failure.advice_code ? { advice_code: failure.advice_code } : {}),
      doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`, payment_method: structuredClone(pm),
    });
    return failure;
  }
  if (intent.setup_future_usage && typeof intent.customer === 'string') pm.customer = intent.customer;
  state.emit('charge.succeeded', charge);
  if (capture === 'manual') {
    Object.assign(intent, { status: 'requires_capture', amount_capturable: intent.amount });
    state.emit('payment_intent.amount_capturable_updated', intent);
  } else {
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    state.emit('payment_intent.succeeded', intent);
    if (capture === 'automatic_async') state.schedule({ kind: 'capture', charge: charge.id }, state.delays.captureAfterMs);
  }
  if (outcome.kind === 'succeed' && outcome.dispute) state.schedule({ kind: 'dispute', charge: charge.id }, state.delays.disputeAfterMs);
  return null;
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

/** An `automatic_async` capture completes: the charge gets its balance transaction (https://docs.stripe.com/payments/payment-intents/asynchronous-capture). */
export function completeCapture(state: EmulatorState, chargeId: string): void {
  const charge = state.charges.get(chargeId);
  if (!charge || charge.balance_transaction !== null || !charge.captured) return;
  charge.balance_transaction = newId('txn');
  state.emit('charge.updated', charge, { balance_transaction: null });
}

/** The cardholder disputes the payment (the dispute test card): `charge.dispute.created`. */
export function openDispute(state: EmulatorState, chargeId: string): void {
  const charge = state.charges.get(chargeId);
  if (!charge || charge.disputed) return;
  const dispute = disputeObject({ created: state.now(), charge, reason: 'fraudulent', respondBy: state.now() + 7 * 24 * 3600 });
  state.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  state.emit('charge.dispute.created', dispute);
}
