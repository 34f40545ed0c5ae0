/**
 * The sweeper's pass over refunds the merchant asked for that Stripe never answered (a network
 * error, a timeout, a process stopped mid-request). Each is asked again under its own idempotency
 * key, so Stripe makes it once however often it is asked, and claimed first, so of any number of
 * sweeping processes one asks, through `askAgain`, which first looks for the refund among those
 * Stripe made (its idempotency keys don't last forever).
 */
import type { AdminDeps } from './context.ts';
import { askAgain, followCharge } from './refund-order.ts';

/**
 * A refund nobody touched for this long has no request in flight: the console's request and its
 * SDK retries end well within it (the SDK's default timeout is 80 s), and a claim holds it as long.
 */
export const REFUND_RETRY_IDLE_MS = 5 * 60_000;

/** Asks Stripe again for every idle pending refund this process claims; resolves with how many Stripe made. */
export async function retryAdminRefunds(deps: AdminDeps): Promise<number> {
  const idleBefore = deps.clock() - REFUND_RETRY_IDLE_MS;
  let issued = 0;
  for (const refund of await deps.adminRefunds.idlePending(idleBefore)) {
    if (!await deps.adminRefunds.claim(refund.id, idleBefore, deps.clock())) continue;
    const order = await deps.orders.byId(refund.orderId);
    if (!order) continue;
    try {
      await askAgain(deps, order, refund);
      await followCharge(deps, order);
      issued++;
    } catch (err) {
      deps.logger.warn('could not refund an order yet; will try again', { orderId: order.id, adminRefundId: refund.id, error: String(err) });
    }
  }
  return issued;
}
