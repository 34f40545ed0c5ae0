/**
 * An offline Stripe: the API subset a Payment Element checkout uses, signed webhooks, and a
 * Stripe.js stand-in, served on its own origin like stripe-mock. Reached only through the official
 * SDK (host/port/protocol) and the Stripe.js API, so the checkout's code is the same in both modes.
 * See docs/stripe-emulator.md.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { emulatorApp } from './app.ts';
import { authenticateIntent } from './payment-intents.ts';
import { EmulatorState } from './state.ts';
import { WebhookEndpoints } from './webhook-endpoints.ts';
import { DEFAULT_WEBHOOK_TIMING, WebhookDelivery, type WebhookKnobs, type WebhookTiming } from './webhooks.ts';

export { sdkApiVersion } from './state.ts';
export { MAX_FAILED_ATTEMPTS } from './payment-intents.ts';
export type { WebhookKnobs, WebhookTiming } from './webhooks.ts';

export const EMULATOR_SECRET_KEY = 'sk_test_emulator';
export const EMULATOR_PUBLISHABLE_KEY = 'pk_test_emulator';
export const DEFAULT_EMULATOR_PORT = 12111;

export interface StripeEmulatorOptions {
  /** Default 12111 (stripe-mock's); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Endpoints that exist from the start, listening to every event (as if made in the Dashboard). */
  webhookEndpoints?: { url: string; secret: string }[];
  /**
   * The signing secret of every endpoint created through `POST /v1/webhook_endpoints`, like the one
   * `stripe listen` prints; default: a fresh one per endpoint, as on Stripe.
   */
  webhookSecret?: string;
  /** Webhook retry backoff and timeout; tests shorten them. */
  webhookTiming?: Partial<WebhookTiming>;
  /** Milliseconds since the epoch for `created` fields and signature timestamps; tests may step it. */
  clock?: () => number;
}

export interface StripeEmulator {
  /** e.g. http://127.0.0.1:12111 */
  url: string;
  /** A key the SDK can use; any sk_test_* is accepted. */
  secretKey: string;
  /** A key Stripe.js can use; any pk_test_* is accepted. */
  publishableKey: string;
  /** `${url}/v3/`, the Stripe.js stand-in. */
  stripeJsUrl: string;
  /** Delivers every event from now on to `url` too, signed with `secret` (as if made in the Dashboard). */
  addWebhookEndpoint(url: string, secret: string): void;
  webhooks: {
    configure(o: WebhookKnobs): void;
    /** Delivers everything queued now (paused or not); resolves once each has been attempted. */
    flush(): Promise<void>;
    /** Resolves when nothing is in flight, queued or waiting for a retry. */
    idle(): Promise<void>;
  };
  /** The shopper's answer to a 3D Secure challenge, without a browser (the stand-in's modal posts the same). */
  authenticate(paymentIntentId: string, result: 'complete' | 'fail'): Promise<Stripe.PaymentIntent>;
  close(): Promise<void>;
}

export async function startStripeEmulator(o: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const clock = o.clock ?? Date.now;
  const state = new EmulatorState(clock);
  const endpoints = new WebhookEndpoints(clock, o.webhookSecret);
  for (const endpoint of o.webhookEndpoints ?? []) endpoints.add(endpoint.url, endpoint.secret);
  const webhooks = new WebhookDelivery(endpoints, { ...DEFAULT_WEBHOOK_TIMING, ...o.webhookTiming }, clock);
  state.onEvent((event) => webhooks.enqueue(event));

  const host = o.host ?? '127.0.0.1';
  const server = serve({ fetch: emulatorApp(state, endpoints).fetch, port: o.port ?? DEFAULT_EMULATOR_PORT, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    secretKey: EMULATOR_SECRET_KEY,
    publishableKey: EMULATOR_PUBLISHABLE_KEY,
    stripeJsUrl: `${url}/v3/`,
    addWebhookEndpoint: (endpointUrl, secret) => endpoints.add(endpointUrl, secret),
    webhooks: { configure: (knobs) => webhooks.configure(knobs), flush: () => webhooks.flush(), idle: () => webhooks.idle() },
    authenticate: async (id, result) => structuredClone(authenticateIntent(state, id, result)),
    close: async () => {
      webhooks.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from the SDK or a browser would otherwise hold close() open.
        server.closeIdleConnections();
      });
    },
  };
}

/** The official SDK pointed at the emulator through its host/port/protocol options. */
export function stripeClientFor(emulatorUrl: string, secretKey: string = EMULATOR_SECRET_KEY): Stripe {
  const url = new URL(emulatorUrl);
  return new Stripe(secretKey, {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    // One retry (the SDK sends an Idempotency-Key with it, so it is safe); more would only hide faults.
    maxNetworkRetries: 1,
    telemetry: false,
  });
}
