import { Hono } from 'hono';
import type { CheckoutDeps } from '../checkout/context.ts';
import { handleWebhookEvent, verifyWebhook } from '../checkout/webhook-handler.ts';

/** `POST /webhooks/stripe`. The raw body is verified before it is parsed; a bad signature is a
 * 400 that changes nothing; a handler failure is a 500 so that Stripe retries. */
export function webhookRoutes(deps: CheckoutDeps, webhookSecret: string): Hono {
  return new Hono().post('/stripe', async (c) => {
    const event = verifyWebhook(deps.stripe, await c.req.text(), c.req.header('stripe-signature'), webhookSecret, deps.clock());
    return c.json({ received: true, outcome: await handleWebhookEvent(deps, event) });
  });
}
