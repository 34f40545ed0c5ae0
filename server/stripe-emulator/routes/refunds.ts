/** /v1/refunds and /v1/charges (read-only): server-only. */
import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { createRefund, getRefund } from '../refunds.ts';
import type { EmulatorState } from '../state.ts';

export function refundRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, (c) => c.json(createRefund(state, c.var.form)))
    .get('/:id', secretKey, (c) => c.json(getRefund(state, c.req.param('id'))));
}

export function chargeRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .get('/:id', secretKey, (c) => {
      const charge = state.charges.get(c.req.param('id'));
      if (!charge) throw notFound('charge', c.req.param('id'));
      return c.json(charge);
    });
}
