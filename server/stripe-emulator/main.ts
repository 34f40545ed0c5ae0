/**
 * The Stripe emulator as a process of its own (`npm run stripe:emulator`), as Stripe is to the
 * servers: a server crash is not also a Stripe crash, and several server processes share one Stripe
 * (each started with STRIPE_API_URL set to the URL printed here). State is kept in memory while it
 * runs, or in STRIPE_EMULATOR_STATE_FILE (a SQLite file) across restarts.
 *
 * Environment: STRIPE_EMULATOR_PORT (default 12111; 0 picks a free one), STRIPE_EMULATOR_HOST
 * (default 127.0.0.1), STRIPE_WEBHOOK_SECRET (optional: the signing secret of every endpoint created
 * through the API, like the one `stripe listen` prints; unset, each endpoint gets its own, as on Stripe),
 * STRIPE_EMULATOR_WEBHOOK_RETRY_MS (optional: the waits before each webhook retry, comma-separated
 * milliseconds; unset, the default schedule of docs/stripe-emulator.md). Tests that kill the servers
 * it delivers to shorten it, so a retry arrives within the test rather than minutes later.
 * STRIPE_EMULATOR_API_VERSION (optional: the emulated account's API version, which events are
 * rendered at; default the SDK's).
 * Servers register their webhook endpoint with `POST /v1/webhook_endpoints`.
 */
import { z } from 'zod';
import { DEFAULT_EMULATOR_PORT, startStripeEmulator } from './index.ts';

const envSchema = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_EMULATOR_PORT),
  STRIPE_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must start with whsec_').optional(),
  STRIPE_EMULATOR_WEBHOOK_RETRY_MS: z.string().regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 100,200,400')
    .transform((list) => list.split(',').map(Number)).optional(),
  STRIPE_EMULATOR_STATE_FILE: z.string().min(1).optional(),
  STRIPE_EMULATOR_API_VERSION: z.string().regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, 'must be an API version such as 2025-04-30.basil').optional(),
});

const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
if (!parsed.success) {
  console.error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(1);
}
const env = parsed.data;
const emulator = await startStripeEmulator({
  port: env.STRIPE_EMULATOR_PORT, host: env.STRIPE_EMULATOR_HOST, webhookSecret: env.STRIPE_WEBHOOK_SECRET,
  webhookTiming: env.STRIPE_EMULATOR_WEBHOOK_RETRY_MS ? { retryScheduleMs: env.STRIPE_EMULATOR_WEBHOOK_RETRY_MS } : undefined,
  stateFile: env.STRIPE_EMULATOR_STATE_FILE, apiVersion: env.STRIPE_EMULATOR_API_VERSION,
});

console.log([
  `Stripe emulator on ${emulator.url}`,
  `  API              ${emulator.url}/v1 (secret key ${emulator.secretKey}, or any sk_test_...)`,
  `  Stripe.js        ${emulator.stripeJsUrl} (publishable key ${emulator.publishableKey})`,
  `  shopper pages    ${emulator.origins.hooks} (3D Secure, redirects)`,
  `  webhook secret   ${env.STRIPE_WEBHOOK_SECRET ?? 'one per endpoint, returned when it is created (POST /v1/webhook_endpoints)'}`,
  '',
  `Point servers at it: STRIPE_API_URL=${emulator.url} npm start`,
].join('\n'));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
