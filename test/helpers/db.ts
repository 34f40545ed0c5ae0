/**
 * The database a test runs on. `TEST_DATABASE=postgres` puts every test server (and every
 * `testDatabase()`) in a PostgreSQL schema of its own on TEST_POSTGRES_URL (default: the local
 * server's `test` database), created for the test and dropped after it; otherwise a SQLite file in
 * the test's temp folder. `npm test` runs every suite that touches the database once per engine
 * (scripts/test-files.mjs).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db } from '../../server/db/database.ts';

export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabaseLocation {
  /** DATABASE_URL for a server on it; undefined on SQLite. */
  url: string | undefined;
  /** DATABASE_PATH (SQLite's file; the Stripe emulator keeps its state next to it on either engine). */
  path: string;
  /** Drops the PostgreSQL schema (nothing to do for SQLite: the temp folder goes). */
  drop(): Promise<void>;
}

/** Where one test's database lives: a fresh schema on PostgreSQL, `dir/checkout.db` on SQLite. */
export async function testDatabaseLocation(dir: string, engine = TEST_ENGINE): Promise<TestDatabaseLocation> {
  const path = join(dir, 'checkout.db');
  if (engine === 'sqlite') return { url: undefined, path, drop: async () => undefined };
  const schema = `t_${randomBytes(8).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), path, drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** A server process's database (`server/main.ts`, `npm start`), seen from the test outside it. */
export interface ProcessDatabase {
  location: TestDatabaseLocation;
  /** Puts the process on it: DATABASE_URL on PostgreSQL, emptied on SQLite so one set around the test run can't leak in. */
  env: { DATABASE_PATH: string; DATABASE_URL: string };
  /** The test's own connection to it, opened on first use: once the process has started (and migrated it). */
  reader(): Promise<Db>;
  /** Closes the reader and drops the schema: once the process has stopped. */
  remove(): Promise<void>;
}

export async function processDatabase(dir: string, engine = TEST_ENGINE): Promise<ProcessDatabase> {
  const location = await testDatabaseLocation(dir, engine);
  let opened: Promise<Db> | undefined;
  return {
    location,
    env: { DATABASE_PATH: location.path, DATABASE_URL: location.url ?? '' },
    reader: () => (opened ??= openDatabase({ ...location, poolSize: 1 })),
    remove: async () => {
      await (await opened)?.close();
      await location.drop();
    },
  };
}

/** A migrated database of the test engine, and how to close and remove it. */
export async function testDatabase(dir: string, engine = TEST_ENGINE): Promise<{ db: Db; location: TestDatabaseLocation; close(): Promise<void> }> {
  const location = await testDatabaseLocation(dir, engine);
  const db = await openDatabase({ url: location.url, path: location.path, poolSize: 4 });
  return { db, location, close: async () => { await db.close(); await location.drop(); } };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

// ---- statements a test holds as text (`?` placeholders), on either engine
export async function sqlRows<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await db.query<T>(text, ...params)).rows;
}

export async function sqlRow<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await db.query<T>(text, ...params)).rows[0];
}

/** The first column of the first row. */
export async function sqlValue<T = number>(db: Db, text: string, ...params: unknown[]): Promise<T> {
  const row = (await db.query(text, ...params)).rows[0];
  return (row === undefined ? undefined : Object.values(row)[0]) as T;
}

/** Runs a write; how many rows it changed. */
export async function sqlRun(db: Db, text: string, ...params: unknown[]): Promise<number> {
  return (await db.query(text, ...params)).changes;
}

/** The first column of every row. */
export async function sqlColumn<T = string>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await db.query(text, ...params)).rows.map((row) => Object.values(row as Record<string, unknown>)[0] as T);
}

/** Makes every INSERT into `table` fail, as a database fault would, until the returned function
 * is called: a real failure for tests of what a failed write leaves behind. */
export async function failInserts(db: Db, table: string): Promise<() => Promise<void>> {
  const trigger = `fail_${table}_inserts`;
  await sqlRun(db, db.engine === 'postgres'
    ? `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'disk on fire'; END$$; CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`
    : `CREATE TRIGGER ${trigger} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
  return async () => {
    await sqlRun(db, db.engine === 'postgres' ? `DROP TRIGGER ${trigger} ON ${table}; DROP FUNCTION ${trigger}()` : `DROP TRIGGER ${trigger}`);
  };
}
