/**
 * Chaos, part 1: the server process is SIGKILLed at random points while shoppers build carts, check
 * out and pay, and started again on the same port and database. The emulator runs in its own
 * process, as Stripe does, and retries the webhooks the dead server missed. At the end every
 * succeeded PaymentIntent is exactly one order with one confirmation email, and stock and coupon
 * uses moved by exactly what was paid for.
 *
 * Nobody reads a checkout's status here (a status read would make the order itself): orders come
 * only from webhooks, so a webhook lost to a crash would show as a lost order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { WEBHOOK_LEASE_MS } from '../../server/stores/webhook-event-store.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { chaosSeed, confirmPayment, orderLedger, outboxBusy, printSummary, seededRandom, settles } from '../helpers/chaos.ts';
import { processDatabase, sqlRows } from '../helpers/db.ts';
import { startEmulatorProcess } from '../helpers/emulator-process.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

const CHECKOUTS = 40;
/** A shopper whose checkout request died with the server waits out that checkout's 20 s claim
 * (INTENT_CLAIM_MS) on retrying; the others keep shopping meanwhile. */
const SHOPPERS_AT_ONCE = 8;
const KILLS = 8;
/** Short retries, but enough of them (about 105 s in all) to outlast what a kill leaves: the
 * killed server's claim on the event it was handling (WEBHOOK_LEASE_MS, 30 s), on top of restarts
 * that may come back to back, each taking seconds on a loaded machine. A webhook that ran out of
 * retries would show as a lost order though the server lost nothing. */
const WEBHOOK_RETRY_MS = ['100,200,300,500,800,1000,1000,1500,1500', ...Array(Math.ceil((WEBHOOK_LEASE_MS + 70_000) / 2000)).fill('2000')].join(',');
/** Every shopper request answered (not refused by a dead server) moves this clock; kills are placed on it. */
const MIN_ANSWERS_PER_SHOPPER = 4;

const seedCatalog = JSON.parse(readFileSync('server/catalog/seed.json', 'utf8')) as { products: { id: string; stock: number }[] };
const openingStock = new Map(seedCatalog.products.map((p) => [p.id, p.stock]));
const PRODUCTS = ['tee-black', 'tee-white', 'mug-stone', 'cap-navy', 'hoodie-grey'];

interface Plan { index: number; lines: [productId: string, quantity: number][]; coupon: boolean; declineFirst: boolean }
interface Paid { plan: Plan; checkoutId: string; intentId: string; amount: number }

class ServerGone extends Error {}

/** A server process's log lines at warn or error. */
const troubleIn = (output: string) => output.split('\n').filter((line) => /"level":"(warn|error)"/.test(line));

/** Carts that never ask for more than the demo stock, so every checkout can be paid. */
function planCheckouts(random: ReturnType<typeof seededRandom>): Plan[] {
  const left = new Map(PRODUCTS.map((id) => [id, openingStock.get(id)!]));
  return Array.from({ length: CHECKOUTS }, (_, index) => {
    const lines: Plan['lines'] = [];
    for (const productId of [...PRODUCTS].sort(() => random.next() - 0.5).slice(0, random.int(1, 2))) {
      const quantity = Math.min(random.int(1, 2), left.get(productId)!);
      if (quantity === 0) continue;
      left.set(productId, left.get(productId)! - quantity);
      lines.push([productId, quantity]);
    }
    if (lines.length === 0) {
      // The products drawn are sold out in the plan (the 3 limited prints go fast): take one of
      // whichever has the most left, so every seed makes a payable plan.
      const [productId, stock] = [...left].sort((a, b) => b[1] - a[1])[0]!;
      if (stock === 0) throw new Error('the plan ran out of stock: lower CHECKOUTS');
      left.set(productId, stock - 1);
      lines.push([productId, 1]);
    }
    return { index, lines, coupon: random.next() < 0.35, declineFirst: random.next() < 0.25 };
  });
}

describe('chaos: the server SIGKILLed while checkouts are paid', () => {
  it('makes every succeeded payment exactly one order and one email, and moves stock and coupon uses exactly', async (t) => {
    const seed = chaosSeed('kill-server');
    const random = seededRandom(seed);
    const plans = planCheckouts(random);
    const answerCount = CHECKOUTS * MIN_ANSWERS_PER_SHOPPER;
    // At least 20 answers after the last kill point: shoppers still talk to the server after it, so it happens.
    const killAt = [...new Set(Array.from({ length: KILLS }, () => random.int(3, answerCount - 20)))].sort((a, b) => a - b);
    const killDelays = killAt.map(() => random.int(0, 40));
    const plannedKills = killAt.length;

    const dir = tempDir('chaos-kill-');
    const database = await processDatabase(dir.path);
    const mailDir = join(dir.path, 'mail');
    const emulator = await startEmulatorProcess({ STRIPE_EMULATOR_WEBHOOK_RETRY_MS: WEBHOOK_RETRY_MS });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let server: MainProcess | undefined;
    /** What each server process warned of or failed on, to show should a payment go missing. */
    const troubles: string[] = [];
    t.after(async () => {
      if (server?.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await emulator.stop();
      await database.remove();
      dir.remove();
    });

    const startServer = async () => {
      const started = startMain({
        PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, STRIPE_API_URL: emulator.url, ...database.env, MAIL_DIR: mailDir,
        SWEEP_INTERVAL_SECONDS: '1', RECOVERY_EMAIL_DELAY_MINUTES: '0', RATE_LIMITS: 'off', NODE_ENV: 'development',
        REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', ADMIN_TOKEN: '',
      });
      server = started;
      void started.exited.then(() => troubles.push(...troubleIn(started.output())));
      await eventually(() => {
        if (started.child.exitCode !== null) throw new Error(`the server exited on start:\n${started.output()}`);
        return started.output().includes('Checkout server on') ? true : undefined;
      }, 'the server\'s banner');
    };

    let requests = 0;
    let answered = 0;
    let serverErrors = 0;
    let kills = 0;
    let cycle: Promise<void> | undefined;
    /** SIGKILL, as a crash: no shutdown, no goodbye to open requests or webhook deliveries. */
    const killAndRestart = async (delayMs: number) => {
      await new Promise((r) => setTimeout(r, delayMs));
      const victim = server!;
      victim.child.kill('SIGKILL');
      await victim.exited;
      kills++;
      await startServer();
    };
    const maybeKill = () => {
      if (cycle || killAt.length === 0 || answered < killAt[0]!) return;
      killAt.shift();
      cycle = killAndRestart(killDelays.shift()!).finally(() => { cycle = undefined; });
    };

    /** One request; a refused or cut connection is a ServerGone, whatever the server did with it. */
    const send = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      requests++;
      let res: Response;
      let text: string;
      try {
        res = await fetch(url + path, {
          method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
        });
        text = await res.text();
      } catch {
        throw new ServerGone();
      }
      answered++;
      if (res.status >= 500) serverErrors++;
      maybeKill();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    /** For requests that may safely be sent again: retried while the server is down (bounded). */
    const call = async <T>(method: string, path: string, body: unknown, want: number): Promise<T> => {
      for (let attempt = 0; attempt < 600; attempt++) {
        try {
          const res = await send<T>(method, path, body);
          if (res.status !== want) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body;
        } catch (err) {
          if (!(err instanceof ServerGone)) throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error(`${method} ${path}: the server never came back`);
    };
    /** Adding twice would double a line, so a cut add is checked against the cart before it is sent again. */
    const ensureLine = async (cartId: string, productId: string, quantity: number) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const { cart } = await call<{ cart: Cart }>('GET', `/api/carts/${cartId}`, undefined, 200);
        const line = cart.items.find((l) => l.productId === productId);
        if (line?.quantity === quantity) return;
        try {
          const res = line
            ? await send('PATCH', `/api/carts/${cartId}/items/${productId}`, { quantity })
            : await send('POST', `/api/carts/${cartId}/items`, { productId, quantity });
          if (res.status !== 200) throw new Error(`adding ${productId}: ${res.status} ${JSON.stringify(res.body)}`);
          return;
        } catch (err) {
          if (!(err instanceof ServerGone)) throw err;
        }
      }
      throw new Error(`adding ${productId} never went through`);
    };

    const shop = async (plan: Plan): Promise<Paid> => {
      const { cart } = await call<{ cart: Cart }>('POST', '/api/carts', undefined, 201);
      for (const [productId, quantity] of plan.lines) await ensureLine(cart.id, productId, quantity);
      if (plan.coupon) await call('POST', `/api/carts/${cart.id}/coupon`, { code: 'WELCOME15' }, 200);
      // A checkout asked for again gets the same checkout and PaymentIntent (one live PaymentIntent per checkout).
      const started = await call<CheckoutCreated>('POST', `/api/carts/${cart.id}/checkout`, { email: `shopper-${plan.index}@example.com`, shipping: US_SHIPPING }, 200);
      const intentId = started.clientSecret.split('_secret_')[0]!;
      if (plan.declineFirst) {
        await assert.rejects(confirmPayment(emulator.stripe, intentId, 'pm_card_chargeDeclined'), Stripe.errors.StripeCardError);
      }
      const paid = await confirmPayment(emulator.stripe, intentId);
      assert.equal(paid.status, 'succeeded');
      return { plan, checkoutId: started.checkoutId, intentId, amount: started.amount };
    };

    await startServer();
    const reader = await database.reader();
    const queue = [...plans];
    const paid: Paid[] = [];
    await Promise.all(Array.from({ length: SHOPPERS_AT_ONCE }, async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) paid.push(await shop(plan));
    }));
    await cycle;
    // One more crash with the last webhooks and emails in flight; what follows is the last restart.
    await killAndRestart(random.int(0, 40));

    const succeeded = (await emulator.stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }))
      .filter((pi) => pi.status === 'succeeded').map((pi) => pi.id);
    // Bounded by attempts: Stripe's retries (WEBHOOK_RETRY_MS, about 105 s) and an email lease cut by a kill (30 s) both end by themselves.
    await settles(async () => (await orderLedger(reader, mailDir, succeeded)).lost.length === 0 && await outboxBusy(reader) === 0, 1300);

    const { found, duplicates, lost, confirmations } = await orderLedger(reader, mailDir, succeeded);
    printSummary('kill-server', { requests, faults: kills, ordersExpected: succeeded.length, ordersFound: found, duplicates, lost: lost.length, serverErrors });

    assert.equal(duplicates, 0, 'no checkout with two orders, no order with two confirmation emails');
    assert.deepEqual(lost, [], `succeeded payments with neither an order nor a refund; the servers' warnings and errors:\n${[...troubles, ...troubleIn(server!.output())].join('\n')}`);
    assert.equal(serverErrors, 0, 'no shopper request answered 5xx');
    assert.equal(kills, plannedKills + 1, 'every planned kill happened, and the last one');
    assert.equal(succeeded.length, CHECKOUTS, 'each checkout paid exactly once');
    assert.equal(found, CHECKOUTS);
    assert.deepEqual(await sqlRows(reader, 'SELECT * FROM automatic_refunds'), [], 'no payment needed an automatic refund');
    assert.equal(await outboxBusy(reader), 0, 'every email was sent');

    const orders = await sqlRows<{ id: string; number: string; checkout_id: string; payment_intent_id: string; status: string; total: number; coupon_code: string | null }>(reader, 'SELECT * FROM orders');
    const byIntent = new Map(orders.map((o) => [o.payment_intent_id, o]));
    for (const p of paid) {
      const order = byIntent.get(p.intentId);
      assert.deepEqual([order?.checkout_id, order?.status, order?.total, order?.coupon_code], [p.checkoutId, 'paid', p.amount, p.plan.coupon ? 'WELCOME15' : null], `checkout ${p.plan.index}`);
      const items = await sqlRows<{ product_id: string; quantity: number }>(reader, 'SELECT product_id, quantity FROM order_items WHERE order_id = ? ORDER BY product_id', order!.id);
      assert.deepEqual(items.map((i) => [i.product_id, i.quantity]), [...p.plan.lines].sort((a, b) => a[0].localeCompare(b[0])), `checkout ${p.plan.index}'s items`);
      assert.equal(confirmations.get(order!.number), 1, `one confirmation email for order ${order!.number}`);
    }

    const sold = new Map<string, number>();
    for (const p of paid) for (const [id, q] of p.plan.lines) sold.set(id, (sold.get(id) ?? 0) + q);
    const stock = await sqlRows<{ id: string; stock: number }>(reader, 'SELECT id, stock FROM products ORDER BY id');
    assert.deepEqual(stock, [...openingStock].map(([id, opening]) => ({ id, stock: opening - (sold.get(id) ?? 0) })).sort((a, b) => a.id.localeCompare(b.id)), 'stock down by exactly what was paid for');
    const uses = await sqlRows<{ code: string; uses: number }>(reader, 'SELECT code, uses FROM coupons ORDER BY code');
    const withCoupon = plans.filter((p) => p.coupon).length;
    assert.deepEqual(uses, [{ code: 'EXPIRED20', uses: 0 }, { code: 'TENOFF', uses: 0 }, { code: 'USEDUP50', uses: 0 }, { code: 'WELCOME15', uses: withCoupon }], 'one coupon use per paid checkout that had the code');
    assert.equal(server!.child.exitCode, null, 'the last server is still running');
  });
});
