/**
 * `npm run stripe:setup [-- --recreate]`: creates (or finds) this shop's webhook endpoint on Stripe
 * for `$PUBLIC_URL/webhooks/stripe`, listening to exactly the events the server handles, and prints
 * the signing secret to set as STRIPE_WEBHOOK_SECRET. Stripe shows a secret only when the endpoint
 * is created: for an endpoint that already exists, `--recreate` replaces it with a new one.
 *
 * Environment: STRIPE_SECRET_KEY (the account's secret key, test or live), PUBLIC_URL (where Stripe
 * reaches the server; https), and optionally STRIPE_API_URL to do the same against the emulator.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import { setUpLiveEndpoint } from '../server/payments/live-endpoint.ts';
import { EMULATOR_SECRET_KEY, stripeClientFor } from '../server/stripe-emulator/index.ts';

const env = z.object({
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a secret key (sk_test_... or sk_live_...)').optional(),
  STRIPE_API_URL: z.url().optional(),
  PUBLIC_URL: z.url({ error: 'is required: the URL Stripe reaches this server at, e.g. https://shop.example.com' }),
}).refine((e) => e.STRIPE_SECRET_KEY || e.STRIPE_API_URL, { path: ['STRIPE_SECRET_KEY'], message: 'is required (or STRIPE_API_URL, for the emulator)' })
  .refine((e) => e.STRIPE_API_URL || new URL(e.PUBLIC_URL).protocol === 'https:', { path: ['PUBLIC_URL'], message: 'must be https: Stripe sends webhooks only to HTTPS' })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));

if (!env.success) {
  console.error(`npm run stripe:setup:\n${env.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(1);
}
const { STRIPE_SECRET_KEY, STRIPE_API_URL, PUBLIC_URL } = env.data;
const stripe = STRIPE_API_URL ? stripeClientFor(STRIPE_API_URL, STRIPE_SECRET_KEY ?? EMULATOR_SECRET_KEY) : new Stripe(STRIPE_SECRET_KEY!, { maxNetworkRetries: 2 });
const url = `${PUBLIC_URL.replace(/\/+$/, '')}/webhooks/stripe`;

try {
  const { endpoint, secret, action, duplicates } = await setUpLiveEndpoint(stripe, url, { recreate: process.argv.includes('--recreate') });
  const lines = [
    `Webhook endpoint ${endpoint.id} ${action} for ${endpoint.url}`,
    `  events: ${endpoint.enabled_events.join(', ')}`,
    secret
      ? `Set this on every server process:\n  STRIPE_WEBHOOK_SECRET=${secret}`
      : 'Its signing secret was shown when it was created; if you no longer have it, run `npm run stripe:setup -- --recreate` for a new endpoint and secret.',
    ...duplicates.map((id) => `  also for this URL: ${id} (delete it in the dashboard, or run with --recreate)`),
  ];
  console.log(lines.join('\n'));
} catch (err) {
  console.error(`npm run stripe:setup: ${err instanceof Stripe.errors.StripeError ? `Stripe said: ${err.message}` : String(err)}`);
  process.exit(1);
}
