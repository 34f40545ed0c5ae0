/** SQL for the addresses that asked for no more reminder emails. */
import { sql, type Db } from '../db/database.ts';

export class UnsubscribeStore {
  constructor(private readonly db: Db) {}

  /** Records the wish; asking twice changes nothing. */
  async unsubscribe(email: string, now: number): Promise<void> {
    await this.db.run(sql`INSERT INTO email_unsubscribes (email, created_at) VALUES (${email.toLowerCase()}, ${now}) ON CONFLICT DO NOTHING`);
  }

  async isUnsubscribed(email: string): Promise<boolean> {
    return await this.db.value(sql`SELECT 1 FROM email_unsubscribes WHERE email = ${email.toLowerCase()}`) === 1;
  }
}
