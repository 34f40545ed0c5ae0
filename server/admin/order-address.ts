/**
 * The address Stripe has for an order's payment, when there is one: the shipping address the
 * PaymentIntent carries, else the card's billing address. The shop keeps no addresses itself, so
 * this is read from Stripe when the merchant opens the order; no answer means no address shown.
 */
import type Stripe from 'stripe';
import type { Logger } from '../logger.ts';

export interface OrderAddress {
  kind: 'shipping' | 'billing';
  name: string | null;
  lines: string[];
}

function lines(a: Stripe.Address | null | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.postal_code, a.city, a.state].filter(Boolean).join(' ');
  return [a.line1, a.line2, cityLine, a.country].filter((l): l is string => Boolean(l));
}

export async function orderAddress(stripe: Stripe, paymentIntentId: string, logger: Logger): Promise<OrderAddress | null> {
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
