/**
 * Stripe's webhooks, verified and recorded before anything happens. Stripe delivers at least
 * once and in no fixed order, so: an event already processed is acknowledged and ignored, every
 * handler is idempotent, and a handler failure leaves the event unprocessed for Stripe's retry.
 */
import type Stripe from 'stripe';
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutDeps } from './context.ts';
import { fulfil } from './fulfil.ts';
import { chargeDisputed } from './disputes.ts';
import { chargeRefunded, paymentCanceled, paymentFailed, paymentProcessing } from './payment-events.ts';

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
const handledShapes = new Map<string, z.ZodType>([
  ['payment_intent.succeeded', paymentIntentShape],
  ['payment_intent.processing', paymentIntentShape],
  ['charge.dispute.created', disputeShape],
  ['payment_intent.payment_failed', paymentIntentShape],
  ['payment_intent.canceled', paymentIntentShape],
  ['charge.refunded', chargeShape],
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
 * Copies of one event delivered to this process at the same time are handled one after the other:
 * the later copy waits, then finds the event processed (a duplicate) or, if the first failed,
 * handles it itself. (Copies on two hosts may both handle it: every handler is idempotent, and
 * fulfilment locks its checkout, so that changes nothing but the outcome both report.)
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

async function handleOnce(deps: CheckoutDeps, event: Stripe.Event): Promise<'processed' | 'duplicate' | 'ignored'> {
  if (!await deps.webhookEvents.receive(event.id, event.type, deps.clock())) return 'duplicate';

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
    default:
      outcome = 'ignored';
  }
  await deps.webhookEvents.processed(event.id, deps.clock());
  return outcome;
}
