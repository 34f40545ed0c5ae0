/**
 * Per-day counts of what no other row keeps: carts, which live in Redis (or expire from SQLite).
 * One upsert per new cart; everything else in the funnel is counted from its own rows.
 */
import { sql, type Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { utcDay } from '../../shared/days.ts';

export type FunnelMetric = 'carts';

export class FunnelStore {
  constructor(private readonly db: Db, private readonly logger?: Logger) {}

  /** Counts one; a failure to count is logged and never fails the shopper's request. */
  async count(metric: FunnelMetric, at: number): Promise<void> {
    try {
      await this.db.run(sql`INSERT INTO funnel_daily (day, metric, count) VALUES (${utcDay(at)}, ${metric}, 1)
        ON CONFLICT (day, metric) DO UPDATE SET count = funnel_daily.count + 1`);
    } catch (err) {
      this.logger?.warn('could not count a funnel event', { metric, error: String(err) });
    }
  }

  /** The counts per day from `from` to `to` (both included); days without any are absent. */
  async daily(metric: FunnelMetric, from: string, to: string): Promise<Map<string, number>> {
    const rows = await this.db.all<{ day: string; count: number }>(sql`SELECT day, count FROM funnel_daily WHERE metric = ${metric} AND day >= ${from} AND day <= ${to}`);
    return new Map(rows.map((r) => [r.day, r.count]));
  }
}
