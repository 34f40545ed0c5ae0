/**
 * Going live (`npm run stripe:setup`): the webhook endpoint for `${PUBLIC_URL}/webhooks/stripe` on
 * the Stripe account of the key given, created or found through the SDK, listening to exactly the
 * events the server handles (WEBHOOK_EVENTS) and enabled. Stripe returns an endpoint's signing
 * secret only in the answer that creates it (https://docs.stripe.com/api/webhook_endpoints/create),
 * so a found endpoint's secret can't be read back: `recreate` replaces the endpoint (and every
 * other one for the URL) with a new one, whose secret is then printed.
 */
import type Stripe from 'stripe';
import { WEBHOOK_EVENTS } from './webhook-endpoint.ts';

export interface LiveEndpoint {
  endpoint: Stripe.WebhookEndpoint;
  /** Only for an endpoint made now. */
  secret: string | null;
  action: 'created' | 'recreated' | 'updated' | 'unchanged';
  /** Other endpoints for the same URL, left alone (each would deliver every event again, signed with its own secret). */
  duplicates: string[];
}

const sameEvents = (a: readonly string[]) => [...a].sort().join() === [...WEBHOOK_EVENTS].sort().join();

export async function setUpLiveEndpoint(stripe: Stripe, url: string, o: { recreate?: boolean } = {}): Promise<LiveEndpoint> {
  const forUrl: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) if (endpoint.url === url) forUrl.push(endpoint);
  const create = async (action: 'created' | 'recreated'): Promise<LiveEndpoint> => {
    const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: WEBHOOK_EVENTS, description: 'drop-in checkout' });
    return { endpoint, secret: endpoint.secret ?? null, action, duplicates: [] };
  };
  if (o.recreate) {
    for (const old of forUrl) await stripe.webhookEndpoints.del(old.id);
    return create(forUrl.length > 0 ? 'recreated' : 'created');
  }
  const [kept, ...others] = forUrl;
  if (!kept) return create('created');
  const duplicates = others.map((e) => e.id);
  if (sameEvents(kept.enabled_events) && kept.status === 'enabled') return { endpoint: kept, secret: null, action: 'unchanged', duplicates };
  const endpoint = await stripe.webhookEndpoints.update(kept.id, { enabled_events: WEBHOOK_EVENTS, disabled: false });
  return { endpoint, secret: null, action: 'updated', duplicates };
}
