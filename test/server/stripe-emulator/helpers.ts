/** Shared set-up for the emulator's tests: an emulator on a free port, the SDK on it, a webhook receiver. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startStripeEmulator, stripeClientFor, type StripeEmulator, type StripeEmulatorOptions } from '../../../server/stripe-emulator/index.ts';

export interface Harness {
  emulator: StripeEmulator;
  /** The SDK with the secret key, as a server uses it. */
  stripe: Stripe;
  /** The SDK with the publishable key: what Stripe.js may do (raw card numbers, for one). */
  browser: Stripe;
}

/**
 * An emulator on free ports. What happens later on Stripe's side (settling, async capture,
 * disputes) waits for `emulator.tasks.flush()` unless a test sets `taskDelays`, so event sequences
 * don't depend on timing.
 */
export async function startHarness(o: StripeEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startStripeEmulator({ port: 0, taskDelays: { settleAfterMs: 600_000, captureAfterMs: 600_000, disputeAfterMs: 600_000, refundFailAfterMs: 600_000 }, ...o });
  return { emulator, stripe: stripeClientFor(emulator.url, emulator.secretKey), browser: stripeClientFor(emulator.url, emulator.publishableKey) };
}

/** Where a server-side confirm says the shopper comes back to (Stripe requires one with automatic payment methods). */
export const RETURN_URL = 'https://shop.example/checkout/done';

/** For intents confirmed server-side with cards only: no redirect methods, so no `return_url` needed. */
export const CARDS_ONLY = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } as const;

/** What a call was refused with, as the SDK raises it; fails the test if it wasn't refused. */
export async function refusalOf(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(error instanceof Stripe.errors.StripeError, String(error));
  return error;
}

/** A card PaymentMethod from a raw test number, as Stripe.js creates it (with the publishable key). */
export function cardMethod(h: Harness, number: string): Promise<Stripe.PaymentMethod> {
  return h.browser.paymentMethods.create({ type: 'card', card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' } });
}

/** The types of the events about one PaymentIntent (itself or its charges), oldest first. */
export async function eventTypesFor(stripe: Stripe, intentId: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  return events
    .filter((e) => {
      const object = e.data.object as { id?: string; payment_intent?: string | null };
      return object.id === intentId || object.payment_intent === intentId;
    })
    .map((e) => e.type)
    .reverse();
}

export interface ReceivedWebhook { body: string; signature: string }

/** A local HTTP endpoint that records each delivery and answers with `status(n)` for the n-th (1-based). */
export async function startReceiver(status: (n: number) => number | 'hang' = () => 200) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<IncomingMessage>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
    const answer = status(received.length);
    if (answer === 'hang') {
      hanging.add(req);
      return;
    }
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A Stripe API request without the SDK, for what the SDK would never send. */
export async function rawRequest(emulatorUrl: string, method: string, path: string, o: { key?: string; body?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(emulatorUrl + path, {
    method,
    headers: {
      ...(o.key ? { Authorization: `Bearer ${o.key}` } : {}),
      ...(o.body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      ...o.headers,
    },
    body: o.body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: Record<string, unknown> } & Record<string, unknown> };
}
