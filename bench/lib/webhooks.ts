/**
 * Paid PaymentIntents as Stripe reports them: signed `payment_intent.succeeded` events for
 * checkouts made through the API, sent with a fixed number in flight.
 */
import http from 'node:http';
import Stripe from 'stripe';
import { US_SHIPPING } from '../../test/helpers/shipping.ts';
import { api, inParallel, makeCart, WEBHOOK_SECRET } from './shop.ts';

export const WEBHOOK_IN_FLIGHT = 8;

export interface Checkout { checkoutId: string; paymentIntentId: string; amount: number; currency: string }

/** Checkouts for 1 tee and 2 mugs with WELCOME15, each from a cart of its own, 8 made at a time. */
export async function makeCheckouts(url: string, count: number): Promise<Checkout[]> {
  const made: Checkout[] = [];
  await inParallel(count, 8, async (i) => {
    const cartId = await makeCart(url, [['tee-black', 1], ['mug-stone', 2]], 'WELCOME15');
    const c = await api<{ checkoutId: string; clientSecret: string; amount: number; currency: string }>(url, 'POST', `/api/carts/${cartId}/checkout`, { email: `bench-${i}@example.com`, shipping: US_SHIPPING });
    made.push({ checkoutId: c.checkoutId, paymentIntentId: c.clientSecret.split('_secret_')[0]!, amount: c.amount, currency: c.currency });
  });
  return made;
}

const signer = new Stripe('sk_test_bench_signing_only');
let eventSeq = 0;

/** Signed `payment_intent.succeeded` events, `WEBHOOK_IN_FLIGHT` at a time; orders made per second. */
export async function sendSucceeded(url: string, checkouts: readonly Checkout[]): Promise<{ perSecond: number; processed: number; failures: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WEBHOOK_IN_FLIGHT });
  const target = new URL('/webhooks/stripe', url);
  let processed = 0;
  let failures = 0;
  const post = (payload: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': header, 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('webhook timed out')));
    req.once('error', reject);
    req.end(payload);
  });
  const started = performance.now();
  await inParallel(checkouts.length, WEBHOOK_IN_FLIGHT, async (i) => {
    const c = checkouts[i]!;
    const payload = JSON.stringify({
      id: `evt_bench_${process.pid}_${++eventSeq}`, object: 'event', type: 'payment_intent.succeeded', api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null },
      data: { object: {
        id: c.paymentIntentId, object: 'payment_intent', status: 'succeeded', amount: c.amount, amount_received: c.amount,
        currency: c.currency.toLowerCase(), metadata: { checkout_id: c.checkoutId }, livemode: false,
      } },
    });
    try {
      const res = await post(payload);
      if (res.status === 200 && res.body.includes('"processed"')) processed++;
      else failures++;
    } catch {
      failures++;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: processed / seconds, processed, failures };
}

