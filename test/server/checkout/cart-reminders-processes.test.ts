/**
 * Abandoned-cart reminders claimed once across processes: two sweeping processes on one database
 * (a SQLite file, or a PostgreSQL schema) read the same reminders due, then both claim them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cartWith, checkout, startTestServer, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

const childScript = fileURLToPath(new URL('./cart-reminders-child.ts', import.meta.url));
const HOUR = 3_600_000;

/** A sweeping process and the lines it prints, one at a time. */
function sweeper(s: TestServer, name: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify({
    url: s.database.url, path: s.database.path, publicUrl: s.url, mailDir: join(s.dir, `mail-${name}`), offsetMs: 1.1 * HOUR,
  })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, 'exit');
  return {
    child, exited,
    /** The number the process printed after `word`. */
    async next(word: string): Promise<number> {
      const { value } = await lines.next();
      const match = new RegExp(`^${word} (\\d+)$`).exec(String(value));
      if (!match) throw new Error(`${name} printed ${JSON.stringify(value)}, not "${word} <n>"`);
      return Number(match[1]);
    },
  };
}

describe('abandoned-cart reminders across processes', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  it('sends exactly one reminder per abandoned checkout when two processes sweep at once', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `abandoned-${i}@example.com`);
    for (const email of emails) await checkout(s, (await cartWith(s, [['mug-stone', 1]])).id, email);

    const sweepers = [sweeper(s, 'left'), sweeper(s, 'right')];
    // Both hold every checkout as due before either claims one: the claims really race.
    assert.deepEqual(await Promise.all(sweepers.map((p) => p.next('due'))), [emails.length, emails.length]);
    for (const p of sweepers) p.child.stdin.end('claim\n');
    const sent = await Promise.all(sweepers.map((p) => p.next('sent')));
    assert.deepEqual((await Promise.all(sweepers.map((p) => p.exited))).map(([code]) => code), [0, 0]);

    assert.equal(sent[0]! + sent[1]!, emails.length, `sent ${sent.join(' + ')}`);
    const outbox = await sqlRows<{ recipient: string; n: number }>(s.db,
      "SELECT recipient, COUNT(*) AS n FROM outbox WHERE dedupe_key LIKE 'reminder:%' GROUP BY recipient ORDER BY recipient");
    assert.deepEqual(outbox.map((r) => [r.recipient, Number(r.n)]), emails.map((email) => [email, 1]));
    const claimed = await sqlRows<{ email: string; reminders_sent: number }>(s.db, 'SELECT email, reminders_sent FROM checkouts ORDER BY email');
    assert.deepEqual(claimed.map((r) => [r.email, Number(r.reminders_sent)]), emails.map((email) => [email, 1]));
  });
});
