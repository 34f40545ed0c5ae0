/**
 * `Idempotency-Key` on POSTs, as Stripe documents it: the same key with the same request replays
 * the saved response (marked `Idempotent-Replayed: true`); the same key with other parameters is
 * a 400 idempotency_error; the same key while the first request still runs is a 409. A replay's
 * `Original-Request` header names the request that first used the key. Like Stripe,
 * only requests that ran are saved (successes and card declines), not ones refused on validation,
 * and keys expire after 24 hours.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { StripeApiError } from '../errors.ts';
import type { EmulatorEnv } from './env.ts';

/** A request that ran, as its key replays it. */
export interface SavedAnswer { fingerprint: string; status: number; body: string; savedAt: number; requestId: string }
const TTL_MS = 24 * 60 * 60 * 1000;

/** `saved`: by API key and Idempotency-Key; kept in the emulator's state, so it survives a restart as Stripe's do. */
export function idempotency(clock: () => number, saved: Map<string, SavedAnswer>): MiddlewareHandler<EmulatorEnv> {
  const running = new Set<string>();
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || !key) return next();
    const scope = `${c.var.caller.key}\n${key}`;
    const fingerprint = createHash('sha256').update(`${c.req.path}\n${c.var.rawBody}`).digest('hex');
    const previous = saved.get(scope);
    if (previous && clock() - previous.savedAt > TTL_MS) saved.delete(scope);
    else if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new StripeApiError(400, 'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`);
      }
      // Stripe's replay names the request that first used the key.
      c.header('Original-Request', previous.requestId);
      return c.body(previous.body, previous.status as 200, { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' });
    }
    if (running.has(scope)) {
      throw new StripeApiError(409, 'idempotency_error', 'There is currently another in-progress request using this Idempotent Key. Please try again later.');
    }
    running.add(scope);
    try {
      await next();
    } finally {
      running.delete(scope);
    }
    if (c.res.status === 200 || c.res.status === 402) {
      saved.set(scope, { fingerprint, status: c.res.status, body: await c.res.clone().text(), savedAt: clock(), requestId: c.var.requestId });
      // The SDK sends a key with every POST, so a long-running dev server sweeps expired ones now and then.
      if (saved.size % 1000 === 0) for (const [k, v] of saved) if (clock() - v.savedAt > TTL_MS) saved.delete(k);
    }
  };
}
