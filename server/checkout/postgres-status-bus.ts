/**
 * The status bus of hosts that share PostgreSQL but no Redis: LISTEN/NOTIFY. A NOTIFY reaches every
 * session of the database LISTENing on its channel, whichever host it runs on, so a stream served
 * by one host hears a webhook handled by another. Same contract as RedisStatusBus: messages carry
 * only the checkout id (subscribers read the state from the database), publishing never throws or
 * rejects, and a stream that may have missed a message while the listener was away re-reads.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { loadDriver, sql, type Db } from '../db/database.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { LocalStatusBus } from './status-bus.ts';

/** PostgreSQL names (channels too) hold at most 63 bytes; pg_notify refuses a longer one. */
const MAX_NAME_BYTES = 63;
/** Reconnection waits double from the first to the longest, so a database restart is not hammered. */
const FIRST_RETRY_MS = 100;
const LONGEST_RETRY_MS = 5_000;
/** How the listener shows in pg_stat_activity (and how the tests find it to cut it). */
export const LISTENER_APPLICATION_NAME = 'checkout status listener';

/**
 * The channel of the shop whose tables the connection sees. Shops sharing one database must keep
 * their tables in schemas of their own (DATABASE_URL's search_path), while NOTIFY channels are
 * database-wide: naming the channel after the schema keeps their status messages apart, and every
 * host of one shop, on the same schema, shares its channel.
 */
export async function postgresStatusChannel(db: Db): Promise<string> {
  const schema = String(await db.value(sql`SELECT current_schema()`));
  const channel = `${schema}.checkout_status`;
  return Buffer.byteLength(channel) <= MAX_NAME_BYTES ? channel : `checkout_status_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

export class PostgresStatusBus extends LocalStatusBus {
  private readonly logger: Logger;
  private readonly stop = new AbortController();
  private listener: pg.Client | undefined;
  private listening = false;
  private readonly running: Promise<void>;
  /** Settles once the first attempt to listen has ended: in place, or failed and retrying in the
   * background (messages published before the LISTEN is in place are not heard). */
  readonly ready: Promise<void>;

  /** `url` is DATABASE_URL: the listener is one connection of its own, outside the pool, because a
   * LISTEN belongs to its session and the pool hands its connections to whoever asks next. */
  constructor(private readonly db: Db, private readonly url: string, private readonly channel: string, o: { logger?: Logger } = {}) {
    super();
    this.logger = o.logger ?? silentLogger;
    let firstAttemptEnded: () => void = () => {};
    this.ready = new Promise<void>((resolve) => { firstAttemptEnded = resolve; });
    this.running = this.keepListening(firstAttemptEnded);
  }

  override publish(checkoutId: string): void {
    // pg_notify takes the channel as a value, so it is a parameter like any other.
    this.db.outsideTransaction(() => this.db.value(sql`SELECT pg_notify(${this.channel}, ${checkoutId})`)).then(() => {
      // Our own listener would have heard it; while it is away, this process's streams are told directly.
      if (!this.listening) super.publish(checkoutId);
    }, (err: unknown) => this.tellDirectly(checkoutId, err, this.logger));
  }

  override async close(): Promise<void> {
    this.stop.abort();
    await super.close();
    await this.listener?.end().catch(() => undefined);
    await this.running;
  }

  /** One listening connection at a time, opened again (with backoff) whenever it drops, until close(). */
  private async keepListening(firstAttemptEnded: () => void): Promise<void> {
    const { Client } = loadDriver<typeof pg>('pg');
    for (let failures = 0, everListened = false; !this.stop.signal.aborted;) {
      const client = new Client({ connectionString: this.url, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
      this.listener = client;
      // A dropped connection emits 'error' (without a listener, that would end the process), then 'end'.
      const dropped = new Promise<unknown>((resolve) => client.once('error', resolve).once('end', () => resolve(undefined)));
      client.on('error', () => undefined);
      client.on('notification', (message) => { if (message.channel === this.channel && message.payload) this.emitter.emit(message.payload); });
      try {
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
        this.listening = true;
        failures = 0;
        if (everListened) {
          this.logger.info('status listener reconnected');
          this.tellEveryStream();
        }
        everListened = true;
        firstAttemptEnded();
        const reason = await dropped;
        this.listening = false;
        if (!this.stop.signal.aborted) this.logger.warn('status listener lost its connection; reconnecting', { error: String(reason) });
      } catch (err) {
        if (!this.stop.signal.aborted) this.logger.warn('status listener could not connect; retrying', { error: err instanceof Error ? err.message : String(err) });
      }
      this.listening = false;
      firstAttemptEnded();
      await client.end().catch(() => undefined);
      failures++;
      await delay(Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LONGEST_RETRY_MS), undefined, { signal: this.stop.signal }).catch(() => undefined);
    }
  }
}
