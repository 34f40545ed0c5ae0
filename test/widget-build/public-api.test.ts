/**
 * The built element driven the way a merchant's own script would: only its documented properties
 * (`api`, `lang`, `open`, `cart`), methods (`add`, `show`, `hide`) and events, from plain JavaScript
 * in a page on another origin, with two shops to switch between. What it shows is read through the
 * documented `toggle` part only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { builtScripts, ENTRY } from './built.ts';

const EVENTS = [
  'checkout-item-added', 'checkout-item-removed', 'checkout-coupon-applied', 'checkout-started', 'checkout-payment-failed',
  'checkout-completed', 'checkout-show', 'checkout-after-hide', 'checkout-request-close',
];

declare global {
  interface Window { seen: { type: string; source?: string; productId?: string }[] }
}

describe('the element driven through its documented API from a plain script', () => {
  let shopA: TestServer;
  let shopB: TestServer;
  let merchant: Server;
  let browser: Browser;
  let page: Page;

  before(async () => {
    builtScripts();
    merchant = createServer((_, res) => res.setHeader('content-type', 'text/html').end(`<!doctype html>
      <html lang="en"><head><title>Merchant</title><script type="module" src="${shopA.url}/${ENTRY}"></script></head>
      <body><section lang="de"><checkout-cart api="${shopA.url}"></checkout-cart></section></body></html>`));
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    [shopA, shopB] = await Promise.all([startTestServer({ env: { ALLOWED_ORIGINS: origin } }), startTestServer({ env: { ALLOWED_ORIGINS: origin } })]);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(origin);
    await page.evaluate(async (types) => {
      await customElements.whenDefined('checkout-cart');
      window.seen = [];
      const el = document.querySelector('checkout-cart')!;
      for (const type of types) {
        el.addEventListener(type, (event) => {
          const { source, productId } = event as Event & { source?: string; productId?: string };
          window.seen.push({ type, source, productId });
        });
      }
    }, EVENTS);
  });

  after(async () => {
    await browser?.close();
    await Promise.all([shopA?.stop(), shopB?.stop()]);
    merchant?.close();
  });

  const toggle = () => page.locator('checkout-cart [part="toggle"]');
  const seen = () => page.evaluate(() => window.seen.splice(0));

  it('speaks the language of the nearest lang, and its own once set', async () => {
    await assert.doesNotReject(toggle().getByText('Warenkorb').waitFor());
    await page.evaluate(() => document.querySelector('section')!.setAttribute('lang', 'en'));
    await assert.doesNotReject(toggle().getByText('Cart').waitFor());
    await page.evaluate(() => { document.querySelector('checkout-cart')!.lang = 'de'; });
    await assert.doesNotReject(toggle().getByText('Warenkorb').waitFor());
    await page.evaluate(() => { document.querySelector('checkout-cart')!.lang = 'en'; });
  });

  it('adds with add(), opens with show(), keeps open when checkout-request-close is refused, closes with hide()', async () => {
    const added = await page.evaluate(async () => {
      const el = document.querySelector('checkout-cart')!;
      const cart = await el.add('tee-black', 2);
      return { id: cart.id, itemCount: cart.itemCount, same: el.cart?.id === cart.id };
    });
    assert.deepEqual(added, { id: added.id, itemCount: 2, same: true });
    assert.equal((await shopA.api<{ cart: { itemCount: number } }>(`/api/carts/${added.id}`)).body.cart.itemCount, 2);

    assert.deepEqual(await page.evaluate(async () => {
      const el = document.querySelector('checkout-cart')!;
      await el.show();
      return [el.open, el.hasAttribute('open')];
    }), [true, true]);

    await page.evaluate(() => document.querySelector('checkout-cart')!.addEventListener('checkout-request-close', (e) => e.preventDefault(), { once: true }));
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.open), true, 'a refused request keeps the panel open');
    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();

    await page.evaluate(async () => {
      const el = document.querySelector('checkout-cart')!;
      await el.show();
      await el.hide();
    });
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.open), false);
    assert.deepEqual(await seen(), [
      { type: 'checkout-item-added', source: undefined, productId: 'tee-black' },
      { type: 'checkout-show', source: undefined, productId: undefined },
      { type: 'checkout-request-close', source: 'keyboard', productId: undefined },
      { type: 'checkout-request-close', source: 'keyboard', productId: undefined },
      { type: 'checkout-after-hide', source: undefined, productId: undefined },
      { type: 'checkout-show', source: undefined, productId: undefined },
      { type: 'checkout-after-hide', source: undefined, productId: undefined },
    ]);
  });

  it('rejects add() with an ApiError the page can read', async () => {
    const refused = await page.evaluate(() => document.querySelector('checkout-cart')!.add('no-such-product').then(
      () => null,
      (error: { name: string; code: string; status: number; retryable: boolean }) => ({ name: error.name, code: error.code, status: error.status, retryable: error.retryable }),
    ));
    assert.deepEqual(refused, { name: 'ApiError', code: refused?.code, status: 404, retryable: false });
    await seen();
  });

  it('switches shops when api changes: the other shop\'s cart, and adds go there', async () => {
    const switched = await page.evaluate(async (api) => {
      const el = document.querySelector('checkout-cart')!;
      const before = el.cart?.id;
      el.api = api;
      await el.hide();
      const emptied = el.cart === null;
      const cart = await el.add('mug-stone', 1);
      return { before, emptied, after: cart.id };
    }, shopB.url);
    assert.equal(switched.emptied, true, 'nothing of the first shop\'s cart is left');
    assert.notEqual(switched.after, switched.before);
    assert.equal((await shopB.api(`/api/carts/${switched.after}`)).status, 200);
    assert.equal((await shopA.api(`/api/carts/${switched.after}`)).status, 404);
    assert.equal((await shopA.api<{ cart: { itemCount: number } }>(`/api/carts/${switched.before}`)).body.cart.itemCount, 2, 'the first shop kept its cart');
  });
});
