/** /v1/refunds: server-only. */
import { Hono } from 'hono';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { listOf } from '../http/list.ts';
import { params } from '../http/params.ts';
import { createRefund, getRefund, listRefunds } from '../refunds.ts';
import { EXPAND_ONLY, REFUND_CREATE, REFUND_LIST } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';

export function refundRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const one = expandable(state, 'refund');
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, params(REFUND_CREATE), one, (c) => c.json(createRefund(state, c.var.form)))
    .get('/', secretKey, params(REFUND_LIST), expandable(state, { list: 'refund' }), (c) => c.json(listOf(listRefunds(state, c.var.form), c.var.form, '/v1/refunds')))
    .get('/:id', secretKey, params(EXPAND_ONLY), one, (c) => c.json(getRefund(state, c.req.param('id'))));
}
