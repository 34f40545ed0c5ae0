/**
 * Request ids (hono/request-id: the caller's X-Request-Id when it is a sane one, else a new UUID,
 * echoed in the response) and one structured access-log line per request through the server's
 * Logger, in the manner of hono/logger: method, path, status, duration and request id.
 */
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logger.ts';

/**
 * Paths carry credentials: a recovery link's token opens a checkout for payment, a reminder's
 * restore token hands over its cart, an unsubscribe token names an address (and unsubscribes it),
 * a checkout id reads its client secret, and a cart id is the cart. Logged paths keep their shape
 * (`/api/carts/[id]/items/tee-black`) without them.
 */
export function loggedPath(path: string): string {
  return path
    .replace(/(\/retry\/|^\/cart\/restore\/|^\/api\/carts\/restore\/|^\/unsubscribe\/).*$/is, '$1[redacted]')
    .replace(/^(\/api\/(?:carts|checkouts))\/(?!(?:retry|restore)\/)[^/]+/i, '$1/[id]');
}

/**
 * `quietPaths`: paths polled every few seconds by a load balancer (/healthz, /readyz), logged only
 * when they fail, so the log holds shoppers' requests and not thousands of probes.
 */
export function accessLog(logger: Logger, o: { quietPaths?: ReadonlySet<string> } = {}): MiddlewareHandler {
  const withId = requestId();
  // Called inside requestId's own next() rather than combined with `every()`, which composes its
  // middlewares anew on each request.
  return (c, next) => withId(c, async () => {
    const started = performance.now();
    await next();
    if (o.quietPaths?.has(c.req.path) && c.res.status < 400) return;
    logger.info('request', {
      requestId: c.get('requestId'), method: c.req.method, path: loggedPath(c.req.path), status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
}
