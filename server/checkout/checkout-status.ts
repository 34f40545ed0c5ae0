/**
 * `GET /api/checkouts/:id`: the stored state, reconciled with Stripe while it is still open, so a
 * late or lost webhook never leaves a paid shopper waiting.
 */
import { isOpenCheckoutStatus, type CheckoutState } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { publicOrder } from '../stores/order-store.ts';
import type { CheckoutRecord } from '../stores/checkout-store.ts';
import type { CheckoutDeps } from './context.ts';
import { applyIntent } from './payment-events.ts';

export function checkoutNotFound(): DomainError {
  return new DomainError('checkout_not_found', 'No such checkout.');
}

export async function checkoutState(deps: CheckoutDeps, id: string): Promise<CheckoutState> {
  const checkout = await deps.checkouts.byId(id);
  if (!checkout) throw checkoutNotFound();
  return toState(deps, checkout);
}

export async function reconcile(deps: CheckoutDeps, id: string): Promise<CheckoutState> {
  const checkout = await deps.checkouts.byId(id);
  if (!checkout) throw checkoutNotFound();
  if (isOpenCheckoutStatus(checkout.status) && checkout.paymentIntentId) {
    try {
      await applyIntent(deps, await deps.stripe.paymentIntents.retrieve(checkout.paymentIntentId));
    } catch (err) {
      // Stripe unreachable: answer with what we know; the webhook or the next read will catch up.
      deps.logger.warn('could not reconcile checkout with Stripe', { checkoutId: id, error: String(err) });
    }
  }
  return checkoutState(deps, id);
}

export async function toState(deps: CheckoutDeps, c: CheckoutRecord): Promise<CheckoutState> {
  const order = await deps.orders.byCheckout(c.id);
  const payable = c.status === 'pending' || c.status === 'failed';
  return {
    id: c.id, status: c.status, amount: c.totals.total, currency: c.currency, email: c.email, items: c.items,
    totals: c.totals, couponCode: c.couponCode, shipping: c.shipping, lastError: c.lastError,
    ...(payable && c.clientSecret ? { clientSecret: c.clientSecret } : {}),
    ...(order ? { order: publicOrder(order) } : {}),
  };
}
