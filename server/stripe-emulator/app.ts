/**
 * The emulator's API: Stripe's API under /v1 (form-encoded in, JSON out, Stripe's error shape and
 * response headers, open CORS as Stripe's API has). Stripe.js and the shopper-facing pages are
 * served on origins of their own (./stripe-js.ts, ./hooks-app.ts), as js.stripe.com and
 * hooks.stripe.com are apart from api.stripe.com.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { StripeApiError } from './errors.ts';
import { authenticate } from './http/auth.ts';
import type { EmulatorEnv } from './http/env.ts';
import { stripeHeaders } from './http/headers.ts';
import { idempotency } from './http/idempotency.ts';
import { readForm } from './http/read-form.ts';
import { chargeRoutes } from './routes/charges.ts';
import { customerRoutes } from './routes/customers.ts';
import { eventRoutes } from './routes/events.ts';
import { paymentIntentRoutes } from './routes/payment-intents.ts';
import { paymentMethodRoutes } from './routes/payment-methods.ts';
import { refundRoutes } from './routes/refunds.ts';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.ts';
import type { EmulatorState } from './state.ts';
import type { WebhookEndpoints } from './webhook-endpoints.ts';

const unrecognized = (method: string, path: string) =>
  new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}). The Stripe emulator serves only the API a checkout uses; see docs/stripe-emulator.md.`);

/** Where a server finds the emulator's other origins when it only knows the API's (STRIPE_API_URL). */
export const DISCOVERY_PATH = '/.well-known/stripe-emulator.json';
export interface EmulatorOrigins { api: string; js: string; hooks: string }

export function emulatorApp(state: EmulatorState, webhookEndpoints: WebhookEndpoints, origins: () => EmulatorOrigins): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  app.use('*', cors({
    origin: '*', allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Stripe-Version', 'Stripe-Account'],
    exposeHeaders: ['Request-Id', 'Idempotent-Replayed', 'Idempotency-Key', 'Original-Request', 'Stripe-Version'],
  }));
  app.get(DISCOVERY_PATH, (c) => c.json(origins()));

  app.use('/v1/*', stripeHeaders(state));
  app.use('/v1/*', bodyLimit({
    maxSize: 256 * 1024,
    onError: () => { throw new StripeApiError(413, 'invalid_request_error', 'Request body too large.'); },
  }));
  app.use('/v1/*', readForm, authenticate, idempotency(state.clock, state.idempotency));
  app.route('/v1/payment_intents', paymentIntentRoutes(state));
  app.route('/v1/payment_methods', paymentMethodRoutes(state));
  app.route('/v1/customers', customerRoutes(state));
  app.route('/v1/refunds', refundRoutes(state));
  app.route('/v1/charges', chargeRoutes(state));
  app.route('/v1/events', eventRoutes(state));
  app.route('/v1/webhook_endpoints', webhookEndpointRoutes(state, webhookEndpoints));
  app.all('/v1/*', (c) => { throw unrecognized(c.req.method, c.req.path); });

  app.notFound((c) => c.json(unrecognized(c.req.method, c.req.path).toJSON(), 404));
  app.onError((err, c) => {
    if (err instanceof StripeApiError) return c.json(err.toJSON(), err.status as 400);
    // A fault of the emulator itself, never of the request: say so loudly.
    console.error('stripe emulator fault', err);
    return c.json({ error: { type: 'api_error', message: 'An unexpected error occurred in the Stripe emulator.' } }, 500);
  });
  return app;
}
