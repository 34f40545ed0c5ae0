import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cartWith, checkout, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { parseMessage } from '../mail/mime.ts';
import { sqlValue } from '../../helpers/db.ts';
import { startSmtpRecorder, type SmtpRecorder } from '../mail/smtp-recorder.ts';

describe('the confirmation email over real SMTP', () => {
  let smtp: SmtpRecorder;
  let s: TestServer;
  before(async () => {
    smtp = await startSmtpRecorder();
    s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Shop <orders@shop.example>' } });
  });
  after(async () => {
    await s.stop();
    await smtp.close();
  });

  it('arrives after a paid checkout, with the order number and the right totals in both parts', async () => {
    const cart = await cartWith(s, [['hoodie-grey', 1], ['mug-stone', 2]], 'TENOFF');
    const started = await checkout(s, cart.id, 'smtp-buyer@example.com');
    // 6000 + 2800 = 8800; 1000 off; tax 8 % of 7800 = 624; total 8424.
    assert.equal(started.body.amount, 8424);
    await pay(s, started.body.clientSecret);
    await webhooksSettled(s);
    await s.outbox.drain();

    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.received[0]!.to, ['smtp-buyer@example.com']);
    const message = parseMessage(smtp.received[0]!.raw);
    const number = /CO-\d+/.exec(message.headers.get('subject') ?? '')?.[0];
    assert.ok(number, 'the subject names the order');
    for (const part of [message.text, message.html]) {
      assert.ok(part.includes('$84.24'), 'total');
      assert.ok(part.includes('$88.00'), 'subtotal');
      assert.ok(part.includes('-$10.00'), 'discount');
      assert.ok(part.includes('$6.24'), 'tax');
      assert.ok(part.includes('Everyday Hoodie'), 'items');
    }
    assert.equal((await sqlValue(s.db, "SELECT status FROM outbox WHERE recipient = 'smtp-buyer@example.com'")), 'sent');
  });
});
