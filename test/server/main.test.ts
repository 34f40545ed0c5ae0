/**
 * `npm start`'s entry point as a real process: it validates the environment, serves the API and
 * the demo, starts the emulator with webhooks pointed at itself, and runs the outbox worker.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { processDatabase, TEST_ENGINE, type ProcessDatabase } from '../helpers/db.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

describe('server/main.ts', () => {
  const dir = tempDir();
  let main: MainProcess;
  let database: ProcessDatabase;
  let url = '';
  let emulatorUrl = '';

  before(async () => {
    database = await processDatabase(dir.path);
    const port = await freePort();
    main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, STRIPE_EMULATOR_PORT: '0',
      ...database.env, MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '',
      // The sweeper sends recovery emails when due: due at once and swept every second here.
      RECOVERY_EMAIL_DELAY_MINUTES: '0', SWEEP_INTERVAL_SECONDS: '1',
    });
    emulatorUrl = await eventually(() => /emulated at (http:\/\/\S+)/.exec(main.output())?.[1], `the start-up banner:\n${main.output()}`);
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    await database.remove();
    dir.remove();
  });

  it('prints what it uses and the URLs to open', () => {
    const banner = main.output();
    for (const fact of [TEST_ENGINE === 'postgres' ? 'PostgreSQL at' : 'SQLite at', 'carts', 'emulated at', 'dev mailbox', `${url}/dev/mail`, `Open ${url}/`]) assert.ok(banner.includes(fact), fact);
  });

  it('serves the demo shop, the widget and the API', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<checkout-cart/);
    assert.equal((await fetch(`${url}/checkout-cart.js`)).status, 200);
    assert.equal(((await (await fetch(`${url}/api/products`)).json()) as { products: unknown[] }).products.length, 6);
  });

  it('receives the emulator\'s webhooks and sends the recovery email for a declined card', async () => {
    const json = (init?: { method?: string; body?: unknown }) => ({
      method: init?.method ?? 'POST', headers: { 'content-type': 'application/json' }, body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const { cart } = (await (await fetch(`${url}/api/carts`, json())).json()) as { cart: Cart };
    await fetch(`${url}/api/carts/${cart.id}/items`, json({ body: { productId: 'tee-black', quantity: 1 } }));
    const started = (await (await fetch(`${url}/api/carts/${cart.id}/checkout`, json({ body: { email: 'main@example.com', shipping: US_SHIPPING } }))).json()) as CheckoutCreated;
    const stripe = stripeClientFor(emulatorUrl);
    await assert.rejects(stripe.paymentIntents.confirm(started.clientSecret.split('_secret_')[0]!, { payment_method: 'pm_card_chargeDeclined', return_url: `${url}/` }), { type: 'StripeCardError' });
    const mail = await eventually(() => {
      try {
        return readdirSync(join(dir.path, 'mail')).find((f) => f.endsWith('.json'));
      } catch {
        return undefined;
      }
    }, 'the recovery email in the dev mailbox');
    assert.ok(mail);
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const bad = startMain({ PORT: 'eighty', DATABASE_PATH: join(dir.path, 'other.db') });
    assert.equal(await bad.exited, 1);
    assert.match(bad.output(), /PORT/);
  });
});
