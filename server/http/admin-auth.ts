import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../shared/errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer ADMIN_TOKEN, compared in constant time (over digests, so lengths don't leak either).
 * With no token configured the admin API is closed, not open. */
export function adminAuth(adminToken: string | undefined): MiddlewareHandler {
  const expected = adminToken ? digest(adminToken) : null;
  return async (c, next) => {
    if (!expected) throw new DomainError('forbidden', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      throw new DomainError('unauthorized', 'A valid admin token is required.');
    }
    await next();
  };
}
