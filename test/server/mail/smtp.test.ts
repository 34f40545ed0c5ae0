import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { silentLogger } from '../../../server/logger.ts';
import { DevMailbox } from '../../../server/mail/dev-mailbox.ts';
import { enqueueEmail } from '../../../server/mail/outbox.ts';
import { orderConfirmationEmail } from '../../../server/mail/templates.ts';
import { createTransport } from '../../../server/mail/transport.ts';
import { OutboxWorker } from '../../../server/mail/worker.ts';
import { parseMessage } from './mime.ts';
import { manualClock, sampleOrder, T0, tempDatabase } from './helpers.ts';
import { sqlRow, sqlRows } from '../../helpers/db.ts';

interface Received { from: string; to: string[]; raw: string }

describe('sending through a real SMTP server', () => {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true, secure: false, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, callback) {
      callback(address.address === 'bounce@example.com' ? Object.assign(new Error('No such mailbox'), { responseCode: 550 }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  let smtpUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(resolve)));

  it('delivers an order confirmation with the right totals in both parts', async () => {
    const t = await tempDatabase();
    const transport = createTransport({ smtpUrl, mailDir: t.dir });
    try {
      assert.equal(transport.description, `SMTP ${smtpUrl}`);
      const mail = orderConfirmationEmail({ order: sampleOrder(), shopName: 'Demo Shop', locale: 'en-US', shopUrl: 'https://shop.example' });
      await enqueueEmail(t.db, 'order:ord_1:confirmation', mail, T0);
      const worker = new OutboxWorker({ db: t.db, transport, from: 'Demo Shop <orders@shop.example>', clock: manualClock().now, logger: silentLogger });
      await worker.drain();

      assert.equal(received.length, 1);
      const [message] = received;
      assert.equal(message!.from, 'orders@shop.example');
      assert.deepEqual(message!.to, ['ada@example.com']);
      const parsed = parseMessage(message!.raw);
      assert.equal(parsed.headers.get('subject'), 'Demo Shop: order A-1042 confirmed');
      assert.equal(parsed.headers.get('to'), 'ada@example.com');
      assert.equal(parsed.headers.get('from'), 'Demo Shop <orders@shop.example>');
      assert.equal(parsed.text.trimEnd(), mail.text.trimEnd());
      assert.ok(parsed.text.includes('\nTotal: $1,199.99\n'));
      assert.equal(parsed.html.trimEnd(), mail.html.trimEnd());
      assert.ok(parsed.html.includes('>$1,199.99</td></tr></table>'));
      assert.deepEqual((await sqlRows(t.db, 'SELECT status, attempts FROM outbox')), [{ status: 'sent', attempts: 1 }]);
    } finally {
      await transport.close?.();
      await t.close();
    }
  });

  it('records the server\'s refusal and schedules a retry', async () => {
    const t = await tempDatabase();
    const transport = createTransport({ smtpUrl, mailDir: t.dir });
    try {
      await enqueueEmail(t.db, 'bounce', { to: 'bounce@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' }, T0);
      const worker = new OutboxWorker({ db: t.db, transport, from: 'orders@shop.example', clock: manualClock().now, logger: silentLogger });
      assert.equal(await worker.runOnce(), 0);
      const row = (await sqlRow(t.db, 'SELECT status, attempts, next_attempt_at, last_error FROM outbox')) as { status: string; attempts: number; next_attempt_at: number; last_error: string };
      assert.deepEqual([row.status, row.attempts, row.next_attempt_at], ['pending', 1, T0 + 5_000]);
      assert.match(row.last_error, /550 No such mailbox/);
    } finally {
      await transport.close?.();
      await t.close();
    }
  });

  it('keeps credentials out of the transport description', async () => {
    const transport = createTransport({ smtpUrl: 'smtps://mailer:s3cret-pass@smtp.example.com:465', mailDir: 'unused' });
    assert.equal(transport.description, 'SMTP smtps://smtp.example.com:465');
    assert.equal(transport instanceof DevMailbox, false);
    await transport.close?.();
  });
});
