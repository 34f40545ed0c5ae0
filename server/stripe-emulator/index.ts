/**
 * An offline Stripe: the API subset a Payment Element checkout uses, signed webhooks, and a
 * Stripe.js stand-in, served on its own origin like stripe-mock. Reached only through the official
 * SDK (host/port/protocol) and the Stripe.js API, so the checkout's code is the same in both modes.
 * See docs/stripe-emulator.md.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { emulatorApp, type EmulatorOrigins } from './app.ts';
import { authenticateIntent } from './confirm.ts';
import { hooksApp } from './hooks-app.ts';
import { EmulatorState, type TaskDelays } from './state.ts';
import { DEFAULT_WALLETS, stripeJsApp, type Wallet } from './stripe-js.ts';
import { EmulatorStore } from './persistence.ts';
import { TaskRunner } from './tasks.ts';
import { WebhookEndpoints } from './webhook-endpoints.ts';
import { DEFAULT_WEBHOOK_TIMING, WebhookDelivery, type WebhookKnobs, type WebhookTiming } from './webhooks.ts';

export { DISCOVERY_PATH, type EmulatorOrigins } from './app.ts';
export { sdkApiVersion, DEFAULT_TASK_DELAYS, type TaskDelays } from './state.ts';
export { MAX_FAILED_ATTEMPTS } from './payment-intents.ts';
export type { WebhookKnobs, WebhookTiming } from './webhooks.ts';
export { DEFAULT_WALLETS, type Wallet } from './stripe-js.ts';

export const EMULATOR_SECRET_KEY = 'sk_test_emulator';
export const EMULATOR_PUBLISHABLE_KEY = 'pk_test_emulator';
export const DEFAULT_EMULATOR_PORT = 12111;

export interface StripeEmulatorOptions {
  /** The API's port: default 12111 (stripe-mock's); 0 picks a free port. */
  port?: number;
  /** Stripe.js's and the shopper pages' ports: by default the next two after `port`, or free ones when `port` is 0. */
  jsPort?: number;
  hooksPort?: number;
  /** The emulated account's API version (events are rendered at it unless their endpoint has one): default the SDK's. */
  apiVersion?: string;
  /** How long payments take to settle, captures to complete, disputes to open, refunds of the "Refund fails" card to fail; tests shorten them or call `tasks.flush()`. */
  taskDelays?: Partial<TaskDelays>;
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
  /**
   * A SQLite file to keep the state in (./persistence.ts), so a restart resumes where it stopped:
   * objects, events, endpoints, owed webhook deliveries, pending tasks, idempotent answers. Unset: memory only.
   */
  stateFile?: string;
  /** The wallets the emulated shopper's device has (Express Checkout Element buttons): default Apple Pay and Google Pay; [] for none. */
  wallets?: readonly Wallet[];
}

export interface StripeEmulator {
  /** The API, e.g. http://127.0.0.1:12111 */
  url: string;
  /** The API's, Stripe.js's and the shopper pages' origins: what a page's CSP must allow. */
  origins: EmulatorOrigins;
  /** A key the SDK can use; any sk_test_* is accepted. */
  secretKey: string;
  /** A key Stripe.js can use; any pk_test_* is accepted. */
  publishableKey: string;
  /** `${origins.js}/v3/`, the Stripe.js stand-in. */
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
  /**
   * What happens later on Stripe's side (settling, async capture, disputes, failing refunds):
   * `flush()` makes it happen now; `delay()` changes how long what is scheduled from now on waits
   * (the `taskDelays` start option, for an emulator started by someone else, e.g. the server's).
   */
  tasks: { flush(): void; delay(delays: Partial<TaskDelays>): void };
  /** The wallets the device has from now on: pages that load Stripe.js afterwards see them. */
  setWallets(wallets: readonly Wallet[]): void;
  close(): Promise<void>;
}

async function listen(app: Pick<Hono, 'fetch'>, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = serve({ fetch: app.fetch, port, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets from the SDK or a browser would otherwise hold close() open.
    server.closeIdleConnections();
  });
}

export async function startStripeEmulator(o: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const clock = o.clock ?? Date.now;
  const state = new EmulatorState(clock, o.apiVersion);
  state.delays = { ...state.delays, ...o.taskDelays };
  const endpoints = new WebhookEndpoints(clock, o.webhookSecret);
  for (const endpoint of o.webhookEndpoints ?? []) endpoints.add(endpoint.url, endpoint.secret);
  const webhooks = new WebhookDelivery(endpoints, { ...DEFAULT_WEBHOOK_TIMING, ...o.webhookTiming }, clock, state.apiVersion);
  state.onEvent((event) => webhooks.enqueue(event));
  const store = o.stateFile ? new EmulatorStore(o.stateFile, state, endpoints, webhooks) : undefined;
  if (store) {
    store.restore();
    // The end of a request, a task or a page's answer saves at once (before anything is answered);
    // events and deliveries in between are gathered into one save a moment later.
    state.onChange(() => store.save());
    state.onEvent(() => store.saveSoon());
    webhooks.onOwedChange(() => store.saveSoon());
  }
  const tasks = new TaskRunner(state);

  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? DEFAULT_EMULATOR_PORT;
  let origins: EmulatorOrigins | undefined;
  const known = () => origins!;
  const api = await listen(emulatorApp(state, endpoints, known), port, host);
  let wallets = o.wallets ?? DEFAULT_WALLETS;
  const js = await listen(stripeJsApp(known, () => wallets), o.jsPort ?? (port === 0 ? 0 : port + 1), host);
  const hooks = await listen(hooksApp(state), o.hooksPort ?? (port === 0 ? 0 : port + 2), host);
  origins = { api: api.url, js: js.url, hooks: hooks.url };
  state.hooksUrl = hooks.url;

  return {
    url: api.url,
    origins,
    secretKey: EMULATOR_SECRET_KEY,
    publishableKey: EMULATOR_PUBLISHABLE_KEY,
    stripeJsUrl: `${js.url}/v3/`,
    addWebhookEndpoint: (endpointUrl, secret) => endpoints.add(endpointUrl, secret),
    webhooks: { configure: (knobs) => webhooks.configure(knobs), flush: () => webhooks.flush(), idle: () => webhooks.idle() },
    authenticate: async (id, result) => structuredClone(authenticateIntent(state, id, result)),
    tasks: { flush: () => tasks.flush(), delay: (delays) => { state.delays = { ...state.delays, ...delays }; } },
    setWallets: (next) => { wallets = [...next]; },
    close: async () => {
      tasks.close();
      webhooks.close();
      await Promise.all([api, js, hooks].map(({ server }) => closeServer(server)));
      store?.close();
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
