import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { checkoutNotFound, checkoutState, reconcile, toState } from '../checkout/checkout-status.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { param } from '../http/validate.ts';
import { z } from 'zod';

const checkoutIdParam = z.string().regex(/^chk_[A-Za-z0-9_-]{22}$/);
const FINAL = new Set(['paid', 'needs_attention', 'canceled']);
/** A stream ends by itself after this; the widget reconnects or falls back to polling. */
const STREAM_LIFETIME_MS = 5 * 60_000;
const HEARTBEAT_MS = 15_000;

/** `/api/checkouts/*`: status, its live stream, and the retry page's lookup. */
export function checkoutRoutes(deps: CheckoutDeps): Hono {
  const id = (value: string | undefined) => param(checkoutIdParam, value, checkoutNotFound());
  return new Hono()
    .get('/retry/:token', (c) => {
      const checkoutId = deps.tokens.verify(c.req.param('token'), deps.clock());
      return c.json(checkoutState(deps, checkoutId));
    })
    .get('/:id', async (c) => c.json(await reconcile(deps, id(c.req.param('id')))))
    .get('/:id/events', (c) => {
      const checkoutId = id(c.req.param('id'));
      const first = checkoutState(deps, checkoutId);
      return streamSSE(c, async (stream) => {
        let last = '';
        const send = async () => {
          const checkout = deps.checkouts.byId(checkoutId);
          if (!checkout) return;
          const state = toState(deps, checkout);
          const data = JSON.stringify(state);
          if (data !== last) {
            last = data;
            await stream.writeSSE({ event: 'status', data });
          }
          if (FINAL.has(state.status)) done();
        };
        let done: () => void = () => {};
        const finished = new Promise<void>((resolve) => { done = resolve; });
        const unsubscribe = deps.bus.subscribe(checkoutId, () => void send());
        const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const lifetime = setTimeout(done, STREAM_LIFETIME_MS);
        stream.onAbort(done);
        if (FINAL.has(first.status)) await send();
        else await reconcile(deps, checkoutId).then(send, send);
        await finished;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
      });
    });
}
