/** /v1/customers: server-only. */
import { Hono } from 'hono';
import { createCustomer, deleteCustomer, retrieveCustomer, updateCustomer } from '../customers.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import type { EmulatorState } from '../state.ts';

export function customerRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, (c) => c.json(createCustomer(state, c.var.form)))
    .get('/:id', secretKey, (c) => c.json(retrieveCustomer(state, c.req.param('id'))))
    .delete('/:id', secretKey, (c) => c.json(deleteCustomer(state, c.req.param('id'))))
    .post('/:id', secretKey, (c) => c.json(updateCustomer(state, c.req.param('id'), c.var.form)));
}
