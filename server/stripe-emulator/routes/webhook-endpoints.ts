/** /v1/webhook_endpoints: server-only, as on Stripe. */
import { Hono } from 'hono';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { listOf } from '../http/list.ts';
import type { WebhookEndpoints } from '../webhook-endpoints.ts';

export function webhookEndpointRoutes(endpoints: WebhookEndpoints): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .post('/', secretKey, (c) => c.json(endpoints.create(c.var.form)))
    .get('/', secretKey, (c) => c.json(listOf(endpoints.list(), c.var.form, '/v1/webhook_endpoints')))
    .get('/:id', secretKey, (c) => c.json(endpoints.retrieve(c.req.param('id'))))
    .post('/:id', secretKey, (c) => c.json(endpoints.update(c.req.param('id'), c.var.form)))
    .delete('/:id', secretKey, (c) => c.json(endpoints.remove(c.req.param('id'))));
}
