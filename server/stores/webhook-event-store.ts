/** SQL for the webhook events this server has seen: Stripe delivers at least once, we act once. */
import { sql, type Db } from '../db/database.ts';

export class WebhookEventStore {
  constructor(private readonly db: Db) {}

  /** Records the event as received; false when it was already processed (a duplicate delivery). */
  async receive(id: string, type: string, now: number): Promise<boolean> {
    const seen = await this.db.one<{ processed_at: number | null }>(sql`SELECT processed_at FROM webhook_events WHERE id = ${id}`);
    if (seen?.processed_at) return false;
    if (!seen) await this.db.run(sql`INSERT INTO webhook_events (id, type, received_at) VALUES (${id}, ${type}, ${now}) ON CONFLICT DO NOTHING`);
    return true;
  }

  async processed(id: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE webhook_events SET processed_at = ${now} WHERE id = ${id}`);
  }
}
