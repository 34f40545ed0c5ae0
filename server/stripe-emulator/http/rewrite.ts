/** Rewrites a route's successful (or failed) JSON answer after it ran: expansions, the publishable-key subset. */
import type { Context } from 'hono';
import type { EmulatorEnv } from './env.ts';

export async function rewriteJson(c: Context<EmulatorEnv>, rewrite: (body: unknown) => unknown): Promise<void> {
  if (!c.res.headers.get('content-type')?.includes('application/json')) return;
  const body = rewrite(await c.res.json());
  const headers = new Headers(c.res.headers);
  headers.delete('content-length');
  c.res = new Response(JSON.stringify(body), { status: c.res.status, headers });
}
