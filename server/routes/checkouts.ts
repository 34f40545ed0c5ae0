import { Hono } from 'hono';
import { isOpenCheckoutStatus } from '../../shared/api.ts';
import { streamSSE } from 'hono/streaming';
import { checkoutNotFound, checkoutState, reconcile, toState } from '../checkout/checkout-status.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { validated } from '../http/validate.ts';
import { z } from 'zod';

const checkoutParam = validated('param', z.object({ id: z.string().regex(/^chk_[A-Za-z0-9_-]{22}$/) }), checkoutNotFound);
/** A recovery link's token. Its signature is its real check (LinkTokens.verify); here it is only read. */
export const retryTokenParam = validated('param', z.object({ token: z.string() }));
/** A stream ends by itself after this; the widget reconnects or falls back to polling. */
const STREAM_LIFETIME_MS = 5 * 60_000;
const HEARTBEAT_MS = 15_000;

/** `/api/checkouts/*`: status, its live stream, and the retry page's lookup. */
export function checkoutRoutes(deps: CheckoutDeps) {
  return new Hono()
    .get('/retry/:token', retryTokenParam, async (c) => {
      const checkoutId = deps.tokens.verify(c.req.valid('param').token, deps.clock());
      // Reconciled like the status read: the page's widget must not be handed a paid PaymentIntent to pay.
      return c.json(await reconcile(deps, checkoutId));
    })
    .get('/:id', checkoutParam, async (c) => c.json(await reconcile(deps, c.req.valid('param').id)))
    .get('/:id/events', checkoutParam, async (c) => {
      const checkoutId = c.req.valid('param').id;
      const first = await checkoutState(deps, checkoutId);
      // Hono answers a HEAD with the GET's headers and drops its body unread and uncancelled, so a
      // stream begun for one would run, subscribed and ticking, for its whole lifetime.
      if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      return streamSSE(c, async (stream) => {
        let last = '';
        const send = async () => {
          const checkout = await deps.checkouts.byId(checkoutId);
          if (!checkout) return;
          // A failure may be old news: Stripe delivers events late and in any order, so a decline's
          // webhook can land after the next card paid. Stripe is asked before a failure is reported.
          const state = checkout.status === 'failed' ? await reconcile(deps, checkoutId).catch(() => toState(deps, checkout)) : await toState(deps, checkout);
          const data = JSON.stringify(state);
          if (data !== last) {
            last = data;
            await stream.writeSSE({ event: 'status', data });
          }
          if (!isOpenCheckoutStatus(state.status)) done();
        };
        let done: () => void = () => {};
        const finished = new Promise<void>((resolve) => { done = resolve; });
        // A read that fails (the database unreachable) ends the stream rather than leave it open on
        // its last state: the widget then reconnects or polls, and reads the state afresh.
        const unsubscribe = deps.bus.subscribe(checkoutId, () => void send().catch(done));
        const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const lifetime = setTimeout(done, STREAM_LIFETIME_MS);
        stream.onAbort(done);
        if (!isOpenCheckoutStatus(first.status)) await send();
        else await reconcile(deps, checkoutId).then(send, send);
        await finished;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
      });
    });
}
