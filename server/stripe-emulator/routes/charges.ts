/** /v1/charges: server-only. */
import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { params } from '../http/params.ts';
import { EXPAND_ONLY } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';

export function chargeRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .get('/:id', secretKey, params(EXPAND_ONLY), expandable(state, 'charge'), (c) => {
      const charge = state.charges.get(c.req.param('id'));
      if (!charge) throw notFound('charge', c.req.param('id'));
      return c.json(charge);
    });
}
