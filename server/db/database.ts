import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';

export type Db = Database.Database;

/**
 * Opens the SQLite file with the settings every connection needs: WAL so readers never wait
 * for the writer, a busy timeout so concurrent writers queue instead of failing, foreign keys on.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

/** Runs `work` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
 * read-then-write transactions can never both read the old state. */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/** Runs work in one write transaction: what services get instead of the database itself. */
export type Transaction = <T>(work: () => T) => T;

export function transactionsOf(db: Db): Transaction {
  return (work) => writeTransaction(db, work);
}

/**
 * A statement cache for a store: each SQL text is prepared once, on first use, and reused (SQLite
 * compiles a statement on every prepare(); a hot path pays for that on every request otherwise).
 */
export function preparedOnce(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}
