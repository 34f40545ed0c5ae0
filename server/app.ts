/**
 * The Hono app, built from its dependencies so tests can build it with real stores and an
 * emulated Stripe, and `main.ts` alone reads the environment and listens.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { PublicConfig } from '../shared/api.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { CartService } from './carts/cart-service.ts';
import { embedCors } from './http/cors.ts';
import type { ShopLimits } from './http/shop-limits.ts';
import { rejectMalformedPath, limitBody } from './http/edge.ts';
import { notFound, onError } from './http/errors.ts';
import type { Logger } from './logger.ts';
import { adminRoutes } from './routes/admin.ts';
import { cartRoutes } from './routes/carts.ts';
import { catalogRoutes } from './routes/catalog.ts';

export interface AppConfig {
  publicUrl: string;
  allowedOrigins: string[];
  development: boolean;
  adminToken: string | undefined;
  currency: string;
  locale: string;
  taxRateBps: number;
}

export interface AppDeps {
  config: AppConfig;
  catalog: Catalog;
  carts: CartService;
  /** What the browser needs to load Stripe.js: real keys, or the emulator's. */
  stripePublic: { publishableKey: string; jsUrl: string };
  logger: Logger;
  clock: () => number;
  /** Rate limits on the cart and checkout routes (server/http/shop-limits.ts). */
  limits: ShopLimits;
  /** Routers contributed by later features, mounted as given: `[prefix, router]`. */
  mounts?: [string, Hono][];
  adminMounts?: Hono[];
}

const KB = 1024;

export function createApp(deps: AppDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  app.onError(onError(deps.logger));
  app.notFound(notFound);

  const adminBody = limitBody(2048 * KB);
  const shopperBody = limitBody(16 * KB);
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginOpenerPolicy: false }));
  app.use('*', rejectMalformedPath());
  app.use('/api/*', embedCors(config));
  app.use('/api/*', async (c, next) => (c.req.path.startsWith('/api/admin/') ? adminBody : shopperBody)(c, next));

  const publicConfig = (): PublicConfig => ({
    publishableKey: deps.stripePublic.publishableKey, currency: config.currency, locale: config.locale,
    stripeJsUrl: deps.stripePublic.jsUrl, taxRateBps: config.taxRateBps,
  });
  app.route('/api', catalogRoutes({ catalog: deps.catalog, publicConfig, publicUrl: config.publicUrl, clock: deps.clock }));
  app.route('/api/carts', cartRoutes(deps.carts, deps.limits));
  app.route('/api/admin', adminRoutes({ adminToken: config.adminToken, catalog: deps.catalog, clock: deps.clock, extra: deps.adminMounts }));
  for (const [prefix, router] of deps.mounts ?? []) app.route(prefix, router);
  return app;
}
