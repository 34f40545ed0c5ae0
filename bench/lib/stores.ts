/**
 * The cart stores the bench measures, each as the environment a server needs for it. Adding
 * PostgreSQL once the server has it is one more entry here (its URL variable, a probe that it
 * answers, and a clean-up): every row that runs per store picks it up.
 */
import { Redis } from 'ioredis';
import { answersPing } from '../../test/helpers/redis-server.ts';

export interface BenchStore {
  /** Shown in the table: "SQLite", "Redis". */
  label: string;
  key: 'sqlite' | 'redis' | 'postgres';
  /** Environment for the server process on top of the bench's own. */
  env: Record<string, string>;
  /** Whether it can be measured on this machine (a missing Redis skips its rows, loudly). */
  available(): Promise<boolean>;
  /** Removes what the bench left behind (carts in a shared Redis). */
  cleanUp(): Promise<void>;
}

/** Its own logical database, so the bench's ~100k carts never mix with the tests' keys. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

const sqlite: BenchStore = {
  label: 'SQLite', key: 'sqlite', env: {},
  available: async () => true,
  cleanUp: async () => {},
};

const redis: BenchStore = {
  label: 'Redis', key: 'redis', env: { REDIS_URL: BENCH_REDIS_URL },
  available: () => answersPing(BENCH_REDIS_URL),
  // Only the cart keys, in the bench's own database, in bounded batches.
  cleanUp: async () => {
    const client = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    try {
      let cursor = '0';
      for (let i = 0; i < 100_000; i++) {
        const [next, keys] = await client.scan(cursor, 'MATCH', 'checkout:cart:*', 'COUNT', 1000);
        if (keys.length > 0) await client.unlink(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    } finally {
      client.disconnect();
    }
  },
};

// PostgreSQL: { label: 'PostgreSQL', key: 'postgres', env: { DATABASE_URL: ... }, ... } once the
// server can keep carts there.
export const benchStores: BenchStore[] = [sqlite, redis];
