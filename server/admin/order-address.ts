/**
 * The address an order goes to: the shipping address the shopper gave at checkout (kept with the
 * order) when it ships; otherwise what Stripe has for its payment, the PaymentIntent's shipping
 * or the card's billing address, read when the merchant opens the order (no answer, no address).
 */
import type Stripe from 'stripe';
import type { Shipping } from '../../shared/api.ts';
import { addressLines as lines } from '../../shared/shipping.ts';
import type { Logger } from '../logger.ts';

export interface OrderAddress {
  kind: 'shipping' | 'billing';
  name: string | null;
  lines: string[];
}

export async function orderAddress(stripe: Stripe, order: { paymentIntentId: string; shipping: Shipping | null }, logger: Logger): Promise<OrderAddress | null> {
  if (order.shipping) return { kind: 'shipping', name: order.shipping.name, lines: lines(order.shipping.address) };
  const { paymentIntentId } = order;
  try {
    const intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
    const shipping = lines(intent.shipping?.address);
    if (shipping.length) return { kind: 'shipping', name: intent.shipping?.name ?? null, lines: shipping };
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    const billing = lines(charge?.billing_details.address);
    return billing.length ? { kind: 'billing', name: charge?.billing_details.name ?? null, lines: billing } : null;
  } catch (err) {
    logger.warn('could not read an order\'s address from Stripe', { paymentIntentId, error: String(err) });
    return null;
  }
}
