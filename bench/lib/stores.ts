/**
 * The cart stores the bench measures, each as the environment a server needs for it. Adding
 * PostgreSQL once the server has it is one more entry here (its URL variable, a probe that it
 * answers, and a clean-up): every row that runs per store picks it up.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '../../test/helpers/db.ts';
import { answersPing } from '../../test/helpers/redis-server.ts';

export interface BenchStore {
  /** Shown in the table: "SQLite", "Redis". */
  label: string;
  key: 'sqlite' | 'redis' | 'postgres';
  /** Environment for the server process on top of the bench's own. */
  env: Record<string, string>;
  /** Whether it can be measured on this machine (a missing Redis skips its rows, loudly). */
  available(): Promise<boolean>;
  /** Removes what the bench left behind (carts in a shared Redis, a PostgreSQL database). */
  cleanUp(): Promise<void>;
  /** How many orders the server (its data folder `dir`) has recorded. */
  orders(dir: string): Promise<number>;
}

/** Orders in the SQLite file of the server's data folder. */
async function sqliteOrders(dir: string): Promise<number> {
  const db = new Database(join(dir, 'checkout.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM orders').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Its own logical database, so the bench's ~100k carts never mix with the tests' keys. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

const sqlite: BenchStore = {
  label: 'SQLite', key: 'sqlite', env: {},
  available: async () => true,
  cleanUp: async () => {},
  orders: sqliteOrders,
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
  orders: sqliteOrders,
};

/** On PostgreSQL (DATABASE_URL): carts, catalog, checkouts and orders all there, in a database of
 * this bench process's own, made when the store is first asked for and dropped at clean-up. */
const postgresDatabase = `checkout_bench_${process.pid}`;
const postgresAdmin = process.env.BENCH_POSTGRES_URL ?? TEST_POSTGRES_URL;
const onPostgres = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};
const postgresUrl = (() => {
  const url = new URL(postgresAdmin);
  url.pathname = `/${postgresDatabase}`;
  return url.toString();
})();

const postgres: BenchStore = {
  label: 'PostgreSQL', key: 'postgres', env: { DATABASE_URL: postgresUrl },
  available: async () => {
    try {
      await onPostgres(postgresAdmin, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${postgresDatabase}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${postgresDatabase}"`);
      });
      return true;
    } catch {
      return false;
    }
  },
  cleanUp: () => onPostgres(postgresAdmin, (c) => c.query(`DROP DATABASE IF EXISTS "${postgresDatabase}" WITH (FORCE)`)).then(() => {}),
  orders: () => onPostgres(postgresUrl, async (c) => Number((await c.query('SELECT COUNT(*) AS n FROM orders')).rows[0].n)),
};

export const benchStores: BenchStore[] = [sqlite, redis, postgres];
