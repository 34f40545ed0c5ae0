/**
 * Point 2 of issue 13: a reload while the widget says "Confirming your payment…", or just after it
 * showed the order, lands on the confirmation with the order number, never on an empty cart. The
 * moment is made deterministic by holding the widget's status reads (the server makes the order
 * meanwhile), not by sleeping. On a desktop and on a 390 x 844 phone in German and dark mode, the
 * confirmation a reload lands on passes every view's checks (./checks.ts). Also: a successful
 * purchase logs no console error at all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { count, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { checkView, contextOptions, lookName, speak, type Look } from './checks.ts';
import { addFromButton, confirmedOrderNumber, fillCard, openShop, pay, startCheckout } from './shop.ts';
import { sqlColumn } from '../helpers/db.ts';

/** The widget's reads of a checkout's status: its event stream and `GET /api/checkouts/:id`. */
const STATUS_READS = /\/api\/checkouts\/[^/]+(\/events)?$/;

describe('a reload during and after "Confirming your payment…"', () => {
  const suite = serverAndBrowser();

  /**
   * The demo shop in a new context (a desktop window unless `look` says), counting the
   * checkout-completed events its pages fire, across reloads of the tab (kept in sessionStorage):
   * the page before a reload may hear of the order in its last moments, and then it is the one that
   * reports it.
   */
  const shopPage = (look?: Look) => openShop(suite.browser, suite.server.url, {
    ...(look && { context: contextOptions(look) }),
    beforeLoad: async (page) => {
      if (look) await speak(page.context(), look.lang);
      await page.addInitScript(() => {
        document.addEventListener('checkout-completed', (event) => {
          const completed = JSON.parse(sessionStorage.getItem('test:completed') ?? '[]') as string[];
          sessionStorage.setItem('test:completed', JSON.stringify([...completed, (event as Event & { orderNumber: string }).orderNumber]));
        });
      });
    },
  });
  const completedEvents = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('test:completed') ?? '[]') as string[]);
  const orderNumberFor = async (email: string) => (await sqlColumn(suite.server.db, 'SELECT number FROM orders WHERE email = ?', email)) as string[];

  for (const look of [{ device: 'desktop', scheme: 'light', lang: 'en' }, { device: 'phone', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`lands on the confirmation with the order number when the order was made while the page still said "Confirming" (${lookName(look)})`, async () => {
      const { page } = await shopPage(look);
      const email = `reload-processing-${look.device}@example.com`;
      await addFromButton(page, 'tee-black');
      await startCheckout(page, email);
      await fillCard(page, '4242424242424242');
      // The widget hears nothing about the checkout from now on: it stays on "Confirming your payment…".
      await page.route(STATUS_READS, (route) => route.abort());
      await pay(page);
      await page.locator('checkout-cart [part="processing"]').waitFor();
      await webhooksSettled(suite.server);
      const [number] = await orderNumberFor(email);
      assert.match(number ?? '', /^CO-\d+$/);
      assert.equal(await page.locator('checkout-cart [part="processing"]').count(), 1, 'still confirming when the shopper reloads');

      await page.unroute(STATUS_READS);
      await page.reload();
      assert.equal(await confirmedOrderNumber(page), number);
      assert.match((await page.locator('checkout-cart [part="order-number"]').textContent())!, look.lang === 'de' ? /^Bestellnummer CO-/ : /^Order number CO-/);
      assert.deepEqual(await completedEvents(page), [number], 'the order is reported once, before or after the reload');
      await checkView(page, look, 'the confirmation after a reload');
      assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      await page.context().close();
    });
  }

  it('shows the confirmation again after a reload, reports the order once, and lets the shopper go back to the shop', async () => {
    const { page, consoleErrors } = await shopPage();
    await addFromButton(page, 'mug-stone');
    await startCheckout(page, 'reload-confirmed@example.com');
    await fillCard(page, '4242424242424242');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    assert.deepEqual(await completedEvents(page), [number]);

    await page.reload();
    assert.equal(await confirmedOrderNumber(page), number);
    assert.deepEqual(await completedEvents(page), [number], 'a reload does not report the order again');

    // Dismissed, it stays dismissed: the next reload shows the shop with an empty cart, closed.
    await page.locator('checkout-cart [part="continue-shopping"]').click();
    await page.locator('checkout-cart:not([open])').waitFor();
    await page.reload();
    await page.locator('checkout-cart [part="toggle"]').waitFor();
    await page.locator('checkout-cart [part="base"][aria-busy="false"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('checkout-cart[open]').count(), 0);
    assert.equal((await page.locator('checkout-cart [part="badge"]').textContent())?.trim(), '0');

    await webhooksSettled(suite.server);
    assert.deepEqual(await orderNumberFor('reload-confirmed@example.com'), [number]);
    assert.deepEqual(consoleErrors, [], 'no console errors on a successful purchase');
    await page.context().close();
  });
});
