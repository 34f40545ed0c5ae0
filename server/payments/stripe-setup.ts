/**
 * Real Stripe when STRIPE_SECRET_KEY is set; an emulator this server did not start when
 * STRIPE_API_URL is set (`npm run stripe:emulator`, shared by several server processes, surviving
 * their crashes); otherwise the bundled emulator, started in-process. All three are reached
 * through the same official SDK. Everything downstream sees one `Stripe` client and never knows which.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { Env } from '../config.ts';
import type { Db } from '../db/database.ts';
import { keptSetting } from '../stores/settings-store.ts';
import { LIVE_STRIPE_SOURCES, emulatedStripeSources, type StripeSources } from '../http/csp.ts';
import type { EmulatorOrigins, StripeEmulator } from '../stripe-emulator/index.ts';
import { ensureWebhookEndpoint } from './webhook-endpoint.ts';

/** The emulator (its apps, state and Stripe.js stand-in) is loaded only in the modes that use it:
 * a server with real Stripe keys starts without it. */
const emulatorModule = () => import('../stripe-emulator/index.ts');

export interface StripeSetup {
  client: Stripe;
  publishableKey: string;
  jsUrl: string;
  /** What the shop's pages must allow for Stripe: live Stripe's hosts, or the emulator's three origins. */
  sources: StripeSources;
  webhookSecret: string;
  /** Present in in-process emulated mode, for tests' delivery knobs. */
  emulator?: StripeEmulator;
  description: string;
  /** In-process emulated mode: where the emulator posts webhooks, known once the server listens. */
  deliverWebhooksTo(url: string): void;
  close(): Promise<void>;
}

export interface StripeSetupOptions {
  /** The server's: in emulated mode the emulator shares it, so its signatures and the server's
   * signature-age check agree even when a test moves time. */
  clock?: () => number;
  /** With STRIPE_API_URL: where this server's webhook endpoint secret is kept for every process. */
  db: Db;
  /** With STRIPE_API_URL: the endpoint to register, `${PUBLIC_URL}/webhooks/stripe`. */
  webhookUrl: string;
}

export async function setupStripe(env: Env, o: StripeSetupOptions): Promise<StripeSetup> {
  const clock = o.clock ?? Date.now;
  if (env.STRIPE_API_URL) return sharedEmulator(env, env.STRIPE_API_URL, o);
  if (env.STRIPE_SECRET_KEY) {
    // readEnv refuses a secret key without these two; this states it for the type checker too.
    if (!env.STRIPE_PUBLISHABLE_KEY || !env.STRIPE_WEBHOOK_SECRET) throw new Error('STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are required with STRIPE_SECRET_KEY');
    return {
      client: new Stripe(env.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 }),
      publishableKey: env.STRIPE_PUBLISHABLE_KEY,
      jsUrl: 'https://js.stripe.com/v3/',
      sources: LIVE_STRIPE_SOURCES,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      description: `Stripe (${env.STRIPE_SECRET_KEY.startsWith('sk_live_') ? 'live' : 'test'} mode); webhooks to /webhooks/stripe`,
      deliverWebhooksTo: () => {},
      close: async () => {},
    };
  }
  const { startStripeEmulator, stripeClientFor } = await emulatorModule();
  // Its state next to the database, so a restart mid-payment finds the PaymentIntent and gets the webhook.
  const emulator = await startStripeEmulator({ port: env.STRIPE_EMULATOR_PORT, clock, stateFile: emulatorStateFile(env.DATABASE_PATH) });
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? await keptWebhookSecret(o.db);
  return {
    client: stripeClientFor(emulator.url, emulator.secretKey),
    publishableKey: emulator.publishableKey,
    jsUrl: emulator.stripeJsUrl,
    sources: emulatedStripeSources(emulator.origins),
    webhookSecret,
    emulator,
    description: `emulated at ${emulator.url} (no STRIPE_SECRET_KEY)`,
    deliverWebhooksTo: (url) => emulator.addWebhookEndpoint(url, webhookSecret),
    close: () => emulator.close(),
  };
}

/** `data/checkout.db` -> `data/checkout.stripe-emulator.db`; none for an in-memory database. */
export function emulatorStateFile(databasePath: string): string | undefined {
  if (databasePath === ':memory:') return undefined;
  return `${databasePath.replace(/\.(db|sqlite3?)$/, '')}.stripe-emulator.db`;
}

/** The in-process emulator's signing secret, made once and kept: deliveries owed across a restart are signed with it. */
function keptWebhookSecret(db: Db): Promise<string> {
  return keptSetting(db, 'emulator_webhook_secret', `whsec_${randomBytes(24).toString('base64url')}`);
}

/**
 * An emulator running on its own: the SDK and Stripe.js from its URL, and this server's webhook
 * endpoint registered with it over the API. Its own clock, as Stripe's is.
 */
async function sharedEmulator(env: Env, apiUrl: string, o: StripeSetupOptions): Promise<StripeSetup> {
  const { DISCOVERY_PATH, EMULATOR_PUBLISHABLE_KEY, EMULATOR_SECRET_KEY, stripeClientFor } = await emulatorModule();
  const base = apiUrl.replace(/\/+$/, '');
  const client = stripeClientFor(base, env.STRIPE_SECRET_KEY ?? EMULATOR_SECRET_KEY);
  const origins = await emulatorOrigins(base, DISCOVERY_PATH);
  let endpoint;
  try {
    endpoint = await ensureWebhookEndpoint(client, o.db, o.webhookUrl);
  } catch (err) {
    throw new Error(`Could not register ${o.webhookUrl} with the Stripe emulator at ${base} (STRIPE_API_URL): ${(err as Error).message}`, { cause: err });
  }
  if (env.STRIPE_WEBHOOK_SECRET && env.STRIPE_WEBHOOK_SECRET !== endpoint.secret) {
    throw new Error(`STRIPE_WEBHOOK_SECRET is not the signing secret of ${o.webhookUrl} at ${base}: start the emulator with the same `
      + 'STRIPE_WEBHOOK_SECRET, or unset it here to use the secret the emulator gave the endpoint.');
  }
  return {
    client,
    publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? EMULATOR_PUBLISHABLE_KEY,
    jsUrl: `${origins.js}/v3/`,
    sources: emulatedStripeSources(origins),
    webhookSecret: endpoint.secret,
    description: `emulator at ${base} (STRIPE_API_URL); webhooks to ${o.webhookUrl} (endpoint ${endpoint.id})`,
    deliverWebhooksTo: () => {},
    close: async () => {},
  };
}

/** The emulator serves Stripe.js and its shopper pages on origins of their own; its API origin says which. */
async function emulatorOrigins(base: string, discoveryPath: string): Promise<EmulatorOrigins> {
  try {
    const response = await fetch(`${base}${discoveryPath}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as EmulatorOrigins;
  } catch (err) {
    throw new Error(`Could not reach the Stripe emulator at ${base} (STRIPE_API_URL): ${(err as Error).message}`, { cause: err });
  }
}
