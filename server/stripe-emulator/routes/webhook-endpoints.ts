/** /v1/webhook_endpoints: server-only, as on Stripe. */
import { Hono } from 'hono';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { listOf } from '../http/list.ts';
import { params } from '../http/params.ts';
import { EXPAND_ONLY, NOTHING, WEBHOOK_ENDPOINT_CREATE, WEBHOOK_ENDPOINT_LIST, WEBHOOK_ENDPOINT_UPDATE } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';
import type { WebhookEndpoints } from '../webhook-endpoints.ts';

export function webhookEndpointRoutes(state: EmulatorState, endpoints: WebhookEndpoints): Hono<EmulatorEnv> {
  const one = expandable(state, 'webhook_endpoint');
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, params(WEBHOOK_ENDPOINT_CREATE), one, (c) => c.json(endpoints.create(c.var.form)))
    .get('/', secretKey, params(WEBHOOK_ENDPOINT_LIST), expandable(state, { list: 'webhook_endpoint' }), (c) => c.json(listOf(endpoints.list(), c.var.form, '/v1/webhook_endpoints')))
    .get('/:id', secretKey, params(EXPAND_ONLY), one, (c) => c.json(endpoints.retrieve(c.req.param('id'))))
    .post('/:id', secretKey, params(WEBHOOK_ENDPOINT_UPDATE), one, (c) => c.json(endpoints.update(c.req.param('id'), c.var.form)))
    .delete('/:id', secretKey, params(NOTHING), (c) => c.json(endpoints.remove(c.req.param('id'))));
}
