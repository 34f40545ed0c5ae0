/**
 * What a load balancer or an orchestrator asks a host. `GET /healthz`: the process is alive and
 * serving HTTP; it touches nothing else, so a database outage never gets every host restarted at
 * once. `GET /readyz`: this host can take shoppers now, that is each dependency it was configured
 * with (the database, Redis) answers; 503 names the failing ones, so the balancer sends traffic
 * elsewhere until they come back. Answers carry names and `ok`/`failing` only: an error's text may
 * hold a host, a port or a URL with its password, so it goes to the log, once per outage.
 */
import { Hono } from 'hono';
import type { Logger } from '../logger.ts';

/** Resolves (or returns) when the dependency answers; throws or rejects when it does not. */
export type ReadinessProbe = () => unknown;

export interface HealthOptions {
  /** One probe per dependency, by the name the answer shows (`database`, `redis`). */
  probes: Record<string, ReadinessProbe>;
  logger: Logger;
  /** A probe that hasn't answered by then is failing: a stuck dependency must not hang the balancer's check. */
  timeoutMs?: number;
}

export type CheckResult = 'ok' | 'failing';

/** Paths answered here, for middleware that should leave them alone (the access log). */
export const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

const DEFAULT_TIMEOUT_MS = 2000;
/** Never cached by a proxy between the balancer and the host. */
const NO_STORE = { 'Cache-Control': 'no-store' };

export function healthRoutes(o: HealthOptions) {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const failing = new Set<string>();

  const check = async (name: string, probe: ReadinessProbe): Promise<CheckResult> => {
    try {
      await withTimeout(Promise.resolve().then(probe), timeoutMs);
      if (failing.delete(name)) o.logger.info('readiness check passing again', { check: name });
      return 'ok';
    } catch (err) {
      if (!failing.has(name)) {
        failing.add(name);
        o.logger.warn('readiness check failing', { check: name, error: err instanceof Error ? err.message : String(err) });
      }
      return 'failing';
    }
  };

  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE))
    .get('/readyz', async (c) => {
      const entries = await Promise.all(Object.entries(o.probes).map(async ([name, probe]) => [name, await check(name, probe)] as const));
      const checks = Object.fromEntries(entries) as Record<string, CheckResult>;
      const down = entries.filter(([, result]) => result === 'failing').map(([name]) => name);
      if (down.length === 0) return c.json({ status: 'ready', checks }, 200, NO_STORE);
      return c.json({ status: 'unavailable', failing: down, checks }, 503, NO_STORE);
    });
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
