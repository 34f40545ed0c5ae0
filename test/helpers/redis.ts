import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the Redis-backed tests can run. On CI a missing Redis is a failure, not a skip: this
 * machine kind always runs one, so its absence means the suite would silently prove less.
 */
export async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`Redis is required on CI but ${TEST_REDIS_URL} did not answer: ${String(err)}`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A key prefix no other test run shares, so runs never see each other's carts. */
export const uniquePrefix = (name: string) => `test:${name}:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}:`;
