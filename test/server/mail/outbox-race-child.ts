/**
 * One outbox worker in its own process, for the race test: opens the database named in argv,
 * says "ready", waits for "go" on stdin so every process starts together, drains the outbox,
 * and prints the recipients it sent to as JSON.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../../server/db/database.ts';
import { silentLogger } from '../../../server/logger.ts';
import { OutboxWorker } from '../../../server/mail/worker.ts';

const db = await openDatabase(JSON.parse(process.argv[2]!));
const sent: string[] = [];
const worker = new OutboxWorker({
  db, from: 'race@example.com', logger: silentLogger,
  transport: { description: 'race', send: async (m) => { await sleep(2); sent.push(m.to); } },
});
process.stdout.write('ready\n');
await once(process.stdin, 'data');
await worker.drain();
await db.close();
process.stdout.write(`${JSON.stringify(sent)}\n`);
process.exit(0);
