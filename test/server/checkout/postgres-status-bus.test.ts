/**
 * Hosts sharing PostgreSQL and no Redis: a status change handled on one reaches the status streams
 * served by another over LISTEN/NOTIFY, the listener comes back after its connection is cut, and
 * publishing never throws.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PostgresStatusBus, postgresStatusChannel, LISTENER_APPLICATION_NAME } from '../../../server/checkout/postgres-status-bus.ts';
import { openDatabase, type Db } from '../../../server/db/database.ts';
import type { Logger } from '../../../server/logger.ts';
import { sqlColumn, sqlValue, testDatabase, TEST_ENGINE } from '../../helpers/db.ts';
import { openStatusStream } from '../../helpers/sse.ts';
import { cartWith, checkout, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { startTcpRelay, type TcpRelay } from '../../helpers/tcp-relay.ts';
import { tempDir } from '../../helpers/temp.ts';

const skip = TEST_ENGINE !== 'postgres' && 'LISTEN/NOTIFY is PostgreSQL\'s: run with TEST_DATABASE=postgres (SQLite keeps the in-process bus)';

/** A logger whose messages a test can wait for. */
function watchedLogger() {
  const messages: string[] = [];
  const waiting: { message: string; resolve: () => void }[] = [];
  const log = (message: string) => {
    messages.push(message);
    for (const w of waiting.filter((w) => w.message === message)) w.resolve();
  };
  const logger: Logger = { info: log, warn: log, error: log };
  return {
    logger, messages,
    /** Resolves once `message` is logged (again, if it was already). */
    next: (message: string) => new Promise<void>((resolve) => { waiting.push({ message, resolve }); }),
  };
}

/** Records what a bus's subscribers hear; `count(n)` resolves once n have been heard in all. */
function recorder(bus: PostgresStatusBus, checkoutIds: string[]) {
  const heard: string[] = [];
  let wake = () => {};
  for (const id of checkoutIds) bus.subscribe(id, () => { heard.push(id); wake(); });
  return {
    heard,
    count: async (n: number) => {
      while (heard.length < n) await new Promise<void>((resolve) => { wake = resolve; });
      return [...heard];
    },
  };
}

describe('PostgreSQL status bus: two hosts on one database, no Redis', { skip }, () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startTestServer();
    b = await startTestServer({ sharesDatabaseWith: a });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('says so in the start-up banner', () => {
    assert.ok(b.checkout.bus instanceof PostgresStatusBus);
    assert.equal(b.describe()['status fan-out'], 'PostgreSQL LISTEN/NOTIFY (no REDIS_URL)');
  });

  it('tells a status stream on host B of a payment whose webhook host A handled', async () => {
    const cart = await cartWith(a, [['tee-black', 1]]);
    const started = await checkout(a, cart.id);
    const stream = await openStatusStream(`${b.url}/api/checkouts/${started.body.checkoutId}/events`);
    try {
      // B has sent what it read when the stream opened; from here on only a message can tell it more.
      assert.equal((await stream.next())?.status, 'pending');
      assert.equal(((await pay(a, started.body.clientSecret)) as { status: string }).status, 'succeeded');
      await webhooksSettled(a);
      const paid = await stream.next();
      assert.equal(paid?.status, 'paid');
      assert.match(paid!.order!.number, /^CO-\d+$/);
      assert.equal(await stream.next(), null, 'the stream ends once the checkout is paid');
    } finally {
      await stream.close();
    }
  });
});

describe('PostgreSQL status bus when its connections fail', { skip }, () => {
  const dir = tempDir();
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let channel = '';
  let relay: TcpRelay;
  /** The database through the relay, for the listener the test cuts off. */
  let relayedUrl = '';
  /** Another host's publish: a NOTIFY on the shop's channel. */
  const notifyFromAnotherHost = (checkoutId: string) => sqlValue(database.db, 'SELECT pg_notify(?, ?)', channel, checkoutId);

  before(async () => {
    database = await testDatabase(dir.path);
    channel = await postgresStatusChannel(database.db);
    const direct = new URL(database.location.url!);
    relay = await startTcpRelay({ host: direct.hostname, port: Number(direct.port || 5432) });
    relayedUrl = Object.assign(new URL(direct), { port: String(relay.port) }).toString();
  });
  after(async () => {
    await relay.close();
    await database.close();
    dir.remove();
  });

  it('names its channel after the shop\'s schema, so shops on one database never hear each other', async () => {
    assert.equal(channel, `${await sqlValue<string>(database.db, 'SELECT current_schema()')}.checkout_status`);
  });

  it('comes back after its listening connection is killed: its own streams are told meanwhile, the others re-read once it is back', async () => {
    const log = watchedLogger();
    const bus = new PostgresStatusBus(database.db, relayedUrl, channel, { logger: log.logger });
    try {
      await bus.ready;
      const streams = recorder(bus, ['chk_own', 'chk_missed', 'chk_later']);
      await notifyFromAnotherHost('chk_later');
      assert.deepEqual(await streams.count(1), ['chk_later']);

      // The database ends the listener's session, and no new connection gets through for now.
      await relay.refuse();
      const lost = log.next('status listener lost its connection; reconnecting');
      const killed = await sqlColumn<boolean>(database.db, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND query = ?', LISTENER_APPLICATION_NAME, `LISTEN "${channel}"`);
      assert.deepEqual(killed, [true], 'one listener, killed');
      await lost;

      assert.doesNotThrow(() => bus.publish('chk_own'));
      assert.deepEqual(await streams.count(2), ['chk_later', 'chk_own'], 'its own stream is told directly while nothing listens');
      await notifyFromAnotherHost('chk_missed');

      const back = log.next('status listener reconnected');
      await relay.restore();
      await back;
      assert.deepEqual(await streams.count(5), ['chk_later', 'chk_own', 'chk_own', 'chk_missed', 'chk_later'], 'every open stream re-reads once the listener is back');

      await notifyFromAnotherHost('chk_later');
      assert.deepEqual(await streams.count(6), ['chk_later', 'chk_own', 'chk_own', 'chk_missed', 'chk_later', 'chk_later'], 'later publishes are heard again');
      assert.equal(log.messages.filter((m) => m === 'status listener reconnected').length, 1);
    } finally {
      await bus.close();
    }
  });

  it('tells its own streams directly and logs, never throws, when the database refuses the publish', async () => {
    const log = watchedLogger();
    const closed: Db = await openDatabase({ url: database.location.url, path: database.location.path, poolSize: 1 });
    const bus = new PostgresStatusBus(closed, database.location.url!, channel, { logger: log.logger });
    try {
      await bus.ready;
      await closed.close();
      const streams = recorder(bus, ['chk_unpublished']);
      const warned = log.next('status publish failed; telling this process\'s streams directly');
      assert.doesNotThrow(() => bus.publish('chk_unpublished'));
      await warned;
      assert.deepEqual(await streams.count(1), ['chk_unpublished']);
    } finally {
      await bus.close();
    }
  });

  it('leaves nothing open once closed: a process that closes its buses exits by itself', { timeout: 120_000 }, async () => {
    // One bus listening, one whose database refuses every connection (retrying): both must let go.
    const script = `
      const { openDatabase } = await import(process.env.DATABASE_MODULE);
      const { PostgresStatusBus } = await import(process.env.BUS_MODULE);
      const db = await openDatabase({ url: process.env.URL, path: '', poolSize: 1 });
      const listening = new PostgresStatusBus(db, process.env.URL, process.env.CHANNEL);
      const refused = new PostgresStatusBus(db, process.env.REFUSED_URL, process.env.CHANNEL);
      await Promise.all([listening.ready, refused.ready]);
      const heard = new Promise((resolve) => listening.subscribe('chk_exit', resolve));
      listening.publish('chk_exit');
      await heard;
      await Promise.all([listening.close(), refused.close()]);
      await db.close();
      console.log('closed');
    `;
    await relay.refuse();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, URL: database.location.url!, REFUSED_URL: relayedUrl, CHANNEL: channel,
          DATABASE_MODULE: new URL('../../../server/db/database.ts', import.meta.url).href, BUS_MODULE: new URL('../../../server/checkout/postgres-status-bus.ts', import.meta.url).href }, stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.equal(output.trim(), 'closed');
    } finally {
      await relay.restore();
    }
  });
});
