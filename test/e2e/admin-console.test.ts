/**
 * The merchant's console in Chromium against the real server and the Stripe emulator: sign in,
 * find an order, refund part of it, adjust stock, create a first-order-only coupon and see it
 * refused for a returning shopper, read the metrics; under the console's strict CSP throughout.
 * Writes the console's screenshots to docs/screenshots.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sendDueRecoveryEmails } from '../../server/checkout/payment-events.ts';
import { projectRoot } from '../../server/paths.ts';
import type { OrderRecord } from '../../server/stores/order-store.ts';
import { paidOrder } from '../helpers/admin.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { addFromButton, applyCoupon, openShop, screenshot } from './shop.ts';
import { sqlRow } from '../helpers/db.ts';

describe('the merchant console', () => {
  let page: Page;
  const cspViolations: string[] = [];
  let grace: OrderRecord;
  let orders: OrderRecord[];

  before(() => assert.ok(existsSync(join(projectRoot, 'dist', 'admin', 'index.html')), 'the console is not built: run `npm run build`'));
  const suite = serverAndBrowser({ env: { RECOVERY_EMAIL_DELAY_MINUTES: '0' } });
  before(async () => {
    const s = suite.server;
    // A shop with a little history: two sales, one of them with a coupon, and one won back by the recovery email.
    const ada = await paidOrder(s, [['tee-black', 2], ['mug-stone', 1]], 'ada@example.com', 'WELCOME15');
    grace = await paidOrder(s, [['hoodie-grey', 1]], 'grace@example.com');
    const cart = await cartWith(s, [['cap-navy', 2]]);
    const started = await checkout(s, cart.id, 'alan@example.com');
    await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(s);
    await sendDueRecoveryEmails(s.checkout);
    await s.outbox.drain();
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const alan = await s.checkout.orders.byCheckout(started.body.checkoutId);
    assert.ok(alan);
    orders = [ada, grace, alan];

    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (err) => { throw err; });
    page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text()); });
  });

  const inConsole = (selector: string) => page.locator(selector).first();

  it('is served under a CSP with no inline script or style, and signs in with the token for this tab only', async () => {
    const res = await fetch(`${suite.server.url}/admin`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /style-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

    await page.goto(`${suite.server.url}/admin`);
    await page.fill('input[name=token]', 'not-the-token-0123456789');
    await page.click('button:has-text("Sign in")');
    await page.getByText('A valid admin token is required.').waitFor();
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.fill('input[name=name]', 'Margaret');
    await page.click('button:has-text("Sign in")');
    await inConsole('admin-orders tr[data-order]').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('checkout-admin.token')), ADMIN_TOKEN);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.locator('admin-orders tr[data-order]').count(), 3);
    await screenshot(page, 'admin-orders');
  });

  it('finds an order by email and refunds part of it: Stripe has the refund, the order is partially refunded, the stock stays', async () => {
    const stockBefore = await count(suite.server, "SELECT stock FROM products WHERE id = 'hoodie-grey'");
    await page.fill('admin-orders input[name=q]', 'grace');
    await page.click('admin-orders button:has-text("Search")');
    await page.waitForFunction(() => document.querySelector('admin-console')?.shadowRoot?.querySelector('admin-orders')?.shadowRoot?.querySelectorAll('tr[data-order]').length === 1);
    await page.click(`admin-orders tr[data-order="${grace.number}"] a`);
    await inConsole('admin-order-detail [data-testid=order-status]').waitFor();
    await page.fill('admin-order-detail input[name=amount]', '10.00');
    await page.fill('admin-order-detail input[name=reason]', 'Arrived a week late');
    await page.click('admin-order-detail button:has-text("Refund")');
    await page.getByText('Refunded $10.00.').waitFor();
    assert.equal((await inConsole('admin-order-detail [data-testid=order-status]').textContent())?.trim(), 'partially refunded');
    assert.equal((await inConsole('admin-order-detail [data-testid=amount-refunded]').textContent())?.trim(), '$10.00');

    const refunds = await suite.server.sdk.refunds.list({ payment_intent: grace.paymentIntentId });
    assert.deepEqual(refunds.data.map((r) => [r.amount, r.status, r.metadata?.reason]), [[1000, 'succeeded', 'Arrived a week late']]);
    await webhooksSettled(suite.server);
    assert.deepEqual((await sqlRow(suite.server.db, 'SELECT status, amount_refunded AS refunded FROM orders WHERE id = ?', grace.id)), { status: 'partially_refunded', refunded: 1000 });
    assert.equal(await count(suite.server, "SELECT stock FROM products WHERE id = 'hoodie-grey'"), stockBefore);
    assert.equal(await count(suite.server, "SELECT COUNT(*) FROM admin_refunds WHERE actor = 'admin:Margaret'"), 1);

    await page.click('admin-order-detail button:has-text("Resend confirmation")');
    await page.getByText('The confirmation email is on its way again.').waitFor();
    await screenshot(page, 'admin-order-detail');
  });

  it('downloads the orders as CSV', async () => {
    await page.click('admin-order-detail button:has-text("All orders")');
    await page.fill('admin-orders input[name=q]', '');
    await page.click('admin-orders button:has-text("Search")');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('admin-orders button:has-text("Download CSV")')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'number,created_at,status,attention_reason,email,currency,subtotal,discount,tax,total,amount_paid,amount_refunded,coupon_code,items,'
      + 'shipping,shipping_rate,ship_to_name,ship_to_address,ship_to_country');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), orders.map((o) => o.number).sort());
  });

  it('adjusts stock with a reason and shows it in the history', async () => {
    const before = await count(suite.server, "SELECT stock FROM products WHERE id = 'tee-black'");
    await page.click('admin-console nav a:has-text("Products")');
    await page.click('admin-products tr[data-product="tee-black"] button:has-text("Stock")');
    await page.fill('admin-products input[name=adjust]', '5');
    await page.fill('admin-products input[name=reason]', 'Delivery from the printer');
    await page.click('admin-products button:has-text("Adjust stock")');
    await page.getByText(`Stock of tee-black is now ${before + 5}.`).waitFor();
    assert.equal(await count(suite.server, "SELECT stock FROM products WHERE id = 'tee-black'"), before + 5);
    await page.locator('admin-products table[aria-label^="Stock history"] td', { hasText: 'Delivery from the printer' }).waitFor();
    assert.equal((await inConsole('admin-products tr[data-product="tee-black"] [data-testid=stock]').textContent())?.trim(), String(before + 5));
    await screenshot(page, 'admin-products');
  });

  it('adds stock once when the button is pressed twice in a row (a double click)', async () => {
    const before = await count(suite.server, "SELECT stock FROM products WHERE id = 'tee-white'");
    await page.click('admin-products tr[data-product="tee-white"] button:has-text("Stock")');
    await page.fill('admin-products input[name=adjust]', '3');
    await page.fill('admin-products input[name=reason]', 'Delivery, clicked twice');
    const isAdjust = (r: { method(): string; url(): string }) => r.method() === 'POST' && r.url().endsWith('/api/admin/products/tee-white/stock');
    let sent = 0;
    let ended = 0;
    const onSent = (r: { method(): string; url(): string }) => { if (isAdjust(r)) sent++; };
    const onEnded = (r: { method(): string; url(): string }) => { if (isAdjust(r)) ended++; };
    page.on('request', onSent);
    page.on('requestfinished', onEnded);
    page.on('requestfailed', onEnded);
    try {
      await page.dblclick('admin-products button:has-text("Adjust stock")');
      await page.getByText(/Stock of tee-white is now/).waitFor();
      while (ended < sent) await page.waitForTimeout(20);
    } finally {
      page.off('request', onSent);
      page.off('requestfinished', onEnded);
      page.off('requestfailed', onEnded);
    }
    assert.equal(sent, 1, 'one request');
    assert.equal(await count(suite.server, "SELECT stock FROM products WHERE id = 'tee-white'"), before + 3);
    assert.equal(await count(suite.server, "SELECT COUNT(*) FROM stock_movements WHERE product_id = 'tee-white' AND reason = 'Delivery, clicked twice'"), 1);
  });

  it('creates a first-order-only coupon, which a returning shopper is refused and a new one gets', async () => {
    await page.click('admin-console nav a:has-text("Coupons")');
    await page.click('admin-coupons button:has-text("New coupon")');
    await page.fill('admin-coupons input[name=code]', 'HELLO10');
    await page.fill('admin-coupons input[name=value]', '10');
    await page.check('admin-coupons input[name=firstOrderOnly]');
    await page.click('admin-coupons button:has-text("Create coupon")');
    await page.getByText('Created HELLO10.').waitFor();
    assert.match((await inConsole('admin-coupons tr[data-coupon="HELLO10"]').textContent()) ?? '', /first order only/);
    assert.equal((await inConsole('admin-coupons tr[data-coupon="WELCOME15"] [data-testid=uses]').textContent())?.trim(), '1');
    await screenshot(page, 'admin-coupons');

    // Ada, who bought before, on the shop in her own browser: the widget tells her the code is for a first order only.
    const { page: shop } = await openShop(suite.browser, suite.server.url);
    await addFromButton(shop, 'tee-white');
    await applyCoupon(shop, 'hello10');
    await shop.locator('checkout-cart [part="checkout-button"]').click();
    await shop.locator('checkout-cart #email').fill('ada@example.com');
    await shop.locator('checkout-cart [part="continue-button"]').click();
    await shop.locator('checkout-cart').getByText('This code is for a first order only.').waitFor();
    const cartId = await shop.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: { id: string } }).cart.id);
    await shop.context().close();
    assert.equal(await count(suite.server, "SELECT COUNT(*) FROM checkouts WHERE email = 'ada@example.com' AND cart_id = ?", cartId), 0, 'no checkout opened for her');
    const returning = await checkout(suite.server, cartId, 'ADA@example.com');
    assert.deepEqual([returning.status, returning.body.error?.code], [409, 'coupon_first_order_only'], 'the address as typed, in any case');
    const fresh = await checkout(suite.server, cartId, 'newcomer@example.com');
    assert.equal(fresh.status, 200);
  });

  it('lists the shipping rates, withdrawn ones marked', async () => {
    await page.click('admin-console nav a:has-text("Shipping")');
    const rows = page.locator('admin-shipping [data-testid="shipping-rate"]');
    await rows.first().waitFor();
    // The demo's rates, withdrawn by the test server (startTestServer without shipping).
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim()))), [
      ['Standard (3-5 business days) standard-us', '$5.00', '$75.00', 'US', 'no'],
      ['Express (1-2 business days) express-us', '$15.00', '—', 'US', 'no'],
      ['International (7-14 business days) international', '$20.00', '—', 'CA, GB, DE, FR, NL, AT, CH, AU, JP', 'no'],
    ]);
  });

  it('shows the funnel and revenue charts with the figures of the shop', async () => {
    await page.click('admin-console nav a:has-text("Metrics")');
    await inConsole('admin-metrics canvas#revenue').waitFor();
    const figure = async (name: string) => (await inConsole(`admin-metrics [data-figure="${name}"] strong`).textContent())?.trim();
    // Carts: the three paid ones and the coupon test's; checkouts: those four; sales: three, one won back by the retry link.
    assert.equal(await figure('carts'), '4');
    assert.equal(await figure('checkoutsStarted'), '4');
    assert.equal(await figure('paid'), '3');
    assert.equal(await figure('failedThenRecovered'), '1');
    const revenue = orders.reduce((sum, o) => sum + o.amountPaid, 0);
    assert.equal(await figure('revenue'), `$${(revenue / 100).toFixed(2)}`);
    assert.equal(await figure('retryLink'), `$${(orders[2]!.amountPaid / 100).toFixed(2)} (1)`);
    // Chart.js drew into both canvases (a blank canvas has no painted pixels).
    const painted = await page.evaluate(() => ['funnel', 'revenue'].map((id) => {
      const canvas = document.querySelector('admin-console')?.shadowRoot?.querySelector('admin-metrics')?.shadowRoot?.querySelector<HTMLCanvasElement>(`#${id}`);
      const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      return Array.prototype.some.call(data, (v: number) => v !== 0);
    }));
    assert.deepEqual(painted, [true, true]);
    await screenshot(page, 'admin-metrics');
  });

  it('broke no rule of its CSP on the way', () => {
    assert.deepEqual(cspViolations, []);
  });

  it('shows every screenshot it took in the README', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    for (const name of ['admin-orders', 'admin-order-detail', 'admin-products', 'admin-coupons', 'admin-metrics']) {
      assert.ok(existsSync(join(projectRoot, 'docs', 'screenshots', `${name}.png`)), `docs/screenshots/${name}.png`);
      assert.match(readme, new RegExp(`!\\[[^\\]]+\\]\\(docs/screenshots/${name}\\.png\\)`), `the README shows ${name}.png`);
    }
  });
});
