/**
 * "Checkout X changed" notifications for the server-sent event streams. In-process by default;
 * Redis pub/sub when REDIS_URL is set, PostgreSQL LISTEN/NOTIFY (./postgres-status-bus.ts) when the
 * database is PostgreSQL and there is no Redis, so a stream served by one process hears a webhook
 * handled by another. Messages carry only the checkout id: subscribers read the state from the database.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../logger.ts';
import { connectRedis } from '../redis-connection.ts';

export interface StatusBus {
  publish(checkoutId: string): void;
  subscribe(checkoutId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

export class LocalStatusBus implements StatusBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0);
  publish(checkoutId: string): void {
    this.emitter.emit(checkoutId);
  }
  subscribe(checkoutId: string, listener: () => void): () => void {
    this.emitter.on(checkoutId, listener);
    return () => this.emitter.off(checkoutId, listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
  /** For a bus between processes: messages sent while its connection was away are lost, so every
   * open stream re-reads its state. */
  protected tellEveryStream(): void {
    for (const checkoutId of this.emitter.eventNames()) this.emitter.emit(checkoutId);
  }
  /** For a bus between processes whose publish failed: the change is already safe in the database,
   * so this process's own streams are told directly and the failure is logged, never thrown. */
  protected tellDirectly(checkoutId: string, err: unknown, logger: Logger): void {
    logger.warn('status publish failed; telling this process\'s streams directly', { checkoutId, error: err instanceof Error ? err.message : String(err) });
    this.emitter.emit(checkoutId);
  }
}

/**
 * Publishing never throws or rejects: a status change is already safe in SQLite, so a failed
 * publish is logged and this process's own streams are told directly. Streams served by other
 * processes catch up when their subscriber reconnects, since every stream then re-reads its state;
 * until then the widget's polling covers them.
 */
export class RedisStatusBus extends LocalStatusBus {
  private readonly publisher: Redis;
  private readonly publisherConnected: Promise<void>;
  private readonly subscriber: Redis;
  private readonly logger: Logger;
  private readonly channel: string;
  /** Resolves once the subscription is in place (messages published before it are not heard). */
  readonly ready: Promise<unknown>;

  constructor(redisUrl: string, o: { channel?: string; logger?: Logger } = {}) {
    super();
    this.logger = o.logger ?? silentLogger;
    this.channel = o.channel ?? 'checkout:status';
    const publisher = connectRedis(redisUrl, { name: 'status publisher', logger: this.logger });
    this.publisher = publisher.redis;
    this.publisherConnected = publisher.firstConnection;
    // The subscriber's one command is its subscription: it waits for Redis instead of failing,
    // and ioredis subscribes again after every reconnect.
    this.subscriber = connectRedis(redisUrl, {
      name: 'status subscriber', logger: this.logger, onReconnect: () => this.tellEveryStream(),
      overrides: { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined },
    }).redis;
    this.ready = this.subscriber.subscribe(this.channel).catch((err: unknown) => this.logger.warn('status subscription failed', { error: String(err) }));
    this.subscriber.on('message', (_channel: string, checkoutId: string) => this.emitter.emit(checkoutId));
  }

  override publish(checkoutId: string): void {
    // Right after start-up the connection may still be opening: wait for it (briefly) rather than
    // fail a publish that would have gone through a moment later.
    this.publisherConnected.then(() => this.publisher.publish(this.channel, checkoutId)).catch((err: unknown) => {
      this.tellDirectly(checkoutId, err, this.logger);
    });
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
    if (this.publisher.status === 'ready') await this.publisher.quit();
    else this.publisher.disconnect();
  }
}
