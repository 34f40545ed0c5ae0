/**
 * Strict CORS for embedding: only the configured merchant origins and the server's own, plus
 * localhost on any port while developing. Anything else gets no CORS headers, so browsers refuse.
 *
 * The headers are those of `hono/cors` with these options (its tests' behaviour, kept by
 * test/server/http/cors.test.ts), written without its cost: `hono/cors` touches `c.res` before the
 * route runs, which makes an empty Response that the route's own is then merged into (a second
 * Response and a header copy on every request). Here a preflight is answered from the request
 * alone, and any other answer gets its headers added once it exists.
 */
import type { MiddlewareHandler } from 'hono';

const ALLOW_METHODS = 'GET,POST,PATCH,DELETE';
const ALLOW_HEADERS = 'Content-Type';
/** The widget reads how long a 429 asks it to wait. */
const EXPOSE_HEADERS = 'Retry-After';
const MAX_AGE_SECONDS = '600';

function isLocal(origin: string): boolean {
  try {
    const { hostname, protocol } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
  } catch {
    return false;
  }
}

export function embedCors(o: { allowedOrigins: string[]; publicUrl: string; development: boolean }): MiddlewareHandler {
  const allowed = new Set([...o.allowedOrigins, o.publicUrl].map((u) => new URL(u).origin));
  const allowedOrigin = (origin: string | undefined) => (origin && (allowed.has(origin) || (o.development && isLocal(origin))) ? origin : null);

  return async (c, next) => {
    const origin = allowedOrigin(c.req.header('origin'));
    if (c.req.method === 'OPTIONS') {
      if (origin) c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
      c.header('Vary', 'Origin', { append: true });
      c.header('Access-Control-Max-Age', MAX_AGE_SECONDS);
      c.header('Access-Control-Allow-Methods', ALLOW_METHODS);
      c.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
      return c.body(null, 204);
    }
    await next();
    // The answer's own Headers, changed in place: c.header() here would rebuild the Response.
    const headers = c.res.headers;
    if (origin) headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    headers.append('Vary', 'Origin');
  };
}
