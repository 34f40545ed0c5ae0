import { cors } from 'hono/cors';

/**
 * Strict CORS for embedding: only the configured merchant origins and the server's own, plus
 * localhost on any port while developing. Anything else gets no CORS headers, so browsers refuse.
 */
export function embedCors(o: { allowedOrigins: string[]; publicUrl: string; development: boolean }) {
  const allowed = new Set([...o.allowedOrigins, o.publicUrl].map((u) => new URL(u).origin));
  const isLocal = (origin: string) => {
    try {
      const { hostname, protocol } = new URL(origin);
      return (protocol === 'http:' || protocol === 'https:') && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
    } catch {
      return false;
    }
  };
  return cors({
    origin: (origin) => (allowed.has(origin) || (o.development && isLocal(origin)) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['Content-Type'],
    // The widget reads how long a 429 asks it to wait.
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
}
