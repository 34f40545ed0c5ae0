/**
 * The production path the README gives: `npm run build`, then only production dependencies
 * (`npm ci --omit=dev`), then `npm start`. Here the install is a folder holding the server bundle
 * (built from the sources as they are now), the client builds, the demo, the start script and
 * exactly the packages `npm ls --omit=dev` names (what `npm ci --omit=dev` installs), so a run-time
 * import of a dev dependency (tsx, vite, typescript, esbuild) fails this test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cart, CheckoutCreated, CheckoutState } from '../../shared/api.ts';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import { ensureClientBuilds, installEnv, npm } from '../helpers/built-install.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { US_SHIPPING } from '../helpers/shipping.ts';
import { tempDir } from '../helpers/temp.ts';

/** The production install: package.json, the built server and client, the demo, the start script, production packages only. */
function productionInstall(into: string): void {
  ensureClientBuilds();
  execFileSync(process.execPath, ['scripts/build-server.mjs', `--out=${join(into, 'build')}`], { stdio: 'inherit' });
  for (const path of ['package.json', 'dist', 'demo', 'scripts/start.mjs', 'scripts/build-manifest.mjs']) cpSync(path, join(into, path), { recursive: true });
  const packages = execFileSync(npm, ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' })
    .split('\n').map((p) => relative(process.cwd(), p)).filter((p) => p.startsWith('node_modules'));
  for (const path of packages) {
    mkdirSync(join(into, path), { recursive: true });
    cpSync(path, join(into, path), { recursive: true, dereference: true });
  }
}

describe('the compiled server with production dependencies only', () => {
  const dir = tempDir();
  let main: MainProcess;
  let url = '';

  before(async () => {
    productionInstall(dir.path);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // `npm start` is this script with the heap cap (package.json); without the sources it builds nothing.
    main = startMain(installEnv(dir.path, port), { args: ['--max-old-space-size=96', 'scripts/start.mjs'], cwd: dir.path });
    await eventually(() => (main.output().includes('Checkout server on') ? true : undefined), `the start-up banner:\n${main.output()}`);
  });
  after(async () => {
    main?.child.kill('SIGTERM');
    await main?.exited;
    dir.remove();
  });

  it('has no dev dependency to lean on', () => {
    for (const dev of ['tsx', 'typescript', 'vite', 'esbuild', '@web/test-runner']) assert.equal(existsSync(join(dir.path, 'node_modules', dev)), false, dev);
    assert.equal(existsSync(join(dir.path, 'node_modules', 'hono')), true);
  });

  it('finds its build up to date: npm start runs it without building', () => {
    const check = spawnSync(process.execPath, ['scripts/start.mjs', '--stale'], { cwd: dir.path, encoding: 'utf8' });
    assert.equal(check.stdout.trim(), 'up to date');
    assert.equal(check.status, 0);
  });

  it('serves the shop and takes a payment to an order', async () => {
    const json = async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await fetch(url + path, body === undefined && !path.endsWith('/carts')
        ? undefined
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      assert.ok(res.ok, `${path}: ${res.status}`);
      return (await res.json()) as T;
    };
    assert.equal((await fetch(`${url}/`)).status, 200);
    assert.equal((await fetch(`${url}/checkout-cart.js`)).status, 200);
    assert.equal((await json<{ products: unknown[] }>('/api/products')).products.length, 6);
    const { cart } = await json<{ cart: Cart }>('/api/carts');
    await json(`/api/carts/${cart.id}/items`, { productId: 'mug-stone', quantity: 1 });
    const started = await json<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { email: 'prod@example.com', shipping: US_SHIPPING });
    const emulatorUrl = /emulated at (http:\/\/\S+)/.exec(main.output())![1]!;
    const paid = await stripeClientFor(emulatorUrl).paymentIntents.confirm(started.clientSecret.split('_secret_')[0]!, { payment_method: 'pm_card_visa', return_url: 'http://127.0.0.1/' });
    assert.equal(paid.status, 'succeeded');
    const state = await eventually(async () => {
      const s = await json<CheckoutState>(`/api/checkouts/${started.checkoutId}`);
      return s.status === 'paid' ? s : undefined;
    }, 'the order');
    assert.equal(state.order?.totals.total, started.amount);
  });
});
