/**
 * Pay -> confirmation as a shopper sees it: Debian's Chromium on the demo shop, card 4242 against
 * the emulator, timed in the page from the Pay click to the order number being shown. The steps
 * before it (adding, the email, the card) are the end-to-end tests' own helpers.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from '../../test/e2e/browser.ts';
import { addFromButton, confirmedOrderNumber, fillCard, pay, startCheckout } from '../../test/e2e/shop.ts';

export const chromiumAvailable = () => existsSync(CHROMIUM_PATH);

export interface PayTimings {
  /** Click to order number, both taken in the page: what the shopper waits. */
  inPage: number[];
  /** The same seen from Playwright (its round trips included): a check on the first. */
  wall: number[];
}

/** `payments` timed payments after one untimed (the browser's and the server's first), in ms. */
export async function payToConfirmation(url: string, payments: number): Promise<PayTimings> {
  const browser = await launchChromium();
  const timings: PayTimings = { inPage: [], wall: [] };
  try {
    for (let i = 0; i <= payments; i++) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      try {
        const page = await context.newPage();
        await page.goto(`${url}/`);
        await page.locator('checkout-cart [part="toggle"]').waitFor();
        await addFromButton(page, 'tee-black');
        await startCheckout(page, `bench-${i}@example.com`);
        await fillCard(page, '4242424242424242');
        // Both ends timed in the page: the next click is the Pay button's (clicks are composed, so
        // they reach the document), and the order number is seen by an observer of the widget.
        await page.evaluate(() => {
          const w = window as unknown as { payClickedAt?: number; orderShownAt?: number };
          document.addEventListener('click', () => { w.payClickedAt ??= performance.now(); }, { capture: true });
          const root = document.querySelector('checkout-cart')!.shadowRoot!;
          const seen = new MutationObserver(() => {
            if (/CO-\d+/.test(root.querySelector('[part="order-number"]')?.textContent ?? '')) {
              w.orderShownAt ??= performance.now();
              seen.disconnect();
            }
          });
          seen.observe(root, { subtree: true, childList: true, characterData: true });
        });
        const clicked = performance.now();
        await pay(page);
        const number = await confirmedOrderNumber(page);
        if (!/^CO-\d+$/.test(number)) throw new Error(`no order number shown (got "${number}")`);
        const wall = performance.now() - clicked;
        const ms = await page.evaluate(() => {
          const w = window as unknown as { payClickedAt: number; orderShownAt: number };
          return w.orderShownAt - w.payClickedAt;
        });
        if (i > 0) {
          timings.inPage.push(ms);
          timings.wall.push(wall);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return timings;
}
