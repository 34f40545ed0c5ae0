/**
 * This server's webhook endpoint on a Stripe it did not start (STRIPE_API_URL): found or created
 * through the SDK, as one would on Stripe. Stripe shows an endpoint's signing secret only in the
 * answer that creates it (https://docs.stripe.com/api/webhook_endpoints/object), so the endpoint's
 * id and secret are kept in the database, which every server process behind one PUBLIC_URL shares:
 * the first process creates the endpoint; the others, and every restart, read its secret back.
 * When two processes create one at the same moment, one wins the compare-and-set in the database
 * and the other deletes its own, so the URL ends with exactly one endpoint and every process
 * verifies with the secret it is signed with.
 */
import type Stripe from 'stripe';
import { sql, type Db } from '../db/database.ts';
import { isResourceMissing } from './stripe-errors.ts';

/** What the webhook route acts on (server/checkout/webhook-handler.ts); Stripe sends nothing else. */
export const WEBHOOK_EVENTS: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = [
  'payment_intent.succeeded', 'payment_intent.processing', 'payment_intent.payment_failed', 'payment_intent.canceled',
  'charge.refunded', 'charge.dispute.created', 'refund.failed', 'refund.updated', 'charge.refund.updated',
];

export interface WebhookEndpointRecord { id: string; secret: string }

export async function ensureWebhookEndpoint(stripe: Stripe, db: Db, url: string): Promise<WebhookEndpointRecord> {
  const key = `stripe_webhook_endpoint ${url}`;
  const read = async () => {
    const value = await db.value<string>(sql`SELECT value FROM settings WHERE key = ${key}`);
    return value === undefined ? undefined : (JSON.parse(value) as WebhookEndpointRecord);
  };

  const known = await read();
  if (known && await stillServes(stripe, known.id, url)) return known;

  const created = await stripe.webhookEndpoints.create({ url, enabled_events: WEBHOOK_EVENTS, description: 'drop-in checkout' });
  // Stripe returns the secret only on creation, and always then.
  if (!created.secret) throw new Error(`webhook endpoint ${created.id} was created without a signing secret`);
  const mine: WebhookEndpointRecord = { id: created.id, secret: created.secret };
  const won = known
    ? await db.run(sql`UPDATE settings SET value = ${JSON.stringify(mine)} WHERE key = ${key} AND value = ${JSON.stringify(known)}`) === 1
    : await db.run(sql`INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(mine)}) ON CONFLICT DO NOTHING`) === 1;
  if (!won) {
    await deleteEndpoint(stripe, created.id);
    const winner = await read();
    if (!winner) throw new Error('another process registered the webhook endpoint, but its record is gone');
    return winner;
  }
  // Endpoints for this URL whose secret nobody kept (a database started afresh, a process that died
  // between create and store) would post events this server can't verify: remove them.
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    if (endpoint.url === url && endpoint.id !== mine.id) await deleteEndpoint(stripe, endpoint.id);
  }
  return mine;
}

/**
 * The endpoint still exists for this URL (a restarted emulator has forgotten it). Events this
 * server has learnt to handle since are added; a disabled endpoint stays as its operator left it.
 */
async function stillServes(stripe: Stripe, id: string, url: string): Promise<boolean> {
  let endpoint: Stripe.WebhookEndpoint;
  try {
    endpoint = await stripe.webhookEndpoints.retrieve(id);
  } catch (err) {
    if (isResourceMissing(err)) return false;
    throw err;
  }
  if (endpoint.url !== url) return false;
  const missing = WEBHOOK_EVENTS.filter((type) => !endpoint.enabled_events.includes(type) && !endpoint.enabled_events.includes('*'));
  if (missing.length > 0) {
    await stripe.webhookEndpoints.update(id, { enabled_events: [...endpoint.enabled_events, ...missing] as typeof WEBHOOK_EVENTS });
  }
  return true;
}

/** Deleted already (by the process that won, or by a cleanup) is as good as deleted now. */
async function deleteEndpoint(stripe: Stripe, id: string): Promise<void> {
  try {
    await stripe.webhookEndpoints.del(id);
  } catch (err) {
    if (!isResourceMissing(err)) throw err;
  }
}
