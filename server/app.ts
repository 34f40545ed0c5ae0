/**
 * The Hono app, built from its dependencies so tests can build it with real stores and an
 * emulated Stripe, and `main.ts` alone reads the environment and listens.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { PublicConfig } from '../shared/api.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { CartService } from './carts/cart-service.ts';
import type { AdminStores } from './admin/context.ts';
import type { CheckoutDeps } from './checkout/context.ts';
import { accessLog } from './http/access-log.ts';
import { embedCors } from './http/cors.ts';
import type { StripeSources } from './http/csp.ts';
import type { ShopLimits } from './http/shop-limits.ts';
import { rejectMalformedPath, limitBody } from './http/edge.ts';
import { notFound, onError } from './http/errors.ts';
import type { Logger } from './logger.ts';
import type { DevMailbox } from './mail/dev-mailbox.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminConsoleRoutes } from './routes/admin-console.ts';
import { cartRoutes } from './routes/carts.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { HEALTH_PATHS, healthRoutes, type ReadinessProbe } from './routes/health.ts';
import { checkoutRoutes } from './routes/checkouts.ts';
import { devMailRoutes } from './routes/dev-mail.ts';
import { reminderPageRoutes } from './routes/reminder-pages.ts';
import { retryPageRoutes } from './routes/retry-page.ts';
import { staticRoutes } from './routes/static.ts';
import { webhookRoutes } from './routes/webhooks.ts';

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
  checkout: CheckoutDeps;
  /** The merchant's records beside the checkout's: refunds asked for, history, the funnel. */
  admin: AdminStores;
  /** What the browser needs to load Stripe.js (real keys, or the emulator's) and the webhook signing secret. */
  stripe: { publishableKey: string; jsUrl: string; webhookSecret: string; sources: StripeSources };
  /** The dev mailbox to browse at /dev/mail (development without SMTP only). */
  devMailbox?: DevMailbox;
  logger: Logger;
  clock: () => number;
  /** Rate limits on the cart and checkout routes (server/http/shop-limits.ts). */
  limits: ShopLimits;
  /** What `GET /readyz` asks, one probe per dependency this host was configured with. */
  readiness: Record<string, ReadinessProbe>;
}

const KB = 1024;

/** Every route of the server, one router per resource. Its type is the API's (AppType). */
export function createApp(deps: AppDeps) {
  const { config } = deps;
  const app = new Hono();
  app.onError(onError(deps.logger));
  app.notFound(notFound);

  const adminBody = limitBody(2048 * KB);
  const shopperBody = limitBody(16 * KB);
  app.use('*', accessLog(deps.logger, { quietPaths: HEALTH_PATHS }));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin', crossOriginOpenerPolicy: false }));
  app.use('*', rejectMalformedPath());
  app.use('/api/*', embedCors(config));
  app.use('/api/*', async (c, next) => (c.req.path.startsWith('/api/admin/') ? adminBody : shopperBody)(c, next));

  const publicConfig = (): PublicConfig => ({
    publishableKey: deps.stripe.publishableKey, currency: config.currency, locale: config.locale,
    stripeJsUrl: deps.stripe.jsUrl, taxRateBps: config.taxRateBps, shopUrl: deps.checkout.settings.shopUrl,
  });
  // Chained, so the routes' request and response types add up to AppType for the widget's client.
  const routes = app
    .route('/api', catalogRoutes({ catalog: deps.catalog, publicConfig, publicUrl: config.publicUrl, clock: deps.clock }))
    .route('/api/carts', cartRoutes(deps.carts, deps.checkout, deps.limits))
    .route('/api/checkouts', checkoutRoutes(deps.checkout))
    .route('/api/admin', adminRoutes({
      adminToken: config.adminToken, catalog: deps.catalog, checkout: deps.checkout, stores: deps.admin, currency: config.currency, clock: deps.clock,
    }))
    .route('/webhooks', webhookRoutes(deps.checkout, deps.stripe.webhookSecret))
    .route('/checkout', retryPageRoutes(deps.checkout, { stripe: deps.stripe.sources, widgetPath: '/checkout-cart.js' }))
    .route('/', reminderPageRoutes(deps.checkout, { stripe: deps.stripe.sources, widgetPath: '/checkout-cart.js' }));
  // Outside /api: no CORS, no rate limit, no body; a balancer's probe is not a shopper.
  app.route('/', healthRoutes({ probes: deps.readiness, logger: deps.logger }));
  if (deps.devMailbox) app.route('/dev/mail', devMailRoutes(deps.devMailbox));
  app.route('/admin', adminConsoleRoutes());
  app.route('/', staticRoutes({ stripe: deps.stripe.sources }));
  return routes;
}

/** The server's routes as types: what `hc<AppType>` (hono/client) calls, with their bodies and answers. */
export type AppType = ReturnType<typeof createApp>;
