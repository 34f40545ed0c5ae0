/**
 * The built widget on the server's own demo page, which is served with a strict
 * Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval' for scripts): the whole flow,
 * from a re-rendered add button to a 3D Secure payment and the order, with no CSP violation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlRow } from '../helpers/db.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const built = fileURLToPath(new URL('../../dist/checkout-cart.js', import.meta.url));

declare global {
  interface Window {
    __violations: string[];
    __events: { type: string; orderId?: string; orderNumber?: string; total?: number }[];
  }
}

describe('the widget on a page with a strict Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(built), 'dist/checkout-cart.js is missing: run `npm run build` first (`npm test` does)');
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Init scripts come from the browser's debugging protocol, so the page's CSP does not apply to them.
    await page.addInitScript(() => {
      window.__violations = [];
      window.__events = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      for (const type of ['checkout-item-added', 'checkout-started', 'checkout-payment-failed', 'checkout-completed']) {
        document.addEventListener(type, (e) => {
          const { orderId, orderNumber, total } = e as Event & { orderId?: string; orderNumber?: string; total?: number };
          window.__events.push({ type, orderId, orderNumber, total });
        });
      }
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds, checks out and pays through 3D Secure, with no violation', async () => {
    const response = await page.goto(`${server.url}/strict.html`);
    const csp = response!.headers()['content-security-policy'] ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    assert.ok(scriptSrc.startsWith('script-src '), `the page has a script-src: ${csp}`);
    assert.equal(/unsafe-inline|unsafe-eval/.test(scriptSrc), false, `script-src is strict: ${scriptSrc}`);

    // The page rebuilds its product list every few seconds; the click reaches whichever button is there.
    await page.locator('[data-checkout-add="tee-black"]').click();
    await page.locator('checkout-cart [part="line-item"]').waitFor();
    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('checkout-cart #email').fill('csp@example.com');
    await page.locator('checkout-cart [part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').fill('4000002760003184');
    await page.locator('[data-testid="card-expiry"]').fill('1234');
    await page.locator('[data-testid="card-cvc"]').fill('123');
    await page.locator('[data-testid="postal-code"]').fill('10115');
    const payLabel = await page.locator('checkout-cart [part="pay-button"]').textContent();
    await page.locator('checkout-cart [part="pay-button"]').click();
    // The bank's page is framed from the emulator's hooks origin, which the page's frame-src allows.
    await page.frameLocator('iframe[title="3D Secure authentication"]').locator('[data-testid="three-ds-complete"]').click();
    const shown = (await page.locator('checkout-cart [part="order-number"]').textContent())!.trim();

    const events = await page.evaluate(() => window.__events);
    const completed = events.find((e) => e.type === 'checkout-completed')!;
    assert.deepEqual(events.map((e) => e.type), ['checkout-item-added', 'checkout-started', 'checkout-completed']);
    const order = (await sqlRow(server.db, 'SELECT number, total, email FROM orders WHERE id = ?', completed.orderId)) as { number: string; total: number; email: string };
    assert.deepEqual(order, { number: completed.orderNumber, total: completed.total, email: 'csp@example.com' });
    assert.equal(shown, `Order number ${order.number}`);
    assert.equal(payLabel?.trim(), `Pay $${(order.total / 100).toFixed(2)}`);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(pageErrors, []);
  });
});
