/** SQL for server-generated settings that must survive restarts (the token-signing secret). */
import { randomBytes } from 'node:crypto';
import { sql, type Db } from '../db/database.ts';

/** APP_SECRET when configured; otherwise one generated on first start and kept in the database,
 * so links in emails already sent keep working after a restart. */
export async function appSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  return keptSetting(db, 'app_secret', randomBytes(32).toString('base64url'));
}

/** The setting's value; `proposed` becomes it when it has none yet (whichever process asks first wins). */
export async function keptSetting(db: Db, key: string, proposed: string): Promise<string> {
  await db.run(sql`INSERT INTO settings (key, value) VALUES (${key}, ${proposed}) ON CONFLICT DO NOTHING`);
  return (await db.value<string>(sql`SELECT value FROM settings WHERE key = ${key}`))!;
}
