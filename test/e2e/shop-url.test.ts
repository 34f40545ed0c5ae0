/**
 * A merchant whose shop is on another site (SHOP_URL): the recovery page a declined payment's
 * email opens is on the checkout server, and every way back from it, the header's and the
 * confirmation's "Continue shopping", leads to the merchant's shop, not the checkout server's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutCreated } from '../../shared/api.ts';
import { cartWith, pay as payByApi, webhooksSettled } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { confirmedOrderNumber, fillCard, pay } from './shop.ts';

const SHOP_URL = 'https://merchant.example/shop';

describe('a shop on another site (SHOP_URL)', () => {
  const suite = serverAndBrowser({ env: { SHOP_URL } });

  it('leads the recovery page\'s shopper back to the merchant\'s shop once paid', async () => {
    const s = suite.server;
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const started = (await s.api<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { json: { email: 'elsewhere@example.com' } })).body;
    await payByApi(s, started.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(s);

    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (error) => { throw error; });
    await page.goto(`${s.url}/checkout/retry/${s.checkout.tokens.sign(started.checkoutId, Date.now() + 3_600_000)}`);
    assert.equal(await page.locator('header a.brand').getAttribute('href'), SHOP_URL);
    assert.equal(await page.getByRole('link', { name: 'Back to the shop' }).getAttribute('href'), SHOP_URL);
    await page.locator('[data-testid="card-number"]').waitFor();
    await fillCard(page, '4242424242424242');
    await pay(page);
    await confirmedOrderNumber(page);
    assert.equal(await page.locator('checkout-cart [part="continue-shopping"]').getAttribute('href'), SHOP_URL);
    await page.context().close();
  });
});
