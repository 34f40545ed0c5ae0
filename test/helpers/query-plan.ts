/** SQLite's plan for a statement a store method runs: checks that a hot query uses its index, not a timing. */
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { sqlRows } from './db.ts';

/** Runs `call` on a fresh in-memory database, catches the SQL matching `about` it ran, and explains it. */
export async function planOf(call: (db: Db) => Promise<unknown>, about: RegExp): Promise<string> {
  const seen: string[] = [];
  const db = await openDatabase({ path: ':memory:', onQuery: (sql) => seen.push(sql) });
  try {
    await call(db);
    const sql = seen.find((s) => about.test(s));
    assert.ok(sql, `no statement matching ${about}`);
    const params = (sql.match(/\?/g) ?? []).map(() => null);
    return (await sqlRows<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${sql}`, ...params)).map((r) => r.detail).join('; ');
  } finally {
    await db.close();
  }
}
