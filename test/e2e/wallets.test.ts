/**
 * Wallets through Stripe's Express Checkout Element, in Chromium against the real server and the
 * emulator's stand-in: a wallet pays the server's PaymentIntent and the webhook makes exactly one
 * order, as a card does; Link, where the device offers it, pays with a link PaymentMethod, once; a
 * cancelled sheet charges nothing and the card form still pays; a second confirmation while the
 * first is on its way charges once; no wallet, no buttons.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Route } from 'playwright-core';
import { count, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { addFromButton, confirmedOrderNumber, fillCard, openShop, pay, startCheckout, type OpenShopOptions, type Shopper } from './shop.ts';
import { sqlRow, sqlValue } from '../helpers/db.ts';

/** WCAG's contrast ratio of two opaque `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('paying with a wallet (Express Checkout Element)', () => {
  const suite = serverAndBrowser();

  async function toPaymentStep(email: string, options: OpenShopOptions = {}): Promise<Shopper> {
    const shopper = await openShop(suite.browser, suite.server.url, options);
    const { page } = shopper;
    await addFromButton(page, 'cap-navy');
    await startCheckout(page, email);
    return shopper;
  }

  const checkoutFor = async (email: string) => (await sqlRow(suite.server.db, 'SELECT id, payment_intent_id AS pi FROM checkouts WHERE email = ?', email)) as { id: string; pi: string };
  const ordersFor = (email: string) => count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email);
  /** The charges Stripe made for a PaymentIntent, as its `charge.succeeded` events tell. */
  const chargesOf = async (paymentIntentId: string) => {
    const events = await suite.server.sdk.events.list({ type: 'charge.succeeded', limit: 100 });
    return events.data.filter((event) => (event.data.object as { payment_intent: string }).payment_intent === paymentIntentId);
  };

  it('shows Apple Pay and Google Pay above the card form, and Google Pay makes exactly one order', async () => {
    const { page, consoleErrors } = await toPaymentStep('wallet@example.com');
    const buttons = page.locator('checkout-cart [data-testid="express-checkout-element"] button');
    await page.locator('[data-testid="express-checkout-google-pay"]').waitFor();
    assert.deepEqual(await buttons.allTextContents(), ['Apple Pay', 'Google Pay']);
    assert.equal(await page.locator('checkout-cart [part="express-checkout"]').isVisible(), true);

    await page.locator('[data-testid="express-checkout-google-pay"]').click();
    const sheet = page.getByRole('dialog', { name: 'Google Pay (test)' });
    await sheet.waitFor();
    const shownTotal = (await page.locator('checkout-cart [part="pay-button"]').textContent())!.replace('Pay ', '').trim();
    assert.equal((await sheet.locator('[data-testid="wallet-amount"]').textContent())?.trim(), shownTotal, 'the sheet asks for the server\'s total');
    await sheet.getByRole('button', { name: 'Pay' }).click();
    const number = await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);

    assert.equal(await ordersFor('wallet@example.com'), 1);
    const { pi } = await checkoutFor('wallet@example.com');
    const intent = await suite.server.sdk.paymentIntents.retrieve(pi, { expand: ['payment_method'] });
    assert.equal(intent.status, 'succeeded');
    assert.equal((intent.payment_method as { type: string }).type, 'card');
    assert.equal((await chargesOf(pi)).length, 1);
    assert.equal((await sqlValue(suite.server.db, 'SELECT number FROM orders WHERE email = ?', 'wallet@example.com')), number);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });

  it('charges nothing when the shopper cancels the sheet, and the card form still pays: one order', async () => {
    const { page } = await toPaymentStep('wallet-cancel@example.com');
    await page.locator('[data-testid="express-checkout-apple-pay"]').click();
    const sheet = page.getByRole('dialog', { name: 'Apple Pay (test)' });
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await sheet.waitFor({ state: 'detached' });
    const { pi } = await checkoutFor('wallet-cancel@example.com');
    assert.equal((await suite.server.sdk.paymentIntents.retrieve(pi)).status, 'requires_payment_method');
    assert.equal((await chargesOf(pi)).length, 0);
    assert.equal(await page.locator('checkout-cart [part="pay-button"]').isEnabled(), true);
    assert.equal((await page.locator('checkout-cart #pay-error').textContent())?.trim(), '', 'a cancel is no failure');

    await fillCard(page, '4242424242424242');
    await pay(page);
    await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    assert.equal(await ordersFor('wallet-cancel@example.com'), 1);
    assert.equal((await chargesOf(pi)).length, 1);
    await page.context().close();
  });

  it('shows a sheet that reads on a dark page: its words are not dark on the dark page\'s dialog colour', async () => {
    const { page } = await toPaymentStep('wallet-dark@example.com', { context: { colorScheme: 'dark' } });
    await page.locator('[data-testid="express-checkout-apple-pay"]').click();
    const sheet = page.getByRole('dialog', { name: 'Apple Pay (test)' });
    await sheet.waitFor();
    // axe leaves text in the top layer over a ::backdrop unchecked: the contrast of the sheet's own colours.
    const [text, background] = await sheet.evaluate((d) => [getComputedStyle(d.querySelector('h2')!).color, getComputedStyle(d).backgroundColor]);
    assert.ok(contrast(text!, background!) >= 4.5, `the sheet's title is ${text} on ${background}: contrast ${contrast(text!, background!).toFixed(2)}`);
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await page.context().close();
  });

  it('charges once when a second wallet confirmation comes while the first is on its way', async () => {
    const { page } = await toPaymentStep('wallet-twice@example.com');
    // Hold the first confirmation on its way to Stripe, so the second comes while it is in flight.
    const held: Route[] = [];
    await page.route(/\/v1\/payment_intents\/[^/]+\/confirm$/, (route) => void held.push(route));
    for (const attempt of [1, 2]) {
      await page.locator('[data-testid="express-checkout-google-pay"]').click();
      const sheet = page.getByRole('dialog', { name: 'Google Pay (test)' });
      await sheet.getByRole('button', { name: 'Pay' }).click();
      await sheet.waitFor({ state: 'detached' });
      if (attempt === 1) await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelector('[part="pay-button"]')?.textContent?.trim() === 'Paying…');
    }
    assert.equal(held.length, 1, 'the widget sent one confirmation');
    await held[0]!.continue();
    await page.unroute(/\/v1\/payment_intents\/[^/]+\/confirm$/);
    await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    const { pi } = await checkoutFor('wallet-twice@example.com');
    assert.equal((await chargesOf(pi)).length, 1);
    assert.equal(await ordersFor('wallet-twice@example.com'), 1);
    await page.context().close();
  });

  it('shows Link where the device offers it, and Link makes exactly one order with one charge, paid by a link PaymentMethod', async () => {
    suite.server.stripe.emulator!.setWallets(['apple_pay', 'google_pay', 'link']);
    try {
      const { page, consoleErrors } = await toPaymentStep('wallet-link@example.com');
      await page.locator('[data-testid="express-checkout-link"]').waitFor();
      assert.deepEqual(await page.locator('checkout-cart [data-testid="express-checkout-element"] button').allTextContents(), ['Apple Pay', 'Google Pay', 'Link']);
      await page.locator('[data-testid="express-checkout-link"]').click();
      const sheet = page.getByRole('dialog', { name: 'Link (test)' });
      await sheet.getByRole('button', { name: 'Pay' }).click();
      const number = await confirmedOrderNumber(page);
      await webhooksSettled(suite.server);

      assert.equal(await ordersFor('wallet-link@example.com'), 1);
      const { pi } = await checkoutFor('wallet-link@example.com');
      const intent = await suite.server.sdk.paymentIntents.retrieve(pi, { expand: ['payment_method'] });
      assert.deepEqual([intent.status, (intent.payment_method as { type: string }).type], ['succeeded', 'link']);
      const charges = await chargesOf(pi);
      assert.equal(charges.length, 1);
      assert.equal((charges[0]!.data.object as { amount: number }).amount, (await sqlValue(suite.server.db, 'SELECT total FROM orders WHERE number = ?', number)) as number);
      assert.deepEqual(consoleErrors, []);
      await page.context().close();
    } finally {
      suite.server.stripe.emulator!.setWallets(['apple_pay', 'google_pay']);
    }
  });

  it('charges nothing when the shopper cancels Link\'s sheet', async () => {
    suite.server.stripe.emulator!.setWallets(['link']);
    try {
      const { page } = await toPaymentStep('wallet-link-cancel@example.com');
      // The buttons come once the Express Checkout Element is ready, after the payment step shows.
      await page.locator('[data-testid="express-checkout-link"]').waitFor();
      assert.deepEqual(await page.locator('checkout-cart [data-testid="express-checkout-element"] button').allTextContents(), ['Link']);
      await page.locator('[data-testid="express-checkout-link"]').click();
      const sheet = page.getByRole('dialog', { name: 'Link (test)' });
      await sheet.getByRole('button', { name: 'Cancel' }).click();
      await sheet.waitFor({ state: 'detached' });
      const { pi } = await checkoutFor('wallet-link-cancel@example.com');
      assert.equal((await suite.server.sdk.paymentIntents.retrieve(pi)).status, 'requires_payment_method');
      assert.equal((await chargesOf(pi)).length, 0);
      assert.equal(await ordersFor('wallet-link-cancel@example.com'), 0);
      assert.equal(await page.locator('checkout-cart [part="pay-button"]').isEnabled(), true);
      await page.context().close();
    } finally {
      suite.server.stripe.emulator!.setWallets(['apple_pay', 'google_pay']);
    }
  });

  it('shows no wallet buttons, and no space for them, on a device without a wallet', async () => {
    suite.server.stripe.emulator!.setWallets([]);
    try {
      const { page, consoleErrors } = await toPaymentStep('no-wallet@example.com');
      await page.locator('checkout-cart [part="express-checkout"][hidden]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('checkout-cart [part="express-checkout"]').isVisible(), false);
      assert.equal(await page.locator('[data-testid^="express-checkout-"] button').count(), 0);
      assert.deepEqual(consoleErrors, []);
      await page.context().close();
    } finally {
      suite.server.stripe.emulator!.setWallets(['apple_pay', 'google_pay']);
    }
  });
});
