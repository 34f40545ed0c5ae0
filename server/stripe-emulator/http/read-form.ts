/** Reads the form-encoded body (POST) or query (GET) once, for auth, idempotency and the route. */
import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from './env.ts';
import { parseForm } from './form.ts';

export const readForm: MiddlewareHandler<EmulatorEnv> = async (c, next) => {
  const rawBody = c.req.method === 'GET' ? '' : await c.req.text();
  const params = c.req.method === 'GET' ? new URL(c.req.url).searchParams : new URLSearchParams(rawBody);
  c.set('rawBody', rawBody);
  c.set('form', parseForm(params));
  await next();
};
