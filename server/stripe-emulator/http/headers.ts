/**
 * What every API answer carries, as Stripe's do (the SDK reads them into `lastResponse`):
 * `Request-Id`, `Stripe-Version` (the request's own `Stripe-Version`, else the account's), and on a
 * POST sent with an `Idempotency-Key`, that key and `Original-Request` (the request that first used
 * it; see ./idempotency.ts). The request is served inside `state.serving`, so the events it causes
 * name it. `Stripe-Account` (Connect) is refused: the emulated account has no connected accounts.
 */
import type { MiddlewareHandler } from 'hono';
import { StripeApiError } from '../errors.ts';
import { newId } from '../objects.ts';
import type { EmulatorState } from '../state.ts';
import type { EmulatorEnv } from './env.ts';

const API_VERSION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export function stripeHeaders(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const requestId = newId('req');
    c.header('Request-Id', requestId);
    c.set('requestId', requestId);
    const asked = c.req.header('stripe-version');
    if (asked !== undefined && !API_VERSION.test(asked)) {
      throw new StripeApiError(400, 'invalid_request_error', `Invalid Stripe API version: ${asked}`);
    }
    const version = asked ?? state.apiVersion;
    c.set('apiVersion', version);
    c.header('Stripe-Version', version);
    const account = c.req.header('stripe-account');
    if (account !== undefined) {
      throw new StripeApiError(403, 'invalid_request_error',
        `The provided key does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`);
    }
    const idempotencyKey = c.req.method === 'POST' ? c.req.header('idempotency-key') ?? null : null;
    if (idempotencyKey) {
      c.header('Idempotency-Key', idempotencyKey);
      c.header('Original-Request', requestId);
    }
    await state.serving({ id: requestId, idempotencyKey }, next);
    // Whatever the request changed (an update emits no event) is kept before the answer leaves.
    state.changed();
  };
}
