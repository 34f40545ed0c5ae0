import type { Db } from '../db/database.ts';
import type { OutgoingEmail } from './email.ts';

/**
 * Queues an email. Call it inside the caller's write transaction, so the email commits with what
 * it announces (or not at all). The dedupe key makes a repeated event queue nothing new.
 */
export function enqueueEmail(db: Db, dedupeKey: string, email: OutgoingEmail, now: number): boolean {
  return db.prepare(`INSERT OR IGNORE INTO outbox (dedupe_key, recipient, subject, html, text, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(dedupeKey, email.to, email.subject, email.html, email.text, now, now).changes === 1;
}

/** How many emails of one kind (dedupe-key prefix) were queued for an address since `since`: per-address limits. */
export function countQueuedSince(db: Db, recipient: string, keyPrefix: string, since: number): number {
  return db.prepare('SELECT COUNT(*) FROM outbox WHERE recipient = ? AND dedupe_key LIKE ? AND created_at > ?')
    .pluck().get(recipient, `${keyPrefix}%`, since) as number;
}
