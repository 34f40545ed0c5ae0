/** /v1/charges, read-only: server-only. Charges are made by confirming PaymentIntents. */
import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import type { EmulatorState } from '../state.ts';

export function chargeRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .get('/:id', secretKey, (c) => {
      const charge = state.charges.get(c.req.param('id'));
      if (!charge) throw notFound('charge', c.req.param('id'));
      return c.json(charge);
    });
}
