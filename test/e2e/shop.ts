/** What a shopper does on the demo shop, as Playwright steps: one place for the selectors. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { TEST_ENGINE } from '../helpers/db.ts';

export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const widget = (page: Page, selector: string) => page.locator(`checkout-cart ${selector}`);

export interface Shopper {
  page: Page;
  /** The console's errors, as they come (a page error fails the test at once). */
  consoleErrors: string[];
}

export interface OpenShopOptions {
  /** Over the default: a 1200 x 900 desktop window. */
  context?: BrowserContextOptions;
  /** Runs on the new page before the shop loads: init scripts, routes. */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

/** A shopper of their own (a new browser context) on the demo shop, once its widget is there. */
export async function openShop(browser: Browser, shopUrl: string, options: OpenShopOptions = {}): Promise<Shopper> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options.context });
  const page = await context.newPage();
  // Thrown, so the test fails where it stands: an uncaught error is the widget's fault, whatever the test does next.
  page.on('pageerror', (error) => { throw error; });
  const consoleErrors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(`${message.text()} at ${message.location().url}`); });
  await options.beforeLoad?.(page);
  await page.goto(`${shopUrl}/`);
  await widget(page, '[part="toggle"]').waitFor();
  return { page, consoleErrors };
}

/** Closes the cart panel, as a shopper going back to the shop does (it covers the page). */
export async function closePanel(page: Page): Promise<void> {
  if (await page.locator('checkout-cart[open]').count()) {
    // At once, as a shopper does: Escape closes the panel even while its code is on its way.
    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();
  }
}

export async function addFromButton(page: Page, productId: string): Promise<void> {
  await closePanel(page);
  const before = await badgeCount(page);
  await page.locator(`[data-checkout-add="${productId}"]`).first().click();
  await page.waitForFunction((n) => Number(document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="badge"]')?.textContent ?? 0) > n, before);
}

export async function badgeCount(page: Page): Promise<number> {
  return Number((await widget(page, '[part="badge"]').textContent()) ?? 0);
}

export async function applyCoupon(page: Page, code: string): Promise<void> {
  const input = widget(page, '[part="coupon"] input');
  await input.fill(code);
  await input.press('Enter');
  await widget(page, '[part="coupon"]').getByText(code.toUpperCase()).first().waitFor();
}

export async function shownTotal(page: Page): Promise<string> {
  return (await widget(page, '[data-total="total"]').textContent())!.trim();
}

export interface AddressInput { country: string; name: string; line1: string; city: string; state?: string; postalCode: string }

/** A US address: what startCheckout gives a cart that ships (the demo's standard rate is chosen for it). */
export const US_ADDRESS: AddressInput = { country: 'US', name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Springfield', state: 'IL', postalCode: '62701' };

/** Fills the Address Element (the emulator's stand-in, in the light DOM) as a shopper types. */
export async function fillAddress(page: Page, a: AddressInput): Promise<void> {
  await page.locator('[data-testid="address-country"]').selectOption(a.country);
  await page.locator('[data-testid="address-name"]').fill(a.name);
  await page.locator('[data-testid="address-line1"]').fill(a.line1);
  await page.locator('[data-testid="address-city"]').fill(a.city);
  if (a.state) await page.locator('[data-testid="address-state"]').fill(a.state);
  await page.locator('[data-testid="address-postal-code"]').fill(a.postalCode);
}

/** The email (and, for a cart that ships, US_ADDRESS with the first rate), then on to the Payment Element. */
export async function startCheckout(page: Page, email: string): Promise<void> {
  await widget(page, '[part="checkout-button"]').click();
  await widget(page, '#email').fill(email);
  const ships = await page.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: { requiresShipping: boolean } | null }).cart?.requiresShipping);
  if (ships) {
    await page.locator('[data-testid="address-element"]').waitFor();
    await fillAddress(page, US_ADDRESS);
    await widget(page, '[part="shipping-rates"] input:checked').waitFor();
  }
  await widget(page, '[part="continue-button"]').click();
  await page.locator('[data-testid="card-number"]').waitFor();
}

export async function fillCard(page: Page, number: string): Promise<void> {
  await page.locator('[data-testid="card-number"]').fill(number);
  await page.locator('[data-testid="card-expiry"]').fill('12 / 34');
  await page.locator('[data-testid="card-cvc"]').fill('123');
  await page.locator('[data-testid="postal-code"]').fill('94107');
}

export async function pay(page: Page): Promise<void> {
  await widget(page, '[part="pay-button"]:not([disabled])').click();
}

export async function confirmedOrderNumber(page: Page): Promise<string> {
  const number = widget(page, '[part="order-number"]');
  await number.waitFor({ timeout: 30_000 });
  return (/CO-\d+/.exec((await number.textContent()) ?? '') ?? [''])[0];
}

/** The ship-to line as a shopper reads it (its word, the name and address, the rate), and whether it offers a Change button. */
export async function shipToLine(page: Page, within = ''): Promise<{ text: string; change: boolean }> {
  return widget(page, `${within} [part="ship-to"]`).evaluate((part) => {
    const line = part.closest('p')!;
    return { text: line.textContent!.replace(/\s+/g, ' ').trim(), change: line.querySelector('button') !== null };
  });
}

export async function payError(page: Page): Promise<string> {
  const error = widget(page, '#pay-error');
  await page.waitForFunction(() => (document.querySelector('checkout-cart')?.shadowRoot?.querySelector('#pay-error')?.textContent ?? '').trim().length > 0);
  return (await error.textContent())!.trim();
}

/** The README's pictures, taken in the SQLite lane of `npm test` only: the PostgreSQL lane runs the
 * same journeys at the same time, and two writers of one file could leave it torn. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (TEST_ENGINE === 'postgres') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}
