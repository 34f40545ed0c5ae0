/**
 * Stripe's webhooks, verified and recorded before anything happens. Stripe delivers at least
 * once and in no fixed order, so: an event already processed is acknowledged and ignored, one
 * host at a time handles it (a claim in the database), every handler is idempotent, and a handler
 * failure leaves the event unprocessed for Stripe's retry.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type Stripe from 'stripe';
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import type { EventClaim } from '../stores/webhook-event-store.ts';
import type { CheckoutDeps } from './context.ts';
import { fulfil } from './fulfil.ts';
import { chargeDisputed } from './disputes.ts';
import { chargeRefunded, paymentCanceled, paymentFailed, paymentProcessing } from './payment-events.ts';
import { refundFailed } from './refund-failed.ts';

/** Signatures older than this are refused, so a captured request can't be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function verifyWebhook(stripe: Stripe, rawBody: string, signature: string | undefined, secret: string, now: number): Stripe.Event {
  if (!signature) throw new DomainError('signature_invalid', 'Missing Stripe-Signature header.');
  try {
    return stripe.webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, now);
  } catch {
    throw new DomainError('signature_invalid', 'The webhook signature is invalid or too old.');
  }
}

/** The fields the handlers read, per event type: a signed event without them is refused, not a crash. */
const paymentIntentShape = z.looseObject({ object: z.literal('payment_intent'), id: z.string(), status: z.string(), amount: z.number().int(), currency: z.string() });
const chargeShape = z.looseObject({ object: z.literal('charge'), id: z.string(), amount: z.number().int(), amount_refunded: z.number().int() });
const disputeShape = z.looseObject({
  object: z.literal('dispute'), id: z.string(), amount: z.number().int(), currency: z.string(), reason: z.string(), status: z.string(),
  charge: z.union([z.string(), z.looseObject({ id: z.string() })]), payment_intent: z.union([z.string(), z.looseObject({ id: z.string() }), z.null()]),
  evidence_details: z.looseObject({ due_by: z.number().int().nullable() }),
});
const expandable = z.union([z.string(), z.looseObject({ id: z.string() }), z.null()]);
const refundShape = z.looseObject({
  object: z.literal('refund'), id: z.string(), amount: z.number().int(), currency: z.string(), status: z.string().nullable(),
  payment_intent: expandable, charge: expandable, failure_reason: z.string().nullable().optional(),
});
const handledShapes = new Map<string, z.ZodType>([
  ['payment_intent.succeeded', paymentIntentShape],
  ['payment_intent.processing', paymentIntentShape],
  ['charge.dispute.created', disputeShape],
  ['payment_intent.payment_failed', paymentIntentShape],
  ['payment_intent.canceled', paymentIntentShape],
  ['charge.refunded', chargeShape],
  ['refund.failed', refundShape],
  ['refund.updated', refundShape],
  ['charge.refund.updated', refundShape],
]);

const envelope = z.looseObject({ id: z.string().min(1), type: z.string(), data: z.looseObject({ object: z.unknown() }).optional() });

function checkShape(event: unknown): void {
  const parsed = envelope.safeParse(event);
  const shape = parsed.success ? handledShapes.get(parsed.data.type) : undefined;
  if (!parsed.success || (shape && !shape.safeParse(parsed.data.data?.object).success)) {
    throw new DomainError('bad_request', 'The event is missing its id or type, or its data.object is not what its type needs.');
  }
}

/** Events this process is handling now, per event store (one per server). */
const handling = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * How long a copy that finds its event claimed by another host waits for that host to finish.
 * Handling takes milliseconds, so nearly always the copy then answers 200 `duplicate`; past this
 * it answers 409 `event_in_progress`, which Stripe retries like any non-2xx answer, so the event
 * is never acknowledged by a host that neither handled it nor saw it handled.
 */
export const CLAIM_WAIT_MS = 2_000;

/**
 * Copies of one event delivered to this process at the same time are handled one after the other:
 * the later copy waits, then finds the event processed (a duplicate) or, if the first failed,
 * handles it itself. Copies on other hosts meet this one's claim in the database (handleOnce).
 */
export async function handleWebhookEvent(deps: CheckoutDeps, event: Stripe.Event): Promise<'processed' | 'duplicate' | 'ignored'> {
  checkShape(event);
  let inFlight = handling.get(deps.webhookEvents);
  if (!inFlight) handling.set(deps.webhookEvents, (inFlight = new Map()));
  for (let running = inFlight.get(event.id); running; running = inFlight.get(event.id)) await running.catch(() => undefined);
  const work = handleOnce(deps, event);
  inFlight.set(event.id, work);
  try {
    return await work;
  } finally {
    if (inFlight.get(event.id) === work) inFlight.delete(event.id);
  }
}

/** Claims the event, asking again for up to CLAIM_WAIT_MS while another host holds it. */
async function claimOrWait(deps: CheckoutDeps, event: Stripe.Event): Promise<EventClaim> {
  const giveUpAt = performance.now() + CLAIM_WAIT_MS;
  for (let pause = 20; ; pause = Math.min(pause * 2, 200)) {
    const claim = await deps.webhookEvents.claim(event.id, event.type, deps.clock());
    if (claim.state !== 'busy' || performance.now() + pause > giveUpAt) return claim;
    await delay(pause);
  }
}

async function handleOnce(deps: CheckoutDeps, event: Stripe.Event): Promise<'processed' | 'duplicate' | 'ignored'> {
  const claim = await claimOrWait(deps, event);
  if (claim.state === 'processed') return 'duplicate';
  if (claim.state === 'busy') throw new DomainError('event_in_progress', 'Another server is handling this event now; deliver it again later.');
  try {
    const outcome = await dispatch(deps, event);
    await deps.webhookEvents.processed(event.id, deps.clock());
    return outcome;
  } catch (err) {
    // Failed: the next copy (Stripe's retry, or one waiting on another host) may take it over at once.
    await deps.webhookEvents.release(event.id, claim.token).catch(() => undefined);
    throw err;
  }
}

/** Runs the event's handler. */
async function dispatch(deps: CheckoutDeps, event: Stripe.Event): Promise<'processed' | 'ignored'> {
  let outcome: 'processed' | 'ignored' = 'processed';
  switch (event.type) {
    case 'payment_intent.succeeded':
      await fulfil(deps, event.data.object);
      break;
    case 'payment_intent.processing':
      await paymentProcessing(deps, event.data.object);
      break;
    case 'charge.dispute.created':
      await chargeDisputed(deps, event.data.object);
      break;
    case 'payment_intent.payment_failed':
      await paymentFailed(deps, event.data.object, event.id);
      break;
    case 'payment_intent.canceled':
      await paymentCanceled(deps, event.data.object);
      break;
    case 'charge.refunded':
      await chargeRefunded(deps, event.data.object);
      break;
    // One failure, told up to three ways (Stripe's API version and the payment method decide which): handled once.
    case 'refund.failed':
    case 'refund.updated':
    case 'charge.refund.updated':
      await refundFailed(deps, event.data.object);
      break;
    default:
      outcome = 'ignored';
  }
  return outcome;
}
