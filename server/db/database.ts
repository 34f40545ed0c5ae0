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
