/** What the mail tests share: a database in a temp folder, a clock the test moves, and transports that record or fail. */
import { join } from 'node:path';
import type { Order } from '../../../shared/api.ts';
import { openDatabase, type DatabaseOptions, type Db } from '../../../server/db/database.ts';
import type { Logger } from '../../../server/logger.ts';
import type { OutgoingEmail } from '../../../server/mail/email.ts';
import type { MailTransport } from '../../../server/mail/transport.ts';
import { tempDir } from '../../helpers/temp.ts';
import { sqlValue, testDatabaseLocation } from '../../helpers/db.ts';

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface TempDatabase {
  db: Db;
  /** Where it is, as JSON: what a child process opens it from (`openDatabase(JSON.parse(argv[2]))`). */
  target: string;
  options: DatabaseOptions;
  dir: string;
  close: () => Promise<void>;
}

/** A database of the test engine (test/helpers/db.ts) for one test. */
export async function tempDatabase(): Promise<TempDatabase> {
  const dir = tempDir('checkout-mail-');
  const location = await testDatabaseLocation(dir.path);
  const options = { url: location.url, path: location.path, poolSize: 4 };
  const db = await openDatabase(options);
  return { db, target: JSON.stringify(options), options, dir: dir.path, close: async () => { await db.close(); await location.drop(); dir.remove(); } };
}

export function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => { time += ms; } };
}

export type SentEmail = OutgoingEmail & { from: string };

/** Records what it sends; `fail(n)` makes the next n sends throw "smtp down #k". */
export function recordingTransport(): MailTransport & { sent: SentEmail[]; calls: number; fail(n: number): void } {
  let failures = 0;
  const transport = {
    description: 'recording',
    sent: [] as SentEmail[],
    calls: 0,
    fail(n: number) { failures = n; },
    async send(email: SentEmail) {
      transport.calls++;
      await new Promise((resolve) => setImmediate(resolve)); // a real send yields to other work
      if (failures > 0) {
        failures--;
        throw new Error(`smtp down #${transport.calls}`);
      }
      transport.sent.push(email);
    },
  };
  return transport;
}

/** Waits, a bounded number of turns, for a sender's heartbeat to have moved the row's lease to `until`. */
export async function leaseRenewed(db: Db, outboxId: number, until: number): Promise<void> {
  const lease = async () => (await sqlValue(db, 'SELECT next_attempt_at FROM outbox WHERE id = ?', outboxId)) as number;
  for (let turn = 0; turn < 500 && await lease() !== until; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (await lease() !== until) throw new Error(`lease of outbox row ${outboxId} is ${await lease()}, never renewed to ${until}`);
}

export function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => { lines.push({ level, message, fields }); };
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

export function email(to: string, subject = `Hello ${to}`): OutgoingEmail {
  return { to, subject, html: `<p>${subject}</p>`, text: subject };
}

/** An order whose every shopper and catalog string tries to break out of the HTML. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    number: 'A-1042',
    status: 'paid',
    email: 'ada@example.com',
    currency: 'USD',
    items: [
      { productId: 'tee-black', name: 'Tee <img src=x onerror=alert(1)> & "Friends"', unitPrice: 61728, quantity: 2, lineTotal: 123456 },
    ],
    totals: { subtotal: 123456, discount: 12346, tax: 8889, total: 119999 },
    couponCode: 'SAVE10',
    shipping: null,
    createdAt: new Date(T0).toISOString(),
    ...overrides,
  };
}
