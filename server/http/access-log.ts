/**
 * Request ids (hono/request-id: the caller's X-Request-Id when it is a sane one, else a new UUID,
 * echoed in the response) and one structured access-log line per request through the server's
 * Logger, in the manner of hono/logger: method, path, status, duration and request id.
 */
import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logger.ts';

/**
 * A recovery link's token is a credential (it opens a checkout for payment), so a path that
 * carries one, `/checkout/retry/<token>` or `/api/checkouts/retry/<token>`, is logged without it.
 */
export function loggedPath(path: string): string {
  return path.replace(/(\/retry\/).*$/is, '$1[redacted]');
}

export function accessLog(logger: Logger): MiddlewareHandler {
  return every(requestId(), async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      requestId: c.get('requestId'), method: c.req.method, path: loggedPath(c.req.path), status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
}
