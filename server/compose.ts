/**
 * Builds every long-lived part of the server from the validated environment: database, catalog,
 * cart store, Stripe (real or emulated), checkout flow, mail, jobs, and the app. `main.ts` and
 * the tests both start the server through here, so they run the same wiring.
 */
import type { Hono } from 'hono';
import { adminStores } from './admin/context.ts';
import { createApp } from './app.ts';
import { Catalog } from './catalog/catalog.ts';
import { seedIfEmpty } from './catalog/seed.ts';
import { CartService } from './carts/cart-service.ts';
import type { CartStore } from './carts/cart-store.ts';
import { RedisCartStore } from './carts/redis-cart-store.ts';
import { DatabaseCartStore } from './stores/database-cart-store.ts';
import { CheckoutStore } from './stores/checkout-store.ts';
import type { CheckoutDeps } from './checkout/context.ts';
import { LinkTokens } from './checkout/link-tokens.ts';
import { AutomaticRefundStore } from './stores/automatic-refund-store.ts';
import { DisputeStore } from './stores/dispute-store.ts';
import { RefundFailureStore } from './stores/refund-failure-store.ts';
import { appSecret } from './stores/settings-store.ts';
import { UnsubscribeStore } from './stores/unsubscribe-store.ts';
import { WebhookEventStore } from './stores/webhook-event-store.ts';
import { LocalStatusBus, RedisStatusBus, type StatusBus } from './checkout/status-bus.ts';
import { PostgresStatusBus, postgresStatusChannel } from './checkout/postgres-status-bus.ts';
import { startSweeper } from './checkout/sweeper.ts';
import type { Env } from './config.ts';
import { openDatabase, redactUrl, sql, type Db } from './db/database.ts';
import type { Logger } from './logger.ts';
import { DevMailbox } from './mail/dev-mailbox.ts';
import { Outbox } from './mail/outbox.ts';
import { createTransport, type MailTransport } from './mail/transport.ts';
import { OutboxWorker } from './mail/worker.ts';
import { OrderStore } from './stores/order-store.ts';
import { setupStripe, type StripeSetup } from './payments/stripe-setup.ts';
import { clientIp } from './http/client-ip.ts';
import { redisStore, type LimiterStore } from './http/rate-limit.ts';
import { databaseStore, type DatabaseLimiterStore } from './http/database-limiter.ts';
import { shopLimits } from './http/shop-limits.ts';
import { connectRedis } from './redis-connection.ts';

export interface Services {
  app: Hono;
  db: Db;
  catalog: Catalog;
  carts: CartService;
  cartStore: CartStore;
  checkout: CheckoutDeps;
  stripe: StripeSetup;
  mail: MailTransport;
  outbox: OutboxWorker;
  publicUrl: string;
  /** Call once the HTTP server listens: in emulated mode the emulator then posts webhooks there. */
  listening(port: number): void;
  /** Facts for the start-up banner: what this server is using. */
  describe(): Record<string, string>;
  close(): Promise<void>;
}

export function publicUrlOf(env: Env, port: number): string {
  return (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
}

export interface ComposeOptions {
  logger: Logger;
  port: number;
  clock?: () => number;
  /** Background jobs (outbox worker, sweeper); tests turn them off and run them by hand. */
  jobs?: boolean;
}

/**
 * Redis when there is one; else PostgreSQL's LISTEN/NOTIFY, which every host sharing the database
 * hears; SQLite's processes share one machine and a file, never a message: in-process. The
 * PostgreSQL listener is waited for (one connection to a database that just answered), so a host
 * is not announced before it can hear the status changes others publish.
 */
async function statusBus(env: Env, db: Db, logger: Logger): Promise<StatusBus> {
  if (env.REDIS_URL) return new RedisStatusBus(env.REDIS_URL, { logger, channel: `${env.REDIS_KEY_PREFIX}status` });
  if (db.engine !== 'postgres' || !env.DATABASE_URL) return new LocalStatusBus();
  const bus = new PostgresStatusBus(db, env.DATABASE_URL, await postgresStatusChannel(db), { logger });
  await bus.ready;
  return bus;
}

export async function composeServices(env: Env, o: ComposeOptions): Promise<Services> {
  const clock = o.clock ?? Date.now;
  const development = env.NODE_ENV !== 'production';
  const publicUrl = publicUrlOf(env, o.port);
  const db = await openDatabase({ url: env.DATABASE_URL, path: env.DATABASE_PATH, poolSize: env.DATABASE_POOL_SIZE });
  const checkouts = new CheckoutStore(db);
  const catalog = new Catalog(db, env.CURRENCY, checkouts);
  const seeded = await seedIfEmpty(catalog, clock());
  const cartStore: CartStore = env.REDIS_URL ? new RedisCartStore(env.REDIS_URL, { logger: o.logger, prefix: `${env.REDIS_KEY_PREFIX}cart:` }) : new DatabaseCartStore(db, clock);
  const admin = adminStores(db, o.logger);
  const carts = new CartService({ store: cartStore, catalog, currency: env.CURRENCY, taxRateBps: env.TAX_RATE_BPS, shippingTaxable: env.SHIPPING_TAXABLE, clock, publicUrl, funnel: admin.funnel });
  const bus = await statusBus(env, db, o.logger);
  const stripe = await setupStripe(env, { clock, db, webhookUrl: `${publicUrl}/webhooks/stripe` });
  const mail = createTransport({ smtpUrl: env.SMTP_URL, mailDir: env.MAIL_DIR });
  const outbox = new OutboxWorker({ db, transport: mail, from: env.MAIL_FROM, clock, logger: o.logger });
  // Rate-limit counters live in Redis when there is one, else in the database: either way every process spends one budget.
  const limiterConnection = env.REDIS_URL ? connectRedis(env.REDIS_URL, { name: 'rate limits', logger: o.logger }) : undefined;
  await limiterConnection?.firstConnection;
  const limiters: LimiterStore & Partial<Pick<DatabaseLimiterStore, 'prune'>> = limiterConnection
    ? redisStore(limiterConnection.redis, o.logger, `${env.REDIS_KEY_PREFIX}rate`)
    : databaseStore(db, clock);
  const limits = shopLimits({
    budgets: env.RATE_LIMITS, store: limiters, ip: clientIp({ trustedHeader: env.TRUSTED_PROXY_HEADER, hops: env.TRUSTED_PROXY_HOPS }),
  });

  const checkout: CheckoutDeps = {
    tx: (work) => db.tx(work), checkouts, orders: new OrderStore(db), refunds: new AutomaticRefundStore(db), refundFailures: new RefundFailureStore(db),
    disputes: new DisputeStore(db),
    webhookEvents: new WebhookEventStore(db), outbox: new Outbox(db), unsubscribes: new UnsubscribeStore(db), catalog, carts, stripe: stripe.client, bus, clock, logger: o.logger,
    tokens: new LinkTokens(await appSecret(db, env.APP_SECRET)),
    settings: {
      checkoutTtlMs: env.CHECKOUT_TTL_MINUTES * 60_000, recoveryHoldMs: env.RECOVERY_LINK_HOURS * 3_600_000,
      recoveryCooldownMs: env.RECOVERY_COOLDOWN_MINUTES * 60_000, recoveryEmailDelayMs: env.RECOVERY_EMAIL_DELAY_MINUTES * 60_000,
      recoveryEmailsPerAddressPerDay: env.RECOVERY_EMAILS_PER_ADDRESS_PER_DAY,
      abandonedCartMs: env.ABANDONED_CART_MINUTES * 60_000, secondReminderMs: env.ABANDONED_CART_SECOND_REMINDER_HOURS * 3_600_000,
      remindersPerAddressPerDay: env.REMINDERS_PER_ADDRESS_PER_DAY, maxFailedPaymentsPerCheckout: env.MAX_FAILED_PAYMENTS_PER_CHECKOUT, publicUrl, shopName: env.SHOP_NAME, shopUrl: env.SHOP_URL ?? `${publicUrl}/`, locale: env.LOCALE,
    },
  };

  const app = createApp({
    config: {
      publicUrl, allowedOrigins: env.ALLOWED_ORIGINS, development,
      adminToken: env.ADMIN_TOKEN, currency: env.CURRENCY, locale: env.LOCALE, taxRateBps: env.TAX_RATE_BPS,
    },
    catalog, carts, checkout, admin, limits, logger: o.logger, clock,
    // The rate limiters' connection fails fast, as a probe should; every Redis client here shares its server.
    readiness: {
      database: () => db.value(sql`SELECT 1 FROM schema_migrations LIMIT 1`),
      ...(limiterConnection ? { redis: () => limiterConnection.redis.ping() } : {}),
    },
    stripe: { publishableKey: stripe.publishableKey, jsUrl: stripe.jsUrl, webhookSecret: stripe.webhookSecret, sources: stripe.sources },
    ...(development && mail instanceof DevMailbox ? { devMailbox: mail } : {}),
  });

  const stopJobs: (() => void)[] = [];
  if (o.jobs !== false) {
    outbox.start();
    stopJobs.push(startSweeper({ ...checkout, ...admin }, env.SWEEP_INTERVAL_SECONDS * 1000, async () => {
      if (cartStore instanceof DatabaseCartStore) await cartStore.purgeExpired();
      await limiters.prune?.(clock());
    }));
  }

  return {
    app, db, catalog, carts, cartStore, checkout, stripe, mail, outbox, publicUrl,
    listening: (port) => stripe.deliverWebhooksTo(`http://127.0.0.1:${port}/webhooks/stripe`),
    describe: () => ({
      database: `${db.description}${seeded ? ' (demo catalog loaded)' : ''}`,
      carts: env.REDIS_URL ? `Redis at ${redactUrl(env.REDIS_URL)}` : `${db.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} (no REDIS_URL)`,
      'status fan-out': bus instanceof RedisStatusBus ? 'Redis pub/sub' : bus instanceof PostgresStatusBus ? 'PostgreSQL LISTEN/NOTIFY (no REDIS_URL)' : 'in-process',
      'rate limits': env.RATE_LIMITS === 'off' ? 'off (RATE_LIMITS=off)' : env.REDIS_URL ? 'counted in Redis' : `counted in ${db.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} (no REDIS_URL)`,
      stripe: stripe.description,
      mail: mail.description + (development && mail instanceof DevMailbox ? `, browse at ${publicUrl}/dev/mail` : ''),
      admin: env.ADMIN_TOKEN ? `${publicUrl}/api/admin (Bearer ADMIN_TOKEN)` : 'disabled (set ADMIN_TOKEN)',
    }),
    close: async () => {
      stopJobs.forEach((stop) => stop());
      await outbox.stop();
      await mail.close?.();
      await stripe.close();
      await bus.close();
      await cartStore.close();
      limiterConnection?.redis.disconnect();
      await db.close();
    },
  };
}
