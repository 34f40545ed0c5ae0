import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../../../server/db/database.ts';
import { silentLogger } from '../../../server/logger.ts';
import { outboxMessageId } from '../../../server/mail/email.ts';
import { enqueueEmail } from '../../../server/mail/outbox.ts';
import type { MailTransport } from '../../../server/mail/transport.ts';
import { OutboxWorker, defaultBackoff } from '../../../server/mail/worker.ts';
import { email, leaseRenewed, manualClock, recordingLogger, recordingTransport, T0, tempDatabase, type TempDatabase } from './helpers.ts';
import { sqlRow, sqlRows, sqlRun, sqlValue } from '../../helpers/db.ts';

const FROM = 'Shop <orders@shop.example>';
const childScript = fileURLToPath(new URL('./outbox-race-child.ts', import.meta.url));

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

interface Row { dedupe_key: string; recipient: string; status: string; attempts: number; next_attempt_at: number; last_error: string | null; sent_at: number | null }
const rows = async (db: Db) => (await sqlRows(db, 'SELECT dedupe_key, recipient, status, attempts, next_attempt_at, last_error, sent_at FROM outbox ORDER BY id')) as Row[];
/** Waits, a bounded number of turns, until a worker has claimed the one queued email. */
async function claimed(db: Db): Promise<void> {
  for (let turn = 0; turn < 500; turn++) {
    if (await sqlValue<string>(db, 'SELECT status FROM outbox') === 'sending') return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('no worker claimed the email');
}
const attempts = async (db: Db) => (await sqlRows(db, 'SELECT outbox_id, attempted_at, ok, error FROM outbox_attempts ORDER BY outbox_id, attempted_at'));

describe('outbox', () => {
  let t: TempDatabase;
  before(async () => { t = await tempDatabase(); });
  after(() => t.close());
  const reset = async () => { await sqlRun(t.db, 'DELETE FROM outbox_attempts'); await sqlRun(t.db, 'DELETE FROM outbox'); };

  it('queues one email per dedupe key however often the event repeats', async () => {
    await reset();
    assert.equal(await enqueueEmail(t.db, 'order:1:confirmation', email('ada@example.com'), T0), true);
    assert.equal(await enqueueEmail(t.db, 'order:1:confirmation', email('someone-else@example.com'), T0 + 1), false);
    assert.deepEqual(await rows(t.db), [
      { dedupe_key: 'order:1:confirmation', recipient: 'ada@example.com', status: 'pending', attempts: 0, next_attempt_at: T0, last_error: null, sent_at: null },
    ]);
  });

  it('queues nothing when the caller\'s transaction rolls back', async () => {
    await reset();
    await assert.rejects(t.db.tx(async () => {
      await enqueueEmail(t.db, 'order:2:confirmation', email('ada@example.com'), T0);
      throw new Error('order insert failed');
    }), /order insert failed/);
    assert.deepEqual(await rows(t.db), []);
  });
});

describe('outbox worker', () => {
  let t: TempDatabase;
  before(async () => { t = await tempDatabase(); });
  after(() => t.close());
  const reset = async () => { await sqlRun(t.db, 'DELETE FROM outbox_attempts'); await sqlRun(t.db, 'DELETE FROM outbox'); };
  const worker = (transport: MailTransport, clock: () => number, extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) =>
    new OutboxWorker({ db: t.db, transport, from: FROM, clock, logger: silentLogger, ...extra });

  it('sends the rows that are due, from the configured sender, and leaves later ones queued', async () => {
    await reset();
    const clock = manualClock();
    const transport = recordingTransport();
    await enqueueEmail(t.db, 'a', email('a@example.com'), T0);
    await enqueueEmail(t.db, 'b', email('b@example.com'), T0 - 1000);
    await enqueueEmail(t.db, 'later', email('later@example.com'), T0 + 60_000);
    assert.equal(await worker(transport, clock.now).runOnce(), 2);
    const messageId = async (key: string) => {
      const row = (await sqlRow(t.db, 'SELECT id, created_at FROM outbox WHERE dedupe_key = ?', key)) as { id: number; created_at: number };
      return outboxMessageId({ id: row.id, dedupeKey: key, createdAt: row.created_at }, FROM);
    };
    assert.deepEqual(transport.sent, [
      { from: FROM, to: 'b@example.com', subject: 'Hello b@example.com', html: '<p>Hello b@example.com</p>', text: 'Hello b@example.com', messageId: await messageId('b') },
      { from: FROM, to: 'a@example.com', subject: 'Hello a@example.com', html: '<p>Hello a@example.com</p>', text: 'Hello a@example.com', messageId: await messageId('a') },
    ]);
    assert.match(await messageId('a'), /^<outbox\.\d+\.[0-9a-f]{24}@shop\.example>$/);
    assert.notEqual(await messageId('a'), await messageId('b'));
    assert.deepEqual((await rows(t.db)).map((r) => [r.dedupe_key, r.status, r.attempts, r.sent_at]), [
      ['a', 'sent', 1, T0], ['b', 'sent', 1, T0], ['later', 'pending', 0, null],
    ]);
    assert.equal((await attempts(t.db)).length, 2);
  });

  it('retries a failing transport with growing backoff and records every attempt', async () => {
    await reset();
    const clock = manualClock();
    const transport = recordingTransport();
    const w = worker(transport, clock.now);
    await enqueueEmail(t.db, 'retry', email('ada@example.com'), T0);
    const id = (await sqlValue(t.db, 'SELECT id FROM outbox')) as number;
    transport.fail(2);

    assert.equal(await w.runOnce(), 0);
    assert.deepEqual((await rows(t.db))[0], { dedupe_key: 'retry', recipient: 'ada@example.com', status: 'pending', attempts: 1, next_attempt_at: T0 + 5_000, last_error: 'smtp down #1', sent_at: null });

    clock.advance(4_999);
    assert.equal(await w.runOnce(), 0);
    assert.equal(transport.calls, 1, 'not retried before its backoff ends');

    clock.advance(1);
    assert.equal(await w.runOnce(), 0);
    assert.deepEqual((await rows(t.db))[0], { dedupe_key: 'retry', recipient: 'ada@example.com', status: 'pending', attempts: 2, next_attempt_at: T0 + 15_000, last_error: 'smtp down #2', sent_at: null });

    clock.advance(10_000);
    assert.equal(await w.runOnce(), 1);
    assert.deepEqual((await rows(t.db))[0], { dedupe_key: 'retry', recipient: 'ada@example.com', status: 'sent', attempts: 3, next_attempt_at: T0 + 15_000 + 30_000, last_error: null, sent_at: T0 + 15_000 });
    assert.deepEqual(await attempts(t.db), [
      { outbox_id: id, attempted_at: T0, ok: 0, error: 'smtp down #1' },
      { outbox_id: id, attempted_at: T0 + 5_000, ok: 0, error: 'smtp down #2' },
      { outbox_id: id, attempted_at: T0 + 15_000, ok: 1, error: null },
    ]);
    assert.equal(transport.sent.length, 1);
  });

  it('backs off 5 s, doubling, capped at an hour', async () => {
    assert.deepEqual([1, 2, 3, 4, 10, 11, 30].map(defaultBackoff), [5_000, 10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000]);
  });

  it('marks an email failed after maxAttempts and stops trying', async () => {
    await reset();
    const clock = manualClock();
    const transport = recordingTransport();
    const logger = recordingLogger();
    const w = worker(transport, clock.now, { maxAttempts: 3, backoffMs: (n) => n * 1000, logger });
    await enqueueEmail(t.db, 'doomed', email('nobody@example.com'), T0);
    transport.fail(100);
    for (const wait of [0, 1000, 2000, 3000, 3_600_000]) {
      clock.advance(wait);
      await w.drain();
    }
    assert.equal(transport.calls, 3);
    assert.deepEqual((await rows(t.db)).map((r) => [r.status, r.attempts, r.last_error]), [['failed', 3, 'smtp down #3']]);
    assert.deepEqual((await attempts(t.db)).map((a) => (a as { ok: number; attempted_at: number }).attempted_at - T0), [0, 1000, 3000]);
    assert.deepEqual(logger.lines.map((l) => [l.level, l.message, l.fields?.attempt]), [
      ['warn', 'email not sent, will retry', 1], ['warn', 'email not sent, will retry', 2], ['error', 'email not sent, giving up', 3],
    ]);
  });

  it('drains everything due, including rows queued while a run is in flight', async () => {
    await reset();
    const clock = manualClock();
    const transport = recordingTransport();
    const w = worker(transport, clock.now);
    for (let i = 0; i < 5; i++) await enqueueEmail(t.db, `first-${i}`, email(`first-${i}@example.com`), T0);
    const inFlight = w.runOnce();
    for (let i = 0; i < 3; i++) await enqueueEmail(t.db, `second-${i}`, email(`second-${i}@example.com`), T0);
    await w.drain();
    await inFlight;
    assert.deepEqual((await rows(t.db)).map((r) => r.status), Array(8).fill('sent'));
    assert.equal(transport.sent.length, 8);
  });

  it('keeps its claim while a slow send heartbeats, however long past the first lease', async () => {
    await reset();
    const clock = manualClock();
    let finishSend: () => void = () => {};
    const slow = recordingTransport();
    const slowSend = slow.send;
    slow.send = async (m) => { await new Promise<void>((resolve) => { finishSend = resolve; }); await slowSend(m); };
    const other = recordingTransport();
    await enqueueEmail(t.db, 'slow', email('ada@example.com'), T0);
    const id = (await sqlValue(t.db, 'SELECT id FROM outbox')) as number;

    const sending = worker(slow, clock.now, { heartbeatMs: 1 }).runOnce();
    const rival = worker(other, clock.now);
    for (let beat = 1; beat <= 4; beat++) {
      clock.advance(25_000);
      await leaseRenewed(t.db, id, clock.now() + 30_000);
      assert.equal(await rival.runOnce(), 0, `still held after ${beat * 25} s`);
    }
    finishSend();
    assert.equal(await sending, 1);
    assert.deepEqual([slow.sent.length, other.calls], [1, 0]);
    assert.deepEqual((await rows(t.db)).map((r) => [r.status, r.attempts, r.sent_at]), [['sent', 1, T0 + 100_000]]);
  });

  it('takes over an email whose sender stopped answering, and the old sender\'s late failure does not undo it', async () => {
    await reset();
    const clock = manualClock();
    let failHungSend: (err: Error) => void = () => {};
    const hung: MailTransport = { description: 'hung', send: () => new Promise((_resolve, reject) => { failHungSend = reject; }) };
    const healthy = recordingTransport();
    await enqueueEmail(t.db, 'stuck', email('ada@example.com'), T0);
    const id = (await sqlValue(t.db, 'SELECT id FROM outbox')) as number;

    const first = worker(hung, clock.now, { heartbeatMs: 1 }).runOnce();
    await claimed(t.db); // the claim is a transaction: on PostgreSQL it takes a round trip or two
    const second = worker(healthy, clock.now);
    assert.equal(await second.runOnce(), 0, 'a live lease is respected');
    clock.advance(4 * 60_000);
    await leaseRenewed(t.db, id, T0 + 4 * 60_000 + 30_000);
    assert.equal(await second.runOnce(), 0, 'a hung send keeps renewing for a while');
    clock.advance(60_000);
    await leaseRenewed(t.db, id, T0 + 5 * 60_000);
    assert.equal(await second.runOnce(), 1, 'but no longer than five minutes: then it is taken over');

    failHungSend(new Error('connection reset'));
    assert.equal(await first, 0);
    assert.deepEqual((await rows(t.db)).map((r) => [r.status, r.attempts, r.last_error]), [['sent', 2, null]]);
    assert.deepEqual((await attempts(t.db)).map((a) => [(a as { ok: number }).ok, (a as { error: string | null }).error]), [[1, null], [0, 'connection reset']]);
  });

  it('lets stop() wait for the email being sent', async () => {
    await reset();
    let finishSend: () => void = () => {};
    const slow: MailTransport = { description: 'slow', send: () => new Promise<void>((resolve) => { finishSend = resolve; }) };
    await enqueueEmail(t.db, 'slow', email('ada@example.com'), T0);
    const w = worker(slow, manualClock().now);
    const run = w.runOnce();
    await claimed(t.db); // the claim is a transaction: on PostgreSQL it takes a round trip or two
    let stopped = false;
    const stopping = w.stop().then(() => { stopped = true; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    finishSend();
    await stopping;
    assert.equal(await run, 1);
    assert.deepEqual((await rows(t.db)).map((r) => r.status), ['sent']);
  });

  it('polls once started', async () => {
    await reset();
    let delivered: (to: string) => void = () => {};
    const arrived = new Promise<string>((resolve) => { delivered = resolve; });
    const w = worker({ description: 'signal', send: async (m) => delivered(m.to) }, Date.now, { pollMs: 5 });
    const keepAlive = setInterval(() => {}, 1000); // the worker's own timer is unref'd and would let the test exit
    w.start();
    await enqueueEmail(t.db, 'polled', email('polled@example.com'), 0);
    assert.equal(await arrived, 'polled@example.com');
    await w.stop();
    clearInterval(keepAlive);
    assert.deepEqual((await rows(t.db)).map((r) => r.status), ['sent']);
  });
});

describe('outbox workers racing on one database', () => {
  it('send each email exactly once from two workers (two connections on PostgreSQL)', async () => {
    const t = await tempDatabase();
    // SQLite: one connection per process (two in one process would block each other's event loop
    // on the file lock); the test below races three processes on the file.
    const other = t.db.engine === 'postgres' ? await openDatabase(t.options) : t.db;
    try {
      const clock = manualClock();
      const count = 40;
      for (let i = 0; i < count; i++) await enqueueEmail(t.db, `race-${i}`, email(`buyer${i}@example.com`), T0);
      const left = recordingTransport();
      const right = recordingTransport();
      await Promise.all([
        new OutboxWorker({ db: t.db, transport: left, from: FROM, clock: clock.now, logger: silentLogger }).drain(),
        new OutboxWorker({ db: other, transport: right, from: FROM, clock: clock.now, logger: silentLogger }).drain(),
      ]);
      const recipients = [...left.sent, ...right.sent].map((m) => m.to).sort();
      assert.deepEqual(recipients, Array.from({ length: count }, (_, i) => `buyer${i}@example.com`).sort());
      assert.ok(left.sent.length > 0 && right.sent.length > 0, 'both workers took part');
      assert.deepEqual((await rows(t.db)).map((r) => [r.status, r.attempts]), Array(count).fill(['sent', 1]));
      assert.equal((await attempts(t.db)).length, count);
    } finally {
      if (other !== t.db) await other.close();
      await t.close();
    }
  });

  it('send each email exactly once from three processes', async () => {
    const t = await tempDatabase();
    try {
      const count = 90;
      for (let i = 0; i < count; i++) await enqueueEmail(t.db, `process-race-${i}`, email(`buyer${i}@example.com`), 0);
      const children = [1, 2, 3].map(() => spawn(process.execPath, ['--import', 'tsx', childScript, t.target], { stdio: ['pipe', 'pipe', 'inherit'] }));
      const outputs = children.map((child) => text(child.stdout));
      await Promise.all(children.map((child) => new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))));
      for (const child of children) child.stdin.end('go\n');
      await Promise.all(children.map((child) => once(child, 'exit')));
      const perProcess = (await Promise.all(outputs)).map((out) => JSON.parse(out.trim().split('\n').at(-1)!) as string[]);
      assert.deepEqual(perProcess.flat().sort(), Array.from({ length: count }, (_, i) => `buyer${i}@example.com`).sort());
      assert.ok(perProcess.filter((sent) => sent.length > 0).length >= 2, 'the processes really raced');
      assert.deepEqual((await rows(t.db)).map((r) => [r.status, r.attempts]), Array(count).fill(['sent', 1]));
      assert.equal((await attempts(t.db)).length, count);
    } finally {
      await t.close();
    }
  });
});
