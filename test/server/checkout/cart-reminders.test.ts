/**
 * Abandoned-cart reminders: one per abandoned checkout, claimed once across passes, never for a
 * paid, emptied, declined or unsubscribed one, at most REMINDERS_PER_ADDRESS_PER_DAY to an
 * address; the link restores the cart and the unsubscribe link is honoured.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cart } from '../../../shared/api.ts';
import { sendCartReminders } from '../../../server/checkout/cart-reminders.ts';
import { cartWith, checkout, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlColumn, sqlValue, TEST_ENGINE } from '../../helpers/db.ts';

const HOUR = 3_600_000;

describe('abandoned-cart reminders', () => {
  let s: TestServer;
  let offset = 0;
  before(async () => {
    s = await startTestServer({ clock: () => Date.now() + offset, env: { ABANDONED_CART_SECOND_REMINDER_HOURS: '24' } });
  });
  after(() => s.stop());

  const reminders = async (email: string) => (await sqlColumn(s.db, "SELECT text FROM outbox WHERE recipient = ? AND dedupe_key LIKE 'reminder:%' ORDER BY id", email)) as string[];
  /** Runs the sweeper's reminder pass `hours` from now, then puts the clock back. */
  async function passAt(hours: number): Promise<number> {
    offset += hours * HOUR;
    try {
      return await sendCartReminders(s.checkout);
    } finally {
      offset -= hours * HOUR;
    }
  }
  const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+/${path}/[A-Za-z0-9_.-]+`).exec(text)?.[0];

  it('reminds an abandoned checkout once, after ABANDONED_CART_MINUTES, with a link that restores the cart', async () => {
    const cart = await cartWith(s, [['tee-black', 2]], 'WELCOME15');
    await checkout(s, cart.id, 'left@example.com');
    assert.equal(await passAt(0.5), 0, 'not yet abandoned');
    const [a, b] = await Promise.all([passAt(1.1), passAt(1.1)]);
    assert.equal(a + b, 1, 'two passes at once send it once (two processes: cart-reminders-processes.test.ts)');
    assert.equal(await passAt(2), 0);
    const [text] = await reminders('left@example.com');
    assert.equal((await reminders('left@example.com')).length, 1);

    const link = linkIn(text!, 'cart/restore');
    assert.ok(link, 'a restore link');
    assert.ok(!link.includes(cart.id), 'the cart id is not in the link');
    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /restore-token="/);
    const token = link.split('/cart/restore/')[1]!;
    const restored = await s.api<{ cart: Cart }>(`/api/carts/restore/${token}`);
    assert.equal(restored.status, 200);
    assert.deepEqual([restored.body.cart.id, restored.body.cart.items.map((l) => [l.productId, l.quantity]), restored.body.cart.couponCode], [cart.id, [['tee-black', 2]], 'WELCOME15']);
    // A recovery link's token is no restore token, and a forged one is refused.
    assert.equal((await s.api<{ error: { code: string } }>(`/api/carts/restore/${s.checkout.tokens.sign(cart.id, Date.now() + HOUR)}`)).body.error.code, 'link_invalid');
    assert.equal((await fetch(`${s.url}/cart/restore/${token.slice(0, -2)}xx`)).status, 400);
  });

  it('sends a second reminder ABANDONED_CART_SECOND_REMINDER_HOURS after the first, and no third', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    await checkout(s, cart.id, 'twice@example.com');
    const sent: number[] = [];
    for (const hours of [1.1, 12, 26, 60]) {
      await passAt(hours);
      sent.push((await reminders('twice@example.com')).length);
    }
    assert.deepEqual(sent, [1, 1, 2, 2]);
  });

  it('refuses the restore link once it has expired, 7 days after the reminder, on the page and in the API', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    await checkout(s, cart.id, 'late-reader@example.com');
    assert.equal(await passAt(1.1), 1);
    const link = linkIn((await reminders('late-reader@example.com'))[0]!, 'cart/restore')!;
    const token = link.split('/cart/restore/')[1]!;
    offset += (1.1 + 7 * 24) * HOUR + 60_000;
    try {
      const page = await fetch(link);
      assert.equal(page.status, 400);
      assert.match(await page.text(), /This link to your cart is invalid or has expired\./);
      const restored = await s.api<{ error: { code: string } }>(`/api/carts/restore/${token}`);
      assert.deepEqual([restored.status, restored.body.error.code], [400, 'link_invalid']);
    } finally {
      offset -= (1.1 + 7 * 24) * HOUR + 60_000;
    }
  });

  it('sends no second reminder once the cart was paid for or emptied after the first', async () => {
    const paid = await cartWith(s, [['tee-white', 1]]);
    const paidCheckout = await checkout(s, paid.id, 'paid-later@example.com');
    const emptied = await cartWith(s, [['tee-white', 1]]);
    await checkout(s, emptied.id, 'emptied-later@example.com');
    assert.equal(await passAt(1.1), 2);
    // The first reminder brought them back: one pays on the same checkout, the other empties the cart.
    assert.equal(((await pay(s, paidCheckout.body.clientSecret)) as { status?: string }).status, 'succeeded');
    await webhooksSettled(s);
    assert.equal((await s.api(`/api/carts/${emptied.id}/items/tee-white`, { method: 'DELETE' })).status, 200);
    await passAt(26);
    assert.deepEqual([(await reminders('paid-later@example.com')).length, (await reminders('emptied-later@example.com')).length], [1, 1]);
  });

  it('sends none for a paid checkout, an emptied cart or a declined payment (that one gets the recovery email)', async () => {
    const paid = await cartWith(s, [['cap-navy', 1]]);
    const paidCheckout = await checkout(s, paid.id, 'paid@example.com');
    await pay(s, paidCheckout.body.clientSecret);
    const emptied = await cartWith(s, [['cap-navy', 1]]);
    await checkout(s, emptied.id, 'emptied@example.com');
    await s.api(`/api/carts/${emptied.id}/items/cap-navy`, { method: 'DELETE' });
    const declined = await cartWith(s, [['cap-navy', 1]]);
    const declinedCheckout = await checkout(s, declined.id, 'declined@example.com');
    await pay(s, declinedCheckout.body.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(s);
    await passAt(1.1);
    await passAt(30);
    for (const email of ['paid@example.com', 'emptied@example.com', 'declined@example.com']) assert.deepEqual(await reminders(email), [], email);
  });

  it('sends none for a checkout paid between the pass reading its cart and claiming its reminder', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    const started = await checkout(s, cart.id, 'racer@example.com');
    // The cart is read (still full), then the payment lands, then the reminder is claimed.
    const carts = Object.assign(Object.create(s.checkout.carts) as typeof s.checkout.carts, {
      get: async (id: string) => {
        const read = await s.checkout.carts.get(id);
        if (id === cart.id) {
          await pay(s, started.body.clientSecret);
          await webhooksSettled(s);
        }
        return read;
      },
    });
    offset += 1.1 * HOUR;
    try {
      await sendCartReminders({ ...s.checkout, carts });
    } finally {
      offset -= 1.1 * HOUR;
    }
    assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE email = ?', 'racer@example.com'), 1, 'the payment made its order');
    assert.deepEqual(await reminders('racer@example.com'), []);
  });

  it('honours the unsubscribe link: a click on the page (not the link alone) stops every later reminder', async () => {
    const first = await cartWith(s, [['tee-white', 1]]);
    await checkout(s, first.id, 'No-More@example.com');
    assert.equal(await passAt(1.1), 1);
    const link = linkIn((await reminders('No-More@example.com'))[0]!, 'unsubscribe')!;
    const confirm = await fetch(link);
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /<form method="post">/);
    assert.equal(await count(s, 'SELECT COUNT(*) FROM email_unsubscribes'), 0, 'following the link alone changes nothing');
    assert.equal((await fetch(link, { method: 'POST' })).status, 200);
    assert.equal((await fetch(link, { method: 'POST' })).status, 200);
    assert.equal(await count(s, "SELECT COUNT(*) FROM email_unsubscribes WHERE email = 'no-more@example.com'"), 1);

    const second = await cartWith(s, [['tee-white', 1]]);
    await checkout(s, second.id, 'no-more@example.com');
    assert.equal(await passAt(1.1), 0);
    assert.equal(await passAt(26), 0, 'nor the second reminder of the first checkout');
    assert.equal((await reminders('No-More@example.com')).length + (await reminders('no-more@example.com')).length, 1);
    assert.equal((await fetch(`${s.url}/unsubscribe/${'x'.repeat(40)}.${'y'.repeat(43)}`, { method: 'POST' })).status, 400);
  });

  it('opens its links in the language its email spoke: the cart page (and the widget on it) and the unsubscribe page', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    await s.api(`/api/carts/${cart.id}/checkout`, { json: { email: 'sprache@example.com', locale: 'de-DE' } });
    await passAt(1.1);
    const [text] = await reminders('sprache@example.com');
    const german = (html: string, title: string) => {
      assert.match(html, /^<!doctype html>\n<html lang="de">/, title);
      assert.match(html, new RegExp(`<h1>${title}</h1>`));
      assert.match(html, /<a href="[^"]+\/">Zurück zum Shop<\/a>/, `${title}: the header's way back`);
    };
    const restore = /https?:\/\/\S+\/cart\/restore\/\S+/.exec(text!)![0];
    german(await (await fetch(restore)).text(), 'Dein Warenkorb');
    assert.match(await (await fetch(restore)).text(), /Hier ist dein gespeicherter Warenkorb\. <a href="[^"]+\/">Weiter einkaufen<\/a>/);

    const unsubscribe = /https?:\/\/\S+\/unsubscribe\/\S+/.exec(text!)![0];
    const ask = await (await fetch(unsubscribe)).text();
    german(ask, 'Abmelden');
    assert.match(ask, /Keine Warenkorb-Erinnerungen mehr an <strong>sprache@example\.com<\/strong>\?/);
    assert.match(ask, /<button type="submit">Abmelden<\/button>/);
    const done = await (await fetch(unsubscribe, { method: 'POST' })).text();
    german(done, 'Abgemeldet');
    assert.match(done, /Erledigt: keine Warenkorb-Erinnerungen mehr an <strong>sprache@example\.com<\/strong>\./);

    // A link cut short says nothing of its shopper: the browser's language, else the shop's.
    const cut = `${s.url}/cart/restore/${'x'.repeat(20)}.${'y'.repeat(43)}`;
    const deCut = await fetch(cut, { headers: { 'accept-language': 'fr-CH, de;q=0.9, en;q=0.8' } });
    assert.equal(deCut.status, 400);
    const deHtml = await deCut.text();
    german(deHtml, 'Dein Warenkorb');
    assert.match(deHtml, /Dieser Link zu deinem Warenkorb ist ungültig oder abgelaufen\./);
    assert.match(await (await fetch(cut)).text(), /<html lang="en">[\s\S]*This link to your cart is invalid or has expired\./);
    assert.match(await (await fetch(`${s.url}/unsubscribe/${'x'.repeat(20)}.${'y'.repeat(43)}`, { headers: { 'accept-language': 'de-AT' } })).text(), /Dieser Abmeldelink ist ungültig\./);
  });

  it('sends one address at most REMINDERS_PER_ADDRESS_PER_DAY reminders', async () => {
    for (let i = 0; i < 4; i++) await checkout(s, (await cartWith(s, [['mug-stone', 1]])).id, 'busy@example.com');
    await passAt(1.1);
    assert.equal((await reminders('busy@example.com')).length, 2);
    await passAt(1.2);
    assert.equal((await reminders('busy@example.com')).length, 2, 'the others were dropped, not postponed');
  });

  it('keeps to REMINDERS_PER_ADDRESS_PER_DAY when two processes remind one address at the same moment', async () => {
    const email = 'both@example.com';
    const [a, b] = [await cartWith(s, [['mug-stone', 1]]), await cartWith(s, [['mug-stone', 1]])];
    const [first, second] = [(await checkout(s, a.id, email)).body.checkoutId, (await checkout(s, b.id, email)).body.checkoutId];
    // One reminder went to the address today already: one of the two may go, not both.
    await s.checkout.outbox.enqueue('reminder:earlier:1', { to: email, subject: 's', html: 'h', text: 't' }, Date.now() + offset);
    const passFor = (checkoutId: string, outbox = s.checkout.outbox) => sendCartReminders({
      ...s.checkout, outbox,
      checkouts: Object.assign(Object.create(s.checkout.checkouts) as typeof s.checkout.checkouts, {
        reminderDue: async (o: Parameters<typeof s.checkout.checkouts.reminderDue>[0]) => (await s.checkout.checkouts.reminderDue(o)).filter((c) => c.id === checkoutId),
      }),
    });
    let other: Promise<number> | undefined;
    // The first process has counted the address's reminders and not yet written its own when the
    // second counts (PostgreSQL: two connections; SQLite's one write lock makes them take turns).
    const counted = Object.assign(Object.create(s.checkout.outbox) as typeof s.checkout.outbox, {
      queuedSince: async (...args: Parameters<typeof s.checkout.outbox.queuedSince>) => {
        const n = await s.checkout.outbox.queuedSince(...args);
        if (TEST_ENGINE === 'postgres') {
          const us = await sqlValue<number>(s.db, 'SELECT pg_backend_pid()');
          let done = false;
          other = s.db.outsideTransaction(() => passFor(second)).finally(() => { done = true; });
          // Until the second has written its reminder, or waits for this transaction to end.
          const waitingOnUs = () => s.db.outsideTransaction(() => sqlValue<number>(s.db, 'SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))', us));
          while (!done && await waitingOnUs() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return n;
      },
    });
    offset += 1.1 * HOUR;
    try {
      await passFor(first, counted);
      await (other ?? passFor(second));
    } finally {
      offset -= 1.1 * HOUR;
    }
    assert.equal((await reminders(email)).length, 2, 'the earlier one and one of the two');
  });

  it('counts an address the same whatever the case it is typed in', async () => {
    const spellings = ['case@example.com', 'Case@example.com', 'CASE@example.com', 'case@EXAMPLE.com'];
    for (const email of spellings) await checkout(s, (await cartWith(s, [['mug-stone', 1]])).id, email);
    await passAt(1.1);
    const sent = await count(s, "SELECT COUNT(*) FROM outbox WHERE lower(recipient) = 'case@example.com' AND dedupe_key LIKE 'reminder:%'");
    assert.equal(sent, 2, 'REMINDERS_PER_ADDRESS_PER_DAY for the one mailbox');
  });
});
