/**
 * `npm run db:migrate`: applies the migrations this version has that the database lacks, and exits.
 * The deploy step before a new version's hosts start: DATABASE_URL (PostgreSQL), or the SQLite file
 * DATABASE_PATH without it. Hosts apply missing migrations at start too; run once here, they find
 * none left, so a rolling deploy never has a host meet a half-migrated schema.
 */
import { ConfigError, readEnv } from '../server/config.ts';
import { openDatabase, redactUrl, sql } from '../server/db/database.ts';

try {
  const env = readEnv();
  const where = env.DATABASE_URL ? redactUrl(env.DATABASE_URL) : `SQLite at ${env.DATABASE_PATH}`;
  const db = await openDatabase({ url: env.DATABASE_URL, path: env.DATABASE_PATH, poolSize: 1 });
  try {
    const latest = await db.one<{ version: number; name: string }>(sql`SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1`);
    console.log(`${where}: migrated, at ${latest?.name ?? 'no migration'}.`);
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`npm run db:migrate: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
