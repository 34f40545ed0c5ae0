/** Addresses and shipping details as Stripe takes them (`address[line1]=...`) and returns them (every field, null when unset). */
import type Stripe from 'stripe';
import { invalid, missing } from './errors.ts';
import { obj, str, type FormValue } from './http/form.ts';

const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

/** `undefined`: not given; `null`: unset with `''`. */
export function addressParam(value: FormValue | undefined, param: string): Stripe.Address | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  const given = obj(value);
  if (!given) throw invalid(param, 'Invalid object');
  const address = Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, str(given[field]) || null])) as unknown as Stripe.Address;
  if (address.country !== null && !/^[A-Z]{2}$/.test(address.country)) {
    throw invalid(`${param}[country]`, `Country '${address.country}' is unknown. Try using a 2-character alphanumeric country code instead, such as 'US', 'EG', or 'GB'.`);
  }
  return address;
}

/**
 * `shipping` on a PaymentIntent (address and name required; carrier, phone, tracking_number) or on
 * a customer (no carrier or tracking number there: the spec refuses them before this runs).
 */
export function shippingParam(value: FormValue | undefined, param = 'shipping'): Stripe.PaymentIntent.Shipping | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  const given = obj(value);
  if (!given) throw invalid(param, 'Invalid object');
  const address = addressParam(given.address, `${param}[address]`);
  if (!address) throw missing(`${param}[address]`);
  const name = str(given.name);
  if (!name) throw missing(`${param}[name]`);
  return {
    address, name, carrier: str(given.carrier) || null, phone: str(given.phone) || null, tracking_number: str(given.tracking_number) || null,
  };
}
