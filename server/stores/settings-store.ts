/** SQL for server-generated settings that must survive restarts (the token-signing secret). */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';

/** APP_SECRET when configured; otherwise one generated on first start and kept in the database,
 * so links in emails already sent keep working after a restart. */
export function appSecret(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run('app_secret', randomBytes(32).toString('base64url'));
  return db.prepare("SELECT value FROM settings WHERE key = 'app_secret'").pluck().get() as string;
}
