/**
 * "Checkout X changed" notifications for the server-sent event streams. In-process by default;
 * Redis pub/sub when REDIS_URL is set, so a stream served by one process hears a webhook handled
 * by another. Messages carry only the checkout id: subscribers read the state from SQLite.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

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
}

export class RedisStatusBus extends LocalStatusBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** Resolves once the subscription is in place (messages published before it are not heard). */
  readonly ready: Promise<unknown>;

  constructor(redisUrl: string, private readonly channel = 'checkout:status') {
    super();
    this.publisher = new Redis(redisUrl);
    this.subscriber = new Redis(redisUrl);
    this.ready = this.subscriber.subscribe(channel);
    this.subscriber.on('message', (_channel: string, checkoutId: string) => this.emitter.emit(checkoutId));
  }

  override publish(checkoutId: string): void {
    void this.publisher.publish(this.channel, checkoutId);
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
    await this.publisher.quit();
  }
}
