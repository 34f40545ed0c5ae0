/**
 * Chaos, part 2: a Redis of the test's own is SIGKILLed (twice) under steady cart traffic from
 * several shoppers, and started again. While it is down every cart request answers 503
 * cart_store_unavailable and the catalog keeps serving; payments made meanwhile still become
 * orders (webhooks and fulfilment run on the database, SQLite or PostgreSQL); once it is back carts
 * work again without a restart, and the process never answers another 5xx or dies.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { chaosSeed, confirmPayment, orderLedger, outboxBusy, printSummary, seededRandom, settles } from '../helpers/chaos.ts';
import { processDatabase } from '../helpers/db.ts';
import { eventually, freePort, startMain } from '../helpers/main-process.ts';
import { spareRedisPort, startOwnRedis, type OwnRedis } from '../helpers/redis-server.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

const OUTAGES = 2;
const SHOPPERS = 4;
const PAID_DURING_EACH_OUTAGE = 3;
/** Per shopper: an upper bound on its loop, far above what the phases below need. */
const MAX_STEPS = 5_000;
/** What the traffic puts in carts (and holds, when it checks out); the purchases buy mugs, which it never holds. */
const PRODUCTS = ['tee-black', 'tee-white', 'cap-navy', 'hoodie-grey'];
/** High enough that one address making all this traffic is never refused, low enough that the limiter (in Redis) runs. */
const RATE_LIMITS = ['cartsPerIp', 'couponPerIp', 'couponPerCart', 'checkoutsPerIp', 'checkoutsPerCart'].map((name) => `${name}=1000000/600`).join(',');

type Phase = 'up' | 'down' | 'recovering';
type Answer = { status: number; body: { error?: { code: string } } & Record<string, unknown> };

describe('chaos: Redis killed under cart traffic', () => {
  it('answers carts 503 while Redis is down, makes orders of payments meanwhile, and serves carts again once it is back', async (t) => {
    const seed = chaosSeed('redis-outage');
    const random = seededRandom(seed);
    const dir = tempDir('chaos-redis-');
    const database = await processDatabase(dir.path);
    const mailDir = join(dir.path, 'mail');
    const redisPort = await spareRedisPort(6400, 6409);
    let redis: OwnRedis = await startOwnRedis(redisPort);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, STRIPE_EMULATOR_PORT: '0', ...database.env, MAIL_DIR: mailDir,
      REDIS_URL: redis.url, RATE_LIMITS, SWEEP_INTERVAL_SECONDS: '1', RECOVERY_EMAIL_DELAY_MINUTES: '0', NODE_ENV: 'development',
      SMTP_URL: '', STRIPE_SECRET_KEY: '', STRIPE_API_URL: '', STRIPE_WEBHOOK_SECRET: '', ADMIN_TOKEN: '',
    });
    t.after(async () => {
      if (main.child.exitCode === null) {
        main.child.kill('SIGTERM');
        await main.exited;
      }
      await redis.kill();
      await database.remove();
      dir.remove();
    });
    await eventually(() => {
      if (main.child.exitCode !== null) throw new Error(`the server exited on start:\n${main.output()}`);
      return main.output().includes('Checkout server on') ? true : undefined;
    }, 'the server\'s banner');
    const reader = await database.reader();
    const stripe = stripeClientFor(/emulated at (http:\/\/\S+)/.exec(main.output())![1]!);

    let phase: Phase = 'up';
    let requests = 0;
    let answered = 0;
    let faults = 0;
    let serverErrors = 0;
    let cartAnswersWhileDown = 0;
    const wrongWhileDown: string[] = [];

    /** Every request, judged: a 503 is right only for a cart route, and while Redis is down it is the only right cart answer. */
    const send = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      requests++;
      const sentIn = phase;
      const res = await fetch(url + path, {
        method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer: Answer = { status: res.status, body: await res.json() as Answer['body'] };
      answered++;
      const cartRoute = path.startsWith('/api/carts');
      const unavailable = answer.status === 503 && answer.body.error?.code === 'cart_store_unavailable';
      if (answer.status >= 500 && !(cartRoute && unavailable)) serverErrors++;
      if (sentIn === 'down' && phase === 'down') {
        if (cartRoute) cartAnswersWhileDown++;
        if (cartRoute ? !unavailable : answer.status !== 200) wrongWhileDown.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      return answer;
    };
    const expect = async <T>(method: string, path: string, body: unknown, want: number): Promise<T> => {
      const answer = await send(method, path, body);
      assert.equal(answer.status, want, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      return answer.body as T;
    };

    /** A shopper poking at a cart: whatever it gets back, it carries on (a 404 after Redis lost its carts starts a new one). */
    let trafficStops = false;
    const shopper = async () => {
      let cartId: string | undefined;
      for (let step = 0; step < MAX_STEPS && !trafficStops; step++) {
        const product = random.pick(PRODUCTS);
        const roll = random.next();
        if (!cartId || roll < 0.08) {
          const res = await send('POST', '/api/carts');
          if (res.status === 201) cartId = (res.body.cart as Cart).id;
        } else if (roll < 0.15) {
          await send('GET', '/api/products');
        } else {
          const base = `/api/carts/${cartId}`;
          const [method, path, body]: [string, string, unknown?] =
            roll < 0.45 ? ['POST', `${base}/items`, { productId: product, quantity: 1 }]
            : roll < 0.55 ? ['PATCH', `${base}/items/${product}`, { quantity: random.int(0, 3) }]
            : roll < 0.62 ? ['DELETE', `${base}/items/${product}`]
            : roll < 0.72 ? ['POST', `${base}/coupon`, { code: random.pick(['WELCOME15', 'TENOFF', 'NOPE']) }]
            : roll < 0.76 ? ['DELETE', `${base}/coupon`]
            : roll < 0.77 ? ['POST', `${base}/checkout`, { email: 'traffic@example.com', shipping: US_SHIPPING }]
            : ['GET', base];
          const res = await send(method, path, body);
          if (res.status === 404 && res.body.error?.code === 'cart_not_found') cartId = undefined;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const answersFromNow = (n: number) => {
      const target = answered + n;
      return settles(() => answered >= target, 600);
    };

    /** A cart checked out while Redis is up, to be paid while it is down. */
    const readyToPay = async (email: string): Promise<string> => {
      const { cart } = await expect<{ cart: Cart }>('POST', '/api/carts', undefined, 201);
      await expect('POST', `/api/carts/${cart.id}/items`, { productId: 'mug-stone', quantity: 1 }, 200);
      const started = await expect<CheckoutCreated>('POST', `/api/carts/${cart.id}/checkout`, { email, shipping: US_SHIPPING }, 200);
      return started.clientSecret.split('_secret_')[0]!;
    };
    const ordered = (intentIds: string[]) => settles(async () => (await orderLedger(reader, mailDir, intentIds)).lost.length === 0, 300);

    const traffic = Promise.all(Array.from({ length: SHOPPERS }, shopper));
    try {
      for (let outage = 1; outage <= OUTAGES; outage++) {
        const toPay: string[] = [];
        for (let i = 0; i < PAID_DURING_EACH_OUTAGE; i++) toPay.push(await readyToPay(`outage-${outage}-${i}@example.com`));
        await answersFromNow(random.int(20, 80));

        await redis.kill();
        faults++;
        phase = 'down';
        for (const intentId of toPay) assert.equal((await confirmPayment(stripe, intentId)).status, 'succeeded');
        assert.ok(await ordered(toPay), `payments made while Redis is down became orders (outage ${outage})`);
        await answersFromNow(random.int(40, 120));

        phase = 'recovering';
        redis = await startOwnRedis(redisPort);
        await eventually(async () => ((await send('POST', '/api/carts')).status === 201 ? true : undefined), 'a cart once Redis is back');
        phase = 'up';
        // A whole purchase on the recovered Redis, on the same server process.
        const intentId = await readyToPay(`after-${outage}@example.com`);
        assert.equal((await confirmPayment(stripe, intentId)).status, 'succeeded');
        assert.ok(await ordered([intentId]), `a payment after Redis came back became its order (outage ${outage})`);
        await answersFromNow(random.int(20, 60));
      }
    } finally {
      trafficStops = true;
      await traffic;
    }

    const succeeded = (await stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }))
      .filter((pi) => pi.status === 'succeeded').map((pi) => pi.id);
    await settles(async () => await outboxBusy(reader) === 0, 300);
    const { found, duplicates, lost } = await orderLedger(reader, mailDir, succeeded);
    printSummary('redis-outage', { requests, faults, ordersExpected: succeeded.length, ordersFound: found, duplicates, lost: lost.length, serverErrors });

    assert.equal(serverErrors, 0, 'no 5xx but 503 cart_store_unavailable on cart routes');
    assert.deepEqual(wrongWhileDown, [], 'while Redis was down: cart routes 503 cart_store_unavailable, the catalog 200');
    assert.ok(cartAnswersWhileDown > 0, 'cart traffic went on during the outages');
    assert.equal(succeeded.length, OUTAGES * (PAID_DURING_EACH_OUTAGE + 1));
    assert.equal(found, succeeded.length);
    assert.equal(duplicates, 0);
    assert.deepEqual(lost, []);
    assert.equal(main.child.exitCode, null, 'the server is still running');
    assert.match(main.output(), /redis reachable again/, 'and saw Redis come back');
  });
});
