/**
 * The shipping part of a checkout request: required exactly when the cart ships, refused
 * otherwise, and turned into what the checkout, the PaymentIntent and the order carry.
 */
import type Stripe from 'stripe';
import type { CheckoutBody, Shipping } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import type { ShippingRateRecord } from '../catalog/shipping-rates.ts';
import type { ShippingDestination } from '../carts/price-shipping.ts';
import type { PaymentShipping } from '../stores/order-store.ts';

/** Where the request says the cart goes, to price it with; undefined without an address. */
export const destinationOf = (body: CheckoutBody): ShippingDestination | undefined =>
  body.shipping && { rateId: body.shipping.rateId, country: body.shipping.address.country };

/** The checkout's shipping: checked against what the cart needs, with the rate's label as it is now. */
export function shippingFor(requiresShipping: boolean, body: CheckoutBody, rate: ShippingRateRecord | null): Shipping | null {
  if (requiresShipping && (!body.shipping || !rate)) {
    throw new DomainError('shipping_required', 'This order is shipped: give a name, an address and a shipping rate.');
  }
  if (!requiresShipping && body.shipping) {
    throw new DomainError('shipping_not_required', 'Nothing in this cart is shipped, so it takes no shipping address.');
  }
  if (!body.shipping || !rate) return null;
  const { name, address } = body.shipping;
  return {
    name,
    address: {
      line1: address.line1, line2: address.line2, city: address.city, state: address.state, postal_code: address.postal_code, country: address.country,
    },
    rate: { id: rate.id, label: rate.label },
  };
}

export const sameShipping = (a: Shipping | null, b: Shipping | null): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The PaymentIntent's `shipping`, as Stripe takes it (the rate is ours, not Stripe's). */
export function intentShipping(shipping: Shipping | null): Stripe.PaymentIntentCreateParams.Shipping | undefined {
  if (!shipping) return undefined;
  const { line1, line2, city, state, postal_code, country } = shipping.address;
  return {
    name: shipping.name,
    address: { line1, city, country, ...(line2 ? { line2 } : {}), ...(state ? { state } : {}), ...(postal_code ? { postal_code } : {}) },
  };
}

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;

/**
 * What the paid PaymentIntent says it ships to, when that is not the address the checkout priced;
 * null when they agree or nothing ships (the payment's address is then the only one). The server
 * set the priced one on the PaymentIntent, but a page may pass its own `shipping` when it confirms
 * (Stripe takes it there, even with the publishable key): the order still ships to the priced
 * address, and the merchant should know Stripe saw another. An absent field and an empty one agree.
 */
export function paymentShippingDiffering(paid: Stripe.PaymentIntent.Shipping | null, priced: Shipping | null): PaymentShipping | null {
  if (!priced) return null;
  const field = (value: string | null | undefined) => value ?? '';
  const agree = paid !== null && field(paid.name) === priced.name
    && ADDRESS_FIELDS.every((key) => field(paid.address?.[key]) === field(priced.address[key]));
  if (agree) return null;
  const address = paid?.address;
  return {
    name: paid?.name ?? null,
    address: address ? Object.fromEntries(ADDRESS_FIELDS.map((key) => [key, address[key] ?? null])) as PaymentShipping['address'] : null,
  };
}
