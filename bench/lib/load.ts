/** Load through autocannon's programmatic API, in the bench process (never the server's). */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds of load; or `amount` requests in all. */
  durationS?: number;
  amount?: number;
  method?: 'GET' | 'POST' | 'PATCH';
  /** A fixed path, or one chosen per request (a cart from the pool, say). */
  path: string | (() => string);
  body?: string | (() => string);
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  rps: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx answers, connection errors and timeouts: a row with any is reported, not hidden. */
  failures: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const dynamic = typeof o.path === 'function' || typeof o.body === 'function';
  const path = typeof o.path === 'function' ? o.path : () => o.path as string;
  const body = typeof o.body === 'function' ? o.body : () => o.body as string | undefined;
  const headers = { ...(o.body === undefined ? {} : { 'content-type': 'application/json' }), ...o.headers };
  const result = await autocannon({
    url: dynamic ? o.url : o.url + path(),
    connections: o.connections,
    pipelining: 1,
    // A request that takes 10 s is a failure; the run still ends on time.
    timeout: 10,
    ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.durationS ?? 5 }),
    method: o.method ?? 'GET',
    headers,
    ...(dynamic
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: path(), body: body() }) }] }
      : { body: body() }),
  } as autocannon.Options);
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
