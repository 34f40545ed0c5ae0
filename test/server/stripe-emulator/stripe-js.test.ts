/**
 * The Stripe.js stand-in in real Chromium: a page under a strict Content-Security-Policy loads it
 * with a <script src>, gets it through @stripe/stripe-js's loadStripe(), mounts the Payment Element
 * and pays, as the checkout widget does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type Stripe from 'stripe';
import type { EmulatorOrigins } from '../../../server/stripe-emulator/index.ts';
import { startHarness, type Harness } from './helpers.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** Serves the test page, its script, @stripe/stripe-js's ESM build and axe-core, all same-origin. */
/** The page's CSP: each Stripe origin in its directive, unless `?omit=script|connect|frame` leaves that one out. */
function policy(origins: EmulatorOrigins, omit: string | null): string {
  return [
    "default-src 'none'", `script-src 'self' ${omit === 'script' ? '' : origins.js}`, `connect-src ${omit === 'connect' ? "'self'" : origins.api}`,
    `frame-src ${omit === 'frame' ? "'none'" : origins.hooks}`, "style-src 'self'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}

async function startPageServer(stripeJsUrl: string, origins: EmulatorOrigins) {
  const files: Record<string, [string, string]> = {
    '/': ['text/html', readFileSync(new URL('./page/index.html', import.meta.url), 'utf8').replace('%STRIPE_JS_URL%', stripeJsUrl)],
    '/app.js': ['text/javascript', readFileSync(new URL('./page/app.js', import.meta.url), 'utf8')],
    '/stripe-js.mjs': ['text/javascript', readFileSync(join(packageDir('@stripe/stripe-js'), 'dist/index.mjs'), 'utf8')],
    '/axe.js': ['text/javascript', readFileSync(join(packageDir('axe-core'), 'axe.min.js'), 'utf8')],
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = files[url.pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': `${file[0]}; charset=utf-8`, 'Content-Security-Policy': policy(origins, url.searchParams.get('omit')) }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

let h: Harness;
let pages: Awaited<ReturnType<typeof startPageServer>>;
let browser: Browser;
before(async () => {
  h = await startHarness();
  pages = await startPageServer(h.emulator.stripeJsUrl, h.emulator.origins);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});
after(async () => {
  await browser?.close();
  await pages?.close();
  await h?.emulator.close();
});

interface Opened { page: Page; problems: string[] }

/** Calls a method of the page's `window.harness` (page/app.js) with serializable arguments. */
function call<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([name, params]) => {
    const harness = (window as unknown as { harness: Record<string, (...a: unknown[]) => unknown> }).harness;
    return harness[name]!(...params) as T;
  }, [method, args] as const);
}

/** A fresh page with the Payment Element mounted for a new PaymentIntent; console warnings and errors are collected. */
async function checkoutPage(
  intentParams: Partial<Stripe.PaymentIntentCreateParams> = { automatic_payment_methods: { enabled: true } }, omit = '', locale?: string,
): Promise<Opened & { clientSecret: string; intentId: string }> {
  const page = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs every non-2xx fetch; a decline is a 402, as on Stripe.
    if (m.text().includes('status of 402')) return;
    if (m.type() === 'warning' || m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}${omit ? `&omit=${omit}` : ''}`);
  await page.waitForSelector('html[data-ready="true"]');
  const pi = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...intentParams });
  await call(page, 'mount', pi.client_secret, locale);
  await page.waitForFunction(() => (window as unknown as { harness: { readyFired(): boolean } }).harness.readyFired());
  return { page, problems, clientSecret: pi.client_secret!, intentId: pi.id };
}

async function fillCard(page: Page, number: string) {
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel('Expiry (MM / YY)').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Postal code').fill('94103');
}

const pay = (page: Page) => call<{ status: string; id: string } | { error: Record<string, unknown> }>(page, 'pay');
const challenge = (page: Page) => page.getByRole('dialog', { name: '3D Secure authentication' });
/** The bank's page inside the challenge: a frame from the emulator's hooks origin, as Stripe's is from hooks.stripe.com. */
const challengeFrame = (page: Page) => page.frameLocator('iframe[title="3D Secure authentication"]');

async function closePage(o: Opened) {
  assert.deepEqual(o.problems, [], 'console warnings or errors');
  assert.deepEqual(await call(o.page, 'violations'), [], 'Content-Security-Policy violations');
  await o.page.context().close();
}

describe('the Stripe.js stand-in in Chromium', () => {
  it('pays with 4242 4242 4242 4242 through loadStripe and the Payment Element', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4242424242424242');
    assert.equal(await opened.page.getByLabel('Card number').inputValue(), '4242 4242 4242 4242');
    // Styled through the CSSOM, which the page's style-src 'self' allows.
    assert.equal(await opened.page.getByLabel('Card number').evaluate((input) => getComputedStyle(input).minHeight), '44px');
    const lastChange = await call(opened.page, 'lastChange');
    assert.deepEqual(lastChange, { event: 'change', complete: true, empty: false });
    assert.deepEqual(await pay(opened.page), { status: 'succeeded', id: opened.intentId });
    assert.equal((await h.stripe.paymentIntents.retrieve(opened.intentId)).status, 'succeeded');
    await closePage(opened);
  });

  it('runs 3D Secure in a modal framing the hooks origin: Complete (by keyboard) pays', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4000002760003184');
    const paying = pay(opened.page);
    const dialog = challenge(opened.page);
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    assert.equal(new URL((await dialog.locator('iframe').getAttribute('src'))!).origin, h.emulator.origins.hooks);
    const complete = challengeFrame(opened.page).getByRole('button', { name: 'Complete' });
    await opened.page.waitForFunction(() => document.activeElement?.tagName === 'IFRAME');
    assert.equal(await complete.evaluate((button) => button === document.activeElement), true, 'Complete has the focus');
    await opened.page.keyboard.press('Enter');
    assert.deepEqual(await paying, { status: 'succeeded', id: opened.intentId });
    assert.equal(await dialog.count(), 0);
    assert.equal(await call(opened.page, 'retrieve', opened.clientSecret), 'succeeded');
    await closePage(opened);
  });

  it('runs 3D Secure in a modal: Fail reports payment_intent_authentication_failure', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4000000000003220');
    const paying = pay(opened.page);
    await challengeFrame(opened.page).getByRole('button', { name: 'Fail' }).click();
    const { error } = await paying as { error: Record<string, unknown> };
    assert.deepEqual([error.code, error.payment_intent_status], ['payment_intent_authentication_failure', 'requires_payment_method']);
    await closePage(opened);
  });

  it('reports a decline after 3D Secure (4000 0082 6000 3178) as insufficient_funds', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4000008260003178');
    const paying = pay(opened.page);
    await challengeFrame(opened.page).getByRole('button', { name: 'Complete' }).click();
    const { error } = await paying as { error: Record<string, unknown> };
    assert.deepEqual([error.type, error.code, error.decline_code, error.message], ['card_error', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.']);
    await closePage(opened);
  });

  it('reports a declined card as card_declined, and the same intent can then be paid', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4000000000000002');
    assert.deepEqual(await pay(opened.page), {
      error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', payment_intent_status: 'requires_payment_method' },
    });
    await opened.page.getByLabel('Card number').fill('4242424242424242');
    assert.deepEqual(await pay(opened.page), { status: 'succeeded', id: opened.intentId });
    await closePage(opened);
  });

  it('speaks the Elements group\'s locale (German), as Stripe localizes labels, placeholders and messages', async () => {
    const opened = await checkoutPage(undefined, '', 'de');
    const { page } = opened;
    assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Karte', 'PayPal']);
    await page.getByLabel('Kartennummer').fill('4242 4242 4242 4241');
    assert.equal(await page.getByLabel('Ablaufdatum (MM / JJ)').getAttribute('placeholder'), 'MM / JJ');
    assert.equal(await page.locator('[data-testid="card-number-error"]').textContent(), 'Ihre Kartennummer ist ungültig.');
    await page.getByLabel('Kartennummer').fill('4242 4242 4242 4242');
    await page.getByLabel('Ablaufdatum (MM / JJ)').fill('12 / 34');
    await page.getByLabel('Prüfnummer').fill('12');
    await page.getByLabel('Postleitzahl').fill('10115');
    const refused = await pay(page) as { error: Record<string, unknown> };
    assert.deepEqual([refused.error.type, refused.error.code, refused.error.message], ['validation_error', 'incomplete_cvc', 'Die Prüfnummer Ihrer Karte ist unvollständig.']);
    await closePage(opened);
  });

  it('fires ready once the tabs are the intent\'s: Stripe calls an element ready when it is fully rendered', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}`);
    await page.waitForSelector('html[data-ready="true"]');
    // The element's read of the intent is held until the test lets it go.
    let letGo!: () => Promise<void>;
    let heard!: () => void;
    const held = new Promise<void>((resolve) => (heard = resolve));
    await page.route((url) => /^\/v1\/payment_intents\/[^/]+$/.test(url.pathname), (route) => { letGo = () => route.continue(); heard(); });
    const pi = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', automatic_payment_methods: { enabled: true } });
    await call(page, 'mount', pi.client_secret);
    await held;
    await page.getByRole('tab', { name: 'Card' }).waitFor();
    // A later task than mount()'s own ready (setTimeout 0) had its turn.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const readyFired = () => page.evaluate(() => (window as unknown as { harness: { readyFired(): boolean } }).harness.readyFired());
    assert.equal(await readyFired(), false, 'not ready while the intent is still being read');
    await letGo();
    await page.waitForFunction(() => (window as unknown as { harness: { readyFired(): boolean } }).harness.readyFired());
    assert.deepEqual(await page.getByRole('tab').allTextContents(), ['Card', 'PayPal']);
    await page.context().close();
  });

  it('validates fields inline, with messages in role=alert, before anything is sent', async () => {
    const opened = await checkoutPage();
    const number = opened.page.getByLabel('Card number');
    await number.fill('4242424242424241');
    assert.equal(await opened.page.getByTestId('card-number-error').textContent(), 'Your card number is invalid.');
    assert.equal(await number.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await call(opened.page, 'submit'), {
      error: { type: 'validation_error', code: 'incomplete_number', message: 'Your card number is invalid.', decline_code: undefined, payment_intent_status: undefined },
    });
    assert.deepEqual(await opened.page.getByRole('alert').allTextContents(), [
      'Your card number is invalid.', "Your card's expiration date is incomplete.", "Your card's security code is incomplete.", 'Your postal code is incomplete.',
    ]);
    const result = await pay(opened.page) as { error: { type: string } };
    assert.equal(result.error.type, 'validation_error');
    assert.equal((await h.stripe.paymentIntents.retrieve(opened.intentId)).status, 'requires_payment_method');
    await fillCard(opened.page, '4242424242424242');
    assert.deepEqual(await opened.page.getByRole('alert').allTextContents(), ['', '', '', '']);
    await closePage(opened);
  });

  it('has no axe violations in the Payment Element or the 3D Secure modal', async () => {
    const opened = await checkoutPage();
    await call(opened.page, 'loadAxe');
    assert.deepEqual(await call(opened.page, 'axeViolations', '#payment'), []);
    await fillCard(opened.page, '4000002500003155');
    const paying = pay(opened.page);
    await challengeFrame(opened.page).getByRole('button', { name: 'Complete' }).waitFor();
    assert.deepEqual(await call(opened.page, 'axeViolations', 'dialog'), []);
    // The bank's page too, inside its frame (DevTools evaluation is not the page's script, so its CSP allows it).
    const bank = opened.page.frames().find((f) => f.url().startsWith(`${h.emulator.origins.hooks}/3ds/`))!;
    await bank.evaluate(readFileSync(join(packageDir('axe-core'), 'axe.min.js'), 'utf8'));
    assert.deepEqual(await bank.evaluate(async () => (await (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map((v) => v.id)), []);
    await opened.page.keyboard.press('Escape');
    const { error } = await paying as { error: Record<string, unknown> };
    assert.equal(error.code, 'payment_intent_authentication_failure');
    await closePage(opened);
  });

  it('passes confirmParams.shipping on to the PaymentIntent, as Stripe.js passes confirmParams to the API', async () => {
    const opened = await checkoutPage({ automatic_payment_methods: { enabled: true }, shipping: { name: 'Ada Lovelace', address: { line1: '12 Analytical Row', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' } } });
    await fillCard(opened.page, '4242424242424242');
    const shipping = { name: 'Grace Hopper', phone: '+1 555 0100', address: { line1: '1 Navy Yard', line2: 'Suite 2', city: 'Arlington', state: 'VA', postal_code: '22202', country: 'US' } };
    assert.deepEqual(await call(opened.page, 'pay', null, { shipping }), { status: 'succeeded', id: opened.intentId });
    const paid = await h.stripe.paymentIntents.retrieve(opened.intentId);
    assert.equal(paid.status, 'succeeded');
    assert.deepEqual(paid.shipping, { name: 'Grace Hopper', phone: '+1 555 0100', carrier: null, tracking_number: null, address: { line1: '1 Navy Yard', line2: 'Suite 2', city: 'Arlington', state: 'VA', postal_code: '22202', country: 'US' } });
    await closePage(opened);
  });

  it('redirects to return_url after payment when redirect is "always"', async () => {
    const opened = await checkoutPage();
    await fillCard(opened.page, '4242424242424242');
    const returnUrl = `${pages.url}/?pk=${h.emulator.publishableKey}&done=1`;
    // The promise never settles (the page leaves), as with Stripe.js.
    void call(opened.page, 'payAndRedirect', returnUrl).catch(() => undefined);
    await opened.page.waitForURL(/redirect_status=succeeded/);
    const landed = new URL(opened.page.url());
    assert.deepEqual([landed.searchParams.get('payment_intent'), landed.searchParams.get('payment_intent_client_secret')], [opened.intentId, opened.clientSecret]);
    await opened.page.waitForSelector('html[data-ready="true"]');
    await closePage(opened);
  });

  it('offers PayPal when the intent does, and sends the shopper to its page and back with redirect_status', async () => {
    const opened = await checkoutPage();
    const tab = opened.page.getByRole('tab', { name: 'PayPal' });
    await tab.waitFor();
    await tab.click();
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
    const returnUrl = `${pages.url}/?pk=${h.emulator.publishableKey}&back=1`;
    // Even with redirect: 'if_required' a redirect method leaves the page, as with Stripe.js.
    void call(opened.page, 'pay', returnUrl).catch(() => undefined);
    await opened.page.waitForURL(`${h.emulator.origins.hooks}/redirect/**`);
    await opened.page.getByRole('button', { name: /settles later/ }).click();
    await opened.page.waitForURL(/redirect_status=processing/);
    const landed = new URL(opened.page.url());
    assert.deepEqual([landed.searchParams.get('payment_intent'), landed.searchParams.get('back')], [opened.intentId, '1']);
    assert.equal((await h.stripe.paymentIntents.retrieve(opened.intentId)).status, 'processing');
    await opened.page.waitForSelector('html[data-ready="true"]');
    await closePage(opened);
  });

  it('offers no redirect method to an intent that allows none', async () => {
    const opened = await checkoutPage({ automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    await opened.page.waitForFunction(() => document.querySelector('[data-testid="payment-method-paypal"]')?.hasAttribute('hidden'));
    assert.deepEqual(await opened.page.getByRole('tab').allTextContents(), ['Card']);
    await closePage(opened);
  });

  it('fails under a page CSP without the hooks origin in frame-src: the 3D Secure frame is blocked, nothing is paid', async () => {
    const opened = await checkoutPage(undefined, 'frame');
    await fillCard(opened.page, '4000002760003184');
    void pay(opened.page).catch(() => undefined);
    await opened.page.waitForFunction(() => (window as unknown as { harness: { violations(): string[] } }).harness.violations().some((v) => v.startsWith('frame-src')));
    assert.equal((await h.stripe.paymentIntents.retrieve(opened.intentId)).status, 'requires_action');
    await opened.page.context().close();
  });

  it('fails under a page CSP without the API origin in connect-src: the confirm never reaches Stripe', async () => {
    const opened = await checkoutPage(undefined, 'connect');
    await fillCard(opened.page, '4242424242424242');
    const { error } = await pay(opened.page) as { error: Record<string, unknown> };
    assert.equal(error.type, 'api_connection_error');
    assert.ok((await call<string[]>(opened.page, 'violations')).some((v) => v.startsWith('connect-src')));
    assert.equal((await h.stripe.paymentIntents.retrieve(opened.intentId)).status, 'requires_payment_method');
    await opened.page.context().close();
  });

  it('fails under a page CSP without the Stripe.js origin in script-src: Stripe.js never loads', async () => {
    const page = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') refused.push(m.text()); });
    await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}&omit=script`);
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.evaluate(() => typeof (window as unknown as { Stripe?: unknown }).Stripe), 'undefined');
    assert.ok(refused.some((text) => text.includes(h.emulator.stripeJsUrl) && /Content Security Policy/.test(text)), refused.join('\n'));
    await page.context().close();
  });

  it('refuses to mount inside a shadow root, as Stripe does', async () => {
    const opened = await checkoutPage();
    const thrown = await call(opened.page, 'mountInShadowRoot', opened.clientSecret);
    assert.equal(thrown, 'IntegrationError: Elements cannot be mounted in a ShadowRoot. Please mount in the Light DOM.');
    await closePage(opened);
  });
});

describe('the Address Element stand-in in Chromium', () => {
  interface AddressValue { name: string; address: { line1: string; line2: string | null; city: string; state: string; postal_code: string; country: string } }
  const addressPage = async (options: unknown): Promise<Opened & { mounted: string }> => {
    const page = await (await browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}`);
    await page.waitForSelector('html[data-ready="true"]');
    return { page, problems, mounted: await call<string>(page, 'mountAddress', options) };
  };
  const field = (page: Page, testid: string) => page.locator(`[data-testid="${testid}"]`);

  it('collects a US shipping address: the change event and getValue() carry Stripe\'s value shape', async () => {
    const opened = await addressPage({ mode: 'shipping', allowedCountries: ['US', 'DE'] });
    assert.equal(opened.mounted, 'mounted');
    await opened.page.waitForFunction(() => (window as unknown as { harness: { addressReady(): boolean } }).harness.addressReady());
    // Only the allowed countries, by name.
    assert.deepEqual(await field(opened.page, 'address-country').locator('option').allTextContents(), ['Germany', 'United States']);
    await field(opened.page, 'address-country').selectOption('US');
    await opened.page.getByLabel('Full name').fill('Ada Lovelace');
    await opened.page.getByLabel('Address line 1').fill('12 Analytical Row');
    await opened.page.getByLabel('City').fill('Springfield');
    await opened.page.getByLabel('State').fill('IL');
    await opened.page.getByLabel('ZIP').fill('62701');
    const expected: AddressValue = {
      name: 'Ada Lovelace', address: { line1: '12 Analytical Row', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    };
    assert.deepEqual(await call(opened.page, 'lastAddressChange'), { event: 'address-change', complete: true, empty: false, value: expected, elementMode: 'shipping' });
    assert.deepEqual(await call(opened.page, 'addressValue'), { complete: true, isNewAddress: true, value: expected });
    // Shipping autofill tokens, so browsers fill the right address.
    assert.equal(await opened.page.getByLabel('Address line 1').getAttribute('autocomplete'), 'shipping address-line1');
    await closePage(opened);
  });

  it('shows what is missing on getValue(), a wrong ZIP at once, and each country\'s own fields', async () => {
    const opened = await addressPage({ mode: 'shipping', allowedCountries: ['US', 'DE', 'HK'], defaultValues: { address: { country: 'US' } } });
    const empty = await call<{ complete: boolean; value: AddressValue }>(opened.page, 'addressValue');
    assert.equal(empty.complete, false);
    assert.deepEqual(await field(opened.page, 'address-name-error').textContent(), 'This field is incomplete.');
    assert.deepEqual(await field(opened.page, 'address-postal-code-error').textContent(), 'Your ZIP is incomplete.');
    // getValue() moves focus to the first field to fix, as Stripe does.
    assert.equal(await opened.page.getByLabel('Full name').evaluate((input) => input === document.activeElement), true);
    await opened.page.getByLabel('ZIP').fill('6270');
    await opened.page.getByLabel('ZIP').fill('62701x');
    assert.equal(await field(opened.page, 'address-postal-code-error').textContent(), 'Your ZIP is invalid.');
    assert.equal(await opened.page.getByLabel('ZIP').getAttribute('aria-invalid'), 'true');
    // Germany: no state, a five-digit "Postal code"; Hong Kong: no postal code at all.
    await field(opened.page, 'address-country').selectOption('DE');
    assert.deepEqual([await field(opened.page, 'address-state').isVisible(), await opened.page.getByLabel('Postal code').isVisible()], [false, true]);
    await opened.page.getByLabel('Full name').fill('Grete Müller');
    await opened.page.getByLabel('Address line 1').fill('Hauptstraße 5');
    await opened.page.getByLabel('Address line 2 (optional)').fill('Hinterhaus');
    await opened.page.getByLabel('City').fill('Berlin');
    await opened.page.getByLabel('Postal code').fill('10115');
    assert.deepEqual(await call(opened.page, 'addressValue'), {
      complete: true, isNewAddress: true,
      value: { name: 'Grete Müller', address: { line1: 'Hauptstraße 5', line2: 'Hinterhaus', city: 'Berlin', state: '', postal_code: '10115', country: 'DE' } },
    });
    await field(opened.page, 'address-country').selectOption('HK');
    assert.equal(await field(opened.page, 'address-postal-code').isVisible(), false);
    assert.equal((await call<{ complete: boolean; value: AddressValue }>(opened.page, 'addressValue')).value.address.postal_code, '');
    // update() narrows the countries; the chosen one stays if still allowed.
    await call(opened.page, 'addressUpdate', { allowedCountries: ['DE'] });
    assert.deepEqual(await field(opened.page, 'address-country').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['DE']);
    await closePage(opened);
  });

  it('speaks German with locale de: labels, each country\'s words and messages', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}`);
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await call<string>(page, 'mountAddress', { mode: 'shipping', allowedCountries: ['US', 'DE'], defaultValues: { address: { country: 'US' } } }, 'de'), 'mounted');
    assert.deepEqual(await field(page, 'address-country').locator('option').allTextContents(), ['Deutschland', 'Vereinigte Staaten']);
    for (const label of ['Vollständiger Name', 'Land oder Region', 'Adresszeile 1', 'Adresszeile 2 (optional)', 'Ort', 'Bundesstaat', 'Postleitzahl']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
    }
    await call(page, 'addressValue');
    assert.equal(await field(page, 'address-name-error').textContent(), 'Dieses Feld ist unvollständig.');
    assert.equal(await field(page, 'address-postal-code-error').textContent(), 'Ihre Postleitzahl ist unvollständig.');
    await page.getByLabel('Postleitzahl').fill('6270');
    assert.equal(await field(page, 'address-postal-code-error').textContent(), 'Ihre Postleitzahl ist ungültig.');
    await page.context().close();
  });

  it('refuses what Stripe.js refuses: no mode, an unknown country, two of one mode', async () => {
    const noMode = await addressPage({});
    assert.equal(noMode.mounted, "IntegrationError: Invalid value for create('address'): mode should be one of the following strings: shipping, billing.");
    await noMode.page.context().close();
    const unknown = await addressPage({ mode: 'shipping', allowedCountries: ['XX'] });
    assert.equal(unknown.mounted, 'IntegrationError: Invalid value for allowedCountries: XX is not a supported two-letter country code.');
    await unknown.page.context().close();
    const page = (await addressPage({ mode: 'billing' })).page;
    const second = await page.evaluate(() => {
      const elements = (window as unknown as { Stripe(pk: string): { elements(): { create(t: string, o: unknown): unknown } } }).Stripe(new URLSearchParams(location.search).get('pk')!).elements();
      elements.create('address', { mode: 'shipping' });
      try {
        elements.create('address', { mode: 'shipping' });
        return 'created';
      } catch (error) {
        return String(error);
      }
    });
    assert.equal(second, 'IntegrationError: Can only create one Element of type address in shipping mode.');
    await page.context().close();
  });

  it('has no axe violations, messages shown or not', async () => {
    const opened = await addressPage({ mode: 'shipping', allowedCountries: ['US', 'GB'] });
    await call(opened.page, 'loadAxe');
    assert.deepEqual(await call(opened.page, 'axeViolations', '#address'), []);
    await call(opened.page, 'addressValue');
    assert.deepEqual(await call(opened.page, 'axeViolations', '#address'), []);
    await closePage(opened);
  });
});

describe('the Express Checkout Element stand-in in Chromium', () => {
  // Stripe: the Elements `locale` "doesn't affect content that Stripe doesn't render, such as browser
  // and wallet payment sheets (for example, Apple Pay and Google Pay), which use the customer's
  // browser or device language" (https://docs.stripe.com/js/elements_object/create).
  const sheets = [
    { device: 'de-DE', elements: 'en', title: 'Google Pay (Test)', amount: '20,00 $', card: 'Visa •••• 4242 (Testkarte)', buttons: ['Abbrechen', 'Bezahlen'] },
    { device: 'en-US', elements: 'de', title: 'Google Pay (test)', amount: '$20.00', card: 'Visa •••• 4242 (test card)', buttons: ['Cancel', 'Pay'] },
    // A language the stand-in has no words for: English words, the amount as that language writes it.
    { device: 'fr-FR', elements: 'fr', title: 'Google Pay (test)', amount: '20,00 $US', card: 'Visa •••• 4242 (test card)', buttons: ['Cancel', 'Pay'] },
  ];
  for (const sheet of sheets) {
    it(`opens the wallet's sheet in the device's language (${sheet.device}), whatever the Elements locale (${sheet.elements})`, async () => {
      const page = await (await browser.newContext({ locale: sheet.device })).newPage();
      await page.goto(`${pages.url}/?pk=${h.emulator.publishableKey}`);
      await page.waitForSelector('html[data-ready="true"]');
      const pi = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', automatic_payment_methods: { enabled: true } });
      assert.equal(await call(page, 'mountExpress', pi.client_secret, sheet.elements), 'ready');
      await page.locator('[data-testid="express-checkout-google-pay"]').click();
      const dialog = page.getByRole('dialog', { name: sheet.title });
      await dialog.waitFor();
      const text = async (testid: string) => (await dialog.locator(`[data-testid="${testid}"]`).textContent())!.replace(/\s/g, ' ');
      assert.equal(await text('wallet-amount'), sheet.amount);
      assert.equal(await text('wallet-card'), sheet.card);
      assert.deepEqual(await dialog.getByRole('button').allTextContents(), sheet.buttons);
      await page.context().close();
    });
  }
});

describe('what every Element stand-in shares', () => {
  for (const [type, elementType] of [['payment', 'payment'], ['address', 'address'], ['expressCheckout', 'expressCheckout']] as const) {
    it(`${type}: mount, once/on/off, ready, focus, escape and blur events, destroy, as Stripe.js documents them`, async () => {
      const opened = await checkoutPage();
      const basics = await call(opened.page, 'elementBasics', type, opened.clientSecret);
      assert.deepEqual(basics, {
        nowhere: 'IntegrationError: The selector you specified (#nowhere) applies to no DOM elements that are currently on the page.',
        readyType: elementType,
        mountedTwice: 'IntegrationError: This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.',
        heard: [`focus ${elementType}`, 'focus once', `escape ${elementType}`, `blur ${elementType}`, `focus ${elementType}`, `blur ${elementType}`],
        keysOnPage: 0,
        leftInHost: 0,
        afterDestroy: 'IntegrationError: This Element has already been destroyed. Please create a new one.',
      });
      await closePage(opened);
    });
  }
});
