/**
 * Rate-limit counters in the database, for servers without Redis: every host on one PostgreSQL
 * database (or every process on one SQLite file) spends one budget. A fixed window per budget and
 * key, as the Redis limiter keeps: the first point opens it for `duration` seconds, and each use
 * is one atomic upsert that returns the count, so two hosts counting at once never lose a point.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { sql, type Db } from '../db/database.ts';
import type { Budget, Limiter, LimiterStore } from './rate-limit.ts';

export interface DatabaseLimiterStore extends LimiterStore {
  /** Deletes the windows that ran out before `now` (the sweeper calls it), so rows don't pile up. */
  prune(now: number): Promise<number>;
}

export function databaseStore(db: Db, clock: () => number = Date.now): DatabaseLimiterStore {
  return {
    limiter: (name, budget) => new DatabaseLimiter(db, name, budget, clock),
    prune: (now) => db.run(sql`DELETE FROM rate_limit_counters WHERE resets_at <= ${now}`),
  };
}

class DatabaseLimiter implements Limiter {
  constructor(private readonly db: Db, private readonly name: string, private readonly budget: Budget, private readonly clock: () => number) {}

  /** Spends a point: resolves with what is left, or rejects with a RateLimiterRes once the budget is spent (the library's contract). */
  async consume(key: string | number): Promise<RateLimiterRes> {
    const now = this.clock();
    const window = await this.db.one<{ used: number; resets_at: number }>(sql`
      INSERT INTO rate_limit_counters (bucket, used, resets_at) VALUES (${`${this.name}:${key}`}, 1, ${now + this.budget.duration * 1000})
      ON CONFLICT (bucket) DO UPDATE SET
        used = CASE WHEN rate_limit_counters.resets_at > ${now} THEN rate_limit_counters.used + 1 ELSE 1 END,
        resets_at = CASE WHEN rate_limit_counters.resets_at > ${now} THEN rate_limit_counters.resets_at ELSE excluded.resets_at END
      RETURNING used, resets_at`);
    const { used, resets_at: resetsAt } = window!;
    const verdict = new RateLimiterRes(Math.max(this.budget.points - used, 0), Math.max(resetsAt - now, 0), used, used === 1);
    if (used > this.budget.points) throw verdict;
    return verdict;
  }
}
