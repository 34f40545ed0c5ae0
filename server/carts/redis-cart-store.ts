import { Redis } from 'ioredis';
import { CART_TTL_SECONDS, nextVersion, type CartStore, type StoredCart } from './cart-store.ts';

/**
 * Write the new cart only if the stored one still has the version we read: compare-and-set in one
 * script, so it is atomic on a shared connection (WATCH would need a connection per writer).
 * Returns 1 written, 0 version moved on (retry), -1 gone.
 */
const compareAndSet = `
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
if cjson.decode(current).version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

const MAX_ATTEMPTS = 100;

export class RedisCartStore implements CartStore {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(redisUrl: string, private readonly prefix = 'checkout:cart:', private readonly clock: () => number = Date.now) {
    this.redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.redis.defineCommand('cartCompareAndSet', { numberOfKeys: 1, lua: compareAndSet });
  }

  async create(cart: StoredCart): Promise<void> {
    await this.redis.set(this.key(cart.id), JSON.stringify(cart), 'EX', CART_TTL_SECONDS);
  }

  async get(id: string): Promise<StoredCart | null> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as StoredCart) : null;
  }

  async update(id: string, change: (cart: StoredCart) => StoredCart): Promise<StoredCart | null> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) return null;
      const next = nextVersion(current, change(structuredClone(current)), new Date(this.clock()));
      const result = await (this.redis as unknown as CasCommand).cartCompareAndSet(this.key(id), current.version, JSON.stringify(next), CART_TTL_SECONDS);
      if (result === 1) return next;
      if (result === -1) return null;
      // Lost the race: back off a little, with jitter, so racing writers spread out.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new Error(`cart ${id}: too much contention, gave up after ${MAX_ATTEMPTS} attempts`);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  private key(id: string): string {
    return this.prefix + id;
  }
}

interface CasCommand {
  cartCompareAndSet(key: string, version: number, value: string, ttl: number): Promise<number>;
}
