/** /v1/customers: server-only. */
import { Hono } from 'hono';
import { createCustomer, deleteCustomer, retrieveCustomer, updateCustomer } from '../customers.ts';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { params } from '../http/params.ts';
import { CUSTOMER_CREATE, CUSTOMER_UPDATE, EXPAND_ONLY, NOTHING } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';

export function customerRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const one = expandable(state, 'customer');
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, params(CUSTOMER_CREATE), one, (c) => c.json(createCustomer(state, c.var.form)))
    .get('/:id', secretKey, params(EXPAND_ONLY), one, (c) => c.json(retrieveCustomer(state, c.req.param('id'))))
    .delete('/:id', secretKey, params(NOTHING), (c) => c.json(deleteCustomer(state, c.req.param('id'))))
    .post('/:id', secretKey, params(CUSTOMER_UPDATE), one, (c) => c.json(updateCustomer(state, c.req.param('id'), c.var.form)));
}
