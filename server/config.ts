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

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: url.optional(),
  DATABASE_PATH: z.string().min(1).default('data/checkout.db'),
  REDIS_URL: url.optional(),
  /** The header a trusted proxy puts the client's address in; unset: the socket address (server/http/client-ip.ts). */
  TRUSTED_PROXY_HEADER: z.string().trim().toLowerCase().regex(/^[a-z0-9-]+$/, 'must be a header name such as x-forwarded-for').optional(),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  RATE_LIMITS: rateLimitsSetting,
  ALLOWED_ORIGINS: commaList.pipe(z.array(z.url())),
  // Sent as `Authorization: Bearer <token>`, so only the characters a bearer token may hold.
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters')
    .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'may hold only letters, digits and . _ ~ + / - (with = at the end)').optional(),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TAX_RATE_BPS: z.coerce.number().int().min(0).max(10_000).default(800),
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
}).superRefine((env, ctx) => {
  if (env.STRIPE_SECRET_KEY && !env.STRIPE_API_URL && !(env.STRIPE_PUBLISHABLE_KEY && env.STRIPE_WEBHOOK_SECRET)) {
    ctx.addIssue({ code: 'custom', path: ['STRIPE_PUBLISHABLE_KEY'], message: 'STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are required with STRIPE_SECRET_KEY' });
  }
  // The emulator posts webhooks to PUBLIC_URL, which can't name a port not yet chosen.
  if (env.STRIPE_API_URL && !env.PUBLIC_URL && env.PORT === 0) {
    ctx.addIssue({ code: 'custom', path: ['STRIPE_API_URL'], message: 'needs PUBLIC_URL or a fixed PORT: the emulator posts webhooks to PUBLIC_URL/webhooks/stripe' });
  }
});

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
