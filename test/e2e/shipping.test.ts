/**
 * A shopper's purchase that ships, in real Chromium against the real server with the demo's
 * shipping rates: the address in Stripe's Address Element (the emulator's stand-in), a rate that
 * changes with the country, 4242, and the order with that address and the shipping it was charged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Cart, CheckoutCreated } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { admin } from '../helpers/admin.ts';
import { cartWith, pay as payWith, US_SHIPPING, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { checkView, consoleErrors as pageErrors, contextOptions, lookName, type Look } from './checks.ts';
import { addFromButton, confirmedOrderNumber, fillAddress, fillCard, openShop, pay, payError, screenshot, shipToLine, shownTotal, startCheckout, US_ADDRESS } from './shop.ts';
import { sqlValue } from '../helpers/db.ts';

const axeSource = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axe-core/package.json')), 'axe.min.js'), 'utf8');
const usd = (amount: number) => formatMoney(amount, 'USD', 'en-US');

/** axe-core's violations over the address step: the details form in the widget's shadow tree, with
 * the Address Element slotted into it from the light DOM. (The panel's frame is the journeys' to check.) */
async function axeViolations(page: Page): Promise<string[]> {
  // DevTools evaluation is not the page's script, so the shop's CSP lets it in.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const results = await axe.run({ include: [['checkout-cart', 'form.details']] }, { resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** A merchant's script around the widget, as a page may add: every confirmPayment carries the
 * page's own `shipping` (a string, so the test's transpiler adds no helpers to the page's code). */
const OWN_SHIPPING_ON_CONFIRM = `
  let stripe;
  Object.defineProperty(window, 'Stripe', {
    configurable: true,
    get: () => stripe,
    set: (real) => {
      stripe = Object.assign((key) => {
        const client = real(key);
        const confirmPayment = client.confirmPayment.bind(client);
        const shipping = { name: 'Mallory Hostile', address: { line1: '9 Drop Lane', city: 'Elsewhere', state: 'NY', postal_code: '10001', country: 'US' } };
        return Object.assign(client, { confirmPayment: (o) => confirmPayment({ ...o, confirmParams: { ...o.confirmParams, shipping } }) });
      }, real);
    },
  });
`;

describe('a purchase that ships', () => {
  const suite = serverAndBrowser({ shipping: true });
  /** A shopper in the US: the Address Element offers the browser's region first. */
  const usShopper = () => openShop(suite.browser, suite.server.url, { context: { locale: 'en-US' } });

  it('fills the address, picks a rate by country, pays with 4242, and the order has that address and shipping', async () => {
    const { page, consoleErrors } = await usShopper();
    await addFromButton(page, 'tee-black');
    await addFromButton(page, 'mug-stone');
    const cartId = await page.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: Cart }).cart.id);
    // The mug's button adds two: 2500 + 2 x 1400 = 5300 of goods; tax 8 % = 424; the cart shows no shipping yet.
    assert.equal(await shownTotal(page), usd(5724));

    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('checkout-cart #email').fill('ship@example.com');
    await page.locator('[data-testid="address-element"]').waitFor();
    // The Address Element sits in the light-DOM container slotted into the part documented for it.
    assert.equal(await page.locator('checkout-cart [part="address-element"] slot[name="address"]').count(), 1);
    assert.equal(await page.locator('checkout-cart > [slot="address"] [data-testid="address-element"]').count(), 1);
    const rates = page.locator('checkout-cart [part="shipping-rates"] label');
    // The shopper's locale is en-US: the US rates, standard chosen; totals with $5.00 shipping.
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelectorAll('[part="shipping-rates"] label').length === 2);
    assert.deepEqual(await rates.evaluateAll((ls) => ls.map((l) => l.textContent!.replace(/\s+/g, ' ').trim())), ['Standard (3-5 business days) $5.00', 'Express (1-2 business days) $15.00']);
    assert.equal(await shownTotal(page), usd(6224));

    // Germany: only the international rate, and the totals follow.
    await page.locator('[data-testid="address-country"]').selectOption('DE');
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="shipping-rates"] label')?.textContent?.includes('International'));
    assert.deepEqual(await rates.evaluateAll((ls) => ls.map((l) => l.textContent!.replace(/\s+/g, ' ').trim())), ['International (7-14 business days) $20.00']);
    assert.equal(await shownTotal(page), usd(5300 + 2000 + 424));

    // Back to the US, the address filled, express chosen: $15.00 shipping, $72.24 in all.
    await fillAddress(page, { country: 'US', name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Springfield', state: 'IL', postalCode: '62701' });
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelectorAll('[part="shipping-rates"] label').length === 2);
    await page.locator('checkout-cart [part="shipping-rates"]').getByLabel(/Express/).check();
    assert.equal(await shownTotal(page), usd(7224));
    assert.equal(await page.locator('checkout-cart [data-total="shipping"]').textContent(), usd(1500));
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, 'shipping-address');

    await page.locator('checkout-cart [part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').waitFor();
    assert.match((await page.locator('checkout-cart [part="ship-to"]').textContent())!, /^Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US$/);
    assert.equal(await page.locator('checkout-cart [part="pay-button"]').textContent(), `Pay ${usd(7224)}`);
    await fillCard(page, '4242424242424242');
    await screenshot(page, 'shipping-payment');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);

    const order = (await suite.server.checkout.orders.search({ q: number, limit: 1, offset: 0 })).orders[0]!;
    assert.deepEqual([order.email, order.amountPaid, order.totals], ['ship@example.com', 7224, { subtotal: 5300, discount: 0, shipping: 1500, tax: 424, total: 7224 }]);
    assert.deepEqual(order.shipping, {
      name: 'Ada Lovelace', rate: { id: 'express-us', label: 'Express (1-2 business days)' },
      address: { line1: '12 Analytical Row', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    });
    const intent = await suite.server.sdk.paymentIntents.retrieve(order.paymentIntentId);
    assert.deepEqual([intent.amount_received, intent.shipping?.name, intent.shipping?.address?.line1], [7224, 'Ada Lovelace', '12 Analytical Row']);
    assert.equal((await suite.server.checkout.checkouts.byId(order.checkoutId))?.cartId, cartId);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it('a page that passes its own shipping to confirmPayment: the order ships to the priced address, its history tells the merchant', async () => {
    // Stripe.js passes confirmParams on to the API: the PaymentIntent then holds the page's address,
    // not the one the checkout priced.
    const { page, consoleErrors } = await openShop(suite.browser, suite.server.url, {
      context: { locale: 'en-US' },
      beforeLoad: (page) => page.addInitScript(OWN_SHIPPING_ON_CONFIRM),
    });
    await addFromButton(page, 'tee-black');
    await startCheckout(page, 'page-shipping@example.com');
    await fillCard(page, '4242424242424242');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);

    const order = (await suite.server.checkout.orders.search({ q: number, limit: 1, offset: 0 })).orders[0]!;
    assert.equal((await suite.server.sdk.paymentIntents.retrieve(order.paymentIntentId)).shipping?.name, 'Mallory Hostile');
    assert.deepEqual([order.status, order.shipping?.name, order.shipping?.address.line1], ['paid', 'Ada Lovelace', '12 Analytical Row']);
    const detail = (await admin<{ events: { kind: string; text: string }[] }>(suite.server, `/orders/${order.id}`)).body;
    assert.deepEqual(detail.events.filter((e) => e.kind === 'shipping_mismatch').map((e) => e.text), [
      'Shipping on the payment differs from the order\'s: payment: Mallory Hostile, 9 Drop Lane, Elsewhere, NY 10001, US; order ships to: Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US',
    ]);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it('pays the new amount when another tab changed the rate: the old PaymentIntent is refused, the page shows the new total', async () => {
    const { page } = await usShopper();
    await addFromButton(page, 'cap-navy');
    // This tab: standard shipping. $22.00 + $5.00 + 8 % of $22.00 ($1.76) = $28.76.
    await startCheckout(page, 'tabs@example.com');
    assert.equal(await page.locator('checkout-cart [part="pay-button"]').textContent(), `Pay ${usd(2876)}`);
    const cartId = await page.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: Cart }).cart.id);
    // Another tab picks express for the same cart: $22.00 + $15.00 + $1.76 = $38.76.
    const other = await suite.server.api<{ amount: number }>(`/api/carts/${cartId}/checkout`, { json: { email: 'tabs@example.com', shipping: { ...US_SHIPPING, rateId: 'express-us' } } });
    assert.equal(other.body.amount, 3876);

    await fillCard(page, '4242424242424242');
    await pay(page);
    assert.equal(await payError(page), 'Your order changed in another tab. Nothing was charged: check the total, then pay.');
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="pay-button"]')?.textContent?.includes('38.76'));
    assert.match((await page.locator('checkout-cart [part="ship-to"] + .muted').textContent())!, /Express/);
    assert.equal(await page.locator('checkout-cart [data-total="shipping"]').textContent(), usd(1500));
    await fillCard(page, '4242424242424242');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    const order = (await suite.server.checkout.orders.search({ q: number, limit: 1, offset: 0 })).orders[0]!;
    assert.deepEqual([order.amountPaid, order.totals.shipping, order.shipping?.rate.id], [3876, 1500, 'express-us']);
    const intents = (await suite.server.sdk.paymentIntents.list({ limit: 100 })).data.filter((pi) => pi.receipt_email === 'tabs@example.com');
    assert.deepEqual(intents.map((pi) => [pi.status, pi.amount]).sort(), [['canceled', 2876], ['succeeded', 3876]]);
    await page.context().close();
  });

  it('a rate withdrawn while the shopper chooses: told so, the rates priced again, nothing opened', async () => {
    const { page } = await usShopper();
    await addFromButton(page, 'tee-white');
    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('checkout-cart #email').fill('withdrawn@example.com');
    await page.locator('[data-testid="address-element"]').waitFor();
    await fillAddress(page, US_ADDRESS);
    await page.locator('checkout-cart [part="shipping-rates"]').getByLabel(/Express/).check();
    const express = (await suite.server.catalog.shippingRates()).find((r) => r.id === 'express-us')!;
    const withdraw = (active: boolean) => admin(suite.server, '/catalog', { method: 'PUT', json: { shippingRates: [{ ...express, active }] } });
    assert.equal((await withdraw(false)).status, 200);
    try {
      await page.locator('checkout-cart [part="continue-button"]').click();
      await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('#shipping-error')?.textContent?.trim());
      assert.equal((await page.locator('checkout-cart #shipping-error').textContent())!.trim(), 'That shipping method is no longer available here. Please choose another.');
      await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelectorAll('[part="shipping-rates"] label').length === 1);
      assert.equal((await sqlValue(suite.server.db, "SELECT COUNT(*) FROM checkouts WHERE email = 'withdrawn@example.com'")), 0);
      // Standard is chosen again; $25.00 + $5.00 + $2.00.
      await page.locator('checkout-cart [part="continue-button"]').click();
      await page.locator('[data-testid="card-number"]').waitFor();
      assert.equal(await page.locator('checkout-cart [part="pay-button"]').textContent(), `Pay ${usd(3200)}`);
    } finally {
      await withdraw(true);
      await page.context().close();
    }
  });
  it('asks once when the server is out of reach at the address step, and the rates come with Try again', async () => {
    const { page, consoleErrors } = await usShopper();
    await addFromButton(page, 'tee-black');
    let down = true;
    let asked = 0;
    await page.route('**/shipping-rates**', (route) => {
      asked++;
      return down ? route.abort('connectionrefused') : route.continue();
    });
    await page.locator('checkout-cart [part="checkout-button"]').click();
    const error = page.locator('checkout-cart [part="error"]');
    await error.getByText('We could not reach the shop').waitFor();
    // Every answer renders the step again: a render that asked again by itself would ask without end.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    assert.equal(asked, 1, 'one request, not one per render');

    down = false;
    await error.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-testid="address-element"]').waitFor();
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelectorAll('[part="shipping-rates"] label').length === 2);
    assert.equal(asked, 3, 'the countries the shop ships to, then the rates for the US');

    // Out of reach again as the shopper changes the country: told once, asked once.
    down = true;
    await page.locator('[data-testid="address-country"]').selectOption('DE');
    await error.getByText('We could not reach the shop').waitFor();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
    assert.equal(asked, 4, 'one request for the country, not one per render');
    down = false;
    await error.getByRole('button', { name: 'Try again' }).click();
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="shipping-rates"] label')?.textContent?.includes('International'));
    assert.equal(asked, 5);
    assert.equal(consoleErrors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED')).length, 0, consoleErrors.join('\n'));
    await page.context().close();
  });
  for (const look of [{ device: 'desktop', scheme: 'light', lang: 'en' }, { device: 'phone', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`shows where the order ships on a recovery link's page, which can't change it, and on its confirmation (${lookName(look)})`, async () => {
      // A checkout that ships, begun in the shopper's language, its card declined: the recovery email's link.
      const email = `retry-ships-${look.device}@example.com`;
      const cart = await cartWith(suite.server, [['tee-black', 1]]);
      const started = (await suite.server.api<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { json: { email, locale: look.lang, shipping: US_SHIPPING } })).body;
      await payWith(suite.server, started.clientSecret, 'pm_card_chargeDeclined');
      await webhooksSettled(suite.server);
      const link = `${suite.server.url}/checkout/retry/${suite.server.checkout.tokens.sign(started.checkoutId, Date.now() + 3_600_000)}`;
      const context = await suite.browser.newContext(contextOptions(look));
      const page = await context.newPage();
      const errors = pageErrors(page);
      const where = 'Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US (Standard (3-5 business days))';

      await page.goto(link);
      await page.locator('[data-testid="card-number"]').waitFor();
      // A retry link pays this checkout as it was priced: the address is shown, with no Change.
      assert.deepEqual(await shipToLine(page), { text: `${look.lang === 'de' ? 'Lieferung an' : 'Ship to'}: ${where}`, change: false });
      await checkView(page, look, 'the recovery page of an order that ships');
      if (look.device === 'phone') await screenshot(page, 'retry-ships-phone');
      await fillCard(page, '4242424242424242');
      await pay(page);
      const number = await confirmedOrderNumber(page);
      assert.deepEqual(await shipToLine(page, '[part="confirmation"]'), { text: `${look.lang === 'de' ? 'Versand an' : 'Shipping to'}: ${where}`, change: false });
      await checkView(page, look, 'the confirmation on a recovery link\'s page of an order that ships');
      await webhooksSettled(suite.server);
      const order = (await suite.server.checkout.orders.search({ q: number, limit: 1, offset: 0 })).orders[0]!;
      assert.deepEqual([order.email, order.shipping?.name, order.shipping?.address.line1, order.shipping?.rate.id], [email, 'Ada Lovelace', '12 Analytical Row', 'standard-us']);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
  it('keeps the address and rate a shopper gave when they reload on the payment step', async () => {
    const { page, consoleErrors } = await usShopper();
    await addFromButton(page, 'tee-black');
    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('checkout-cart #email').fill('reload-address@example.com');
    await page.locator('[data-testid="address-element"]').waitFor();
    await fillAddress(page, { ...US_ADDRESS, country: 'CA', city: 'Ottawa', state: 'ON', postalCode: 'K1A 0B1' });
    await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="shipping-rates"] label')?.textContent?.includes('International'));
    await page.locator('checkout-cart [part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').waitFor();

    await page.reload();
    await page.locator('checkout-cart [part="toggle"]').click();
    await page.locator('checkout-cart [part="checkout-button"]').click();
    await page.locator('[data-testid="address-element"]').waitFor();
    assert.equal(await page.locator('checkout-cart #email').inputValue(), 'reload-address@example.com');
    const fields = ['country', 'name', 'line1', 'city', 'state', 'postal-code'];
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-testid="address-name"]')?.value !== '');
    assert.deepEqual(await Promise.all(fields.map((f) => page.locator(`[data-testid="address-${f}"]`).inputValue())), ['CA', US_ADDRESS.name, US_ADDRESS.line1, 'Ottawa', 'ON', 'K1A 0B1']);
    await page.locator('checkout-cart [part="shipping-rates"] input:checked').waitFor();
    assert.match((await page.locator('checkout-cart [part="shipping-rates"] label:has(input:checked)').textContent())!, /International/);
    await page.locator('checkout-cart [part="continue-button"]').click();
    await page.locator('[data-testid="card-number"]').waitFor();
    assert.match((await page.locator('checkout-cart [part="ship-to"]').textContent())!, /^Ada Lovelace, 12 Analytical Row, Ottawa, ON K1A 0B1, CA$/);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });
});
