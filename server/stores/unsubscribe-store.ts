/** SQL for the addresses that asked for no more reminder emails. */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

export class UnsubscribeStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  /** Records the wish; asking twice changes nothing. */
  unsubscribe(email: string, now: number): void {
    this.sql('INSERT OR IGNORE INTO email_unsubscribes (email, created_at) VALUES (?, ?)').run(email.toLowerCase(), now);
  }

  isUnsubscribed(email: string): boolean {
    return this.sql('SELECT 1 FROM email_unsubscribes WHERE email = ?').pluck().get(email.toLowerCase()) === 1;
  }
}
