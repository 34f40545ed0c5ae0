/**
 * Emails speak the language the shopper's widget spoke: the checkout carries its locale, and the
 * confirmation, the recovery email and the cart reminder use that catalogue's words and money
 * format, delivered through a real SMTP server. A shopper without one (an API client) gets the
 * server's LOCALE; a malformed locale is refused and changes nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutCreated } from '../../../shared/api.ts';
import { sendCartReminders } from '../../../server/checkout/cart-reminders.ts';
import { sendDueRecoveryEmails } from '../../../server/checkout/payment-events.ts';
import { cartWith, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { parseMessage, type ParsedMessage } from './mime.ts';
import { startSmtpRecorder, type SmtpRecorder } from './smtp-recorder.ts';
import { sqlValue } from '../../helpers/db.ts';

const HOUR = 3_600_000;

describe('emails in the shopper\'s language, over real SMTP', () => {
  let smtp: SmtpRecorder;
  let s: TestServer;
  let offset = 0;
  before(async () => {
    smtp = await startSmtpRecorder();
    s = await startTestServer({
      clock: () => Date.now() + offset,
      env: { SMTP_URL: smtp.url, RECOVERY_EMAIL_DELAY_MINUTES: '0', SHOP_NAME: 'Laden' },
    });
  });
  after(async () => {
    await s.stop();
    await smtp.close();
  });

  const start = (cartId: string, email: string, locale?: string) =>
    s.api<CheckoutCreated>(`/api/carts/${cartId}/checkout`, { json: { email, ...(locale ? { locale } : {}) } });
  /** The emails the SMTP server received for `to`, parsed, in order. */
  const mailTo = async (to: string): Promise<ParsedMessage[]> => {
    await s.outbox.drain();
    return smtp.received.filter((m) => m.to.join() === to).map((m) => parseMessage(m.raw));
  };

  it('confirms a German checkout in German, with German money, in both parts', async () => {
    const cart = await cartWith(s, [['tee-black', 1], ['mug-stone', 2]]);
    const started = await start(cart.id, 'anna@example.com', 'de-DE');
    assert.equal(started.status, 200);
    // 2500 + 2 x 1400 = 5300; tax 8 % = 424; total 5724.
    assert.equal(started.body.amount, 5724);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const [mail, ...more] = await mailTo('anna@example.com');
    assert.equal(more.length, 0);
    const number = (await sqlValue(s.db, 'SELECT number FROM orders WHERE email = ?', 'anna@example.com')) as string;
    assert.equal(mail!.headers.get('subject'), `Laden: Bestellung ${number} bestätigt`);
    assert.equal(mail!.text, [
      `Danke! Bestellung ${number} ist bestätigt`,
      '',
      'Deine Zahlung ist eingegangen, und wir machen deine Bestellung fertig.',
      '',
      '1 x Classic Tee, Black: 25,00\u00a0$',
      '2 x Stoneware Mug: 28,00\u00a0$',
      '',
      'Zwischensumme: 53,00\u00a0$',
      'Steuer: 4,24\u00a0$',
      'Gesamt: 57,24\u00a0$',
      '',
      `Laden: ${s.url}/`,
      '',
    ].join('\n'));
    assert.match(mail!.html, /^<!doctype html><html lang="de">/);
    assert.match(mail!.html, /<th style="text-align:left">Artikel<\/th>/);
    assert.match(mail!.html, />Zu Laden<\/a>/);
  });

  it('sends a German recovery email with the decline in the widget\'s German words and a link that wraps', async () => {
    const cart = await cartWith(s, [['cap-navy', 1]]);
    const started = await start(cart.id, 'jonas@example.com', 'de');
    await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
    await webhooksSettled(s);
    assert.equal(await sendDueRecoveryEmails(s.checkout), 1);
    const [mail] = await mailTo('jonas@example.com');
    assert.equal(mail!.headers.get('subject'), 'Laden: Deine Zahlung ist nicht durchgegangen');
    assert.ok(mail!.text.startsWith('Deine Zahlung ist nicht durchgegangen\n\nDeine Karte wurde abgelehnt.\n\nWir halten deine Artikel für dich bereit.'), mail!.text);
    assert.match(mail!.html, />Zahlung abschließen<\/a>/);
    assert.match(mail!.html, /Falls der Button nicht funktioniert, öffne diesen Link: <a href="[^"]+" style="overflow-wrap:anywhere;word-break:break-all">/);
  });

  it('reminds a German shopper of the cart in German', async () => {
    const cart = await cartWith(s, [['tee-white', 1]]);
    await start(cart.id, 'mia@example.com', 'de-AT');
    offset += 2 * HOUR;
    let mail: ParsedMessage | undefined;
    try {
      assert.equal(await sendCartReminders(s.checkout), 1);
      [mail] = await mailTo('mia@example.com'); // the outbox sends what is due by its clock
    } finally {
      offset -= 2 * HOUR;
    }
    assert.equal(mail!.headers.get('subject'), 'Laden: Dein Warenkorb wartet');
    assert.match(mail!.text, /^Du hast etwas in deinem Warenkorb gelassen\n/);
    assert.match(mail!.text, /Keine Erinnerungen mehr:\nhttps?:\/\/\S+\/unsubscribe\//);
  });

  it('follows the language the shopper switched to before paying', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const first = await start(cart.id, 'switch@example.com', 'de-DE');
    const again = await start(cart.id, 'switch@example.com', 'en-GB');
    assert.equal(again.body.checkoutId, first.body.checkoutId, 'the same checkout');
    await pay(s, again.body.clientSecret);
    await webhooksSettled(s);
    const [mail] = await mailTo('switch@example.com');
    assert.match(mail!.headers.get('subject') ?? '', /^Laden: order CO-\d+ confirmed$/);
    assert.match(mail!.text, /\nTotal: US\$15\.12\n/, 'English words, British money format');
  });

  it('writes in the server\'s LOCALE to a shopper whose checkout named no language', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    const started = await start(cart.id, 'api@example.com');
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    const [mail] = await mailTo('api@example.com');
    assert.match(mail!.headers.get('subject') ?? '', /^Laden: order CO-\d+ confirmed$/);
    assert.match(mail!.text, /\nTotal: \$15\.12\n/);
  });

  it('refuses a malformed locale with a 400 and opens no checkout', async () => {
    const cart = await cartWith(s, [['mug-stone', 1]]);
    for (const locale of ['de_DE', 'e', '<script>', 'de-DE-'.repeat(7), 'de-', ' de']) {
      const res = await start(cart.id, 'bad-locale@example.com', locale);
      assert.equal(res.status, 400, locale);
      assert.equal((res.body as unknown as { error: { code: string } }).error.code, 'validation_failed', locale);
    }
    assert.equal(await count(s, "SELECT COUNT(*) FROM checkouts WHERE email = 'bad-locale@example.com'"), 0);
  });
});
