/**
 * Every view a shopper meets, in real Chromium against the real server, on a desktop (1280) and a
 * phone (390 x 844), light and dark, English and German: each view axe-clean, never wider than the
 * screen, with 44 px tap targets on the phone, and a purchase without a console error. Not every
 * view in every combination (that would take long and prove little more): the main path runs in
 * two opposite looks, and each other journey in at least the phone and the desktop.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page, Route } from 'playwright-core';
import type { CheckoutCreated } from '../../shared/api.ts';
import { projectRoot } from '../../server/paths.ts';
import { cartWith, count, pay as payWith, startTestServer, webhooksSettled, type TestServer } from '../helpers/server.ts';
import { serverAndBrowser } from './browser.ts';
import { checkView, consoleErrors, contextOptions, lookName, speak, type Look } from './checks.ts';
import { addFromButton, confirmedOrderNumber, fillAddress, fillCard, openShop, pay, payError, screenshot, shipToLine, shownTotal, startCheckout, US_ADDRESS } from './shop.ts';
import { sqlRow, sqlValue } from '../helpers/db.ts';

const widget = (page: Page, selector: string) => page.locator(`checkout-cart ${selector}`);

const suite = serverAndBrowser();

/** The shop in a look, with its language; `errors` also counts failed requests. */
async function open(look: Look, shopUrl = suite.server.url): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  let errors: string[] = [];
  const { page } = await openShop(suite.browser, shopUrl, {
    context: contextOptions(look),
    beforeLoad: async (page) => {
      errors = consoleErrors(page);
      await speak(page.context(), look.lang);
    },
  });
  return { context: page.context(), page, errors };
}

/** Holds the widget's reads of a checkout's status: the view stays on "Confirming your payment…" until released. */
async function holdStatus(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let holding = true;
  await page.route((url) => url.pathname.startsWith('/api/checkouts/'), (route) => (holding ? held.push(route) : route.continue()));
  return async () => {
    holding = false;
    await page.unroute((url) => url.pathname.startsWith('/api/checkouts/'));
    for (const route of held) await route.continue().catch(() => undefined);
  };
}

/** Where the screenshots of a look go: the README shows the desktop light English ones and the phone ones. */
const shotName = (look: Look, view: string) => (look.device === 'desktop' && look.scheme === 'light' && look.lang === 'en' ? view : `${view}-${look.device}-${look.scheme}-${look.lang}`);

describe('journey matrix', () => {
  const mainLooks: Look[] = [
    { device: 'desktop', scheme: 'light', lang: 'en' },
    { device: 'phone', scheme: 'dark', lang: 'de' },
  ];
  for (const look of mainLooks) {
    it(`buys with every view checked: shop, cart, details, payment, processing, confirmation (${lookName(look)})`, async () => {
      const { context, page, errors } = await open(look);
      const email = `main-${look.device}@example.com`;
      await checkView(page, look, 'the shop');
      await addFromButton(page, 'tee-black');
      await addFromButton(page, 'mug-stone');
      await widget(page, '[part="line-item"][data-product-id="mug-stone"]').waitFor();
      await checkView(page, look, 'the cart');
      await screenshot(page, shotName(look, 'cart'));

      await widget(page, '[part="checkout-button"]').click();
      await widget(page, '#email').fill(email);
      await checkView(page, look, 'the details step');
      await screenshot(page, shotName(look, 'details'));
      await widget(page, '[part="continue-button"]').click();
      await page.locator('[data-testid="card-number"]').waitFor();
      await fillCard(page, '4242424242424242');
      await checkView(page, look, 'the payment step');
      await screenshot(page, shotName(look, 'checkout'));

      const release = await holdStatus(page);
      await pay(page);
      await widget(page, '[part="processing"]').waitFor();
      await checkView(page, look, 'processing');
      await screenshot(page, shotName(look, 'processing'));
      await release();

      const number = await confirmedOrderNumber(page);
      await checkView(page, look, 'the confirmation');
      await screenshot(page, shotName(look, 'confirmation'));
      if (look.lang === 'de') assert.match(await widget(page, '[part="order-number"]').textContent() ?? '', new RegExp(`Bestellnummer ${number}`));
      await webhooksSettled(suite.server);
      assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      // The widget sent its language with the checkout: the confirmation speaks it.
      const subject = (await sqlValue(suite.server.db, "SELECT subject FROM outbox WHERE recipient = ? AND dedupe_key LIKE 'order:%'", email));
      assert.equal(subject, look.lang === 'de' ? `Demo Shop: Bestellung ${number} bestätigt` : `Demo Shop: order ${number} confirmed`);
      assert.deepEqual(errors, [], 'console errors during a successful purchase');
      await context.close();
    });
  }

  for (const look of [{ device: 'desktop', scheme: 'light', lang: 'en' }, { device: 'phone', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`shows a declined card, then pays with another (${lookName(look)})`, async () => {
      const { context, page } = await open(look);
      const email = `declined-${look.device}@example.com`;
      await addFromButton(page, 'cap-navy');
      await startCheckout(page, email);
      await fillCard(page, '4000000000000002');
      await pay(page);
      assert.match(await payError(page), look.lang === 'de' ? /^Deine Karte wurde abgelehnt\./ : /^Your card was declined\./);
      await checkView(page, look, 'a declined payment');
      await screenshot(page, shotName(look, 'payment-error'));
      await fillCard(page, '4242424242424242');
      await pay(page);
      await confirmedOrderNumber(page);
      await webhooksSettled(suite.server);
      assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      await context.close();
    });
  }
});

/** Contrast ratio of two `rgb()` colours, as WCAG defines it. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The element with focus, looking into shadow roots: a short description. */
const focusedElement = (page: Page) => page.evaluate(() => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  const inWidget = active !== null && (document.querySelector('checkout-cart')!.contains(active) || active.getRootNode() !== document);
  return { part: active?.getAttribute('part') ?? null, id: active?.id ?? '', testid: active?.getAttribute('data-testid') ?? null, tag: active?.localName ?? '', inWidget };
});

/** Presses Tab until `match` has focus; every stop on the way must be inside the panel. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focusedElement>>) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 25; i++) {
    const focus = await focusedElement(page);
    if (match(focus)) return;
    if (i > 0) assert.equal(focus.inWidget || focus.tag === 'body', true, `Tab left the open panel for ${JSON.stringify(focus)} on the way to ${what}`);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('two tabs and the keyboard', () => {
  for (const look of [{ device: 'phone', scheme: 'light', lang: 'en' }, { device: 'desktop', scheme: 'light', lang: 'de' }] satisfies Look[]) {
    it(`a tab on the payment step hears another tab change the cart and never pays the old amount (${lookName(look)})`, async () => {
      const { context, page } = await open(look);
      const email = `tabs-${look.device}@example.com`;
      await addFromButton(page, 'tee-black');
      await startCheckout(page, email);
      await fillCard(page, '4242424242424242');
      const old = (await sqlRow(suite.server.db, 'SELECT payment_intent_id AS id FROM checkouts WHERE email = ?', email)) as { id: string };
      assert.equal((await suite.server.sdk.paymentIntents.retrieve(old.id)).amount, 2700); // 2500 + 8 % tax

      const other = await context.newPage();
      await other.goto(`${suite.server.url}/`);
      await other.locator('checkout-cart [part="toggle"]').click();
      await other.locator('checkout-cart [data-product-id="tee-black"] .increase').click();
      await other.waitForFunction(() => (document.querySelector('checkout-cart') as unknown as { cart: { items: { quantity: number }[] } | null }).cart?.items[0]?.quantity === 2);
      await other.close();

      // The first tab is back on the cart, as it is now, and says why.
      await widget(page, '[part="checkout-button"]').waitFor();
      assert.equal(await widget(page, '[part="pay-button"]').count(), 0);
      assert.match(await widget(page, '.notice').textContent() ?? '', look.lang === 'de' ? /anderen Tab geändert/ : /changed in another tab/);
      assert.equal(await widget(page, '[data-product-id="tee-black"] input').inputValue(), '2');
      await checkView(page, look, 'the cart changed in another tab');
      if (look.device === 'phone') await screenshot(page, 'cart-changed-elsewhere-phone');

      await widget(page, '[part="checkout-button"]').click();
      await widget(page, '[part="continue-button"]').click();
      await fillCard(page, '4242424242424242');
      await pay(page);
      const number = await confirmedOrderNumber(page);
      await webhooksSettled(suite.server);
      // The new amount was charged, once; the old PaymentIntent was canceled and can't be paid any more.
      const paid = (await sqlRow(suite.server.db, 'SELECT payment_intent_id AS id, total FROM orders WHERE number = ?', number)) as { id: string; total: number };
      assert.notEqual(paid.id, old.id);
      assert.equal((await suite.server.sdk.paymentIntents.retrieve(paid.id)).amount, 5400); // 2 x 2500 + 8 % tax
      assert.equal(paid.total, 5400);
      assert.equal((await suite.server.sdk.paymentIntents.retrieve(old.id)).status, 'canceled');
      await assert.rejects(suite.server.sdk.paymentIntents.confirm(old.id, { payment_method: 'pm_card_visa' }), { code: 'payment_intent_unexpected_state' });
      assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      await context.close();
    });
  }

  it('a tab whose PaymentIntent another tab replaced is told, charged nothing, and pays the new one (desktop, light, en)', async () => {
    const look: Look = { device: 'desktop', scheme: 'light', lang: 'en' };
    const { context, page, errors } = await open(look);
    await addFromButton(page, 'mug-stone');
    await startCheckout(page, 'first-tab@example.com');
    await fillCard(page, '4242424242424242');
    const checkoutId = ((await sqlValue(suite.server.db, "SELECT id FROM checkouts WHERE email = 'first-tab@example.com'"))) as string;
    const old = (await suite.server.checkout.checkouts.byId(checkoutId))!.paymentIntentId!;

    // The other tab checks out the same cart under another email: the server replaces the PaymentIntent.
    const other = await context.newPage();
    await other.goto(`${suite.server.url}/`);
    await other.locator('checkout-cart [part="toggle"]').click();
    await startCheckout(other, 'second-tab@example.com');
    await other.close();
    const replacement = (await suite.server.checkout.checkouts.byId(checkoutId))!.paymentIntentId!;
    assert.notEqual(replacement, old);

    await pay(page);
    assert.match(await payError(page), /^Your order changed in another tab\. Nothing was charged/);
    assert.match(await widget(page, '[part="email"]').textContent() ?? '', /second-tab@example\.com/);
    await checkView(page, look, 'a payment replaced in another tab');
    await screenshot(page, 'payment-replaced');
    await fillCard(page, '4242424242424242');
    await pay(page);
    const number = await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    const order = (await sqlRow(suite.server.db, 'SELECT payment_intent_id AS id, total FROM orders WHERE number = ?', number)) as { id: string; total: number };
    assert.equal(order.id, replacement);
    assert.equal((await suite.server.sdk.paymentIntents.retrieve(replacement)).amount_received, order.total);
    assert.equal((await suite.server.sdk.paymentIntents.retrieve(old)).status, 'canceled');
    assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
    // Stripe's refusal of the canceled PaymentIntent, and nothing else.
    assert.deepEqual(errors.sort(), [`400 POST /v1/payment_intents/${old}/confirm`, 'Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('buys with the keyboard alone: the panel is modal, Escape closes it from anywhere, the Pay button shows a strong focus ring (desktop, dark, en)', async () => {
    const look: Look = { device: 'desktop', scheme: 'dark', lang: 'en' };
    const { context, page, errors } = await open(look);
    const email = 'keys@example.com';
    // Tab from the top of the page to the first product's button, and add it.
    for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.getAttribute('data-checkout-add') === 'tee-black')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await widget(page, '[part="line-item"]').waitFor();
    assert.equal((await focusedElement(page)).part, 'base', 'focus moved into the panel');
    assert.equal(await page.evaluate(() => document.querySelector('checkout-cart')!.shadowRoot!.querySelector('header, [role="banner"]')), null, 'one banner landmark: the page\'s');

    // Escape with focus on the page's body, not in the panel, closes it; focus goes back to the button.
    await page.evaluate(() => (document.querySelector('checkout-cart')!.shadowRoot!.activeElement as HTMLElement | null)?.blur());
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
    await page.keyboard.press('Escape');
    await page.locator('checkout-cart:not([open])').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-checkout-add')), 'tee-black');

    // Shift+Tab back to the cart toggle in the header, open it, and check out.
    for (let i = 0; i < 20 && (await focusedElement(page)).part !== 'toggle'; i++) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.part === 'checkout-button', 'Go to checkout');
    await page.keyboard.press('Enter');
    await widget(page, '#email:focus').waitFor();
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="card-number"]').waitFor();
    await tabTo(page, (f) => f.testid === 'card-number', 'the card number');
    await page.keyboard.type('4242424242424242');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1234');
    await page.keyboard.press('Tab');
    await page.keyboard.type('123');
    await page.keyboard.press('Tab');
    await page.keyboard.type('94107');
    await tabTo(page, (f) => f.part === 'pay-button', 'the Pay button');

    const ring = await page.evaluate(() => {
      const root = document.querySelector('checkout-cart')!.shadowRoot!;
      const button = root.querySelector('[part="pay-button"]')!;
      return { shadow: getComputedStyle(button).boxShadow, button: getComputedStyle(button).backgroundColor, panel: getComputedStyle(root.querySelector('[part="base"]')!).backgroundColor };
    });
    const [inner, outer] = ring.shadow.match(/rgba?\([^)]*\)/g) ?? [];
    assert.ok(inner && outer, `a two-colour focus ring, got ${ring.shadow}`);
    assert.ok(contrast(inner, ring.button) >= 3, `the ring's inside (${inner}) against the button (${ring.button})`);
    assert.ok(contrast(outer, ring.panel) >= 3, `the ring's outside (${outer}) against the panel (${ring.panel})`);

    await page.keyboard.press('Enter');
    await confirmedOrderNumber(page);
    await webhooksSettled(suite.server);
    assert.equal(await count(suite.server, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
    assert.deepEqual(errors, [], 'console errors during a keyboard purchase');
    await context.close();
  });
});

describe('the recovery link\'s page', () => {
  /** A checkout (begun in `lang`) whose payment was declined, as the recovery email finds it, and its link (expiring at `expiresAt`). */
  async function declinedCheckout(email: string, lang: Look['lang'], expiresAt = Date.now() + 3_600_000): Promise<{ checkoutId: string; link: string }> {
    const cart = await cartWith(suite.server, [['hoodie-grey', 1]]);
    const started = (await suite.server.api<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { json: { email, locale: lang } })).body;
    await payWith(suite.server, started.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(suite.server);
    return { checkoutId: started.checkoutId, link: `${suite.server.url}/checkout/retry/${suite.server.checkout.tokens.sign(started.checkoutId, expiresAt)}` };
  }
  const heading = (page: Page) => page.locator('main h1').textContent();
  /** The page's words the journey checks, in the shopper's language. */
  const words = {
    en: { declined: /^Your card was declined\./, paid: 'This order is paid', closed: 'This checkout has closed', reopen: 'Open the payment again', invalid: 'This payment link does not work', back: 'Back to the shop' },
    de: { declined: /^Deine Karte wurde abgelehnt\./, paid: 'Diese Bestellung ist bezahlt', closed: 'Dieser Bezahlvorgang ist abgeschlossen', reopen: 'Zahlung wieder öffnen', invalid: 'Dieser Zahlungslink funktioniert nicht', back: 'Zurück zum Shop' },
  } as const;

  for (const look of [{ device: 'desktop', scheme: 'light', lang: 'en' }, { device: 'phone', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`pays, then shows paid, expired and invalid links, each with the shop's header and a way back (${lookName(look)})`, async () => {
      const context = await suite.browser.newContext(contextOptions(look));
      const page = await context.newPage();
      const errors = consoleErrors(page);
      const suffix = look.device === 'phone' ? '-phone' : '';
      const say = words[look.lang];
      // The page speaks the language the checkout was begun in: no need to dress the page up.
      const { link } = await declinedCheckout(`retry-${look.device}@example.com`, look.lang);

      let answer = await page.goto(link);
      assert.equal(answer?.status(), 200);
      await page.locator('[data-testid="card-number"]').waitFor();
      assert.match(await payError(page), say.declined);
      assert.equal(await widget(page, '[part="toggle"]').evaluate((toggle) => getComputedStyle(toggle).display), 'none', 'no cart toggle beside a payment');
      await checkView(page, look, 'the recovery page, unpaid');
      await screenshot(page, `retry-unpaid${suffix}`);
      // Closed by mistake: no dead end, the page opens the payment again (its cart toggle is hidden).
      await page.keyboard.press('Escape');
      await page.locator('checkout-cart:not([open])').waitFor({ state: 'attached' });
      await checkView(page, look, 'the recovery page, its panel closed');
      await screenshot(page, `retry-closed${suffix}`);
      await page.getByRole('link', { name: say.reopen }).click();
      await page.locator('[data-testid="card-number"]').waitFor();
      assert.equal(await page.locator('checkout-cart[open]').count(), 1);
      await fillCard(page, '4242424242424242');
      await pay(page);
      const number = await confirmedOrderNumber(page);
      // The confirmation leads back to the shop; closing it shows the page, which now says paid.
      assert.equal(await widget(page, '[part="continue-shopping"]').getAttribute('href'), `${suite.server.url}/`);
      await page.keyboard.press('Escape');
      await page.locator('#paid').waitFor();
      assert.equal(await page.locator('#unpaid').isHidden(), true, 'no "still reserved" once paid');
      assert.equal(await page.locator('#paid [data-order-number]').textContent(), number);
      await checkView(page, look, 'the recovery page, just paid');

      answer = await page.goto(link);
      assert.equal(answer?.status(), 200);
      assert.equal(await heading(page), say.paid);
      assert.equal(await page.locator('main [data-order-number]').textContent(), number);
      await checkView(page, look, 'the recovery page of a paid order');
      await screenshot(page, `retry-paid${suffix}`);

      const expired = await declinedCheckout(`retry-late-${look.device}@example.com`, look.lang, Date.now() - 1);
      answer = await page.goto(expired.link);
      assert.equal(answer?.status(), 410);
      assert.equal(await heading(page), say.closed);
      await checkView(page, look, 'the recovery page of a closed checkout');
      await screenshot(page, `retry-expired${suffix}`);

      answer = await page.goto(`${suite.server.url}/checkout/retry/forged.token`);
      assert.equal(answer?.status(), 400);
      // A forged link names no checkout, so no language of its own: the browser's (Accept-Language).
      assert.equal(await heading(page), say.invalid);
      await checkView(page, look, 'the page of a forged recovery link');
      await screenshot(page, `retry-invalid${suffix}`);
      await page.getByRole('link', { name: say.back }).click();
      await widget(page, '[part="toggle"]').waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      // Only the statuses the pages were meant to have, nothing else went wrong.
      assert.deepEqual(errors.filter((e) => !/the server responded with a status of (400|410)|^(400|410) GET \/checkout\/retry\//.test(e)), []);
      await context.close();
    });
  }
});

describe('a cart that ships, paid with a wallet', () => {
  let shipping: TestServer;
  before(async () => { shipping = await startTestServer({ shipping: true }); });
  after(() => shipping?.stop());

  for (const look of [{ device: 'phone', scheme: 'light', lang: 'en' }, { device: 'desktop', scheme: 'dark', lang: 'de' }] satisfies Look[]) {
    it(`fills the address, picks a rate and pays with Google Pay: the order ships there, charged exactly (${lookName(look)})`, async () => {
      const { context, page, errors } = await open(look, shipping.url);
      const email = `ships-${look.device}@example.com`;
      await addFromButton(page, 'tee-black');
      await widget(page, '[part="checkout-button"]').click();
      await widget(page, '#email').fill(email);
      await page.locator('[data-testid="address-element"]').waitFor();
      await fillAddress(page, US_ADDRESS);
      await page.waitForFunction(() => document.querySelector('checkout-cart')?.shadowRoot?.querySelectorAll('[part="shipping-rates"] label').length === 2);
      await checkView(page, look, 'the address step');
      // The shipping journey shoots the desktop's address step.
      if (look.device === 'phone') await screenshot(page, 'address-phone');
      await widget(page, '[part="continue-button"]').click();

      await page.locator('[data-testid="express-checkout-google-pay"]').waitFor();
      await checkView(page, look, 'the payment step with wallets');
      await screenshot(page, `wallets-${look.device}`);
      await page.locator('[data-testid="express-checkout-google-pay"]').click();
      // The sheet is the device's, so in its language (the look's), and asks for the total the panel shows.
      const de = look.lang === 'de';
      const sheet = page.getByRole('dialog', { name: de ? 'Google Pay (Test)' : 'Google Pay (test)' });
      assert.equal(await sheet.locator('[data-testid="wallet-amount"]').textContent(), await shownTotal(page));
      assert.equal((await shownTotal(page)).replace(/\s/g, ' '), de ? '32,00 $' : '$32.00'); // 2500 + 8 % tax + 500 shipping
      await sheet.getByRole('button', { name: de ? 'Bezahlen' : 'Pay' }).click();
      const number = await confirmedOrderNumber(page);
      // Where it ships and by which rate, as the shopper chose them (the rate's label is the shop's own words).
      const shipsTo = { text: `${look.lang === 'de' ? 'Versand an' : 'Shipping to'}: Ada Lovelace, 12 Analytical Row, Springfield, IL 62701, US (Standard (3-5 business days))`, change: false };
      assert.deepEqual(await shipToLine(page, '[part="confirmation"]'), shipsTo);
      await checkView(page, look, 'the confirmation of an order that ships');
      // The main path shoots the desktop's confirmation; this one shows where it ships and shipping in its totals.
      if (look.device === 'phone') await screenshot(page, 'confirmation-ships-phone');
      await webhooksSettled(shipping);
      // A reload shows the same confirmation, its address read again from the server.
      await page.reload();
      assert.equal(await confirmedOrderNumber(page), number);
      assert.deepEqual(await shipToLine(page, '[part="confirmation"]'), shipsTo);
      await checkView(page, look, 'the confirmation of an order that ships, after a reload');

      const order = (await sqlRow(shipping.db, 'SELECT payment_intent_id AS pi, total, shipping FROM orders WHERE number = ?', number)) as { pi: string; total: number; shipping: string };
      // 2500 of goods, $5.00 standard shipping, 8 % tax on the goods: the server's total, charged once.
      assert.equal((await shipping.sdk.paymentIntents.retrieve(order.pi)).amount_received, order.total);
      assert.equal(JSON.parse(order.shipping).address.line1, US_ADDRESS.line1);
      assert.equal(await count(shipping, 'SELECT COUNT(*) FROM orders WHERE email = ?', email), 1);
      assert.deepEqual(errors, [], 'console errors during a wallet purchase');
      await context.close();
    });
  }
});

describe('the README', () => {
  it('shows the journeys\' main views, and every screenshot it links to is there', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/!\[[^\]]+\]\(docs\/screenshots\/([\w-]+)\.png\)/g)].map((m) => m[1]!);
    for (const name of shown) assert.ok(existsSync(join(projectRoot, 'docs', 'screenshots', `${name}.png`)), `docs/screenshots/${name}.png`);
    for (const name of ['cart', 'checkout', 'processing', 'confirmation', 'payment-error', 'payment-replaced', 'retry-unpaid', 'retry-closed', 'retry-paid-phone', 'retry-invalid-phone', 'cart-changed-elsewhere-phone', 'wallets-desktop', 'address-phone', 'confirmation-ships-phone', 'retry-ships-phone', 'paid-elsewhere-phone']) {
      assert.ok(shown.includes(name), `the README shows ${name}.png`);
    }
  });
});
