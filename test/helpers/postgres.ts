/**
 * A whole PostgreSQL database of a test's own (not a schema, as ./db.ts gives each test) on the
 * server at TEST_POSTGRES_URL, created with a unique name and dropped afterwards: for tests of what
 * an operator does with a database (several hosts on it, copying a shop into it).
 */
import pg from 'pg';
import { TEST_POSTGRES_URL } from './db.ts';

export interface TestPostgres {
  /** e.g. postgres://postgres@127.0.0.1:5432/t_multihost_123_ab12, for DATABASE_URL. */
  url: string;
  name: string;
  /** Rows of a query against it, numbers as the driver returns them (BIGINT as text). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Drops it, cutting off any connection a server left open. */
  drop(): Promise<void>;
}

export async function createTestDatabase(purpose: string): Promise<TestPostgres> {
  const name = `t_${purpose}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await onAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(), name,
    query: async <T>(text: string, params: unknown[] = []) => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    drop: () => onAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
