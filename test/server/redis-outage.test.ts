/**
 * Redis goes down under the real server process (its own Redis, killed with SIGKILL as a crash
 * would): carts answer 503 at once, payments still become orders through the database, the process keeps
 * running, and carts come back when Redis does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { processDatabase, sqlValue, type ProcessDatabase } from '../helpers/db.ts';
import { fetchJson } from '../helpers/fetch-json.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { spareRedisPort, startOwnRedis, type OwnRedis } from '../helpers/redis-server.ts';
import { openStatusStream } from '../helpers/sse.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

describe('a Redis outage', () => {
  const dir = tempDir();
  let database: ProcessDatabase;
  let redis: OwnRedis;
  let redisPort = 0;
  let main: MainProcess;
  let url = '';
  let emulatorUrl = '';
  let cart: Cart;
  let started: CheckoutCreated;

  const api = <T = { error?: { code: string } }>(method: string, path: string, json?: unknown) => fetchJson<T>(url + path, { method, json });

  before(async () => {
    database = await processDatabase(dir.path);
    redisPort = await spareRedisPort();
    redis = await startOwnRedis(redisPort);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, STRIPE_EMULATOR_PORT: '0', ...database.env,
      MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: redis.url, SMTP_URL: '', STRIPE_SECRET_KEY: '',
    });
    emulatorUrl = await eventually(() => /emulated at (http:\/\/\S+)/.exec(main.output())?.[1], `the start-up banner:\n${main.output()}`);
    cart = (await api<{ cart: Cart }>('POST', '/api/carts')).body.cart;
    assert.equal((await api('POST', `/api/carts/${cart.id}/items`, { productId: 'tee-black', quantity: 1 })).status, 200);
    started = (await api<CheckoutCreated>('POST', `/api/carts/${cart.id}/checkout`, { email: 'outage@example.com', shipping: US_SHIPPING })).body;
    await redis.kill();
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    await redis.kill();
    await database.remove();
    dir.remove();
  });

  it('answers every cart request with 503 cart_store_unavailable and keeps the catalog serving', async () => {
    const requests: [string, string, unknown?][] = [
      ['POST', '/api/carts'],
      ['GET', `/api/carts/${cart.id}`],
      ['POST', `/api/carts/${cart.id}/items`, { productId: 'mug-stone', quantity: 1 }],
      ['PATCH', `/api/carts/${cart.id}/items/tee-black`, { quantity: 2 }],
      ['DELETE', `/api/carts/${cart.id}/items/tee-black`],
      ['POST', `/api/carts/${cart.id}/coupon`, { code: 'WELCOME15' }],
      ['POST', `/api/carts/${cart.id}/checkout`, { email: 'outage@example.com', shipping: US_SHIPPING }],
    ];
    for (const [method, path, body] of requests) {
      const res = await api(method, path, body);
      assert.deepEqual([res.status, res.body.error?.code], [503, 'cart_store_unavailable'], `${method} ${path}`);
    }
    assert.equal((await api('GET', '/api/products')).status, 200);
  });

  it('turns a payment made meanwhile into exactly one order, tells the open status stream, and keeps running', async () => {
    const stream = await openStatusStream(`${url}/api/checkouts/${started.checkoutId}/events`);
    assert.equal((await stream.next())?.status, 'pending');
    const stripe = stripeClientFor(emulatorUrl);
    await stripe.paymentIntents.confirm(started.clientSecret.split('_secret_')[0]!, { payment_method: 'pm_card_visa', return_url: `${url}/` });

    assert.equal((await stream.next())?.status, 'paid', 'the stream hears of the order though Redis pub/sub is down');
    assert.equal(await stream.next(), null, 'and ends');
    assert.equal(await sqlValue(await database.reader(), 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.checkoutId), 1);
    assert.match(main.output(), /status publish failed/, 'the failed publish was logged');
    assert.match(main.output(), /cart store unavailable.*"operation":"get"/, 'so was the cart that could not be cleared');
    assert.equal(main.child.exitCode, null, 'the process is still running');
    assert.equal((await api('GET', `/api/checkouts/${started.checkoutId}`)).status, 200);
  });

  it('serves carts again once Redis is back, without a restart', async () => {
    redis = await startOwnRedis(redisPort);
    const fresh = await eventually(async () => {
      const res = await api<{ cart: Cart }>('POST', '/api/carts');
      return res.status === 201 ? res.body.cart : undefined;
    }, 'a cart created after Redis came back');
    const added = await api<{ cart: Cart }>('POST', `/api/carts/${fresh.id}/items`, { productId: 'mug-stone', quantity: 2 });
    assert.equal(added.status, 200);
    assert.equal(added.body.cart.itemCount, 2);
    assert.equal(main.child.exitCode, null);
  });
});
