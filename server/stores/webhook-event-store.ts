/**
 * SQL for the webhook events this server has seen: Stripe delivers at least once, we act once.
 * Several hosts share these rows, so an event is claimed before it is handled: one atomic upsert
 * gives it to one host for a lease, and every other copy meanwhile finds it busy (or processed).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Db } from '../db/database.ts';

/**
 * How long a claim keeps other hosts off an event. Handling takes milliseconds; the lease only
 * matters when a host died mid-event, and then the first delivery after it takes over. Far above
 * any handling, so two hosts running one event's handlers at once (harmless, as every handler is
 * idempotent, but wasted) takes a handler stuck for this long.
 */
export const WEBHOOK_LEASE_MS = 30_000;

/** What a delivery gets when it asks for an event: it may handle it (`token` ends its claim), it
 * was processed already, or another delivery (this host's or another's) holds it right now. */
export type EventClaim = { state: 'claimed'; token: string } | { state: 'processed' } | { state: 'busy' };

export class WebhookEventStore {
  constructor(private readonly db: Db, private readonly leaseMs = WEBHOOK_LEASE_MS) {}

  /**
   * Records the event as received and claims it, in one statement: inserted (a first delivery), or
   * taken over when it is unprocessed and its last claim was released or ran out. On PostgreSQL the
   * upsert locks the row, so of two hosts racing exactly one claims it; on SQLite the write lock does.
   */
  async claim(id: string, type: string, now: number): Promise<EventClaim> {
    const token = randomUUID();
    const claimed = await this.db.one(sql`
      INSERT INTO webhook_events (id, type, received_at, claimed_by, claimed_until, attempts)
      VALUES (${id}, ${type}, ${now}, ${token}, ${now + this.leaseMs}, 1)
      ON CONFLICT (id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until, attempts = webhook_events.attempts + 1
      WHERE webhook_events.processed_at IS NULL AND (webhook_events.claimed_until IS NULL OR webhook_events.claimed_until <= ${now})
      RETURNING attempts`);
    if (claimed) return { state: 'claimed', token };
    const processedAt = await this.db.value<number | null>(sql`SELECT processed_at FROM webhook_events WHERE id = ${id}`);
    return processedAt == null ? { state: 'busy' } : { state: 'processed' };
  }

  /** The claim's work is done: every later copy is a duplicate. */
  async processed(id: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE webhook_events SET processed_at = ${now}, claimed_by = NULL, claimed_until = NULL WHERE id = ${id}`);
  }

  /** The claim's work failed: the next copy may claim the event at once (unless another already has). */
  async release(id: string, token: string): Promise<void> {
    await this.db.run(sql`UPDATE webhook_events SET claimed_by = NULL, claimed_until = NULL WHERE id = ${id} AND claimed_by = ${token} AND processed_at IS NULL`);
  }
}
