/**
 * `npm start`'s entry point as a real process: it validates the environment, serves the API and
 * the demo, starts the emulator with webhooks pointed at itself, and runs the outbox worker.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { tempDir } from '../helpers/temp.ts';

const freePort = () => new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `check` until it returns a value; bounded by attempts, not by a deadline assertion. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe('server/main.ts', () => {
  const dir = tempDir();
  let main: ReturnType<typeof startMain>;
  let url = '';
  let emulatorUrl = '';

  before(async () => {
    const port = await freePort();
    main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, STRIPE_EMULATOR_PORT: '0',
      DATABASE_PATH: join(dir.path, 'shop.db'), MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '',
    });
    emulatorUrl = await eventually(() => /emulated at (http:\/\/\S+)/.exec(main.output())?.[1], `the start-up banner:\n${main.output()}`);
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    dir.remove();
  });

  it('prints what it uses and the URLs to open', () => {
    const banner = main.output();
    for (const fact of ['SQLite at', 'carts', 'emulated at', 'dev mailbox', `${url}/dev/mail`, `Open ${url}/`]) assert.ok(banner.includes(fact), fact);
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
    const started = (await (await fetch(`${url}/api/carts/${cart.id}/checkout`, json({ body: { email: 'main@example.com' } }))).json()) as CheckoutCreated;
    const stripe = stripeClientFor(emulatorUrl);
    await assert.rejects(stripe.paymentIntents.confirm(started.clientSecret.split('_secret_')[0]!, { payment_method: 'pm_card_chargeDeclined' }), { type: 'StripeCardError' });
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
