import { createHash } from 'node:crypto';
import { LAST_CHARACTER, sql, type Db } from '../db/database.ts';
import type { OutgoingEmail } from './email.ts';

/** An advisory-lock key per address (case aside), from 2^48 up: clear of the small fixed keys other
 * transactions serialize on (the order number, the first catalog), and a safe integer. */
function recipientLock(recipient: string): number {
  return 2 ** 48 + createHash('sha256').update(recipient.toLowerCase()).digest().readUIntBE(0, 6);
}

/** The outbox table as the code that announces things sees it: queue an email, count what was queued. */
export class Outbox {
  constructor(private readonly db: Db) {}

  /**
   * Queues an email. Call it inside the caller's write transaction, so the email commits with what
   * it announces (or not at all). The dedupe key makes a repeated event queue nothing new.
   */
  async enqueue(dedupeKey: string, email: OutgoingEmail, now: number): Promise<boolean> {
    return await this.db.run(sql`INSERT INTO outbox (dedupe_key, recipient, subject, html, text, next_attempt_at, created_at)
      VALUES (${dedupeKey}, ${email.to}, ${email.subject}, ${email.html}, ${email.text}, ${now}, ${now}) ON CONFLICT DO NOTHING`) === 1;
  }

  /** Whether an email with this dedupe key was ever queued. */
  async has(dedupeKey: string): Promise<boolean> {
    return await this.db.value(sql`SELECT 1 FROM outbox WHERE dedupe_key = ${dedupeKey}`) === 1;
  }

  /** How many emails whose dedupe key starts with `keyPrefix` were queued since `since` (a range
   * on the unique key's index, so no LIKE wildcards to escape). */
  async countWithPrefix(keyPrefix: string, since: number): Promise<number> {
    return await this.db.value<number>(sql`SELECT COUNT(*) FROM outbox
      WHERE dedupe_key >= ${keyPrefix} AND dedupe_key < ${keyPrefix + LAST_CHARACTER} AND created_at > ${since}`) ?? 0;
  }

  /**
   * How many emails of one kind (dedupe-key prefix) were queued for an address since `since`:
   * per-address limits. Case aside, as everywhere an address is compared (coupon limits,
   * unsubscribes): Ann@x.com and ann@x.com are one inbox, so one budget. Call it inside the write
   * transaction that then queues (or not): the address is held until that transaction ends, so
   * two processes counting for one address take turns instead of both counting what neither has
   * queued yet (PostgreSQL; SQLite's one write lock already does it).
   */
  async queuedSince(recipient: string, keyPrefix: string, since: number): Promise<number> {
    await this.db.serialize(recipientLock(recipient));
    return await this.db.value<number>(sql`SELECT COUNT(*) FROM outbox
      WHERE lower(recipient) = lower(${recipient}) AND dedupe_key >= ${keyPrefix} AND dedupe_key < ${keyPrefix + LAST_CHARACTER} AND created_at > ${since}`) ?? 0;
  }
}

/** One email into a database's outbox (scripts and tests; services hold an Outbox). */
export function enqueueEmail(db: Db, dedupeKey: string, email: OutgoingEmail, now: number): Promise<boolean> {
  return new Outbox(db).enqueue(dedupeKey, email, now);
}
