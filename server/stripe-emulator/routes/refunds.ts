/** /v1/refunds: server-only. */
import { Hono } from 'hono';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { listOf } from '../http/list.ts';
import { createRefund, getRefund, listRefunds } from '../refunds.ts';
import type { EmulatorState } from '../state.ts';

export function refundRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, (c) => c.json(createRefund(state, c.var.form)))
    .get('/', secretKey, (c) => c.json(listOf(listRefunds(state, c.var.form), c.var.form, '/v1/refunds')))
    .get('/:id', secretKey, (c) => c.json(getRefund(state, c.req.param('id'))));
}
