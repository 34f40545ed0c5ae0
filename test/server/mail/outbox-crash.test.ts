/**
 * A worker process SIGKILLed while it sends, then a new worker once the lease has run out: the
 * dev mailbox ends with exactly one copy whether the kill came before or after the message was
 * written; over SMTP, where nothing can be checked, the second copy carries the same Message-ID.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { silentLogger } from '../../../server/logger.ts';
import { DevMailbox } from '../../../server/mail/dev-mailbox.ts';
import { outboxMessageId } from '../../../server/mail/email.ts';
import { enqueueEmail } from '../../../server/mail/outbox.ts';
import { SmtpTransport } from '../../../server/mail/smtp-transport.ts';
import type { MailTransport } from '../../../server/mail/transport.ts';
import { DEFAULT_LEASE_MS, OutboxWorker } from '../../../server/mail/worker.ts';
import { email, T0, tempDatabase, type TempDatabase } from './helpers.ts';
import { parseMessage } from './mime.ts';
import { sqlRow, sqlRows, sqlValue } from '../../helpers/db.ts';

const FROM = 'Shop <orders@shop.example>';
const childScript = fileURLToPath(new URL('./outbox-crash-child.ts', import.meta.url));

/** Runs the child until it says `signal`, then SIGKILLs it. */
async function killMidSend(databasePath: string, transport: string, moment: 'before' | 'after'): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, databasePath, transport, moment], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let said = '';
  for await (const chunk of child.stdout) {
    said += String(chunk);
    if (said.includes('\n')) break;
  }
  assert.equal(said, moment === 'before' ? 'sending\n' : 'sent\n');
  child.kill('SIGKILL');
  assert.deepEqual(await exited, [null, 'SIGKILL']);
}

/** Counts what goes through a transport, so the test knows whether the new worker sent anything. */
function counting(transport: MailTransport): MailTransport & { sends: number } {
  const counted = {
    description: transport.description, sends: 0,
    send: async (m: Parameters<MailTransport['send']>[0]) => { counted.sends++; await transport.send(m); },
    ...(transport.delivered ? { delivered: (id: string) => transport.delivered!(id) } : {}),
    close: () => transport.close?.() ?? Promise.resolve(),
  };
  return counted;
}

async function queueOne(t: TempDatabase): Promise<string> {
  await enqueueEmail(t.db, 'order:1:confirmation', email('ada@example.com'), T0);
  const id = (await sqlValue(t.db, 'SELECT id FROM outbox')) as number;
  return outboxMessageId({ id, dedupeKey: 'order:1:confirmation', createdAt: T0 }, FROM);
}

const afterLease = () => T0 + DEFAULT_LEASE_MS;
const row = async (t: TempDatabase) => (await sqlRow(t.db, 'SELECT status, attempts FROM outbox'));
const attemptLog = async (t: TempDatabase) => (await sqlRows(t.db, 'SELECT ok, error FROM outbox_attempts'));

describe('an outbox worker killed while sending', () => {
  for (const moment of ['before', 'after'] as const) {
    it(`leaves exactly one email in the dev mailbox when killed ${moment} the message was written`, async () => {
      const t = await tempDatabase();
      try {
        const mailDir = join(t.dir, 'mail');
        const messageId = await queueOne(t);
        await killMidSend(t.target, `mailbox:${mailDir}`, moment);
        assert.deepEqual(await row(t), { status: 'sending', attempts: 1 });

        const mailbox = new DevMailbox(mailDir, () => T0);
        const transport = counting(mailbox);
        const worker = new OutboxWorker({ db: t.db, transport, from: FROM, logger: silentLogger, clock: () => afterLease() - 1 });
        assert.equal(await worker.runOnce(), 0, 'the lease still holds');

        const restarted = new OutboxWorker({ db: t.db, transport, from: FROM, logger: silentLogger, clock: afterLease });
        assert.equal(await restarted.runOnce(), moment === 'before' ? 1 : 0);
        assert.equal(transport.sends, moment === 'before' ? 1 : 0);
        assert.deepEqual(mailbox.list().map((m) => mailbox.read(m.id)!.messageId), [messageId]);
        assert.deepEqual(await row(t), { status: 'sent', attempts: 2 });
        assert.deepEqual(await attemptLog(t), [{ ok: 1, error: null }]);
      } finally {
        await t.close();
      }
    });
  }
});

describe('an outbox worker killed after its SMTP server took the message', () => {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true, secure: false, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
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

  it('sends it again after the lease, with the same Message-ID, so the receiver can tell', async () => {
    const t = await tempDatabase();
    const transport = new SmtpTransport(smtpUrl);
    try {
      const messageId = await queueOne(t);
      await killMidSend(t.target, `smtp:${smtpUrl}`, 'after');
      assert.equal(received.length, 1);

      const restarted = new OutboxWorker({ db: t.db, transport, from: FROM, logger: silentLogger, clock: afterLease });
      assert.equal(await restarted.runOnce(), 1);
      assert.deepEqual(received.map((raw) => parseMessage(raw).headers.get('message-id')), [messageId, messageId]);
      assert.deepEqual(await row(t), { status: 'sent', attempts: 2 });
    } finally {
      await transport.close();
      await t.close();
    }
  });
});
