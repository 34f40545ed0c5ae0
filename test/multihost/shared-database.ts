/**
 * The one PostgreSQL database both hosts use: created for this run, migrated once as a deploy
 * does (`npm run db:migrate`, before any host starts), and dropped after.
 */
import { spawnSync } from 'node:child_process';
import { createTestDatabase, type TestPostgres } from '../helpers/postgres.ts';

export interface SharedDatabase {
  /** What each host's environment needs to reach it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function sharedDatabase(): Promise<SharedDatabase> {
  const database: TestPostgres = await createTestDatabase('multihost');
  const migrated = spawnSync('npm', ['run', '--silent', 'db:migrate'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: database.url } });
  if (migrated.status !== 0) {
    await database.drop();
    throw new Error(`npm run db:migrate failed:\n${migrated.stdout}${migrated.stderr}`);
  }
  return { env: { DATABASE_URL: database.url }, drop: () => database.drop() };
}
