/**
 * Copies a shop from its SQLite file into PostgreSQL (`npm run db:copy`), for a shop moving past one
 * machine. Every table the SQLite file holds is copied whole, rows as they are (ids, order numbers,
 * secrets, the stock ledger), parents before children so every foreign key holds on arrival, in
 * one PostgreSQL transaction: the target has all of it or none. The SQLite file is only read, in
 * one read transaction, so the copy is one moment of the shop even if a server still writes to it.
 *
 * On arrival the target's triggers are held off: the ledger rows they would write (a sale's stock
 * movement) come with the copy already. Identity columns then continue after the highest id ever
 * given (SQLite's AUTOINCREMENT counter included, so an id is never given twice), and each table's
 * row count is compared before committing.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface CopyOptions {
  sqlitePath: string;
  postgresUrl: string;
  /** Empty the target's tables first; without it a target holding any row is refused. */
  replace?: boolean;
  log?: (line: string) => void;
}

export interface TableCopy { table: string; rows: number }

export interface CopyResult {
  tables: TableCopy[];
  /** Where each identity column's next id now starts, e.g. `outbox.id` -> 42. */
  nextIds: Record<string, number>;
}

export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

/** Migrations' own bookkeeping: each engine keeps its own record of what it applied. */
const NOT_COPIED = new Set(['schema_migrations']);
const BATCH_ROWS = 500;

export async function copySqliteToPostgres(o: CopyOptions): Promise<CopyResult> {
  const log = o.log ?? (() => {});
  const source = new Database(o.sqlitePath, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: o.postgresUrl });
  await target.connect();
  try {
    source.exec('BEGIN');
    await target.query('BEGIN');
    const plan = await planCopy(source, target);
    await ensureEmpty(target, plan.tables, o.replace === true, log);
    for (const table of plan.tables) await target.query(`ALTER TABLE ${q(table)} DISABLE TRIGGER USER`);
    const tables: TableCopy[] = [];
    for (const table of plan.tables) {
      const rows = await copyTable(source, target, table, plan.columns.get(table)!);
      tables.push({ table, rows });
      log(`${table.padEnd(24)} ${rows}`);
    }
    for (const table of plan.tables) await target.query(`ALTER TABLE ${q(table)} ENABLE TRIGGER USER`);
    const nextIds = await continueIdentities(source, target, plan.tables);
    await verifyCounts(source, target, tables);
    await target.query('COMMIT');
    return { tables, nextIds };
  } catch (err) {
    await target.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await target.end();
  }
}

interface Plan { tables: string[]; columns: Map<string, string[]> }

/** The source's tables in foreign-key order, each checked against the target's columns. */
async function planCopy(source: Database.Database, target: pg.Client): Promise<Plan> {
  const names = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[])
    .filter((name) => !NOT_COPIED.has(name));
  const targetColumns = new Map<string, Set<string>>();
  const { rows } = await target.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  for (const r of rows) targetColumns.set(r.table_name, (targetColumns.get(r.table_name) ?? new Set()).add(r.column_name));
  if (!targetColumns.has('schema_migrations')) {
    throw new CopyRefused('the target has no schema: run the migrations on it first (npm run db:migrate with DATABASE_URL set to it)');
  }

  const applied = (versions: unknown[]) => versions.map(Number).sort((a, b) => a - b).join(', ');
  const sourceVersions = applied(source.prepare('SELECT version FROM schema_migrations').pluck().all());
  const targetVersions = applied((await target.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
  if (sourceVersions !== targetVersions) {
    throw new CopyRefused(`the SQLite file has migrations ${sourceVersions || 'none'} applied and the target ${targetVersions || 'none'}: `
      + 'start this version of the server once on the SQLite file (it migrates it), migrate the target with the same version, then copy');
  }

  const columns = new Map<string, string[]>();
  const problems: string[] = [];
  for (const table of names) {
    const own = (source.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[]);
    const there = targetColumns.get(table);
    if (!there) problems.push(`table ${table} is not in the target`);
    else {
      const missing = own.filter((c) => !there.has(c));
      if (missing.length > 0) problems.push(`${table} has columns the target lacks: ${missing.join(', ')}`);
    }
    columns.set(table, own);
  }
  if (problems.length > 0) {
    throw new CopyRefused(`the target's schema is not this shop's (are both on the same version's migrations?):\n  ${problems.join('\n  ')}`);
  }
  return { tables: foreignKeyOrder(source, names), columns };
}

/** Parents before children (a table's own self-reference aside). */
function foreignKeyOrder(source: Database.Database, tables: string[]): string[] {
  const parents = new Map(tables.map((t) => [t, new Set(
    (source.prepare('SELECT "table" FROM pragma_foreign_key_list(?)').pluck().all(t) as string[]).filter((p) => p !== t && tables.includes(p)),
  )]));
  const ordered: string[] = [];
  const visit = (table: string, path: string[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new CopyRefused(`foreign keys form a cycle: ${[...path, table].join(' -> ')}`);
    for (const parent of parents.get(table)!) visit(parent, [...path, table]);
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

async function ensureEmpty(target: pg.Client, tables: string[], replace: boolean, log: (line: string) => void): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) {
    const { rows } = await target.query(`SELECT 1 FROM ${q(table)} LIMIT 1`);
    if (rows.length > 0) holding.push(table);
  }
  if (holding.length === 0) return;
  if (!replace) {
    throw new CopyRefused(`the target already holds rows (in ${holding.join(', ')}): copy into an empty database, or pass --replace to empty these tables first`);
  }
  log(`emptying the target's ${holding.join(', ')} (--replace)`);
  await target.query(`TRUNCATE ${tables.map(q).join(', ')}`);
}

async function copyTable(source: Database.Database, target: pg.Client, table: string, columns: string[]): Promise<number> {
  const select = source.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)}`).raw(true);
  const insert = (count: number) => {
    const rows = Array.from({ length: count }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    return `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${rows.join(', ')}`;
  };
  let copied = 0;
  let batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await target.query(insert(batch.length), batch.flat());
    copied += batch.length;
    batch = [];
  };
  for (const row of select.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length === BATCH_ROWS) await flush();
  }
  await flush();
  return copied;
}

/** Each identity column goes on after the highest id the shop ever gave, not only the highest kept. */
async function continueIdentities(source: Database.Database, target: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const { rows } = await target.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
  );
  const hasSequenceTable = source.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !== undefined;
  const nextIds: Record<string, number> = {};
  for (const { table_name: table, column_name: column } of rows.filter((r) => tables.includes(r.table_name))) {
    const highest = source.prepare(`SELECT MAX(${q(column)}) FROM ${q(table)}`).pluck().get() as number | null;
    const given = hasSequenceTable ? (source.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined) : undefined;
    const next = Math.max(highest ?? 0, given ?? 0) + 1;
    await target.query('SELECT setval(pg_get_serial_sequence($1, $2), $3, false)', [q(table), column, next]);
    nextIds[`${table}.${column}`] = next;
  }
  return nextIds;
}

/** Each table holds in the target exactly what the source's snapshot holds, checked before committing. */
async function verifyCounts(source: Database.Database, target: pg.Client, copied: TableCopy[]): Promise<void> {
  const wrong: string[] = [];
  for (const { table, rows } of copied) {
    const inSource = source.prepare(`SELECT COUNT(*) FROM ${q(table)}`).pluck().get() as number;
    const { rows: [counted] } = await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    if (Number(counted!.n) !== inSource || rows !== inSource) wrong.push(`${table}: ${inSource} in the source, ${rows} copied, ${counted!.n} in the target`);
  }
  if (wrong.length > 0) throw new Error(`row counts differ after the copy, so nothing was committed:\n  ${wrong.join('\n  ')}`);
}

/** A table or column name, quoted for either engine. */
function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
