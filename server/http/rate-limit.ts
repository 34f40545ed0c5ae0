/**
 * Rate limits on rate-limiter-flexible: a budget of `points` per `duration` seconds for each key
 * (a client IP, a cart). Counters live in Redis when the server has one, else in the database
 * (./database-limiter.ts), so every process spends the same budget either way; in this process's
 * memory only where no store is given (tests, one-off tools). When Redis fails, each process goes
 * on counting in memory (the library's insurance limiter) and says so in the log: an outage
 * loosens the limits a little, it never turns a shopper's request into a 500.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError } from '../../shared/errors.ts';
import { rateLimitMessage } from '../../shared/messages.ts';
import type { Logger } from '../logger.ts';
import { errorResponse } from './errors.ts';

/** At most `points` uses per `duration` seconds, per key. */
export interface Budget {
  points: number;
  duration: number;
}

/** What `take()` needs of a limiter: rate-limiter-flexible's `consume`, which resolves while the
 * key has points left and rejects with a RateLimiterRes once it has none. */
export type Limiter = Pick<RateLimiterAbstract, 'consume'>;

/** Where counters live. `limiter(name, budget)` is also what a non-HTTP limit (emails per address
 * per day, say) builds on, with `take()` below. Names keep budgets apart in a shared store. */
export interface LimiterStore {
  limiter(name: string, budget: Budget): Limiter;
}

export function memoryStore(): LimiterStore {
  return { limiter: (name, budget) => new RateLimiterMemory({ keyPrefix: name, ...budget }) };
}

/**
 * Counters in Redis under `prefix:name:key`. `redis` should fail fast (no offline queue, a short
 * command timeout) so a stuck Redis hands over to the in-memory insurance at once.
 */
export function redisStore(redis: Redis, logger: Logger, prefix = 'checkout:rate'): LimiterStore {
  let announced = false;
  redis.on('ready', () => { announced = false; });
  const fallingBack = () => {
    if (announced) return;
    announced = true;
    logger.warn('rate limits: Redis unavailable, counting in this process until it is back');
  };
  return {
    limiter: (name, budget) => new RateLimiterRedis({
      storeClient: redis, keyPrefix: `${prefix}:${name}`, ...budget, rejectIfRedisNotReady: true,
      insuranceLimiter: new InsuranceLimiter({ keyPrefix: `${prefix}:${name}`, ...budget }, fallingBack),
    }),
  };
}

/** The in-memory stand-in the Redis limiter calls only when Redis failed: tells `onUse`. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(opts: ConstructorParameters<typeof RateLimiterMemory>[0], private readonly onUse: () => void) {
    super(opts);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(...args);
  }
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Spends one point of `key`'s budget. Anything but a refusal (a store error even the insurance
 * could not cover) lets the request through: limits protect the shop, they must not take it down. */
export async function take(limiter: Limiter, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}

export function rateLimitedError(retryAfterSeconds: number): DomainError {
  return new DomainError('rate_limited', rateLimitMessage(retryAfterSeconds), { retryAfterSeconds });
}

export interface RateLimitOptions {
  /** Names the budget (and its Redis keys). */
  name: string;
  budget: Budget;
  /** Whose budget a request spends; undefined lets the request through uncounted. */
  key: (c: Context) => string | undefined;
  store?: LimiterStore;
}

/** A middleware that answers 429 `rate_limited` with `Retry-After` (whole seconds) once a key's
 * budget is spent. */
export function rateLimit({ name, budget, key, store = memoryStore() }: RateLimitOptions): MiddlewareHandler {
  const limiter = store.limiter(name, budget);
  return async (c, next) => {
    const who = key(c);
    const verdict = who === undefined ? { allowed: true as const } : await take(limiter, who);
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return errorResponse(c, rateLimitedError(verdict.retryAfterSeconds));
    }
    await next();
  };
}
