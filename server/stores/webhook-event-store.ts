/** SQL for the webhook events this server has seen: Stripe delivers at least once, we act once. */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

export class WebhookEventStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  /** Records the event as received; false when it was already processed (a duplicate delivery). */
  receive(id: string, type: string, now: number): boolean {
    const seen = this.sql('SELECT processed_at FROM webhook_events WHERE id = ?').get(id) as { processed_at: number | null } | undefined;
    if (seen?.processed_at) return false;
    if (!seen) this.sql('INSERT OR IGNORE INTO webhook_events (id, type, received_at) VALUES (?, ?, ?)').run(id, type, now);
    return true;
  }

  processed(id: string, now: number): void {
    this.sql('UPDATE webhook_events SET processed_at = ? WHERE id = ?').run(now, id);
  }
}
