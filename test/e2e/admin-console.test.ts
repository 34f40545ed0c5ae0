/**
 * The merchant's console in Chromium against the real server and the Stripe emulator: sign in,
 * find an order, refund part of it, adjust stock, create a first-order-only coupon and see it
 * refused for a returning shopper, read the metrics; then the rest of what it does: filter orders,
 * read an order's attempts and history, resolve one, create, edit and deactivate a product and
 * edit and deactivate a coupon, see a payment's other shipping address in an order's history.
 * Under the console's strict CSP throughout. Every view it reaches passes axe-core, as the shop's
 * do, and Tab through it reaches every control with the focus in sight; problems are announced.
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
import { admin, paidOrder } from '../helpers/admin.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, US_SHIPPING, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { axeViolations } from './checks.ts';
import { keyboardProblems } from './keyboard.ts';
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

  /** What every view of the console passes, as the shop's views do: axe-core, and Tab through it all with the focus in sight. */
  const checkAccess = async (view: string) => {
    assert.deepEqual(await axeViolations(page), [], `axe violations on the console's ${view}`);
    assert.deepEqual(await keyboardProblems(page), [], `keyboard problems on the console's ${view}`);
  };

  /** Whether a screen reader hears `text` when it appears: it is shown in a live region. */
  const announced = (text: string) => page.getByText(text).evaluate((el) => {
    for (let node: Node | null = el; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
      if (node instanceof Element && node.matches('[role=alert], [role=status], [aria-live]:not([aria-live=off])')) return true;
    }
    return false;
  });

  it('is served under a CSP with no inline script or style, and signs in with the token for this tab only', async () => {
    const res = await fetch(`${suite.server.url}/admin`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /style-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

    await page.goto(`${suite.server.url}/admin`);
    // A secret the browser neither shows nor offers to remember.
    assert.deepEqual(await inConsole('input[name=token]').evaluate((el: HTMLInputElement) => [el.type, el.autocomplete]), ['password', 'off']);
    await checkAccess('sign-in');
    await page.fill('input[name=token]', 'not-the-token-0123456789');
    await page.click('button:has-text("Sign in")');
    await page.getByText('A valid admin token is required.').waitFor();
    assert.equal(await announced('A valid admin token is required.'), true);
    await checkAccess('sign-in, refused');
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.fill('input[name=name]', 'Margaret');
    await page.click('button:has-text("Sign in")');
    await inConsole('admin-orders tr[data-order]').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('checkout-admin.token')), ADMIN_TOKEN);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.locator('admin-orders tr[data-order]').count(), 3);
    await checkAccess('orders');
    await screenshot(page, 'admin-orders');
  });

  it('finds an order by email and refunds part of it: Stripe has the refund, the order is partially refunded, the stock stays', async () => {
    const stockBefore = await count(suite.server, "SELECT stock FROM products WHERE id = 'hoodie-grey'");
    await page.fill('admin-orders input[name=q]', 'grace');
    await page.click('admin-orders button:has-text("Search")');
    await page.waitForFunction(() => document.querySelector('admin-console')?.shadowRoot?.querySelector('admin-orders')?.shadowRoot?.querySelectorAll('tr[data-order]').length === 1);
    await checkAccess('orders, searched');
    await page.click(`admin-orders tr[data-order="${grace.number}"] a`);
    await inConsole('admin-order-detail [data-testid=order-status]').waitFor();
    await checkAccess('order detail');
    await page.fill('admin-order-detail input[name=amount]', 'ten');
    await page.fill('admin-order-detail input[name=reason]', 'Arrived a week late');
    await page.click('admin-order-detail button:has-text("Refund")');
    await page.getByText('Enter the amount to refund, like 12.50.').waitFor();
    assert.equal(await announced('Enter the amount to refund, like 12.50.'), true);
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
    assert.equal(await announced('The confirmation email is on its way again.'), true);
    await checkAccess('order detail, partly refunded');
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
    await checkAccess('products, stock adjusted');
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
    await checkAccess('coupons, new coupon form');
    await page.fill('admin-coupons input[name=code]', 'HELLO10');
    await page.fill('admin-coupons input[name=value]', '10');
    await page.check('admin-coupons input[name=firstOrderOnly]');
    await page.click('admin-coupons button:has-text("Create coupon")');
    await page.getByText('Created HELLO10.').waitFor();
    assert.match((await inConsole('admin-coupons tr[data-coupon="HELLO10"]').textContent()) ?? '', /first order only/);
    assert.equal((await inConsole('admin-coupons tr[data-coupon="WELCOME15"] [data-testid=uses]').textContent())?.trim(), '1');
    await checkAccess('coupons');
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
    await checkAccess('shipping rates');
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
    // Recovered revenue is part of a day's revenue, so its point lies within that day's bar: drawn
    // over the bar, not hidden behind it. Counted in the bar's box, below the legend (which has both colours).
    const retryOverBar = await page.evaluate(() => {
      const canvas = document.querySelector('admin-console')?.shadowRoot?.querySelector('admin-metrics')?.shadowRoot?.querySelector<HTMLCanvasElement>('#revenue');
      const { width, height } = canvas!;
      const data = canvas!.getContext('2d')!.getImageData(0, 0, width, height).data;
      // Distance of pixel i from a colour; no named helpers: the page gets this function's source as it is.
      const [revenue, retry] = [[0x25, 0x63, 0xeb], [0xf5, 0x9e, 0x0b]] as const;
      let [left, right, top, bottom] = [width, -1, height, -1];
      for (let y = Math.floor(height / 5); y < height; y++) for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i]! - revenue[0]) + Math.abs(data[i + 1]! - revenue[1]) + Math.abs(data[i + 2]! - revenue[2]) < 24) {
          [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
        }
      }
      let inside = 0;
      for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i]! - retry[0]) + Math.abs(data[i + 1]! - retry[1]) + Math.abs(data[i + 2]! - retry[2]) < 24) inside++;
      }
      return { bar: right > left, inside };
    });
    assert.equal(retryOverBar.bar, true, 'a revenue bar');
    assert.ok(retryOverBar.inside > 0, 'the retry link\'s point shows on the bar');
    // The revenue chart's series, day by day as text: today's sales, the one won back by the retry link, none by a reminder.
    await page.click('admin-metrics summary');
    const salesDay = orders[2]!.createdAt.slice(0, 10);
    const days = await page.locator('admin-metrics tr[data-day]').evaluateAll((rows) => rows.map((r) => [...(r as HTMLTableRowElement).cells].map((td) => td.textContent!.trim())));
    const money = (amount: number) => `$${(amount / 100).toFixed(2)}`;
    assert.deepEqual(days.filter(([day]) => day === salesDay), [[salesDay, money(revenue), money(orders[2]!.amountPaid), money(0)]]);
    assert.deepEqual(days.filter(([day]) => day !== salesDay).map((d) => d.slice(1)), Array(days.length - 1).fill([money(0), money(0), money(0)]), 'nothing on the other days');
    await checkAccess('metrics, day by day');
    await page.click('admin-metrics summary');
    await checkAccess('metrics');
    await screenshot(page, 'admin-metrics');
  });

  it('filters orders by status and day, shows a failed attempt and the history, and resolves an order that needs attention', async () => {
    const [ada, , alan] = orders as [OrderRecord, OrderRecord, OrderRecord];
    await suite.server.outbox.drain();
    await suite.server.checkout.orders.markAttention(ada.id, 'disputed', Date.now());
    const listed = () => page.locator('admin-orders tr[data-order]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.order));
    const search = async (fields: { status?: string; from?: string; to?: string }) => {
      await page.selectOption('admin-orders select[name=status]', fields.status ?? '');
      await page.fill('admin-orders input[name=from]', fields.from ?? '');
      await page.fill('admin-orders input[name=to]', fields.to ?? '');
      await page.click('admin-orders button:has-text("Search")');
    };
    await page.click('admin-console nav a:has-text("Orders")');
    await search({ status: 'needs_attention' });
    await page.waitForFunction(() => document.querySelector('admin-console')?.shadowRoot?.querySelector('admin-orders')?.shadowRoot?.querySelectorAll('tr[data-order]').length === 1);
    assert.deepEqual(await listed(), [ada.number]);
    await checkAccess('orders, filtered by status');
    const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    await search({ from: day(1) });
    await inConsole('admin-orders').getByText('No orders match.').waitFor();
    await checkAccess('orders, none match');
    await search({ from: day(-1), to: day(0) });
    await inConsole('admin-orders tr[data-order]').waitFor();
    assert.deepEqual((await listed()).sort(), orders.map((o) => o.number).sort());

    // The order won back after a decline: its items, the declined attempt and its history.
    await page.click(`admin-orders tr[data-order="${alan.number}"] a`);
    await inConsole('admin-order-detail [data-testid=order-status]').waitFor();
    const detail = inConsole('admin-order-detail');
    await detail.getByRole('cell', { name: 'Six-Panel Cap' }).waitFor();
    assert.deepEqual(await page.locator('admin-order-detail h3:has-text("Failed payment attempts") + ul li').allTextContents(), ['generic_decline: Your card was declined.']);
    // Each line's text without its date.
    const history = await page.locator('admin-order-detail ol.history li').evaluateAll((items) => items.map((li) =>
      [...li.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim()));
    assert.deepEqual(history, [
      'Checkout started',
      'Payment failed: generic_decline, Your card was declined.',
      'Email sent: Demo Shop: your payment did not go through',
      `Order ${alan.number} created`,
      `Email sent: Demo Shop: order ${alan.number} confirmed`,
    ]);

    await page.click('admin-order-detail button:has-text("All orders")');
    await search({ status: 'needs_attention' });
    await page.click(`admin-orders tr[data-order="${ada.number}"] a`);
    await inConsole('admin-order-detail').getByRole('heading', { name: 'Needs attention: disputed' }).waitFor();
    await checkAccess('order detail, needs attention');
    await page.fill('admin-order-detail textarea[name=note]', 'Won the dispute in the dashboard');
    await page.click('admin-order-detail button:has-text("Mark resolved")');
    await page.getByText('Marked resolved.').waitFor();
    assert.equal((await inConsole('admin-order-detail [data-testid=order-status]').textContent())?.trim(), 'paid');
    await inConsole('admin-order-detail ol.history').getByText('Resolved by admin:Margaret: Won the dispute in the dashboard').waitFor();
    assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE id = ? AND status = \'paid\'', ada.id), 1);
    assert.deepEqual(await sqlRow(suite.server.db, 'SELECT resolved_by AS "by", note FROM order_resolutions WHERE order_id = ?', ada.id), { by: 'admin:Margaret', note: 'Won the dispute in the dashboard' });
  });

  it('creates, edits and deactivates a product, and edits and deactivates a coupon, whose uses have no field', async () => {
    type AdminProduct = { id: string; name: string; price: number; image: string; shippable: boolean; stock: number; active: boolean };
    const product = async () => (await admin<{ products: AdminProduct[] }>(suite.server, '/products')).body.products.find((p) => p.id === 'poster');
    await page.click('admin-console nav a:has-text("Products")');
    await page.click('admin-products button:has-text("New product")');
    await checkAccess('products, new product form');
    await page.fill('admin-products input[name=id]', 'poster');
    await page.fill('admin-products input[name=name]', 'Poster');
    await page.fill('admin-products input[name=price]', '18.00');
    await page.fill('admin-products input[name=stock]', '12');
    await page.click('admin-products button:has-text("Create product")');
    await page.getByText('Created Poster.').waitFor();
    const created = await product();
    assert.deepEqual([created?.name, created?.price, created?.stock, created?.shippable, created?.active], ['Poster', 1800, 12, true, true]);

    await page.click('admin-products tr[data-product="poster"] button:has-text("Edit")');
    await page.fill('admin-products input[name=name]', 'Poster, A2');
    await page.fill('admin-products input[name=price]', '19.50');
    await page.fill('admin-products input[name=image]', '/images/poster-a2.svg');
    await page.uncheck('admin-products input[name=shippable]');
    await page.click('admin-products button:has-text("Save")');
    await page.getByText('Saved Poster, A2.').waitFor();
    const edited = await product();
    assert.deepEqual([edited?.name, edited?.price, edited?.image, edited?.shippable, edited?.stock], ['Poster, A2', 1950, '/images/poster-a2.svg', false, 12]);

    await page.click('admin-products tr[data-product="poster"] button:has-text("Deactivate")');
    await page.getByText('Poster, A2 is deactivated: no longer sold.').waitFor();
    assert.equal((await product())?.active, false);
    const shop = (await suite.server.api<{ products: { id: string }[] }>('/api/products')).body.products.map((p) => p.id);
    assert.ok(!shop.includes('poster'), 'the shop no longer sells it');

    type AdminCoupon = { code: string; maxUses: number | null; minSubtotal: number; expiresAt: string | null; uses: number; active: boolean };
    const coupon = async () => (await admin<{ coupons: AdminCoupon[] }>(suite.server, '/coupons')).body.coupons.find((c) => c.code === 'HELLO10');
    const usesBefore = (await coupon())?.uses;
    await page.click('admin-console nav a:has-text("Coupons")');
    await page.click('admin-coupons tr[data-coupon="HELLO10"] button:has-text("Edit")');
    await checkAccess('coupons, edit form');
    assert.equal(await page.locator('admin-coupons form input[name=uses]').count(), 0, 'no field for uses');
    await page.fill('admin-coupons input[name=maxUses]', '50');
    await page.fill('admin-coupons input[name=minSubtotal]', '20.00');
    await page.fill('admin-coupons input[name=expiresAt]', '2030-01-31T12:00');
    await page.click('admin-coupons button:has-text("Save")');
    await page.getByText('Saved HELLO10.').waitFor();
    // The expiry typed in the browser's time zone, as the browser reads it.
    const expiresAt = await page.evaluate(() => new Date('2030-01-31T12:00').toISOString());
    const edited10 = await coupon();
    assert.deepEqual([edited10?.maxUses, edited10?.minSubtotal, edited10?.expiresAt, edited10?.uses, edited10?.active], [50, 2000, expiresAt, usesBefore, true]);

    await page.click('admin-coupons tr[data-coupon="HELLO10"] button:has-text("Deactivate")');
    await page.getByText('HELLO10 is deactivated.').waitFor();
    assert.equal((await coupon())?.active, false);
    const cart = await cartWith(suite.server, [['tee-white', 2]]);
    const applied = await suite.server.api<{ error: { code: string } }>(`/api/carts/${cart.id}/coupon`, { json: { code: 'HELLO10' } });
    assert.deepEqual([applied.status, applied.body.error.code], [400, 'coupon_invalid']);
  });

  it('shows in an order\'s history that its payment said another shipping address than the order ships to', async () => {
    const s = suite.server;
    // The demo's US rate, back in the catalog as a merchant loads it: this order ships.
    const loaded = await admin(s, '/catalog', { method: 'PUT', json: { shippingRates: [{ id: 'standard-us', label: 'Standard (3-5 business days)', amount: 500, countries: ['US'] }] } });
    assert.equal(loaded.status, 200);
    const started = await checkout(s, (await cartWith(s, [['tee-white', 1]])).id, 'elsewhere@example.com', US_SHIPPING);
    assert.equal(started.status, 200);
    // A page that passes its own shipping when it confirms.
    await s.sdk.paymentIntents.confirm(paymentIntentId(started.body.clientSecret), {
      payment_method: 'pm_card_visa', return_url: `${s.url}/`,
      shipping: { name: 'Mallory Hostile', address: { line1: '9 Drop Lane', city: 'Elsewhere', state: 'NY', postal_code: '10001', country: 'US' } },
    });
    await webhooksSettled(s);
    await s.outbox.drain();
    const order = (await s.checkout.orders.byCheckout(started.body.checkoutId))!;

    await page.click('admin-console nav a:has-text("Orders")');
    await page.fill('admin-orders input[name=q]', 'elsewhere@example.com');
    await page.selectOption('admin-orders select[name=status]', '');
    await page.fill('admin-orders input[name=from]', '');
    await page.fill('admin-orders input[name=to]', '');
    await page.click('admin-orders button:has-text("Search")');
    await page.click(`admin-orders tr[data-order="${order.number}"] a`);
    await inConsole('admin-order-detail ol.history').getByText('Shipping on the payment differs').waitFor();
    const history = await page.locator('admin-order-detail ol.history li').evaluateAll((items) => items.map((li) =>
      [...li.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim()));
    assert.deepEqual(history, [
      'Checkout started',
      `Order ${order.number} created`,
      'Shipping on the payment differs from the order\'s: payment: Mallory Hostile, 9 Drop Lane, Elsewhere, NY 10001, US; order ships to: Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US',
      `Email sent: Demo Shop: order ${order.number} confirmed`,
    ]);
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
