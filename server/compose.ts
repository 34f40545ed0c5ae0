/**
 * Builds every long-lived part of the server from the validated environment: database, catalog,
 * cart store, Stripe (real or emulated), and the app. `main.ts` and the end-to-end tests both
 * start the server through here, so they run the same wiring.
 */
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { Catalog } from './catalog/catalog.ts';
import { seedIfEmpty } from './catalog/seed.ts';
import { CartService } from './carts/cart-service.ts';
import type { CartStore } from './carts/cart-store.ts';
import { RedisCartStore } from './carts/redis-cart-store.ts';
import { SqliteCartStore } from './carts/sqlite-cart-store.ts';
import type { Env } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import type { Logger } from './logger.ts';

export interface Services {
  app: Hono;
  db: Db;
  catalog: Catalog;
  carts: CartService;
  cartStore: CartStore;
  publicUrl: string;
  /** Facts for the start-up banner: what this server is using. */
  describe(): Record<string, string>;
  close(): Promise<void>;
}

export function publicUrlOf(env: Env, port: number): string {
  return (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
}

export async function composeServices(env: Env, o: { logger: Logger; port: number; clock?: () => number }): Promise<Services> {
  const clock = o.clock ?? Date.now;
  const publicUrl = publicUrlOf(env, o.port);
  const db = openDatabase(env.DATABASE_PATH);
  const catalog = new Catalog(db, env.CURRENCY);
  const seeded = seedIfEmpty(catalog);
  const cartStore: CartStore = env.REDIS_URL ? new RedisCartStore(env.REDIS_URL) : new SqliteCartStore(db, clock);
  const carts = new CartService({ store: cartStore, catalog, currency: env.CURRENCY, taxRateBps: env.TAX_RATE_BPS, clock, publicUrl });

  const app = createApp({
    config: {
      publicUrl, allowedOrigins: env.ALLOWED_ORIGINS, development: env.NODE_ENV !== 'production',
      adminToken: env.ADMIN_TOKEN, currency: env.CURRENCY, locale: env.LOCALE, taxRateBps: env.TAX_RATE_BPS,
    },
    catalog, carts, logger: o.logger, clock,
    stripePublic: { publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? '', jsUrl: 'https://js.stripe.com/v3/' },
  });

  return {
    app, db, catalog, carts, cartStore, publicUrl,
    describe: () => ({
      database: `SQLite at ${env.DATABASE_PATH}${seeded ? ' (demo catalog loaded)' : ''}`,
      carts: env.REDIS_URL ? `Redis at ${redactUrl(env.REDIS_URL)}` : 'SQLite (no REDIS_URL)',
    }),
    close: async () => {
      await cartStore.close();
      db.close();
    },
  };
}

/** Connection strings may carry passwords: keep them out of logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
