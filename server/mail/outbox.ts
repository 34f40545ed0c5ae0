import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';
import type { OutgoingEmail } from './email.ts';

/** The outbox table as the code that announces things sees it: queue an email, count what was queued. */
export class Outbox {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  /**
   * Queues an email. Call it inside the caller's write transaction, so the email commits with what
   * it announces (or not at all). The dedupe key makes a repeated event queue nothing new.
   */
  enqueue(dedupeKey: string, email: OutgoingEmail, now: number): boolean {
    return this.sql(`INSERT OR IGNORE INTO outbox (dedupe_key, recipient, subject, html, text, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(dedupeKey, email.to, email.subject, email.html, email.text, now, now).changes === 1;
  }

  /** Whether an email with this dedupe key was ever queued. */
  has(dedupeKey: string): boolean {
    return this.sql('SELECT 1 FROM outbox WHERE dedupe_key = ?').pluck().get(dedupeKey) === 1;
  }

  /** How many emails whose dedupe key starts with `keyPrefix` were queued since `since` (a range
   * on the unique key's index, so no LIKE wildcards to escape). */
  countWithPrefix(keyPrefix: string, since: number): number {
    return this.sql("SELECT COUNT(*) FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? || char(1114111) AND created_at > ?")
      .pluck().get(keyPrefix, keyPrefix, since) as number;
  }

  /** How many emails of one kind (dedupe-key prefix) were queued for an address since `since`: per-address limits. */
  queuedSince(recipient: string, keyPrefix: string, since: number): number {
    return this.sql('SELECT COUNT(*) FROM outbox WHERE recipient = ? AND dedupe_key LIKE ? AND created_at > ?')
      .pluck().get(recipient, `${keyPrefix}%`, since) as number;
  }
}

/** One email into a database's outbox (scripts and tests; services hold an Outbox). */
export function enqueueEmail(db: Db, dedupeKey: string, email: OutgoingEmail, now: number): boolean {
  return new Outbox(db).enqueue(dedupeKey, email, now);
}
