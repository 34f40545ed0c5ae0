import { Hono } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { handleWebhookEvent, verifyWebhook } from '../checkout/webhook-handler.ts';
import { limitBody, refuseUnread } from '../http/edge.ts';

/** Stripe's events are a few KB; far below this, and nothing bigger is ever read into memory. */
const MAX_EVENT_BYTES = 256 * 1024;

/** `POST /webhooks/stripe`. A request without a signature is refused before its body is read; the
 * raw body is verified before it is parsed; a bad signature or a malformed event is a 400 that
 * changes nothing; a handler failure is a 500, and an event another host is still handling after a
 * short wait a 409 `event_in_progress`, so that Stripe retries either (it retries any non-2xx). */
export function webhookRoutes(deps: CheckoutDeps, webhookSecret: string) {
  return new Hono().post('/stripe', async (c, next) => {
    if (!c.req.header('stripe-signature')) return refuseUnread(c, new DomainError('signature_invalid', 'Missing Stripe-Signature header.'));
    await next();
  }, limitBody(MAX_EVENT_BYTES), async (c) => {
    const event = verifyWebhook(deps.stripe, await c.req.text(), c.req.header('stripe-signature'), webhookSecret, deps.clock());
    return c.json({ received: true, outcome: await handleWebhookEvent(deps, event) });
  });
}
