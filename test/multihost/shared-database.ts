/**
 * The one database both hosts use, made for this run and dropped after.
 * INTERIM: a SQLite file both hosts open, until PostgreSQL stores land (DATABASE_URL).
 */
import { join } from 'node:path';
import { tempDir } from '../helpers/temp.ts';

export interface SharedDatabase {
  /** What each host's environment needs to reach it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function sharedDatabase(): Promise<SharedDatabase> {
  const dir = tempDir('multihost-db-');
  return { env: { DATABASE_PATH: join(dir.path, 'shop.db') }, drop: async () => dir.remove() };
}
