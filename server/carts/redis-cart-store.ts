import type { Redis, Result } from 'ioredis';
import { DomainError } from '../../shared/errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { AUTO_PIPELINING, connectRedis } from '../redis-connection.ts';
import { CART_TTL_SECONDS, nextVersion, type CartStore, type StoredCart } from './cart-store.ts';

/**
 * Write the new cart only if the stored one still has the version we read: compare-and-set in one
 * script, so it is atomic on a shared connection (WATCH would need a connection per writer).
 * Returns 1 written, -1 gone, or the stored cart when its version moved on, so the retry works
 * on it without another round trip to read it.
 */
const compareAndSet = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if cjson.decode(current).version ~= tonumber(ARGV[1]) then return current end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

const MAX_ATTEMPTS = 100;

// The script is defined on the connection at run time (`defineCommand` below); this tells the
// types, as ioredis documents for custom commands.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** 1 written, -1 the cart is gone, or the stored cart (JSON) whose version moved on. */
    cartCompareAndSet(key: string, expectedVersion: number, value: string, ttlSeconds: number): Result<number | string, Context>;
  }
}

export interface RedisCartStoreOptions {
  prefix?: string;
  clock?: () => number;
  logger?: Logger;
}

/** Carts in Redis. Any failure to reach Redis becomes `cart_store_unavailable` (503), here and
 * nowhere else, so every route answers an outage the same way and quickly. */
export class RedisCartStore implements CartStore {
  private readonly redis: Redis;
  private readonly firstConnection: Promise<void>;
  private readonly prefix: string;
  private readonly clock: () => number;
  private readonly logger: Logger;

  constructor(redisUrl: string, o: RedisCartStoreOptions = {}) {
    this.prefix = o.prefix ?? 'checkout:cart:';
    this.clock = o.clock ?? Date.now;
    this.logger = o.logger ?? silentLogger;
    const connection = connectRedis(redisUrl, { name: 'carts', logger: this.logger, overrides: AUTO_PIPELINING });
    this.redis = connection.redis;
    this.firstConnection = connection.firstConnection;
    this.redis.defineCommand('cartCompareAndSet', { numberOfKeys: 1, lua: compareAndSet });
  }

  async create(cart: StoredCart): Promise<void> {
    await this.command('create', () => this.redis.set(this.key(cart.id), JSON.stringify(cart), 'EX', CART_TTL_SECONDS));
  }

  async get(id: string): Promise<StoredCart | null> {
    const raw = await this.command('get', () => this.redis.get(this.key(id)));
    return raw ? (JSON.parse(raw) as StoredCart) : null;
  }

  async update(id: string, change: (cart: StoredCart) => StoredCart | Promise<StoredCart>): Promise<StoredCart | null> {
    let current = await this.get(id);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!current) return null;
      const next = nextVersion(current, await change(structuredClone(current)), new Date(this.clock()));
      const expected = current.version;
      const result = await this.command('update', () => this.redis.cartCompareAndSet(this.key(id), expected, JSON.stringify(next), CART_TTL_SECONDS));
      if (result === 1) return next;
      if (result === -1) return null;
      // Lost the race: the script handed back the cart as it is now. Retry on it at once the first
      // time; after that back off a little, with jitter, so writers racing on one cart spread out.
      current = JSON.parse(String(result)) as StoredCart;
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new Error(`cart ${id}: too much contention, gave up after ${MAX_ATTEMPTS} attempts`);
  }

  async delete(id: string): Promise<void> {
    await this.command('delete', () => this.redis.del(this.key(id)));
  }

  async close(): Promise<void> {
    // quit() needs a live connection; during an outage there is nothing to say goodbye to.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }

  private async command<T>(operation: string, run: () => Promise<T>): Promise<T> {
    await this.firstConnection;
    try {
      return await run();
    } catch (err) {
      this.logger.warn('cart store unavailable', { operation, error: err instanceof Error ? err.message : String(err) });
      throw new DomainError('cart_store_unavailable', 'Carts are unavailable for a moment. Please try again shortly.');
    }
  }

  private key(id: string): string {
    return this.prefix + id;
  }
}
