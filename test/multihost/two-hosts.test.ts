/**
 * Two hosts, as a shop past one machine runs: two server processes that share no file (each its own
 * working directory and dev mailbox), one PostgreSQL database made for the run, one Redis (under a key prefix of this run's), one
 * Stripe emulator in a process of its own, and a round-robin proxy in front (./round-robin-proxy.ts)
 * that shoppers and Stripe's webhooks both go through, every webhook sent three times to either
 * host. 200 shoppers check out, some racing for a scarce product and a coupon with few uses left,
 * each watching its checkout's status stream on the host it did not check out on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cart, CheckoutCreated, CheckoutState } from '../../shared/api.ts';
import { confirmPayment, mailSubjects } from '../helpers/chaos.ts';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.ts';
import { fetchJson, type JsonAnswer } from '../helpers/fetch-json.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { openStatusStream } from '../helpers/sse.ts';
import { tempDir } from '../helpers/temp.ts';
import { startRoundRobinProxy, UPSTREAM_HEADER, type RoundRobinProxy, type WebhookCopy } from './round-robin-proxy.ts';
import { sharedDatabase, type SharedDatabase } from './shared-database.ts';

const SHOPPERS = 200;
const SHOPPERS_AT_ONCE = 10;
const DROP_STOCK = 30;
const COUPON_USES = 50;
const BULK_STOCK = 1000;
const ADMIN_TOKEN = 'multihost-admin-token-0123456789';
const APP_SECRET = 'multihost-app-secret-0123456789-0123456789';
const HOSTS = ['a', 'b'] as const;
type HostName = typeof HOSTS[number];

const serverEntry = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

/** Shopper i buys 1-3 of the bulk product; every fourth also wants the scarce drop, every other the coupon. */
interface Plan { index: number; units: number; wantsDrop: boolean; wantsCoupon: boolean }
interface Outcome {
  plan: Plan; checkoutId: string; paymentIntentId: string; amount: number;
  gotDrop: boolean; gotCoupon: boolean; checkedOutOn: HostName; streamedOn: HostName; streamed: CheckoutState[];
}

describe('two hosts sharing one database, one Redis and one Stripe', () => {
  let database: SharedDatabase;
  let emulator: EmulatorProcess;
  let proxy: RoundRobinProxy;
  const hostDirs = HOSTS.map((name) => tempDir(`multihost-${name}-`));
  const hosts: MainProcess[] = [];
  const redisPrefix = uniquePrefix('multihost');

  const api = <T>(method: string, path: string, o: { json?: unknown; host?: HostName; admin?: boolean } = {}): Promise<JsonAnswer<T>> =>
    fetchJson<T>(proxy.url + path, {
      method, json: o.json,
      headers: { ...(o.host ? { [UPSTREAM_HEADER]: o.host } : {}), ...(o.admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}) },
    });

  before(async () => {
    database = await sharedDatabase();
    emulator = await startEmulatorProcess();
    const ports = [await freePort(), await freePort()];
    proxy = await startRoundRobinProxy(HOSTS.map((name, i) => ({ name, port: ports[i]! })));
    // The same environment but the port, as a deploy gives each host; the working directory is the host's own.
    const started = HOSTS.map((name, i) => startMain({
      ...database.env, PORT: String(ports[i]), HOST: '127.0.0.1', PUBLIC_URL: proxy.url, NODE_ENV: 'production',
      STRIPE_API_URL: emulator.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redisPrefix, MAIL_DIR: 'mail',
      ADMIN_TOKEN, APP_SECRET, RATE_LIMITS: `cartsPerIp=${SHOPPERS * 2}/600,checkoutsPerIp=${SHOPPERS * 4}/600,couponPerIp=${SHOPPERS * 2}/600`,
      SMTP_URL: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', STRIPE_PUBLISHABLE_KEY: '',
    }, { args: ['--import', tsxLoader, serverEntry], cwd: hostDirs[i]!.path }));
    hosts.push(...started);
    await Promise.all(started.map((host, i) => eventually(() => {
      if (host.child.exitCode !== null) throw new Error(`host ${HOSTS[i]} exited on start:\n${host.output()}`);
      return host.output().includes('Checkout server on') ? true : undefined;
    }, `host ${HOSTS[i]}'s banner`)));
    for (const name of HOSTS) assert.equal((await api('GET', '/readyz', { host: name })).status, 200, `host ${name} ready`);
    const loaded = await api('PUT', '/api/admin/catalog', {
      admin: true,
      json: {
        products: [{ id: 'bulk', name: 'Bulk item', price: 1000, stock: BULK_STOCK, shippable: false }, { id: 'drop', name: 'Limited drop', price: 5000, stock: DROP_STOCK, shippable: false }],
        coupons: [{ code: 'FEW', type: 'percentage', value: 10, maxUses: COUPON_USES }],
      },
    });
    assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
  });

  after(async () => {
    // What went wrong on the hosts, if anything did: their warnings and errors, not every access-log line.
    hosts.forEach((host, i) => {
      const trouble = host.output().split('\n').filter((l) => /"level":"(warn|error)"|Error|error/.test(l));
      if (trouble.length > 0) console.log(`host ${HOSTS[i]} warnings and errors:\n${trouble.slice(-20).join('\n')}`);
    });
    for (const host of hosts) if (host.child.exitCode === null) host.child.kill('SIGTERM');
    await Promise.all(hosts.map((h) => h.exited));
    await proxy?.close();
    await emulator?.stop();
    await database?.drop();
    for (const dir of hostDirs) dir.remove();
  });

  /** Refusals a shopper meets when others took the last drop or coupon use first. */
  const expectRefusal = (res: JsonAnswer<{ error?: { code: string } }>, codes: string[], what: string) => {
    if (res.status === 200) return false;
    assert.equal(res.status, 409, `${what}: ${JSON.stringify(res.body)}`);
    assert.ok(codes.includes(res.body.error?.code ?? ''), `${what}: ${JSON.stringify(res.body)}`);
    return true;
  };

  const shop = async (plan: Plan): Promise<Outcome> => {
    const created = await api<{ cart: Cart }>('POST', '/api/carts');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const cartId = created.body.cart.id;
    const added = await api('POST', `/api/carts/${cartId}/items`, { json: { productId: 'bulk', quantity: plan.units } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    let gotDrop = plan.wantsDrop && !expectRefusal(await api('POST', `/api/carts/${cartId}/items`, { json: { productId: 'drop', quantity: 1 } }), ['out_of_stock'], 'adding the drop');
    let gotCoupon = plan.wantsCoupon && !expectRefusal(await api('POST', `/api/carts/${cartId}/coupon`, { json: { code: 'FEW' } }), ['coupon_exhausted'], 'applying the coupon');

    let started: JsonAnswer<CheckoutCreated & { error?: { code: string } }>;
    for (;;) {
      started = await api('POST', `/api/carts/${cartId}/checkout`, { json: { email: `multihost-${plan.index}@example.com` } });
      if (!expectRefusal(started, ['out_of_stock', 'coupon_exhausted'], 'checking out')) break;
      // Someone else's checkout took it since this cart got it: go on without it, as the widget lets a shopper.
      if (started.body.error!.code === 'out_of_stock') {
        assert.equal((await api('DELETE', `/api/carts/${cartId}/items/drop`)).status, 200);
        gotDrop = false;
      } else {
        assert.equal((await api('DELETE', `/api/carts/${cartId}/coupon`)).status, 200);
        gotCoupon = false;
      }
    }
    const checkedOutOn = started.headers.get(UPSTREAM_HEADER) as HostName;
    const other = HOSTS.find((h) => h !== checkedOutOn)!;
    const { checkoutId, clientSecret, amount } = started.body;

    const stream = await openStatusStream(`${proxy.url}/api/checkouts/${checkoutId}/events`, { [UPSTREAM_HEADER]: other });
    const streamed: CheckoutState[] = [];
    const first = await stream.next();
    assert.equal(first?.status, 'pending', `shopper ${plan.index}'s stream opens on a pending checkout`);
    streamed.push(first);
    const paymentIntentId = clientSecret.split('_secret_')[0]!;
    const paid = await confirmPayment(emulator.stripe, paymentIntentId);
    assert.equal(paid.status, 'succeeded');
    for (let state = await stream.next(); state; state = await stream.next()) streamed.push(state);
    await stream.close();
    return { plan, checkoutId, paymentIntentId, amount, gotDrop, gotCoupon, checkedOutOn, streamedOn: stream.headers.get(UPSTREAM_HEADER) as HostName, streamed };
  };

  it('makes exactly one order per payment, moves stock and coupon uses exactly, sends each email once, and streams status from the other host', async () => {
    const queue: Plan[] = Array.from({ length: SHOPPERS }, (_, index) => ({ index, units: 1 + (index % 3), wantsDrop: index % 4 === 0, wantsCoupon: index % 2 === 0 }));
    const outcomes: Outcome[] = [];
    await Promise.all(Array.from({ length: SHOPPERS_AT_ONCE }, async () => {
      for (let plan = queue.shift(); plan; plan = queue.shift()) outcomes.push(await shop(plan));
    }));

    // Every payment's event acknowledged by a host (Stripe's pending_webhooks), and every copy sent.
    const succeededEvents = await eventually(async () => {
      const events = await emulator.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 }).autoPagingToArray({ limit: 10_000 });
      return events.length === SHOPPERS && events.every((e) => e.pending_webhooks === 0) ? events : undefined;
    }, 'every payment_intent.succeeded acknowledged', 1200);
    await proxy.idle();
    const orders = (await api<{ orders: AdminOrder[]; total: number }>('GET', `/api/admin/orders?limit=500`, { admin: true })).body;
    const subjects = hostDirs.map((dir) => () => mailSubjects(join(dir.path, 'mail')));
    await eventually(() => (subjects.flatMap((s) => s()).filter((s) => / confirmed$/.test(s)).length >= SHOPPERS ? true : undefined), 'every confirmation email sent', 1200);

    // Orders: one per payment, each with what its shopper checked out.
    assert.equal(outcomes.length, SHOPPERS);
    assert.equal(orders.total, SHOPPERS);
    const byIntent = new Map(orders.orders.map((o) => [o.paymentIntentId, o]));
    assert.equal(byIntent.size, SHOPPERS, 'no two orders for one PaymentIntent');
    for (const o of outcomes) {
      const order = byIntent.get(o.paymentIntentId);
      assert.ok(order, `shopper ${o.plan.index}'s order`);
      assert.deepEqual(
        [order.checkoutId, order.status, order.totals.total, order.couponCode, order.items.map((i) => [i.productId, i.quantity]).sort()],
        [o.checkoutId, 'paid', o.amount, o.gotCoupon ? 'FEW' : null, [['bulk', o.plan.units], ...(o.gotDrop ? [['drop', 1]] : [])].sort()],
        `shopper ${o.plan.index}'s order`,
      );
    }

    // Stock and coupon: the scarce ones exactly used up across both hosts, never oversold.
    const dropsSold = outcomes.filter((o) => o.gotDrop).length;
    const couponsUsed = outcomes.filter((o) => o.gotCoupon).length;
    assert.equal(dropsSold, DROP_STOCK, `${outcomes.filter((o) => o.plan.wantsDrop).length} shoppers raced for ${DROP_STOCK} drops`);
    assert.equal(couponsUsed, COUPON_USES, `${outcomes.filter((o) => o.plan.wantsCoupon).length} shoppers raced for ${COUPON_USES} coupon uses`);
    const products = (await api<{ products: { id: string; stock: number }[] }>('GET', '/api/admin/products', { admin: true })).body.products;
    const stockOf = (id: string) => products.find((p) => p.id === id)?.stock;
    assert.deepEqual([stockOf('bulk'), stockOf('drop')], [BULK_STOCK - outcomes.reduce((n, o) => n + o.plan.units, 0), 0]);
    const coupons = (await api<{ coupons: { code: string; uses: number }[] }>('GET', '/api/admin/coupons', { admin: true })).body.coupons;
    assert.equal(coupons.find((c) => c.code === 'FEW')?.uses, COUPON_USES);

    // Emails: each order's confirmation exactly once, whichever host's outbox worker sent it.
    const confirmations = subjects.flatMap((s) => s()).map((s) => / order (\S+) confirmed$/.exec(s)?.[1]).filter((n) => n !== undefined);
    assert.deepEqual(confirmations.sort(), orders.orders.map((o) => o.number).sort(), 'one confirmation per order, none twice');

    // Webhooks: every event three times, to both hosts, and handled by exactly one host: the copy
    // that claimed it in the database. Every other copy found it handled (200 duplicate) or, had the
    // handling outlasted its wait, was told to come again (409 event_in_progress, which Stripe retries).
    const copies = proxy.webhookCopies;
    for (const c of copies) {
      assert.ok(c.status === 200 || (c.status === 409 && c.code === 'event_in_progress'), `${c.eventId} on ${c.host}: ${c.status} ${c.code}`);
    }
    const succeeded = byEvent(copies.filter((c) => c.type === 'payment_intent.succeeded'));
    assert.deepEqual([...succeeded.keys()].sort(), succeededEvents.map((e) => e.id).sort());
    for (const [eventId, its] of succeeded) {
      assert.equal(its.length, 3, eventId);
      assert.equal(its.filter((c) => c.outcome === 'processed').length, 1, `${eventId} processed once: ${its.map((c) => c.outcome ?? c.code)}`);
      assert.deepEqual(new Set(its.map((c) => c.host)), new Set(HOSTS), `${eventId} went to both hosts`);
    }
    for (const [eventId, its] of byEvent(copies)) assert.equal(its.filter((c) => c.outcome === 'processed' || c.outcome === 'ignored').length, 1, `${eventId} handled once`);
    /** Which host handled each payment's event. */
    const handler = new Map([...succeeded.values()].map((its) => [its[0]!.objectId, its.find((c) => c.outcome === 'processed')!.host]));
    for (const name of HOSTS) assert.ok([...handler.values()].includes(name), `host ${name} handled payments`);

    // Status streams: served by the host the shopper did not check out on, ending on the order.
    for (const o of outcomes) {
      assert.notEqual(o.streamedOn, o.checkedOutOn, `shopper ${o.plan.index}'s stream on the other host`);
      const last = o.streamed.at(-1)!;
      assert.deepEqual([last.status, last.order?.number], ['paid', byIntent.get(o.paymentIntentId)!.number], `shopper ${o.plan.index}'s stream`);
    }
    // Every status change goes through Redis pub/sub, whichever host made it; this counts the streams
    // that could only have heard of their order from the other host.
    const heardFromOtherHost = outcomes.filter((o) => handler.get(o.paymentIntentId) !== o.streamedOn).length;
    console.log(`multihost: ${SHOPPERS} orders, webhook copies ${copies.length} (told to come again: ${copies.filter((c) => c.status === 409).length}), `
      + `payments handled by a: ${[...handler.values()].filter((h) => h === 'a').length}, by b: ${[...handler.values()].filter((h) => h === 'b').length}; `
      + `streams told by the other host: ${heardFromOtherHost}; shopper requests served by a: ${proxy.served.get('a')}, b: ${proxy.served.get('b')}`);
    for (const name of HOSTS) assert.equal((await api('GET', '/healthz', { host: name })).status, 200);
  });
});

interface AdminOrder { number: string; status: string; checkoutId: string; paymentIntentId: string; couponCode: string | null; totals: { total: number }; items: { productId: string; quantity: number }[] }

function byEvent(copies: WebhookCopy[]): Map<string, WebhookCopy[]> {
  const grouped = new Map<string, WebhookCopy[]>();
  for (const c of copies) grouped.set(c.eventId, [...(grouped.get(c.eventId) ?? []), c]);
  return grouped;
}
