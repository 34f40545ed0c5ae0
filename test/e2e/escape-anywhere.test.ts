/**
 * "Escape from anywhere" (issue 13), where a page's keydown listener alone does not hear it: the
 * first moments after the panel opens, while the cart panel's code is still on its way (a slow
 * phone network; the chunk is held back by the test, not raced), and inside Stripe's Elements,
 * whose frames keep their keys from the page (the emulator's stand-ins do the same, and fire the
 * Element's `escape` event, as Stripe's do).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { count, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { addFromButton, confirmedOrderNumber, fillAddress, fillCard, openShop, pay, US_ADDRESS } from './shop.ts';

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

/** Presses Escape where focus is, and waits for the panel to close; then opens it again from its toggle. */
async function escapeAndReopen(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('checkout-cart:not([open])').waitFor();
  await widget(page, '[part="toggle"]').click();
  await page.locator('checkout-cart[open]').waitFor();
}

describe('Escape from anywhere', () => {
  // A shop whose products ship: the Address Element is one of the places.
  const suite = serverAndBrowser({ shipping: true });

  it('closes the panel while its code is still loading, from inside it and from the page\'s body (the page inert meanwhile), and it stays closed once the code arrives', async () => {
    let held!: Awaited<ReturnType<typeof holdCartPanelCode>>;
    const { page, consoleErrors } = await openShop(suite.browser, suite.server.url, { beforeLoad: async (page) => void (held = await holdCartPanelCode(page)) });

    await widget(page, '[part="toggle"]').click();
    await held.requested;
    await widget(page, '[part="base"]:not([hidden])').waitFor();
    assert.equal(await widget(page, '[part="base"] .body').textContent().then((t) => t?.trim()), 'Loading…', 'the panel is open, its code not yet here');
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.shadowRoot!.activeElement?.getAttribute('part')), 'base', 'focus is in the panel');
    // The page under it is out of reach already, as once the code is here: inert, so Tab stays in the panel.
    assert.equal(await page.locator('[data-checkout-add="tee-black"]').first().evaluate((button) => button.closest('[inert]') !== null), true, 'the page under the panel is inert');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      assert.ok(['checkout-cart', 'body'].includes(await page.evaluate(() => document.activeElement?.localName ?? '')), `Tab ${i + 1} stays in the panel`);
    }

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

  it('closes the panel from inside Stripe\'s Address Element, card form and wallet buttons, and the purchase goes on', async () => {
    const { page, consoleErrors } = await openShop(suite.browser, suite.server.url, { context: { locale: 'en-US' } });
    const email = 'escape-elements@example.com';
    await addFromButton(page, 'tee-black');
    await widget(page, '[part="checkout-button"]').click();
    await widget(page, '#email').fill(email);
    await page.locator('[data-testid="address-name"]').focus();
    await escapeAndReopen(page);

    await fillAddress(page, US_ADDRESS);
    await widget(page, '[part="shipping-rates"] input:checked').waitFor();
    await widget(page, '[part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').focus();
    await escapeAndReopen(page);

    await page.locator('[data-testid="express-checkout-google-pay"]').focus();
    await escapeAndReopen(page);
    assert.equal(await page.getByRole('dialog', { name: 'Google Pay (test)' }).count(), 0, 'Escape opened no wallet sheet');

    await fillCard(page, '4242424242424242');
    await pay(page);
    await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });
});
