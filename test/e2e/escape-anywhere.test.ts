/**
 * "Escape from anywhere" (issue 13) includes the first moments after the panel opens, while the
 * cart panel's code is still on its way (a slow phone network): the shopper sees the panel and
 * "Loading…", and Escape must close it then too. The chunk is held back by the test, not raced.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { serverAndBrowser } from './browser.ts';
import { openShop } from './shop.ts';

const CART_PANEL_CHUNK = /\/chunks\/cart-panel-[^/]+\.js$/;
const widget = (page: Page, selector: string) => page.locator(`checkout-cart ${selector}`);

/** Holds the cart panel's chunk on its way until the returned function lets it through. */
async function holdCartPanelCode(page: Page): Promise<{ requested: Promise<void>; release: () => Promise<void> }> {
  let release!: () => Promise<void>;
  const requested = new Promise<void>((resolve) => {
    void page.route(CART_PANEL_CHUNK, (route: Route) => {
      resolve();
      release = async () => { await route.continue(); };
    });
  });
  return { requested, release: async () => { await requested; await release(); } };
}

describe('Escape while the cart panel\'s code is still loading', () => {
  const suite = serverAndBrowser();

  it('closes the panel from inside it and from the page\'s body, and the panel stays closed once its code arrives', async () => {
    let held!: Awaited<ReturnType<typeof holdCartPanelCode>>;
    const { page, consoleErrors } = await openShop(suite.browser, suite.server.url, { beforeLoad: async (page) => void (held = await holdCartPanelCode(page)) });

    await widget(page, '[part="toggle"]').click();
    await held.requested;
    await widget(page, '[part="base"]:not([hidden])').waitFor();
    assert.equal(await widget(page, '[part="base"] .body').textContent().then((t) => t?.trim()), 'Loading…', 'the panel is open, its code not yet here');
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.shadowRoot!.activeElement?.getAttribute('part')), 'base', 'focus is in the panel');

    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.shadowRoot!.activeElement?.getAttribute('part')), 'toggle', 'focus back on the toggle');

    // Open again, focus on the page's body, code still held: Escape closes it all the same.
    await widget(page, '[part="toggle"]').click();
    await page.locator('checkout-cart[open]').waitFor();
    await page.evaluate(() => (document.querySelector('checkout-cart')!.shadowRoot!.activeElement as HTMLElement | null)?.blur());
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();

    // The code arrives after the panel closed: the page is not left inert, nothing reopens.
    await held.release();
    await widget(page, '.empty').waitFor({ state: 'attached' });
    assert.equal(await page.locator('[inert]').count(), 0, 'nothing on the page is inert');
    assert.equal(await page.locator('checkout-cart[open]').count(), 0);

    // And with the code here, Escape still closes it once (no second listener left behind closing it twice).
    await page.evaluate(() => {
      const counted = window as unknown as { closeRequests: number };
      counted.closeRequests = 0;
      document.querySelector('checkout-cart')!.addEventListener('checkout-request-close', () => counted.closeRequests++);
    });
    await widget(page, '[part="toggle"]').click();
    await widget(page, '.empty').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { closeRequests: number }).closeRequests), 1, 'one close request per Escape');
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });
});
