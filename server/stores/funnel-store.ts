/**
 * Per-day counts of what no other row keeps: carts, which live in Redis (or expire from SQLite).
 * One upsert per new cart; everything else in the funnel is counted from its own rows.
 */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { utcDay } from '../../shared/days.ts';

export type FunnelMetric = 'carts';

export class FunnelStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db, private readonly logger?: Logger) {
    this.sql = preparedOnce(db);
  }

  /** Counts one; a failure to count is logged and never fails the shopper's request. */
  count(metric: FunnelMetric, at: number): void {
    try {
      this.sql('INSERT INTO funnel_daily (day, metric, count) VALUES (?, ?, 1) ON CONFLICT (day, metric) DO UPDATE SET count = count + 1')
        .run(utcDay(at), metric);
    } catch (err) {
      this.logger?.warn('could not count a funnel event', { metric, error: String(err) });
    }
  }

  /** The counts per day from `from` to `to` (both included); days without any are absent. */
  daily(metric: FunnelMetric, from: string, to: string): Map<string, number> {
    const rows = this.sql('SELECT day, count FROM funnel_daily WHERE metric = ? AND day >= ? AND day <= ?').all(metric, from, to) as { day: string; count: number }[];
    return new Map(rows.map((r) => [r.day, r.count]));
  }
}
