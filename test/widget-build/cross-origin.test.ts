/**
 * The built widget as a merchant embeds it: a page on another origin loads the script from the shop
 * (pinned with the published integrity hash), and the chunks it imports on demand come from the
 * shop too, with the headers that allow it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../e2e/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { builtScripts, distDir, ENTRY } from './built.ts';

/** The merchant's page, on a port (so an origin) of its own: both on loopback, as Chromium's
 * local-network rules want for a page that talks to 127.0.0.1. */
async function merchantSite(page: () => string): Promise<{ origin: string; server: Server }> {
  const site = createServer((_, res) => res.setHeader('content-type', 'text/html').end(page()));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`, server: site };
}

describe('the widget on a merchant\'s page on another origin', () => {
  let server: TestServer;
  let merchant: { origin: string; server: Server };
  let merchantPage = '';
  let browser: Browser;

  before(async () => {
    builtScripts();
    merchant = await merchantSite(() => merchantPage);
    server = await startTestServer({ env: { ALLOWED_ORIGINS: merchant.origin } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    merchant?.server.close();
  });

  it('serves the script revalidated and its hashed chunks for a year, both to any origin', async () => {
    const entry = await fetch(`${server.url}/${ENTRY}`);
    assert.equal(entry.status, 200);
    assert.equal(entry.headers.get('cache-control'), 'public, max-age=0, must-revalidate');
    assert.equal(entry.headers.get('access-control-allow-origin'), '*');
    for (const name of [...builtScripts().keys()].filter((file) => file.startsWith('chunks/'))) {
      const chunk = await fetch(`${server.url}/${name}`);
      assert.equal(chunk.status, 200, name);
      assert.match(chunk.headers.get('content-type') ?? '', /javascript/, name);
      assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable', name);
      assert.equal(chunk.headers.get('access-control-allow-origin'), '*', name);
    }
    assert.equal((await fetch(`${server.url}/chunks/no-such-chunk.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/chunks/..%2f..%2fpackage.json`)).status, 404);
  });

  it('loads the script with its integrity hash and every chunk from the shop, then takes the shopper to the payment step', async () => {
    const integrity = readFileSync(join(distDir, `${ENTRY}.sri`), 'utf8').trim();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const scripts: string[] = [];
    page.on('request', (request) => { if (request.resourceType() === 'script') scripts.push(request.url()); });
    merchantPage = `<!doctype html><html lang="en"><head><title>Merchant</title>
      <script type="module" src="${server.url}/${ENTRY}" integrity="${integrity}" crossorigin="anonymous"></script></head>
      <body><checkout-cart api="${server.url}"></checkout-cart>
      <button type="button" data-checkout-add="tee-black" data-quantity="2">Add two tees</button></body></html>`;

    await page.goto(`${merchant.origin}/shop`);
    assert.notEqual(merchant.origin, server.url);
    await page.locator('[data-checkout-add="tee-black"]').click();
    await page.locator('checkout-cart [part="line-item"][data-product-id="tee-black"]').waitFor();
    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('checkout-cart #email').fill('merchant@example.com');
    await page.locator('checkout-cart [part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').waitFor();

    const chunks = scripts.filter((url) => url.includes('/chunks/'));
    assert.deepEqual(chunks.map((url) => new URL(url).origin), chunks.map(() => server.url), `chunks: ${chunks.join(', ')}`);
    assert.deepEqual(chunks.map((url) => new URL(url).pathname.replace(/-[\w-]{8}\.js$/, '')).sort(), ['/chunks/cart-panel', '/chunks/checkout-steps']);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('on an origin the server does not allow, tells the merchant what to set and the shopper that checkout is unavailable', async () => {
    const stranger = await merchantSite(() => `<!doctype html><html lang="en"><head><title>Not allowed</title>
      <script type="module" src="${server.url}/${ENTRY}"></script></head>
      <body><checkout-cart api="${server.url}"></checkout-cart>
      <button type="button" data-checkout-add="tee-black">Add a tee</button></body></html>`);
    // Any localhost port is allowed while developing: the refused page needs a name of its own.
    const strangerOrigin = stranger.origin.replace('127.0.0.1', 'refused.test');
    const named = await chromium.launch({
      executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP refused.test 127.0.0.1'],
    });
    const page = await named.newPage();
    const logged: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
    const answered: string[] = [];
    page.on('response', (response) => { if (response.url().startsWith(server.url)) answered.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`); });
    try {
      await page.goto(`${strangerOrigin}/shop`);
      await page.locator('[data-checkout-add="tee-black"]').click();
      const problem = page.locator('checkout-cart [part="error"]');
      await problem.getByText('Checkout is unavailable right now. Please try again later.').waitFor();
      // Trying again cannot help until the merchant changes the server's configuration.
      assert.equal(await problem.getByRole('button', { name: 'Try again' }).count(), 0);
      const advice = logged.filter((text) => text.startsWith('<checkout-cart>'));
      assert.ok(advice.length >= 1, logged.join('\n'));
      assert.equal(advice[0], `<checkout-cart>: the checkout server ${server.url}/api refuses this page's origin (CORS). `
        + `Add ${strangerOrigin} to the server's ALLOWED_ORIGINS, e.g. ALLOWED_ORIGINS=${strangerOrigin}`);
      // The widget's check that the server is up asks a route that exists: no 404 in the merchant's console.
      assert.deepEqual(answered.filter((line) => !line.startsWith('200 ')), [], answered.join('\n'));
    } finally {
      await named.close();
      stranger.server.close();
    }
  });

  it('still says "could not reach the shop" when the server is down, not that the origin is refused', async () => {
    const closed = await merchantSite(() => '');
    const downUrl = closed.origin;
    closed.server.close();
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') logged.push(message.text()); });
    merchantPage = `<!doctype html><html lang="en"><head><title>Merchant</title>
      <script type="module" src="${server.url}/${ENTRY}"></script></head>
      <body><checkout-cart api="${downUrl}"></checkout-cart>
      <button type="button" data-checkout-add="tee-black">Add a tee</button></body></html>`;
    try {
      await page.goto(`${merchant.origin}/shop`);
      await page.locator('[data-checkout-add="tee-black"]').click();
      await page.locator('checkout-cart [part="error"]').getByText('We could not reach the shop. Your cart is safe; please try again.').waitFor();
      assert.equal(logged.filter((text) => text.startsWith('<checkout-cart>')).length, 0);
    } finally {
      await page.close();
    }
  });
});
