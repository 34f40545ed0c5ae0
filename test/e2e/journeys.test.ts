/**
 * The journeys a newcomer makes on `npm start`, in real Chromium against the real server (demo
 * shop, widget, Stripe emulator, dev mailbox), on SQLite carts and on Redis carts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Cart } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { redisAvailable } from '../helpers/redis.ts';
import { sendDueRecoveryEmails } from '../../server/checkout/payment-events.ts';
import { ADMIN_TOKEN, count, startTestServer, webhooksSettled, type TestServer } from '../helpers/server.ts';
import { launchChromium } from './browser.ts';
import { addFromButton, applyCoupon, confirmedOrderNumber, fillCard, openShop, pay, payError, screenshot, shownTotal, startCheckout } from './shop.ts';

let browser: Browser;
before(async () => { browser = await launchChromium(); });
after(() => browser?.close());

for (const store of ['sqlite', 'redis'] as const) {
  describe(`shopping journeys (${store} carts)`, () => {
    let s: TestServer | undefined;
    before(async () => {
      if (store === 'redis' && !(await redisAvailable())) return;
      s = await startTestServer({ store, env: { RECOVERY_EMAIL_DELAY_MINUTES: '0' } });
    });
    after(async () => { await s?.stop(); });

    const freshPage = async (): Promise<Page> => (await openShop(browser, s!.url)).page;
    const ordersFor = (email: string) => count(s!, 'SELECT COUNT(*) FROM orders WHERE email = ?', email);
    const shots = store === 'sqlite';

    it('buys two items with WELCOME15 and 4242: confirmation, order in the admin API, email with the right total', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const page = await freshPage();
      await addFromButton(page, 'tee-black');
      await addFromButton(page, 'mug-stone');
      await applyCoupon(page, 'welcome15');
      const cartId = await page.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: Cart }).cart.id);
      const serverCart = (await s.api<{ cart: Cart }>(`/api/carts/${cartId}`)).body.cart;
      // 2500 + 2 x 1400 = 5300; 15 % = 795; tax 8 % of 4505 = 360.4 -> 360; total 4865.
      assert.equal(serverCart.totals.total, 4865);
      assert.equal(await shownTotal(page), formatMoney(4865, 'USD', 'en-US'));
      await startCheckout(page, 'ada@example.com');
      await fillCard(page, '4242424242424242');
      await pay(page);
      const number = await confirmedOrderNumber(page);
      assert.match(number, /^CO-\d+$/);

      const orders = await s.api<{ orders: { number: string; email: string; totals: { total: number }; status: string }[] }>(
        '/api/admin/orders', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const order = orders.body.orders.find((o) => o.number === number);
      assert.deepEqual(order && { email: order.email, total: order.totals.total, status: order.status }, { email: 'ada@example.com', total: 4865, status: 'paid' });
      await s.outbox.drain();
      const mails = await (await fetch(`${s.url}/dev/mail`)).text();
      assert.match(mails, new RegExp(`order ${number} confirmed`));
      const id = /href="\/dev\/mail\/([^"]+)"/.exec(mails)![1]!;
      const mail = (await (await fetch(`${s.url}/dev/mail/${id}.json`)).json()) as { text: string; to: string };
      assert.equal(mail.to, 'ada@example.com');
      assert.match(mail.text, /Total: \$48\.65/);
      await page.context().close();
    });

    it('pays with 3D Secure: Complete gives an order; Fail, then another card, gives one order', async (t) => {
      if (!s) return t.skip('Redis is not running');
      let page = await freshPage();
      await addFromButton(page, 'cap-navy');
      await startCheckout(page, 'three@example.com');
      await fillCard(page, '4000002760003184');
      await pay(page);
      const bank = page.frameLocator('iframe[title="3D Secure authentication"]');
      await bank.locator('[data-testid="three-ds-complete"]').waitFor();
      if (shots) await screenshot(page, '3ds-challenge');
      await bank.locator('[data-testid="three-ds-complete"]').click();
      await confirmedOrderNumber(page);
      assert.equal(await ordersFor('three@example.com'), 1);
      await page.context().close();

      page = await freshPage();
      await addFromButton(page, 'tee-white');
      await startCheckout(page, 'fails@example.com');
      await fillCard(page, '4000002760003184');
      await pay(page);
      await page.frameLocator('iframe[title="3D Secure authentication"]').locator('[data-testid="three-ds-fail"]').click();
      assert.match(await payError(page), /./);
      assert.equal(await ordersFor('fails@example.com'), 0);
      await fillCard(page, '4242424242424242');
      await pay(page);
      await confirmedOrderNumber(page);
      await webhooksSettled(s);
      assert.equal(await ordersFor('fails@example.com'), 1);
      await page.context().close();
    });

    it('after a decline, the recovery email links to a page where the shopper pays: one order', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const page = await freshPage();
      await addFromButton(page, 'hoodie-grey');
      await startCheckout(page, 'declined@example.com');
      await fillCard(page, '4000000000000002');
      await pay(page);
      assert.match(await payError(page), /^Your card was declined\./);
      await webhooksSettled(s);
      assert.equal(await sendDueRecoveryEmails(s.checkout), 1);
      await s.outbox.drain();
      const mails = await (await fetch(`${s.url}/dev/mail`)).text();
      const id = /href="\/dev\/mail\/([^"]+)">[^<]*did not go through/.exec(mails)![1]!;
      const mail = (await (await fetch(`${s.url}/dev/mail/${id}.json`)).json()) as { text: string };
      const link = /https?:\/\/\S+\/checkout\/retry\/\S+/.exec(mail.text)![0];
      await page.goto(link);
      await page.locator('[data-testid="card-number"]').waitFor();
      await fillCard(page, '4242424242424242');
      await pay(page);
      await confirmedOrderNumber(page);
      await webhooksSettled(s);
      assert.equal(await ordersFor('declined@example.com'), 1);
      await page.context().close();
    });

    it('makes the order once even when the page is closed before the confirmation shows', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const page = await freshPage();
      await addFromButton(page, 'mug-stone');
      await startCheckout(page, 'closer@example.com');
      await fillCard(page, '4242424242424242');
      s.stripe.emulator!.webhooks.configure({ paused: true });
      await pay(page);
      await page.waitForFunction(() => !!document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="processing"], [part="confirmation"]'));
      await page.context().close();
      s.stripe.emulator!.webhooks.configure({ paused: false });
      await webhooksSettled(s);
      assert.equal(await ordersFor('closer@example.com'), 1);
    });

    it('resumes the checkout after a reload, and two tabs share one cart', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const page = await freshPage();
      await addFromButton(page, 'print-limited');
      const second = await page.context().newPage();
      await second.goto(`${s.url}/`);
      await second.locator('checkout-cart [part="toggle"]').click();
      await second.locator('checkout-cart [part="line-item"][data-product-id="print-limited"]').waitFor();
      await addFromButton(second, 'cap-navy');
      await page.waitForFunction(() => (document.querySelector('checkout-cart') as unknown as { cart: Cart | null }).cart?.items.length === 2);

      await startCheckout(page, 'reload@example.com');
      await page.reload();
      await page.locator('checkout-cart [part="toggle"]').click();
      await page.locator('checkout-cart [part="checkout-button"]').click();
      // The email is remembered and the same checkout continues.
      assert.equal(await page.locator('checkout-cart #email').inputValue(), 'reload@example.com');
      await page.locator('checkout-cart [part="continue-button"]').click();
      await fillCard(page, '4242424242424242');
      await pay(page);
      await confirmedOrderNumber(page);
      await webhooksSettled(s);
      assert.equal(await ordersFor('reload@example.com'), 1);
      assert.equal(await count(s, "SELECT COUNT(*) FROM checkouts WHERE email = 'reload@example.com'"), 1);
      await page.context().close();
    });
  });
}
