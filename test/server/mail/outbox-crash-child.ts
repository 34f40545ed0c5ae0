/**
 * An outbox worker in its own process, for the crash test to SIGKILL mid-send. argv: the database,
 * the transport (`mailbox:<dir>` or `smtp:<url>`), and the moment to stop at: `before` (says
 * "sending" and waits, before the transport has the message) or `after` (the transport took the
 * message, then says "sent" and waits, so the worker never records it). The clock stands still at
 * T0, so the row's lease ends at T0 plus the lease however long the test takes.
 */
import { openDatabase } from '../../../server/db/database.ts';
import { silentLogger } from '../../../server/logger.ts';
import { DevMailbox } from '../../../server/mail/dev-mailbox.ts';
import { SmtpTransport } from '../../../server/mail/smtp-transport.ts';
import type { MailTransport } from '../../../server/mail/transport.ts';
import { OutboxWorker } from '../../../server/mail/worker.ts';
import { T0 } from './helpers.ts';

const [databasePath, transportArg, moment] = process.argv.slice(2) as [string, string, 'before' | 'after'];
const real: MailTransport = transportArg.startsWith('smtp:') ? new SmtpTransport(transportArg.slice('smtp:'.length)) : new DevMailbox(transportArg.slice('mailbox:'.length));
const forever = () => new Promise<never>(() => { setInterval(() => {}, 60_000); });

const transport: MailTransport = {
  description: 'killed mid-send',
  send: async (email) => {
    if (moment === 'before') {
      process.stdout.write('sending\n');
      return forever();
    }
    await real.send(email);
    process.stdout.write('sent\n');
    return forever();
  },
};
await new OutboxWorker({ db: await openDatabase(JSON.parse(databasePath)), transport, from: 'Shop <orders@shop.example>', logger: silentLogger, clock: () => T0 }).runOnce();
