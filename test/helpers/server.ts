/**
 * A whole server for tests, as `npm start` builds it: real SQLite in a temp folder (or a
 * PostgreSQL schema of its own with TEST_DATABASE=postgres, see ./db.ts), real Redis
 * when asked, the Stripe emulator on a free port delivering signed webhooks over HTTP, and the
 * dev mailbox (or SMTP). Background jobs are off: tests run the outbox and sweeper by hand.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import type { Cart, CheckoutCreated, ShippingBody } from '../../shared/api.ts';
import { readEnv } from '../../server/config.ts';
import { composeServices, type Services } from '../../server/compose.ts';
import { serveApp } from '../../server/http/node-server.ts';
import { consoleLogger, silentLogger } from '../../server/logger.ts';
import { fetchJson, type JsonAnswer, type JsonRequest } from './fetch-json.ts';
import { TEST_REDIS_URL } from './redis.ts';
import { tempDir } from './temp.ts';
import { sqlRun, sqlValue, testDatabaseLocation } from './db.ts';

export { US_SHIPPING } from './shipping.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer extends Services {
  url: string;
  dir: string;
  /** Where its database is: open a second connection to it with `openDatabase(s.database)`. */
  database: { url: string | undefined; path: string };
  /** The Stripe client the server uses (emulated). */
  sdk: Stripe;
  api<T = unknown>(path: string, init?: JsonRequest): Promise<JsonAnswer<T>>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  store?: 'sqlite' | 'redis';
  env?: Record<string, string>;
  clock?: () => number;
  /** Sees a copy of every request the server answered, and of its answer, before the client gets it. */
  observe?: (request: Request, answer: Response) => void | Promise<void>;
  /**
   * Keep the demo catalog's shipping rates, so carts with shippable products need an address and a
   * rate at checkout, as in the demo. Off by default: the demo's rates are then withdrawn (as a shop
   * with no rates has them), and the many tests about payments keep the totals they assert.
   */
  shipping?: boolean;
}

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dir = tempDir();
  const database = await testDatabaseLocation(dir.path);
  let handler: (req: Request, bindings?: unknown) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  // The bindings carry the socket: rate limits key on the client's address.
  const server = serveApp({ fetch: (req, bindings) => handler(req, bindings), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const env = readEnv({
    NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: url, DATABASE_PATH: database.path,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    MAIL_DIR: join(dir.path, 'mail'), ADMIN_TOKEN, STRIPE_EMULATOR_PORT: '0',
    // Many tests shop from one address far faster than anyone could; the rate-limit tests set their own.
    RATE_LIMITS: 'off',
    ...(o.store === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...o.env,
  });
  // TEST_LOG=1 shows what the server logs (a failing test's 5xx, say).
  const logger = process.env.TEST_LOG ? consoleLogger() : silentLogger;
  const services = await composeServices(env, { logger, port, jobs: false, clock: o.clock });
  if (!o.shipping) await sqlRun(services.db, 'UPDATE shipping_rates SET active = 0');
  handler = o.observe ? observed(services.app.fetch, o.observe) : services.app.fetch;
  services.listening(port);

  return {
    ...services, url, dir: dir.path, database: { url: database.url, path: database.path }, sdk: services.stripe.client, api: (path, init) => fetchJson(url + path, init),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
      await database.drop();
      dir.remove();
    },
  };
}

function observed(
  fetch: (req: Request, bindings?: unknown) => Response | Promise<Response>,
  observe: NonNullable<TestServerOptions['observe']>,
): typeof fetch {
  return async (req, bindings) => {
    const copy = req.clone();
    const res = await fetch(req, bindings);
    await observe(copy, res.clone());
    return res;
  };
}

/** A cart with the given lines (and coupon), through the public API. */
export async function cartWith(s: TestServer, lines: [productId: string, quantity: number][], coupon?: string): Promise<Cart> {
  let { body } = await s.api<{ cart: Cart }>('/api/carts', { method: 'POST' });
  const id = body.cart.id;
  for (const [productId, quantity] of lines) {
    const res = await s.api<{ cart: Cart }>(`/api/carts/${id}/items`, { json: { productId, quantity } });
    if (res.status !== 200) throw new Error(`add ${productId}: ${JSON.stringify(res.body)}`);
    body = res.body;
  }
  if (coupon) {
    const res = await s.api<{ cart: Cart }>(`/api/carts/${id}/coupon`, { json: { code: coupon } });
    if (res.status !== 200) throw new Error(`coupon ${coupon}: ${JSON.stringify(res.body)}`);
    body = res.body;
  }
  return body.cart;
}

export async function checkout(s: TestServer, cartId: string, email = 'shopper@example.com', shipping?: ShippingBody) {
  return s.api<CheckoutCreated & { error?: { code: string } }>(`/api/carts/${cartId}/checkout`, { json: { email, ...(shipping ? { shipping } : {}) } });
}

export const paymentIntentId = (clientSecret: string) => clientSecret.split('_secret_')[0]!;

/** Where the shop's page is when it pays: Stripe needs a `return_url` for a confirm that may redirect. */
export const returnUrl = (s: TestServer) => `${s.url}/`;

/** Pays as Stripe.js would, with a test payment method and the page's `return_url`; declines resolve with the error. */
export async function pay(s: TestServer, clientSecret: string, paymentMethod = 'pm_card_visa'): Promise<Stripe.PaymentIntent | Stripe.errors.StripeError> {
  try {
    return await s.sdk.paymentIntents.confirm(paymentIntentId(clientSecret), { payment_method: paymentMethod, return_url: returnUrl(s) });
  } catch (err) {
    return err as Stripe.errors.StripeError;
  }
}

/**
 * Pays with the emulator's redirect method as a shopper's browser would: confirm (Stripe.js sends
 * the shopper to the method's page), pick `result` on that page, and follow its redirect back.
 * Resolves with the `return_url` Stripe sends the shopper back to (`redirect_status` and all).
 */
export async function payByRedirect(s: TestServer, clientSecret: string, result: 'authorize' | 'settle_later' | 'fail_later' | 'fail'): Promise<URL> {
  const intent = await s.sdk.paymentIntents.confirm(paymentIntentId(clientSecret), { payment_method_data: { type: 'paypal' }, return_url: returnUrl(s) });
  const page = intent.next_action?.redirect_to_url?.url;
  if (!page) throw new Error(`no redirect for ${intent.id} (${intent.status})`);
  const answer = await fetch(page, { method: 'POST', body: new URLSearchParams({ result }), redirect: 'manual' });
  return new URL(answer.headers.get('location')!);
}

/** Every webhook the emulator queued has been delivered and handled. */
export async function webhooksSettled(s: TestServer): Promise<void> {
  await s.stripe.emulator!.webhooks.flush();
  await s.stripe.emulator!.webhooks.idle();
}

/** The first column of a one-row query (`?` placeholders), on whichever engine the test runs. */
export function count(s: TestServer, sql: string, ...params: unknown[]): Promise<number> {
  return sqlValue<number>(s.db, sql, ...params);
}

/** Completes or fails the 3D Secure challenge as the shopper would in the emulator's modal. */
export async function authenticate(s: TestServer, clientSecret: string, result: 'complete' | 'fail'): Promise<void> {
  await s.stripe.emulator!.authenticate(paymentIntentId(clientSecret), result);
}

/**
 * A second host beside `first`: another server on its database and its Stripe emulator
 * (STRIPE_API_URL, as a host is pointed at Stripe), with its own webhook endpoint and secret.
 * Stop it before `first`, whose database it uses.
 */
export function startSecondHost(first: TestServer, o: TestServerOptions = {}): Promise<TestServer> {
  return startTestServer({
    ...o,
    env: {
      DATABASE_PATH: first.database.path, ...(first.database.url ? { DATABASE_URL: first.database.url } : {}),
      STRIPE_API_URL: first.stripe.emulator!.url, ...o.env,
    },
  });
}
