import { Hono } from 'hono';
import { z } from 'zod';
import { addDays, dayStart, utcDay } from '../../shared/days.ts';
import { DomainError } from '../../shared/errors.ts';
import type { AdminStores } from '../admin/context.ts';
import { computeMetrics } from '../admin/metrics.ts';
import { validated } from '../http/validate.ts';
import { dayParam } from './admin-orders.ts';

const MAX_DAYS = 366;

const rangeQuery = z.object({ from: dayParam.optional(), to: dayParam.optional() });

/** `GET /metrics?from=&to=`: UTC days, both included; by default the 30 days up to today. */
export function adminMetricsRoutes(o: { stores: AdminStores; currency: string; clock: () => number }) {
  return new Hono()
    .get('/metrics', validated('query', rangeQuery), async (c) => {
      const q = c.req.valid('query');
      const to = q.to ?? utcDay(o.clock());
      const from = q.from ?? addDays(to, -29);
      const days = (dayStart(to) - dayStart(from)) / 86_400_000 + 1;
      if (days < 1 || days > MAX_DAYS) {
        throw new DomainError('validation_failed', `from: the range must run forwards and cover at most ${MAX_DAYS} days.`);
      }
      return c.json(await computeMetrics(o.stores, { from, to, currency: o.currency }));
    });
}
