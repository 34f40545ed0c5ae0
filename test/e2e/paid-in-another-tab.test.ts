/**
 * Two tabs of one browser share one cart. When the other tab pays it, a tab waiting on the payment
 * step must not look as if the shopper's items vanished: it says the order was placed, with its
 * number and where the confirmation went, above the (now empty) cart. English and German.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { count, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { checkView, consoleErrors, contextOptions, lookName, speak, type Look } from './checks.ts';
import { addFromButton, confirmedOrderNumber, fillCard, openShop, pay, screenshot, startCheckout } from './shop.ts';

const widget = (page: Page, selector: string) => page.locator(`checkout-cart ${selector}`);
const suite = serverAndBrowser();

const words = {
  en: (number: string, email: string) => ({
    notice: `This cart was paid in another tab: order ${number}. We sent the confirmation to ${email}.`,
    empty: 'Your cart is empty.',
  }),
  de: (number: string, email: string) => ({
    notice: `Dieser Warenkorb wurde in einem anderen Tab bezahlt: Bestellung ${number}. Wir haben die Bestätigung an ${email} geschickt.`,
    empty: 'Dein Warenkorb ist leer.',
  }),
};

describe('a cart paid in another tab', () => {
  for (const look of [{ device: 'phone', scheme: 'light', lang: 'en' }, { device: 'desktop', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`the tab left on the payment step names the order the other tab placed (${lookName(look)})`, async () => {
      let errors: string[] = [];
      const { page } = await openShop(suite.browser, suite.server.url, {
        context: contextOptions(look),
        beforeLoad: async (page) => {
          errors = consoleErrors(page);
          await speak(page.context(), look.lang);
        },
      });
      const context = page.context();
      const email = `paid-elsewhere-${look.device}@example.com`;
      await addFromButton(page, 'mug-stone');
      await startCheckout(page, email);
      await fillCard(page, '4242424242424242');

      // The other tab checks out the same cart and pays it.
      const other = await context.newPage();
      await other.goto(`${suite.server.url}/`);
      await other.locator('checkout-cart [part="toggle"]').click();
      await startCheckout(other, email);
      await fillCard(other, '4242424242424242');
      await pay(other);
      const number = await confirmedOrderNumber(other);
      assert.match(number, /^CO-\d+$/);

      const expected = words[look.lang](number, email);
      await page.waitForFunction(() => (document.querySelector('checkout-cart')?.shadowRoot?.querySelector('.notice')?.textContent ?? '').includes('CO-'));
      assert.equal((await widget(page, '.notice').textContent())!.trim(), expected.notice);
      assert.equal(await widget(page, '[part="pay-button"]').count(), 0);
      assert.equal(await widget(page, '[part="line-item"]').count(), 0);
      assert.match(await widget(page, '[part="base"]').textContent() ?? '', new RegExp(expected.empty));
      await checkView(page, look, 'a cart paid in another tab');
      if (look.device === 'phone') await screenshot(page, 'paid-elsewhere-phone');

      await webhooksSettled(suite.server);
      assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      assert.deepEqual(errors, [], 'console errors in the tab that did not pay');
      await context.close();
    });
  }
});
