/**
 * Stripe's webhooks, verified and recorded before anything happens. Stripe delivers at least
 * once and in no fixed order, so: an event already processed is acknowledged and ignored, every
 * handler is idempotent, and a handler failure leaves the event unprocessed for Stripe's retry.
 */
import type Stripe from 'stripe';
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutDeps } from './context.ts';
import { fulfil } from './fulfil.ts';
import { chargeRefunded, paymentCanceled, paymentFailed } from './payment-events.ts';

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

export async function handleWebhookEvent(deps: CheckoutDeps, event: Stripe.Event): Promise<'processed' | 'duplicate' | 'ignored'> {
  const seen = deps.db.prepare('SELECT processed_at FROM webhook_events WHERE id = ?').get(event.id) as { processed_at: number | null } | undefined;
  if (seen?.processed_at) return 'duplicate';
  if (!seen) deps.db.prepare('INSERT OR IGNORE INTO webhook_events (id, type, received_at) VALUES (?, ?, ?)').run(event.id, event.type, deps.clock());

  let outcome: 'processed' | 'ignored' = 'processed';
  switch (event.type) {
    case 'payment_intent.succeeded':
      await fulfil(deps, event.data.object);
      break;
    case 'payment_intent.payment_failed':
      await paymentFailed(deps, event.data.object, event.id);
      break;
    case 'payment_intent.canceled':
      paymentCanceled(deps, event.data.object);
      break;
    case 'charge.refunded':
      chargeRefunded(deps, event.data.object);
      break;
    default:
      outcome = 'ignored';
  }
  deps.db.prepare('UPDATE webhook_events SET processed_at = ? WHERE id = ?').run(deps.clock(), event.id);
  return outcome;
}
