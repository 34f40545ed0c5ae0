/**
 * Issue 15's reminder, end to end in Chromium: a shopper who leaves a checkout unpaid gets exactly
 * one reminder over real SMTP, a shopper who paid gets none, and the reminder's link opens the shop
 * on another browser with the widget showing exactly the abandoned cart's lines and totals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Cart } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { sendCartReminders } from '../../server/checkout/cart-reminders.ts';
import { webhooksSettled } from '../helpers/server.ts';
import { parseMessage } from '../server/mail/mime.ts';
import { startSmtpRecorder, type SmtpRecorder } from '../server/mail/smtp-recorder.ts';
import { serverAndBrowser } from './browser.ts';
import { checkView, contextOptions, type Look } from './checks.ts';
import { addFromButton, applyCoupon, confirmedOrderNumber, fillCard, openShop, pay, startCheckout } from './shop.ts';

const MINUTE = 60_000;
const money = (amount: number) => formatMoney(amount, 'USD', 'en-US');

describe('an abandoned checkout\'s reminder, from the shop to the email and back (Chromium, SMTP)', () => {
  let smtp: SmtpRecorder;
  let offset = 0;
  before(async () => { smtp = await startSmtpRecorder(); });
  const suite = serverAndBrowser(() => ({ clock: () => Date.now() + offset, env: { SMTP_URL: smtp.url, ABANDONED_CART_MINUTES: '60' } }));
  // After the server's `after`: it may still be handing mail over.
  after(() => smtp?.close());

  /** A shopper on the demo shop in a browser of their own. */
  const shopper = async (): Promise<Page> => (await openShop(suite.browser, suite.server.url)).page;
  const widgetCart = (page: Page) => page.evaluate(() => (document.querySelector('checkout-cart') as unknown as { cart: Cart | null }).cart);

  it('sends exactly one reminder for the abandoned checkout, none for the paid one, and its link shows that cart', async () => {
    // One shopper fills a cart, gives an email, reaches the payment step and closes the tab.
    const leaving = await shopper();
    await addFromButton(leaving, 'tee-black');
    await addFromButton(leaving, 'tee-black');
    await addFromButton(leaving, 'mug-stone');
    await applyCoupon(leaving, 'welcome15');
    await startCheckout(leaving, 'left@example.com');
    const abandoned = (await widgetCart(leaving))!;
    assert.deepEqual(abandoned.items.map((line) => [line.productId, line.quantity]), [['tee-black', 2], ['mug-stone', 2]]);
    await leaving.context().close();

    // Another pays.
    const paying = await shopper();
    await addFromButton(paying, 'cap-navy');
    await startCheckout(paying, 'paid@example.com');
    await fillCard(paying, '4242424242424242');
    await pay(paying);
    await confirmedOrderNumber(paying);
    await paying.context().close();
    await webhooksSettled(suite.server);
    await suite.server.outbox.drain();
    const confirmations = smtp.received.length;
    assert.deepEqual(smtp.received.map((r) => r.to), [['paid@example.com']], 'only the order confirmation so far');

    // An hour later two sweeping processes look at once, and again later: one reminder in all.
    offset = 61 * MINUTE;
    const sent = await Promise.all([sendCartReminders(suite.server.checkout), sendCartReminders(suite.server.checkout)]);
    offset = 90 * MINUTE;
    sent.push(await sendCartReminders(suite.server.checkout));
    // The outbox sends what is due by its clock, which is that hour later too.
    await suite.server.outbox.drain();
    offset = 0;
    assert.deepEqual(sent.sort(), [0, 0, 1]);
    const reminders = smtp.received.slice(confirmations);
    assert.deepEqual(reminders.map((r) => r.to), [['left@example.com']], 'one reminder, to the shopper who left; none to the one who paid');

    // The link, opened in a browser that never saw the shop (the email read on another device).
    const { text } = parseMessage(reminders[0]!.raw);
    const link = new RegExp(`${suite.server.url}/cart/restore/[A-Za-z0-9_.-]+`).exec(text)?.[0];
    assert.ok(link, `a restore link in:\n${text}`);
    const page = await suite.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const violations: string[] = [];
    page.on('pageerror', (err) => { throw err; });
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()); });
    await page.goto(link);
    await page.waitForFunction((id) => (document.querySelector('checkout-cart') as unknown as { cart: Cart | null } | null)?.cart?.id === id, abandoned.id);
    const lines = page.locator('checkout-cart [part="line-item"]');
    await lines.first().waitFor();

    const cart = (await suite.server.api<{ cart: Cart }>(`/api/carts/${abandoned.id}`)).body.cart;
    // Two tees and the demo's "Add two" mugs: 2 x 2500 + 2 x 1400 = 7800; 15 % = 1170; tax 8 % of 6630 = 530.4 -> 530; total 7160.
    assert.deepEqual(cart.totals, { subtotal: 7800, discount: 1170, tax: 530, total: 7160 });
    const shownLines = await lines.evaluateAll((items) => items.map((li) => [
      (li as HTMLElement).dataset.productId,
      (li.querySelector('input') as HTMLInputElement).value,
      li.querySelector('[part="line-total"]')!.textContent!.trim(),
    ]));
    assert.deepEqual(shownLines, cart.items.map((line) => [line.productId, String(line.quantity), money(line.lineTotal)]));
    const shownTotals = await page.locator('checkout-cart [part="totals"] dd').evaluateAll((rows) =>
      Object.fromEntries(rows.map((dd) => [(dd as HTMLElement).dataset.total, dd.textContent!.replace(/\s+/g, ' ').trim()])));
    assert.deepEqual(shownTotals, { subtotal: money(7800), discount: `−${money(1170)}`, tax: money(530), total: money(7160) });
    assert.equal(await page.locator('checkout-cart [part="coupon"]').getByText('WELCOME15').count() > 0, true, 'the coupon shown');
    assert.deepEqual(violations, [], 'no CSP violation on the restore page');
    await page.context().close();

    // The same link in a browser with a cart of its own, open in another tab: the reminder's cart
    // takes its place in both tabs, and the page says so (README, "Abandoned-cart reminders").
    const own = await shopper();
    await addFromButton(own, 'cap-navy');
    const ownCart = (await widgetCart(own))!;
    const restoring = await own.context().newPage();
    await restoring.goto(link);
    await restoring.waitForFunction((id) => (document.querySelector('checkout-cart') as unknown as { cart: Cart | null } | null)?.cart?.id === id, abandoned.id);
    await restoring.locator('checkout-cart').getByText('Your cart from the email replaced your previous one.').waitFor();
    await own.waitForFunction((id) => (document.querySelector('checkout-cart') as unknown as { cart: Cart | null }).cart?.id === id, abandoned.id);
    assert.equal((await suite.server.api<{ cart: Cart }>(`/api/carts/${ownCart.id}`)).body.cart.itemCount, 1, 'the replaced cart is left as it was');
    await own.context().close();
  });
  it('asks for the unsubscribe click on a page a phone can use, light and dark: a 44 px button, axe clean', async () => {
    const link = `${suite.server.url}/unsubscribe/${suite.server.checkout.tokens.signFor('unsubscribe', 'phone@example.com', Date.now() + 60 * MINUTE)}?lang=de`;
    for (const scheme of ['light', 'dark'] as const) {
      const look: Look = { device: 'phone', scheme, lang: 'de' };
      const context = await suite.browser.newContext(contextOptions(look));
      const page = await context.newPage();
      await page.goto(link);
      await checkView(page, look, 'the unsubscribe page');
      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.getByText('Erledigt').waitFor();
      await checkView(page, look, 'the unsubscribed page');
      await context.close();
    }
  });
});
