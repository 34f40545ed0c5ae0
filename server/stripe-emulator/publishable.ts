/**
 * "If you retrieve a PaymentIntent with a publishable key, it only returns a subset of properties"
 * (https://docs.stripe.com/api/payment_intents/retrieve): the ones the object reference marks
 * "retrievable with publishable key", which are the fields of Stripe.js's own PaymentIntent type
 * (@stripe/stripe-js) plus `automatic_payment_methods`. Every PaymentIntent a publishable key
 * gets back (retrieve, confirm, a decline's `error.payment_intent`) is cut to that subset.
 */
import type { PaymentIntent as ClientPaymentIntent } from '@stripe/stripe-js';
import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from './http/env.ts';
import { rewriteJson } from './http/rewrite.ts';

/** Typed against Stripe.js's PaymentIntent: the compiler insists on exactly its fields. */
const STRIPE_JS_FIELDS: Record<keyof ClientPaymentIntent, true> = {
  id: true, object: true, amount: true, canceled_at: true, cancellation_reason: true, capture_method: true, client_secret: true,
  confirmation_method: true, created: true, currency: true, description: true, last_payment_error: true, livemode: true,
  next_action: true, payment_method: true, payment_method_types: true, receipt_email: true, setup_future_usage: true,
  shipping: true, status: true,
};
export const PUBLISHABLE_FIELDS: ReadonlySet<string> = new Set([...Object.keys(STRIPE_JS_FIELDS), 'automatic_payment_methods']);

export function publishableView(intent: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(intent).filter(([key]) => PUBLISHABLE_FIELDS.has(key)));
}

/** On a PaymentIntent route: a publishable key's answer carries only the subset. */
export const publishableSubset: MiddlewareHandler<EmulatorEnv> = async (c, next) => {
  await next();
  if (c.var.caller.kind !== 'publishable') return;
  await rewriteJson(c, (body) => {
    const answer = body as { object?: string; error?: { payment_intent?: Record<string, unknown> } };
    if (answer.object === 'payment_intent') return publishableView(answer as Record<string, unknown>);
    if (answer.error?.payment_intent) answer.error.payment_intent = publishableView(answer.error.payment_intent);
    return answer;
  });
};
