/**
 * A refund the merchant asks for, full or partial, exactly once. The request is recorded under its
 * idempotency key before Stripe is asked, with the same key, so a double click, a retry after a
 * timeout or two consoles at once refund once. Never more than is left: what Stripe has refunded
 * (any refund, the dashboard's too), and what our own refunds have asked for or made, are taken
 * off what was paid. The order's status and stock then follow from Stripe's charge, through the
 * same handling as its charge.refunded webhook: a partial refund keeps the goods sold. One Stripe
 * never answered stays pending: the next refund of the order asks again first (`askAgain`), and
 * the sweeper (./retry-refunds.ts) asks again once it is idle.
 */
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { z } from 'zod';
import { noControlCharacters } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { refuseOffStep } from '../catalog/charge-step.ts';
import { chargeRefunded } from '../checkout/payment-events.ts';
import { refundMadeEarlier, replacementReason } from '../payments/refund-made-earlier.ts';
import { isChargeDisputed, isPaymentProviderError, providerUnavailable } from '../payments/stripe-errors.ts';
import type { AdminRefund } from '../stores/admin-refund-store.ts';
import type { OrderRecord } from '../stores/order-store.ts';
import type { AdminDeps } from './context.ts';

export const refundRequest = z.object({
  /** Minor units; absent: all that is left. */
  amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  reason: noControlCharacters(z.string().trim().min(1, 'is required').max(500)),
  /** Sent by the console, one per refund the merchant means; absent: made of the order, amount and reason. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8 to 100 letters, digits, _ . : or -').optional(),
});
export type RefundRequest = z.infer<typeof refundRequest>;

const orderNotFound = () => new DomainError('order_not_found', 'No such order.');

/** The same refund asked twice without a key gets the same key: same order, amount and reason. */
function derivedKey(r: RefundRequest): string {
  return `derived:${createHash('sha256').update(`${r.amount ?? 'rest'}\n${r.reason}`).digest('hex').slice(0, 40)}`;
}

/** What may still be refunded: paid, less the most we know was refunded or asked for. */
export async function refundableLeft(deps: AdminDeps, order: OrderRecord, exceptRefundId = 0): Promise<number> {
  const automatic = (await deps.refunds.forOrder(order.id)).filter((r) => r.paymentIntentId === order.paymentIntentId && r.status !== 'refused' && r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
  const asked = await deps.adminRefunds.committed(order.id, exceptRefundId) + automatic;
  return Math.max(0, order.amountPaid - Math.max(order.amountRefunded, asked));
}

function sameRequest(existing: AdminRefund, r: RefundRequest): boolean {
  return existing.reason === r.reason && (r.amount === undefined || r.amount === existing.amount);
}

/** In the write transaction, the order's row locked (two consoles refunding at once queue here):
 * the recorded refund for this key, or a new one within what is left. */
function record(deps: AdminDeps, orderId: string, r: RefundRequest, actor: string): Promise<AdminRefund> {
  return deps.tx(async () => {
    const order = await deps.orders.lockById(orderId);
    if (!order) throw orderNotFound();
    let key = r.idempotencyKey ?? derivedKey(r);
    let existing = await deps.adminRefunds.byKey(order.id, key);
    // Without a key, the same request after its refund failed at Stripe (../checkout/refund-failed.ts)
    // asks for the money again: a new refund, under the next key made of it (a retry of that finds it).
    while (!r.idempotencyKey && existing?.status === 'failed') {
      key = `${derivedKey(r)}:after:${existing.id}`;
      existing = await deps.adminRefunds.byKey(order.id, key);
    }
    if (existing && !sameRequest(existing, r)) {
      throw new DomainError('idempotency_key_reused', 'This idempotency key was used for a different refund of this order.', { refund: existing });
    }
    if (existing && existing.status !== 'refused') return existing;
    const left = await refundableLeft(deps, order, existing?.id);
    const amount = existing?.amount ?? r.amount ?? left;
    if (left === 0 || amount > left) {
      throw new DomainError('refund_exceeds_balance', left === 0 ? `Nothing is left to refund on ${order.number}.`
        : `At most ${left} (minor units) is left to refund on ${order.number}.`, { left });
    }
    if (existing) {
      await deps.adminRefunds.reopen(existing.id, deps.clock());
      return { ...existing, status: 'pending' };
    }
    return deps.adminRefunds.insert({ orderId: order.id, idempotencyKey: key, amount, reason: r.reason, actor, now: deps.clock() });
  });
}

/** Asks Stripe under the refund's key. Refused: recorded, the amount is free again; no answer: it stays pending. */
export async function sendRefund(deps: AdminDeps, order: OrderRecord, refund: AdminRefund): Promise<AdminRefund> {
  try {
    const made = await deps.stripe.refunds.create({
      payment_intent: order.paymentIntentId, amount: refund.amount, reason: 'requested_by_customer',
      metadata: { order_id: order.id, order_number: order.number, admin_refund: String(refund.id), reason: refund.reason.slice(0, 500) },
    }, { idempotencyKey: `admin-refund:${order.id}:${refund.idempotencyKey}` });
    await issued(deps, refund, made.id);
    return { ...refund, status: 'issued', refundId: made.id, lastError: null };
  } catch (err) {
    if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeCardError) {
      await deps.adminRefunds.refused(refund.id, err.message, deps.clock());
      if (isChargeDisputed(err)) {
        throw new DomainError('order_disputed', `${order.number} is disputed: Stripe refunds nothing while the dispute is open. Answer or accept it in the Stripe Dashboard.`);
      }
      throw new DomainError('refund_refused', `Stripe refused the refund: ${err.message}`);
    }
    await deps.adminRefunds.unanswered(refund.id, String(err), deps.clock());
    if (isPaymentProviderError(err)) throw providerUnavailable(err, deps.logger);
    throw err;
  }
}

/** Asks again for a refund Stripe never answered, unless Stripe made it after all (../payments/refund-made-earlier.ts). */
export async function askAgain(deps: AdminDeps, order: OrderRecord, refund: AdminRefund): Promise<AdminRefund> {
  const made = await refundMadeEarlier(deps.stripe, order.paymentIntentId, (r) => r.metadata?.admin_refund === String(refund.id));
  if (!made) return sendRefund(deps, order, refund);
  await issued(deps, refund, made.id);
  return { ...refund, status: 'issued', refundId: made.id, lastError: null };
}

/** Stripe made it: recorded, and if it replaces one of ours that failed meanwhile, the order says so. */
async function issued(deps: AdminDeps, refund: AdminRefund, refundId: string): Promise<void> {
  await deps.tx(async () => {
    const now = deps.clock();
    if (await deps.adminRefunds.issued(refund.id, refundId, now) === 'replaced') await deps.orders.addAttention(refund.orderId, replacementReason(refundId), now);
  });
}

/** The order as Stripe's charge now has it (status, amount refunded, stock on a full refund). */
export async function followCharge(deps: AdminDeps, order: OrderRecord): Promise<void> {
  try {
    const intent = await deps.stripe.paymentIntents.retrieve(order.paymentIntentId, { expand: ['latest_charge'] });
    if (intent.latest_charge && typeof intent.latest_charge !== 'string') await chargeRefunded(deps, intent.latest_charge);
  } catch (err) {
    // The charge.refunded webhook brings the same news.
    deps.logger.warn('could not read the refunded charge; the webhook will update the order', { orderId: order.id, error: String(err) });
  }
}

export async function refundOrder(deps: AdminDeps, orderId: string, r: RefundRequest, actor: string): Promise<{ refund: AdminRefund; order: OrderRecord }> {
  const order = await deps.orders.byId(orderId);
  if (!order) throw orderNotFound();
  if (r.amount !== undefined) refuseOffStep(order.currency, [{ field: 'amount', amount: r.amount }]);
  // Earlier requests that got no answer are asked again first: until Stripe answers, their amount is taken.
  for (const pending of (await deps.adminRefunds.forOrder(order.id)).filter((p) => p.status === 'pending')) await askAgain(deps, order, pending);
  let refund = await record(deps, order.id, r, actor);
  if (refund.status === 'pending') refund = await sendRefund(deps, order, refund);
  await followCharge(deps, order);
  return { refund, order: await deps.orders.byId(order.id) ?? order };
}
