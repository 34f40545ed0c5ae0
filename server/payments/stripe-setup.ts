/**
 * Real Stripe when STRIPE_SECRET_KEY is set; otherwise the bundled emulator, reached through the
 * same official SDK. Everything downstream sees one `Stripe` client and never knows which.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { Env } from '../config.ts';
import { startStripeEmulator, stripeClientFor, type StripeEmulator } from '../stripe-emulator/index.ts';

export interface StripeSetup {
  client: Stripe;
  publishableKey: string;
  jsUrl: string;
  webhookSecret: string;
  /** Present in emulated mode, for tests' delivery knobs. */
  emulator?: StripeEmulator;
  description: string;
  /** Emulated mode: where the emulator posts webhooks, known once the server listens. */
  deliverWebhooksTo(url: string): void;
  close(): Promise<void>;
}

/** `clock` is the server's: in emulated mode the emulator shares it, so its signatures and the
 * server's signature-age check agree even when a test moves time. */
export async function setupStripe(env: Env, clock: () => number = Date.now): Promise<StripeSetup> {
  if (env.STRIPE_SECRET_KEY) {
    return {
      client: new Stripe(env.STRIPE_SECRET_KEY, { maxNetworkRetries: 2 }),
      publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? '',
      jsUrl: 'https://js.stripe.com/v3/',
      webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? '',
      description: `Stripe (${env.STRIPE_SECRET_KEY.startsWith('sk_live_') ? 'live' : 'test'} mode); webhooks to /webhooks/stripe`,
      deliverWebhooksTo: () => {},
      close: async () => {},
    };
  }
  const emulator = await startStripeEmulator({ port: env.STRIPE_EMULATOR_PORT, clock });
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('base64url')}`;
  return {
    client: stripeClientFor(emulator.url, emulator.secretKey),
    publishableKey: emulator.publishableKey,
    jsUrl: emulator.stripeJsUrl,
    webhookSecret,
    emulator,
    description: `emulated at ${emulator.url} (no STRIPE_SECRET_KEY)`,
    deliverWebhooksTo: (url) => emulator.addWebhookEndpoint(url, webhookSecret),
    close: () => emulator.close(),
  };
}
