/**
 * The emulator as its own process (`npm run stripe:emulator`) and server processes pointed at it
 * with STRIPE_API_URL, as servers are pointed at Stripe: each registers its webhook endpoint over
 * the API, a payment becomes exactly one order however many servers hear of it, and killing a
 * server loses nothing that Stripe holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { WEBHOOK_EVENTS } from '../../server/payments/webhook-endpoint.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { processDatabase, sqlRows, type ProcessDatabase } from '../helpers/db.ts';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

const post = async <T>(url: string, body?: unknown): Promise<T> => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

/** A shopper's checkout on the server at `url`, paid with 4242 as Stripe.js would pay it. */
async function payOn(url: string, stripe: Stripe): Promise<string> {
  const { cart } = await post<{ cart: Cart }>(`${url}/api/carts`);
  await post(`${url}/api/carts/${cart.id}/items`, { productId: 'tee-black', quantity: 1 });
  const started = await post<CheckoutCreated>(`${url}/api/carts/${cart.id}/checkout`, { email: 'shared@example.com', shipping: US_SHIPPING });
  const intentId = started.clientSecret.split('_secret_')[0]!;
  assert.equal((await stripe.paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa', return_url: `${url}/` })).status, 'succeeded');
  return intentId;
}

describe('servers sharing an emulator that runs on its own', () => {
  const dir = tempDir();
  let database: ProcessDatabase;
  /** The database the servers behind one PUBLIC_URL share (the last test). */
  let lbDatabase: ProcessDatabase;
  const processes: { kill(signal: NodeJS.Signals): void; exited: Promise<unknown> }[] = [];
  let emulator: EmulatorProcess;
  let emulatorUrl = '';
  let stripe: Stripe;

  const startServer = async (port: number, publicUrl: string, on = database): Promise<MainProcess> => {
    const server = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: publicUrl, STRIPE_API_URL: emulatorUrl, ...on.env,
      MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '',
    });
    processes.push({ kill: (signal) => server.child.kill(signal), exited: server.exited });
    await eventually(() => {
      if (server.child.exitCode !== null) throw new Error(`a server exited on start:\n${server.output()}`);
      return server.output().includes('Checkout server on') ? true : undefined;
    }, 'a server\'s banner');
    return server;
  };
  const endpointIdIn = (server: MainProcess) => /\(endpoint (we_\w+)\)/.exec(server.output())?.[1];
  const rows = async <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(await database.reader(), sql, ...params);
  const ordersFor = (intentId: string) => rows<{ status: string }>('SELECT status FROM orders WHERE payment_intent_id = ?', intentId);

  before(async () => {
    database = await processDatabase(dir.path);
    lbDatabase = await processDatabase(join(dir.path, 'behind-one-url'));
    emulator = await startEmulatorProcess();
    emulatorUrl = emulator.url;
    stripe = emulator.stripe;
  });
  after(async () => {
    for (const p of processes.reverse()) {
      p.kill('SIGTERM');
      await p.exited;
    }
    await emulator.stop();
    await database.remove();
    await lbDatabase.remove();
    dir.remove();
  });

  let serverA: MainProcess;
  let serverB: MainProcess;
  let urlA = '';
  let urlB = '';

  it('registers one endpoint per server, and a payment made on A becomes exactly one order though both hear of it', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    [urlA, urlB] = [`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`];
    [serverA, serverB] = await Promise.all([startServer(portA, urlA), startServer(portB, urlB)]);

    const endpoints = (await stripe.webhookEndpoints.list()).data;
    const byUrl = new Map(endpoints.map((e) => [e.url, [e.enabled_events, e.status]]));
    assert.deepEqual(byUrl, new Map([[`${urlA}/webhooks/stripe`, [WEBHOOK_EVENTS, 'enabled']], [`${urlB}/webhooks/stripe`, [WEBHOOK_EVENTS, 'enabled']]]));

    const intentId = await payOn(urlA, stripe);
    // Only a webhook makes the order here: nobody reads the checkout's status, which would reconcile.
    await eventually(async () => ((await ordersFor(intentId)).length > 0 ? true : undefined), 'the order');
    const succeeded = (await stripe.events.list({ type: 'payment_intent.succeeded' })).data.find((e) => (e.data.object as Stripe.PaymentIntent).id === intentId)!;
    await eventually(async () => ((await rows('SELECT 1 FROM webhook_events WHERE id = ? AND processed_at IS NOT NULL', succeeded.id)).length === 1 ? true : undefined), 'the event handled');
    assert.deepEqual(await ordersFor(intentId), [{ status: 'paid' }]);
  });

  it('keeps the PaymentIntent and the endpoint when a server is killed and started again', async () => {
    const paidBefore = (await rows<{ payment_intent_id: string }>('SELECT payment_intent_id FROM orders'))[0]!.payment_intent_id;
    const endpointBefore = endpointIdIn(serverA);
    assert.match(endpointBefore ?? '', /^we_/);
    serverA.child.kill('SIGKILL');
    await serverA.exited;
    // B stops too, so the next order can only come from the restarted A verifying its webhook.
    serverB.child.kill('SIGTERM');
    await serverB.exited;

    const restarted = await startServer(Number(new URL(urlA).port), urlA);
    assert.equal(endpointIdIn(restarted), endpointBefore, 'the same endpoint, its secret read back from the database');
    assert.equal((await stripe.paymentIntents.retrieve(paidBefore)).status, 'succeeded');
    assert.equal((await stripe.webhookEndpoints.list()).data.length, 2);

    const intentId = await payOn(urlA, stripe);
    await eventually(async () => ((await ordersFor(intentId)).length > 0 ? true : undefined), 'the order after the restart');
    assert.deepEqual(await ordersFor(intentId), [{ status: 'paid' }]);
  });

  it('gives servers behind one PUBLIC_URL, starting together, exactly one endpoint and one secret', async () => {
    const [portC, portD] = [await freePort(), await freePort()];
    const sharedUrl = `http://127.0.0.1:${portC}`;
    const [c, d] = await Promise.all([startServer(portC, sharedUrl, lbDatabase), startServer(portD, sharedUrl, lbDatabase)]);
    const forUrl = (await stripe.webhookEndpoints.list()).data.filter((e) => e.url === `${sharedUrl}/webhooks/stripe`);
    assert.equal(forUrl.length, 1);
    assert.deepEqual([endpointIdIn(c), endpointIdIn(d)], [forUrl[0]!.id, forUrl[0]!.id]);
  });
});
