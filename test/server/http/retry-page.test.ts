/**
 * The recovery link's page in each state its checkout can be in: the right words, the right HTTP
 * status, the shop's header and a way back, and every value escaped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { CheckoutCreated, CheckoutState } from '../../../shared/api.ts';
import { cartWith, checkout, pay, startTestServer, US_SHIPPING, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRun, sqlValue } from '../../helpers/db.ts';

const SHOP = '<b>Bob & "Sons"</b>';
const ESCAPED_SHOP = '&lt;b&gt;Bob &amp; &quot;Sons&quot;&lt;/b&gt;';
const HOUR = 3_600_000;

describe('the recovery link\'s page', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ env: { SHOP_NAME: SHOP } }); });
  after(() => s?.stop());

  const page = async (token: string) => {
    const res = await fetch(`${s.url}/checkout/retry/${token}`);
    return { status: res.status, html: await res.text() };
  };
  /** A checkout whose first payment was declined, as a recovery email finds it. */
  const declined = async (email: string, locale?: string) => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const started = locale
      ? (await s.api<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { json: { email, locale } })).body
      : (await checkout(s, cart.id, email)).body;
    await pay(s, started.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(s);
    return started;
  };
  const assertShopFrame = (html: string, what: string, back = 'Back to the shop') => {
    assert.match(html, new RegExp(`<a class="brand" href="${s.url}/">${ESCAPED_SHOP}</a>`), `${what}: the shop's header, escaped`);
    assert.match(html, new RegExp(`<a href="${s.url}/">${back}</a>`), `${what}: a way back to the shop`);
    assert.equal(html.includes(SHOP), false, `${what}: the raw shop name never reaches the page`);
  };

  it('pays an unpaid checkout in the widget: items still reserved, no word of "below", the cart toggle hidden by the page', async () => {
    const started = await declined('unpaid@example.com');
    const token = s.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR);
    const { status, html } = await page(token);
    assert.equal(status, 200);
    assertShopFrame(html, 'unpaid');
    assert.match(html, /<h1>Complete your payment<\/h1>/);
    assert.match(html, /still reserved/);
    assert.match(html, new RegExp(`<checkout-cart api="${s.url}" retry-token="${token}" open></checkout-cart>`));
    assert.match(html, /<script type="module" src="\/checkout\/retry-page.js"><\/script>/);
    assert.doesNotMatch(html, /below/i);
    assert.match(await (await fetch(`${s.url}/demo.css`)).text(), /checkout-cart\[retry-token\]::part\(toggle\) \{ display: none; \}/);
    const script = await fetch(`${s.url}/checkout/retry-page.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await script.text(), /checkout-completed/);
  });

  it('says a paid order is paid, with its number, even once the link has run out', async () => {
    const started = await declined('paid@example.com');
    await pay(s, started.clientSecret, 'pm_card_visa');
    await webhooksSettled(s);
    const number = (await sqlValue(s.db, 'SELECT number FROM orders WHERE checkout_id = ?', started.checkoutId)) as string;
    for (const expiresAt of [Date.now() + HOUR, Date.now() - 1]) {
      const { status, html } = await page(s.checkout.tokens.sign(started.checkoutId, expiresAt));
      assert.equal(status, 200);
      assertShopFrame(html, 'paid');
      assert.match(html, /<h1>This order is paid<\/h1>/);
      assert.match(html, new RegExp(`<strong data-order-number>${number}</strong> is paid`));
      assert.match(html, /<p>We sent the confirmation with your receipt to paid@example\.com\.<\/p>/);
      assert.doesNotMatch(html, /reserved|<checkout-cart|Ships to/);
    }
  });

  it('says a checkout paid on its page is paid when the page is reloaded before Stripe\'s webhook arrives', async () => {
    const started = await declined('reloaded@example.com');
    const token = s.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR);
    s.stripe.emulator!.webhooks.configure({ paused: true });
    try {
      assert.equal((await pay(s, started.clientSecret, 'pm_card_visa') as Stripe.PaymentIntent).status, 'succeeded');
      // The reload: Stripe says succeeded, its webhook has not come yet.
      const { status, html } = await page(token);
      const number = (await sqlValue(s.db, 'SELECT number FROM orders WHERE checkout_id = ?', started.checkoutId)) as string;
      assert.equal(status, 200);
      assert.match(html, /<h1>This order is paid<\/h1>/);
      assert.match(html, new RegExp(`<strong data-order-number>${number}</strong> is paid`));
      assert.doesNotMatch(html, /nothing was charged|still reserved|<checkout-cart/);
      // The widget on such a page reads the same state: no client secret of a paid PaymentIntent to pay again.
      const state = await s.api<CheckoutState>(`/api/checkouts/retry/${token}`);
      assert.deepEqual([state.status, state.body.status, state.body.clientSecret, state.body.order?.number], [200, 'paid', undefined, number]);
    } finally {
      s.stripe.emulator!.webhooks.configure({ paused: false });
      await webhooksSettled(s);
    }
    assert.equal(await sqlValue(s.db, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.checkoutId), 1);
  });

  it('says an unpaid checkout whose link ran out has closed, with 410 and nothing to pay', async () => {
    const started = await declined('late@example.com');
    const { status, html } = await page(s.checkout.tokens.sign(started.checkoutId, Date.now() - 1));
    assert.equal(status, 410);
    assertShopFrame(html, 'closed');
    assert.match(html, /<h1>This checkout has closed<\/h1>/);
    assert.match(html, /Nothing was charged/);
    assert.doesNotMatch(html, /still reserved|<checkout-cart/);
  });

  it('speaks the language the shopper\'s checkout spoke, unpaid, paid and closed, and the widget with it', async () => {
    const started = await declined('sprache@example.com', 'de-DE');
    const token = s.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR);
    let { status, html } = await page(token);
    assert.equal(status, 200);
    assert.match(html, /^<!doctype html>\n<html lang="de">/);
    assertShopFrame(html, 'unpaid, German', 'Zurück zum Shop');
    assert.match(html, /<h1>Schließe deine Zahlung ab<\/h1>/);
    assert.match(html, /deine Artikel sind weiter reserviert/);
    assert.match(html, /Zahlungsbereich geschlossen\? <a href="[^"]+">Zahlung wieder öffnen<\/a>\./);

    ({ status, html } = await page(s.checkout.tokens.sign(started.checkoutId, Date.now() - 1)));
    assert.equal(status, 410);
    assert.match(html, /<h1>Dieser Bezahlvorgang ist abgeschlossen<\/h1>/);
    assert.match(html, new RegExp(`Fang bei <a href="${s.url}/">${ESCAPED_SHOP}</a> neu an\\.`));

    await pay(s, started.clientSecret, 'pm_card_visa');
    await webhooksSettled(s);
    ({ status, html } = await page(token));
    assert.equal(status, 200);
    assert.match(html, /<h1>Diese Bestellung ist bezahlt<\/h1>/);
    assert.match(html, /Danke: Bestellung <strong data-order-number>CO-\d+<\/strong> ist bezahlt/);
  });

  // The two states a shopper meets only between the webhook and the order: set on the row, as the
  // payment events leave them, so the page is tested alone.
  it('says a payment being confirmed is being confirmed, with the widget to follow it and no "still reserved"', async () => {
    const started = await declined('confirming@example.com');
    await sqlRun(s.db, "UPDATE checkouts SET status = 'processing' WHERE id = ?", started.checkoutId);
    const token = s.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR);
    const { status, html } = await page(token);
    assert.equal(status, 200);
    assertShopFrame(html, 'processing');
    assert.match(html, /<p>Your payment is being confirmed; the payment panel shows the order as soon as it is done\.<\/p>/);
    assert.match(html, new RegExp(`<checkout-cart api="${s.url}" retry-token="${token}" open></checkout-cart>`));
    assert.doesNotMatch(html, /reserved|did not go through/);
  });

  it('tells a shopper whose payment needs a closer look not to pay again, with nothing to pay', async () => {
    const started = await declined('attention@example.com');
    await sqlRun(s.db, "UPDATE checkouts SET status = 'needs_attention' WHERE id = ?", started.checkoutId);
    // Even once the link has run out: the money arrived, the shopper must not think it closed.
    for (const expiresAt of [Date.now() + HOUR, Date.now() - 1]) {
      const { status, html } = await page(s.checkout.tokens.sign(started.checkoutId, expiresAt));
      assert.equal(status, 200);
      assertShopFrame(html, 'needs attention');
      assert.match(html, /<h1>We received your payment<\/h1>/);
      assert.match(html, /Please do not pay again\./);
      assert.doesNotMatch(html, /reserved|<checkout-cart|has closed/);
    }
  });

  it('explains a forged or mangled link (400) and a genuine link whose checkout is gone (404), and links to the shop', async () => {
    const genuine = s.checkout.tokens.sign('chk_gone0000000000000000000', Date.now() + HOUR);
    const [payload, mac] = genuine.split('.') as [string, string];
    const cases: [string, number][] = [
      ['forged.token', 400], [`${payload}.${mac.slice(0, -2)}xx`, 400], [`${payload}x.${mac}`, 400],
      [encodeURIComponent('<script>alert(1)</script>'), 400], [genuine, 404],
    ];
    for (const [token, expected] of cases) {
      const { status, html } = await page(token);
      assert.equal(status, expected, token);
      assertShopFrame(html, token);
      assert.match(html, /<h1>This payment link does not work<\/h1>/, token);
      assert.match(html, new RegExp(`go back to <a href="${s.url}/">${ESCAPED_SHOP}</a>`), token);
      assert.doesNotMatch(html, /<checkout-cart|<script>alert/, token);
    }
    // Nothing in a mangled link says whose it was: the page speaks the browser's language.
    const res = await fetch(`${s.url}/checkout/retry/forged.token`, { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' } });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /^<!doctype html>\n<html lang="de">/);
    assertShopFrame(html, 'forged, German browser', 'Zurück zum Shop');
    assert.match(html, /<h1>Dieser Zahlungslink funktioniert nicht<\/h1>/);
  });
  it('leads back to SHOP_URL, the merchant\'s own shop, when the widget is embedded elsewhere', async () => {
    const merchant = await startTestServer({ env: { SHOP_URL: 'https://merchant.example/shop?a=1&b=2' } });
    try {
      const cart = await cartWith(merchant, [['mug-stone', 1]]);
      const started = (await checkout(merchant, cart.id, 'elsewhere@example.com')).body;
      const token = merchant.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR);
      const html = await (await fetch(`${merchant.url}/checkout/retry/${token}`)).text();
      const shop = 'https://merchant.example/shop?a=1&amp;b=2';
      assert.match(html, new RegExp(`<a class="brand" href="${shop.replace(/[?]/g, '\\?')}">`));
      assert.match(html, new RegExp(`<a href="${shop.replace(/[?]/g, '\\?')}">Back to the shop</a>`));
      // The widget still talks to the checkout server.
      assert.match(html, new RegExp(`<checkout-cart api="${merchant.url}" retry-token="${token}" open></checkout-cart>`));
      const forged = await (await fetch(`${merchant.url}/checkout/retry/forged.token`)).text();
      assert.match(forged, new RegExp(`go back to <a href="${shop.replace(/[?]/g, '\\?')}">`));
      assert.equal((await merchant.api<{ shopUrl: string }>('/api/config')).body.shopUrl, 'https://merchant.example/shop?a=1&b=2');
    } finally {
      await merchant.stop();
    }
    assert.equal((await s.api<{ shopUrl: string }>('/api/config')).body.shopUrl, `${s.url}/`, 'unset: the checkout server\'s own shop');
  });

  describe('of an order that ships', () => {
    let ships: TestServer;
    before(async () => { ships = await startTestServer({ shipping: true }); });
    after(() => ships?.stop());

    it('shows a paid order that ships where it ships, where its confirmation went and what happens next, every value escaped (en and de)', async () => {
      const name = '<i>Ada</i> & "Co"';
      const email = "o'ship@example.com";
      const words = {
        'en-US': {
          title: 'This order is paid',
          body: (number: string) => `Thank you: order <strong data-order-number>${number}</strong> is paid. There is nothing more to pay.`,
          sent: 'We sent the confirmation with your receipt to o&#39;ship@example.com.',
          shipsTo: 'Ships to',
          next: 'We are getting your order ready. Keep your order number in case you contact us.',
        },
        'de-DE': {
          title: 'Diese Bestellung ist bezahlt',
          body: (number: string) => `Danke: Bestellung <strong data-order-number>${number}</strong> ist bezahlt. Es gibt nichts mehr zu bezahlen.`,
          sent: 'Wir haben die Bestätigung mit deinem Beleg an o&#39;ship@example.com geschickt.',
          shipsTo: 'Lieferung an',
          next: 'Wir machen deine Bestellung fertig. Bewahre deine Bestellnummer auf, falls du uns kontaktierst.',
        },
      };
      for (const [locale, say] of Object.entries(words)) {
        const cart = await cartWith(ships, [['tee-black', 1]]);
        const started = (await ships.api<CheckoutCreated>(`/api/carts/${cart.id}/checkout`, { json: { email, locale, shipping: { ...US_SHIPPING, name } } })).body;
        await pay(ships, started.clientSecret, 'pm_card_visa');
        await webhooksSettled(ships);
        const number = (await sqlValue(ships.db, 'SELECT number FROM orders WHERE checkout_id = ?', started.checkoutId)) as string;
        const res = await fetch(`${ships.url}/checkout/retry/${ships.checkout.tokens.sign(started.checkoutId, Date.now() + HOUR)}`);
        const [status, html] = [res.status, await res.text()];
        assert.equal(status, 200);
        const main = html.slice(html.indexOf('<main'), html.indexOf('</main>')).replace(/\s+/g, ' ');
        assert.equal(main, `<main class="shop-page"> <h1>${say.title}</h1> <p>${say.body(number)}</p>`
          + ` <p>${say.sent}</p>`
          + ` <p><strong>${say.shipsTo}</strong><br>&lt;i&gt;Ada&lt;/i&gt; &amp; &quot;Co&quot;<br>12 Analytical Row<br>Springfield, IL 62701<br>US<br>Standard (3-5 business days)</p>`
          + ` <p>${say.next}</p> `);
        assert.equal(html.includes(name), false, 'the raw name never reaches the page');
      }
    });
  });
});
