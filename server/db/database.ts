/**
 * The one door to the durable database, SQLite (a file, zero setup) or PostgreSQL (DATABASE_URL,
 * shared by several hosts). Queries go through Kysely, which speaks both: stores write SQL with its
 * `sql` tag (values always become parameters) and run it here. A store call made inside `tx` runs
 * on that transaction's connection without being handed it: the transaction travels with the
 * async call chain (AsyncLocalStorage), so the service code reads the same on both engines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { DomainError } from '../../shared/errors.ts';
import { migrate } from './migrate.ts';

export { sql };
export type Engine = 'sqlite' | 'postgres';
/** Sorts after every character a text holds (both engines compare text byte by byte):
 * `key >= prefix AND key < prefix + LAST_CHARACTER` is a prefix range an index can serve. */
export const LAST_CHARACTER = '\u{10FFFF}';
export type Query = RawBuilder<unknown>;
// The tables are not described to Kysely: stores own their SQL text and their row types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Executor = Kysely<any>;

export interface DatabaseOptions {
  /** `postgres://…` or `postgresql://…`: PostgreSQL. Unset: the SQLite file at `path`. */
  url?: string;
  path: string;
  /** Connections per process on PostgreSQL. */
  poolSize?: number;
  /** The migrations to apply (tests of the migrations themselves); default: server/db/migrations. */
  migrations?: string;
  /** Sees the SQL text of every statement run (tests that check a query's plan). */
  onQuery?: (sql: string) => void;
}

/** Errors a transaction may meet only because another ran at the same time (deadlock, serialization):
 * its work touched nothing outside the database, so it is run again. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs its work in one write transaction: what services get instead of the database itself. */
export type Transaction = <T>(work: () => Promise<T>) => Promise<T>;

export class Db {
  /** The connection this async call chain is on, and whether a transaction is open on it. */
  private readonly current = new AsyncLocalStorage<{ executor: Executor; transaction: boolean }>();

  constructor(
    readonly engine: Engine,
    private readonly root: Executor,
    /** Runs a script of several statements (migrations). */
    private readonly script: (executor: Executor, text: string) => Promise<void>,
    /** Where the data is, for the start-up banner (no password). */
    readonly description: string,
  ) {}

  /** The connection to use: the caller's transaction, when there is one. */
  private get executor(): Executor {
    return this.current.getStore()?.executor ?? this.root;
  }

  get inTransaction(): boolean {
    return this.current.getStore()?.transaction === true;
  }

  async all<T>(query: Query): Promise<T[]> {
    return (await query.execute(this.executor).catch(refuseUnstorable)).rows as T[];
  }

  async one<T>(query: Query): Promise<T | undefined> {
    return (await this.all<T>(query))[0];
  }

  /** The first column of the first row. */
  async value<T>(query: Query): Promise<T | undefined> {
    const row = await this.one<Record<string, unknown>>(query);
    return row === undefined ? undefined : (Object.values(row)[0] as T);
  }

  /** Runs a write; resolves with how many rows it changed. */
  async run(query: Query): Promise<number> {
    return Number((await query.execute(this.executor).catch(refuseUnstorable)).numAffectedRows ?? 0);
  }

  /**
   * SQL text with `?` placeholders, for scripts and tests that hold a statement rather than build
   * one (on PostgreSQL the `?` become `$1, $2, …`; none may appear inside a string literal).
   */
  async query<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<{ rows: T[]; changes: number }> {
    let n = 0;
    const compiled = CompiledQuery.raw(this.engine === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params);
    const result = await this.executor.executeQuery<T>(compiled).catch(refuseUnstorable);
    return { rows: result.rows, changes: Number(result.numAffectedRows ?? 0) };
  }

  /** `FOR UPDATE` on PostgreSQL (row locks); nothing on SQLite, whose write transactions already
   * hold the one write lock. Append to a SELECT inside `tx`. */
  get forUpdate(): Query {
    return sql.raw(this.engine === 'postgres' ? 'FOR UPDATE' : '');
  }

  /** `FOR UPDATE SKIP LOCKED` on PostgreSQL: claim rows no other worker is claiming right now. */
  get skipLocked(): Query {
    return sql.raw(this.engine === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '');
  }

  /**
   * Inside `tx`: queues this transaction behind any other holding `key` until it ends, for work
   * whose rows can't be locked because they don't exist yet (the next order number, a first
   * catalog). PostgreSQL's transaction advisory lock; nothing on SQLite, whose write lock already
   * lets one transaction write at a time.
   */
  async serialize(key: number): Promise<void> {
    if (this.engine === 'postgres') await this.value(sql`SELECT pg_advisory_xact_lock(${key})`);
  }

  /** The UTC day (`YYYY-MM-DD`) of an epoch-milliseconds column, as SQL. */
  utcDay(column: string): Query {
    return sql.raw(this.engine === 'postgres'
      ? `to_char(to_timestamp(${column} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
      : `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`);
  }

  /**
   * Runs `work` in one write transaction; every store call inside it uses its connection.
   *
   * SQLite: `BEGIN IMMEDIATE` takes the file's one write lock up front, so two read-then-write
   * transactions can never both read the old state (and Kysely's connection mutex queues this
   * process's other queries behind it).
   *
   * PostgreSQL: READ COMMITTED, where each statement sees what committed before it began. The code
   * that reads and then writes on what it read locks the rows it depends on first (`forUpdate` on
   * the checkout, product and coupon rows, in that order everywhere), or writes conditionally
   * (`UPDATE … WHERE status = …` and checks the count), or relies on a unique constraint. We chose
   * that over SERIALIZABLE: the guarantees are few and named, and a busy product queues its buyers
   * instead of failing most of them for retry. A deadlock (40P01) or serialization failure
   * (40001) still runs the whole transaction again, which is safe because no work inside a
   * transaction reaches outside the database (never Stripe, never email).
   *
   * Called inside a transaction, it nests as a savepoint: its failure undoes only its own writes.
   */
  async tx<T>(work: () => Promise<T>): Promise<T> {
    const scope = this.current.getStore();
    if (scope?.transaction) return this.savepoint(scope.executor, work);
    for (let attempt = 1; ; attempt++) {
      try {
        return scope
          ? await this.transactionOn(scope.executor, work)
          : await this.root.connection().execute((connection) => this.transactionOn(connection, work));
      } catch (err) {
        if (attempt >= 8 || !RETRYABLE.has(errorCode(err))) throw err;
        await delay(Math.floor(Math.random() * 20 * attempt));
      }
    }
  }

  private async transactionOn<T>(connection: Executor, work: () => Promise<T>): Promise<T> {
    await sql.raw(this.engine === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(connection);
    try {
      const result = await this.current.run({ executor: connection, transaction: true }, work);
      await sql.raw('COMMIT').execute(connection);
      return result;
    } catch (err) {
      await sql.raw('ROLLBACK').execute(connection).catch(() => undefined);
      throw err;
    }
  }

  private savepointCount = 0;

  private async savepoint<T>(outer: Executor, work: () => Promise<T>): Promise<T> {
    const name = sql.raw(`sp_${++this.savepointCount}`);
    await sql`SAVEPOINT ${name}`.execute(outer);
    try {
      const result = await work();
      await sql`RELEASE SAVEPOINT ${name}`.execute(outer);
      return result;
    } catch (err) {
      await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(outer);
      throw err;
    }
  }

  /** Runs `work` on one connection of its own, outside any transaction (migrations, advisory locks). */
  async pinned<T>(work: (run: (text: string) => Promise<void>, executor: Executor) => Promise<T>): Promise<T> {
    return this.root.connection().execute((connection) =>
      this.current.run({ executor: connection, transaction: false }, () => work((text) => this.script(connection, text), connection)));
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }
}

/**
 * PostgreSQL text can't hold U+0000 (SQLite's can): a value with one, which can only have come from
 * a request (ids, emails, coupon codes), is refused as the client's mistake, a 400 that changes
 * nothing, rather than failing as the server's. SQLSTATE 22021: character not in repertoire.
 */
function refuseUnstorable(err: unknown): never {
  if (errorCode(err) === '22021') throw new DomainError('bad_request', 'The request holds a character that cannot be stored (U+0000).');
  throw err;
}

/** The SQLSTATE of a PostgreSQL error, the SQLITE_* code of an SQLite one. */
export function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
}

/** A unique constraint refused the write (on either engine). */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//.test(url);

/** Opens the database DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite) names and brings its
 * schema up to date. */
export async function openDatabase(o: DatabaseOptions): Promise<Db> {
  const db = isPostgresUrl(o.url) ? openPostgres(o.url, o.poolSize ?? 10, o.onQuery) : openSqlite(o.path, o.onQuery);
  try {
    await migrate(db, o.migrations);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** Each engine's driver is loaded only when it is used: `pg` alone took ~45 ms of a SQLite server's start. */
const load = <T>(driver: 'better-sqlite3' | 'pg') => createRequire(import.meta.url)(driver) as T;

/**
 * The SQLite file with the settings every connection needs: WAL so readers never wait for the
 * writer, a busy timeout so concurrent writers (other processes) queue instead of failing,
 * foreign keys on. Each SQL text is compiled once and reused: SQLite compiles on every prepare(),
 * and a hot path would pay for that on every request.
 */
function openSqlite(path: string, onQuery?: (sql: string) => void): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new (load<typeof BetterSqlite3>('better-sqlite3'))(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const database = {
    close: () => raw.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = raw.prepare(text)));
      return statement;
    },
  };
  const kysely: Executor = new Kysely({ dialect: new SqliteDialect({ database }), log: logTo(onQuery) });
  // better-sqlite3's exec runs a script of several statements (migrations) on the one connection.
  return new Db('sqlite', kysely, async (_executor, text) => { raw.exec(text); }, `SQLite at ${path}`);
}

const logTo = (onQuery?: (sql: string) => void) => onQuery && ((event: LogEvent) => onQuery(event.query.sql));

/** int8 (COUNT, BIGINT columns: epoch milliseconds) and numeric (SUM of BIGINT) as JavaScript
 * numbers, as SQLite gives them: every value we store is an integer far below 2^53. */
const typesOf = (driver: typeof pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (value: string) => Number(value) : driver.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
});

function openPostgres(url: string, max: number, onQuery?: (sql: string) => void): Db {
  const driver = load<typeof pg>('pg');
  const pool = new driver.Pool({ connectionString: url, max, types: typesOf(driver) });
  // An idle connection the server dropped must not take the process down.
  pool.on('error', () => undefined);
  const kysely: Executor = new Kysely({ dialect: new PostgresDialect({ pool }), log: logTo(onQuery) });
  return new Db('postgres', kysely, async (executor, text) => { await sql.raw(text).execute(executor); }, `PostgreSQL at ${redactUrl(url)}`);
}

/** Connection strings may carry passwords: keep them out of logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
