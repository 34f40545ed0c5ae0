/**
 * The production path the README gives: `npm run build`, then only production dependencies
 * (`npm ci --omit=dev`), then `npm start`. Here the install is a folder holding the server bundle
 * (built from the sources as they are now), the client builds, the demo, `npm start`'s scripts and
 * exactly the packages `npm ls --omit=dev` names (what `npm ci --omit=dev` installs), so a run-time
 * import of a dev dependency (tsx, vite, typescript, esbuild) fails this test. The
 * shop starts on the test's engine: with `TEST_DATABASE=postgres`, `DATABASE_URL` names a fresh
 * PostgreSQL schema, and a shopper in Chromium buys on the demo shop through it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { addFromButton, confirmedOrderNumber, fillCard, pay, startCheckout } from '../e2e/shop.ts';
import { ensureClientBuilds, npm } from '../helpers/built-install.ts';
import { processDatabase, sqlRows, TEST_ENGINE, type ProcessDatabase } from '../helpers/db.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { tempDir } from '../helpers/temp.ts';

/** The production install: package.json, the built server and client, the demo, the start scripts, production packages only. */
function productionInstall(into: string): void {
  ensureClientBuilds();
  execFileSync(process.execPath, ['scripts/build-server.mjs', `--out=${join(into, 'build')}`], { stdio: 'inherit' });
  for (const path of ['package.json', 'scripts/start.mjs', 'scripts/build-manifest.mjs', 'dist', 'demo']) cpSync(path, join(into, path), { recursive: true });
  const packages = execFileSync(npm, ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' })
    .split('\n').map((p) => relative(process.cwd(), p)).filter((p) => p.startsWith('node_modules'));
  for (const path of packages) {
    mkdirSync(join(into, path), { recursive: true });
    cpSync(path, join(into, path), { recursive: true, dereference: true });
  }
}

/** What `npm start` runs (package.json's "start": `node <flags> scripts/start.mjs`), as node's arguments. */
function npmStartArgs(): string[] {
  const [command, ...args] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  assert.equal(command, 'node', 'npm start runs node');
  return args;
}

describe(`npm start on a production install (${TEST_ENGINE})`, () => {
  const dir = tempDir();
  let database: ProcessDatabase;
  let main: MainProcess;
  let browser: Browser | undefined;
  let url = '';

  before(async () => {
    productionInstall(dir.path);
    database = await processDatabase(join(dir.path, 'data'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    main = startMain({
      NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, STRIPE_EMULATOR_PORT: '0',
      ...database.env, MAIL_DIR: join(dir.path, 'data', 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '',
    }, { args: npmStartArgs(), cwd: dir.path });
    await eventually(() => (main.output().includes('Checkout server on') ? true : undefined), `the start-up banner:\n${main.output()}`);
  });
  after(async () => {
    await browser?.close();
    main?.child.kill('SIGTERM');
    await main?.exited;
    await database?.remove();
    dir.remove();
  });

  it('has no dev dependency to lean on', () => {
    for (const dev of ['tsx', 'typescript', 'vite', 'esbuild', '@web/test-runner']) assert.equal(existsSync(join(dir.path, 'node_modules', dev)), false, dev);
    assert.equal(existsSync(join(dir.path, 'node_modules', 'hono')), true);
  });

  it('starts without building, on the engine it was given', () => {
    assert.doesNotMatch(main.output(), /stale|Run `npm install`/);
    assert.match(main.output(), TEST_ENGINE === 'postgres' ? /database +PostgreSQL at / : /database +SQLite at /);
  });

  it('serves the demo shop, where a shopper in Chromium buys, making exactly one order in the database', async () => {
    assert.equal((await fetch(`${url}/checkout-cart.js`)).status, 200);
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('pageerror', (err) => { throw err; });
    await page.goto(`${url}/`);
    await addFromButton(page, 'mug-stone');
    await startCheckout(page, 'prod@example.com');
    await fillCard(page, '4242424242424242');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    assert.match(number, /^CO-\d+$/);
    const orders = await sqlRows<{ number: string; email: string; status: string }>(await database.reader(), 'SELECT number, email, status FROM orders');
    assert.deepEqual(orders, [{ number, email: 'prod@example.com', status: 'paid' }]);
  });
});
