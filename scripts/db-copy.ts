/**
 * `npm run db:copy -- --from sqlite[:path] --to postgres://… [--replace]`: copies a shop from its
 * SQLite file into PostgreSQL (server/ops/db-copy.ts). `--from sqlite` alone reads DATABASE_PATH
 * (default data/checkout.db); `--to` defaults to DATABASE_URL. The target must hold the schema and
 * no rows: `--replace` empties its tables first. Stop the servers writing to the SQLite file first,
 * or the orders they take after the copy began stay behind.
 */
import { parseArgs } from 'node:util';
import { CopyRefused, copySqliteToPostgres } from '../server/ops/db-copy.ts';
import { redactUrl } from '../server/db/database.ts';

const usage = 'usage: npm run db:copy -- --from sqlite[:path] --to postgres://user@host:5432/db [--replace]';

function fail(message: string): never {
  console.error(`npm run db:copy: ${message}\n${usage}`);
  process.exit(1);
}

let values: { from?: string; to?: string; replace?: boolean };
try {
  ({ values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean' } }, strict: true }));
} catch (err) {
  fail((err as Error).message);
}
const from = /^sqlite(?::(.+))?$/.exec(values.from ?? '');
if (!from) fail('--from must be sqlite or sqlite:<path to the shop\'s .db file>');
const sqlitePath = from[1] ?? process.env.DATABASE_PATH ?? 'data/checkout.db';
const postgresUrl = values.to ?? process.env.DATABASE_URL ?? '';
if (!/^postgres(ql)?:\/\//.test(postgresUrl)) fail('--to (or DATABASE_URL) must be a postgres:// URL');

console.log(`Copying ${sqlitePath} into ${redactUrl(postgresUrl)}${values.replace ? ' (replacing what it holds)' : ''}`);
try {
  const result = await copySqliteToPostgres({ sqlitePath, postgresUrl, replace: values.replace, log: (line) => console.log(`  ${line}`) });
  const rows = result.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`Copied ${rows} rows in ${result.tables.length} tables; row counts verified.`);
  const next = Object.entries(result.nextIds).map(([column, id]) => `${column} ${id}`).join(', ');
  if (next) console.log(`Next ids: ${next}.`);
  console.log('Start the servers with DATABASE_URL set to the target.');
} catch (err) {
  if (err instanceof CopyRefused) fail(`refused: ${err.message}`);
  console.error(`npm run db:copy: failed, nothing was copied: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
