/**
 * `npm start` killed mid-payment and started again: the in-process Stripe emulator keeps its state
 * in a SQLite file next to DATABASE_PATH (on either engine), as Stripe keeps the PaymentIntent and its webhooks, so the
 * payment still ends in exactly one order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorStateFile } from '../../server/payments/stripe-setup.ts';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import type { Cart, CheckoutCreated, CheckoutState } from '../../shared/api.ts';
import { processDatabase, sqlValue, type ProcessDatabase } from '../helpers/db.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

describe('a restart of the server mid-payment', () => {
  const dir = tempDir();
  let database: ProcessDatabase;
  const running = new Set<MainProcess>();
  before(async () => { database = await processDatabase(dir.path); });
  after(async () => {
    for (const main of running) {
      main.child.kill('SIGKILL');
      await main.exited;
    }
    await database.remove();
    dir.remove();
  });

  /** `npm start`'s entry point on one fixed port and one database; resolves with its emulator's URL once it listens. */
  async function start(port: number): Promise<{ main: MainProcess; emulatorUrl: string }> {
    const main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, STRIPE_EMULATOR_PORT: '0',
      ...database.env, MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '',
    });
    running.add(main);
    const emulatorUrl = await eventually(() => /emulated at (http:\/\/\S+)/.exec(main.output())?.[1], `the start-up banner:\n${main.output()}`);
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/api/products`).catch(() => null))?.ok ? true : undefined), 'the server answering');
    return { main, emulatorUrl };
  }

  async function kill(main: MainProcess): Promise<void> {
    main.child.kill('SIGKILL');
    await main.exited;
    running.delete(main);
  }

  async function checkoutOn(url: string, email: string): Promise<CheckoutCreated> {
    const post = async <T>(path: string, body?: unknown) => (await (await fetch(url + path, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    })).json()) as T;
    const { cart } = await post<{ cart: Cart }>('/api/carts');
    await post(`/api/carts/${cart.id}/items`, { productId: 'tee-black', quantity: 1 });
    return post<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { email, shipping: US_SHIPPING });
  }

  const ordersFor = async (checkoutId: string) => sqlValue(await database.reader(), 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId);

  /** A running shop on a port of its own with one checkout started; `intentId` is its PaymentIntent. */
  async function shopWithCheckout(email: string) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await start(port);
    const started = await checkoutOn(url, email);
    return { port, url, first, started, intentId: started.clientSecret.split('_secret_')[0]! };
  }

  const paidState = (url: string, checkoutId: string) => eventually(async () => {
    const state = (await (await fetch(`${url}/api/checkouts/${checkoutId}`)).json()) as CheckoutState;
    return state.status === 'paid' ? state : undefined;
  }, `checkout ${checkoutId} paid`);

  it('a payment made just before the kill becomes exactly one order after the restart', async () => {
    const { port, url, first, started, intentId } = await shopWithCheckout('killed@example.com');
    const paid = await stripeClientFor(first.emulatorUrl).paymentIntents.confirm(intentId, { payment_method: 'pm_card_visa', return_url: `${url}/` });
    assert.equal(paid.status, 'succeeded');
    await kill(first.main); // before (or while) its webhook is handled

    assert.ok(existsSync(emulatorStateFile(database.location.path)!), 'the emulator\'s state sits next to DATABASE_PATH');
    const second = await start(port);
    assert.equal((await stripeClientFor(second.emulatorUrl).paymentIntents.retrieve(intentId)).status, 'succeeded', 'the emulator remembers the payment');
    const state = await paidState(url, started.checkoutId);
    assert.equal(state.order?.totals.total, started.amount);
    // Webhooks owed from before the kill arrive too: still one order.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await ordersFor(started.checkoutId), 1);
    await kill(second.main);
  });

  it('a payment still processing at the kill settles after the restart into exactly one order', async () => {
    const { port, url, first, started, intentId } = await shopWithCheckout('settles-later@example.com');
    const redirected = await stripeClientFor(first.emulatorUrl).paymentIntents.confirm(intentId, { payment_method_data: { type: 'paypal' }, return_url: `${url}/` });
    const answer = await fetch(redirected.next_action!.redirect_to_url!.url!, { method: 'POST', body: new URLSearchParams({ result: 'settle_later' }), redirect: 'manual' });
    assert.match(answer.headers.get('location') ?? '', /redirect_status=processing/);
    await eventually(async () => (((await (await fetch(`${url}/api/checkouts/${started.checkoutId}`)).json()) as CheckoutState).status === 'processing' ? true : undefined), 'processing');
    await kill(first.main);

    const second = await start(port);
    await paidState(url, started.checkoutId);
    assert.equal(await ordersFor(started.checkoutId), 1);
    await kill(second.main);
  });
});
