/**
 * The server's configuration, read from the environment once and validated: a bad value stops
 * the start with a message naming the variable. Defaults make `npm start` work on a fresh machine.
 */
import { z } from 'zod';
import { isCurrencyCode } from '../shared/currencies.ts';
import { rateLimitsSetting } from './http/shop-limits.ts';

const optionalString = z.string().trim().min(1).optional();
const commaList = z.string().default('').transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean));
const url = z.string().trim().pipe(z.url());

/**
 * A browser's Origin header is exactly `scheme://host[:port]`. `shop.test:8852` parses as a URL
 * whose scheme is "shop.test:" and would never match, so anything but an http(s) origin is refused
 * with the fix spelled out.
 */
function originIssue(entry: string): string | null {
  const example = `http://${entry.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '')}`;
  let parsed: URL;
  try {
    parsed = new URL(entry);
  } catch {
    return `"${entry}" is not an origin: write it with its scheme, e.g. ${example}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' || !entry.includes('://')) {
    return `"${entry}" has no http:// or https:// scheme, so no browser's Origin would ever match it: write ${example} (or https://...)`;
  }
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username || parsed.password) {
    return `"${entry}" is not a bare origin (scheme://host[:port], no path, query or credentials): write ${parsed.origin}`;
  }
  return null;
}

const originList = commaList.superRefine((entries, ctx) => {
  for (const entry of entries) {
    const issue = originIssue(entry);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  }
}).transform((entries) => entries.map((entry) => new URL(entry).origin));

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: url.optional(),
  /** `postgres://…`: everything durable in PostgreSQL (several hosts may share it). Unset: the SQLite file DATABASE_PATH. */
  DATABASE_URL: z.string().trim().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// (or postgresql://) URL').optional(),
  /** The SQLite file when there is no DATABASE_URL; the Stripe emulator keeps its state next to it either way. */
  DATABASE_PATH: z.string().min(1).default('data/checkout.db'),
  /** Connections each process keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: url.optional(),
  /** Starts every Redis key and the status channel, so several shops (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1 to 64 letters, digits or : _ . -, e.g. shop-eu:').default('checkout:'),
  /** The header a trusted proxy puts the client's address in; unset: the socket address (server/http/client-ip.ts). */
  TRUSTED_PROXY_HEADER: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, 'must be a header name such as x-forwarded-for').optional(),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  RATE_LIMITS: rateLimitsSetting,
  ALLOWED_ORIGINS: originList,
  // Sent as `Authorization: Bearer <token>`, so only the characters a bearer token may hold.
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters')
    .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'may hold only letters, digits and . _ ~ + / - (with = at the end)').optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TAX_RATE_BPS: z.coerce.number().int().min(0).max(10_000).default(800),
  /** Whether tax is charged on shipping as well as on the discounted goods (shared/pricing.ts). */
  SHIPPING_TAXABLE: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false').transform((v) => v === 'true'),
  CURRENCY: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code such as USD').transform((c) => c.toUpperCase()).default('USD'),
  LOCALE: z.string().default('en-US'),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_PUBLISHABLE_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(12111),
  /** An emulator this server did not start (`npm run stripe:emulator`), e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL: z.string().trim().pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:12111' })).optional(),
  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Checkout <orders@localhost>'),
  MAIL_DIR: z.string().default('data/mail'),
  CHECKOUT_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  RECOVERY_LINK_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),
  RECOVERY_COOLDOWN_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(60),
  RECOVERY_EMAIL_DELAY_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(30),
  RECOVERY_EMAILS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(0).max(100).default(3),
  MAX_FAILED_PAYMENTS_PER_CHECKOUT: z.coerce.number().int().min(1).max(100).default(8),
  ABANDONED_CART_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
  ABANDONED_CART_SECOND_REMINDER_HOURS: z.coerce.number().int().min(0).max(6 * 24).default(0),
  REMINDERS_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(0).max(100).default(2),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SHOP_NAME: z.string().min(1).max(100).default('Demo Shop'),
  /** The merchant's shop, where links back to the shop lead (emails, the server's own pages); unset: PUBLIC_URL's demo shop. */
  SHOP_URL: url.refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL').optional(),
}).superRefine((env, ctx) => {
  if (env.STRIPE_SECRET_KEY && !env.STRIPE_API_URL && !(env.STRIPE_PUBLISHABLE_KEY && env.STRIPE_WEBHOOK_SECRET)) {
    ctx.addIssue({ code: 'custom', path: ['STRIPE_PUBLISHABLE_KEY'], message: 'STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are required with STRIPE_SECRET_KEY' });
  }
  for (const issue of stripeKeyIssues(env)) ctx.addIssue({ code: 'custom', ...issue });
  if (env.NODE_ENV === 'production' && env.PUBLIC_URL && !isSecureOrigin(env.PUBLIC_URL)) {
    ctx.addIssue({
      code: 'custom', path: ['PUBLIC_URL'],
      message: 'must be an https:// URL in production: shoppers pay on it and Stripe sends webhooks to it, and Stripe only sends to HTTPS (http is for a loopback address only)',
    });
  }
  // The emulator posts webhooks to PUBLIC_URL, which can't name a port not yet chosen.
  if (env.STRIPE_API_URL && !env.PUBLIC_URL && env.PORT === 0) {
    ctx.addIssue({ code: 'custom', path: ['STRIPE_API_URL'], message: 'needs PUBLIC_URL or a fixed PORT: the emulator posts webhooks to PUBLIC_URL/webhooks/stripe' });
  }
});

/**
 * Stripe's keys name their kind and mode: `sk_`/`rk_` secret (or restricted), `pk_` publishable,
 * `_test_` or `_live_` (https://docs.stripe.com/keys). A server given keys of two modes, or the
 * wrong kind in a variable, would fail on its first payment; a live key needs its endpoint's
 * signing secret, since live webhooks can't be forwarded by the Stripe CLI.
 */
function stripeKeyIssues(env: { STRIPE_SECRET_KEY?: string; STRIPE_PUBLISHABLE_KEY?: string; STRIPE_WEBHOOK_SECRET?: string }): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const secret = env.STRIPE_SECRET_KEY;
  const publishable = env.STRIPE_PUBLISHABLE_KEY;
  const modeOf = (key: string) => /^[a-z]+_(test|live)_/.exec(key)?.[1];
  if (secret && !/^(sk|rk)_(test|live)_/.test(secret)) {
    issues.push({ path: ['STRIPE_SECRET_KEY'], message: 'must be a secret key (sk_test_..., sk_live_..., or a restricted rk_...); a publishable pk_ key goes in STRIPE_PUBLISHABLE_KEY' });
  }
  if (publishable && !/^pk_(test|live)_/.test(publishable)) {
    issues.push({ path: ['STRIPE_PUBLISHABLE_KEY'], message: 'must be a publishable key (pk_test_... or pk_live_...); never put a secret key where the browser gets it' });
  }
  if (secret && publishable && modeOf(secret) && modeOf(publishable) && modeOf(secret) !== modeOf(publishable)) {
    issues.push({
      path: ['STRIPE_PUBLISHABLE_KEY'],
      message: `is a ${modeOf(publishable)} key but STRIPE_SECRET_KEY is a ${modeOf(secret)} key: take both from the same mode of the Stripe dashboard`,
    });
  }
  if (secret && modeOf(secret) === 'live' && !env.STRIPE_WEBHOOK_SECRET) {
    issues.push({ path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required with a live STRIPE_SECRET_KEY: run `npm run stripe:setup` to create the webhook endpoint and print its signing secret' });
  }
  if (env.STRIPE_WEBHOOK_SECRET && !env.STRIPE_WEBHOOK_SECRET.startsWith('whsec_')) {
    issues.push({ path: ['STRIPE_WEBHOOK_SECRET'], message: "must be a webhook signing secret (whsec_...), the one `npm run stripe:setup` or the endpoint's page in the dashboard shows" });
  }
  return issues;
}

/** https, or http to a loopback address (a test, or a proxy on the same machine). */
function isSecureOrigin(raw: string): boolean {
  const url = new URL(raw);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const empty = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(empty);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
