/**
 * The sweeper's pass over refunds the merchant asked for that Stripe never answered (a network
 * error, a timeout, a process stopped mid-request). Each is asked again under its own idempotency
 * key, so Stripe makes it once however often it is asked, and claimed first, so of any number of
 * sweeping processes one asks. Before asking, Stripe's refunds for the payment are read: Stripe
 * keeps idempotency keys for at least 24 hours only (https://docs.stripe.com/api/idempotent_requests),
 * and a refund pending longer may have been made under a key Stripe has since forgotten.
 */
import type { AdminRefund } from '../stores/admin-refund-store.ts';
import type { OrderRecord } from '../stores/order-store.ts';
import type { AdminDeps } from './context.ts';
import { followCharge, sendRefund } from './refund-order.ts';

/**
 * A refund nobody touched for this long has no request in flight: the console's request and its
 * SDK retries end well within it (the SDK's default timeout is 80 s), and a claim holds it as long.
 */
export const REFUND_RETRY_IDLE_MS = 5 * 60_000;

/** The Stripe refund already made for this request (its metadata names it), if any. */
async function madeAlready(deps: AdminDeps, order: OrderRecord, refund: AdminRefund): Promise<string | null> {
  const made = await deps.stripe.refunds.list({ payment_intent: order.paymentIntentId, limit: 100 });
  return made.data.find((r) => r.metadata?.admin_refund === String(refund.id))?.id ?? null;
}

/** Asks Stripe again for every idle pending refund this process claims; resolves with how many Stripe made. */
export async function retryAdminRefunds(deps: AdminDeps): Promise<number> {
  const idleBefore = deps.clock() - REFUND_RETRY_IDLE_MS;
  let issued = 0;
  for (const refund of await deps.adminRefunds.idlePending(idleBefore)) {
    if (!await deps.adminRefunds.claim(refund.id, idleBefore, deps.clock())) continue;
    const order = await deps.orders.byId(refund.orderId);
    if (!order) continue;
    try {
      const made = await madeAlready(deps, order, refund);
      if (made) await deps.adminRefunds.issued(refund.id, made, deps.clock());
      else await sendRefund(deps, order, refund);
      await followCharge(deps, order);
      issued++;
    } catch (err) {
      deps.logger.warn('could not refund an order yet; will try again', { orderId: order.id, adminRefundId: refund.id, error: String(err) });
    }
  }
  return issued;
}
