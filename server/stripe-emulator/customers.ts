/** Customers: create, retrieve, update (with `previous_attributes` on `customer.updated`), delete. */
import type Stripe from 'stripe';
import { addressParam, shippingParam } from './addresses.ts';
import { notFound } from './errors.ts';
import { metadataParam, str, type FormObject } from './http/form.ts';
import { customerObject } from './objects.ts';
import type { EmulatorState } from './state.ts';

const EDITABLE = ['email', 'name', 'description', 'phone'] as const;

/** A customer's shipping: name and address (and phone); no carrier or tracking number, unlike a PaymentIntent's. */
function customerShipping(form: FormObject): Stripe.Customer.Shipping | null | undefined {
  const shipping = shippingParam(form.shipping);
  if (!shipping) return shipping;
  return { address: shipping.address, name: shipping.name, phone: shipping.phone };
}

export function createCustomer(state: EmulatorState, form: FormObject): Stripe.Customer {
  const customer = customerObject({
    created: state.now(), email: str(form.email) || null, name: str(form.name) || null,
    description: str(form.description) || null, phone: str(form.phone) || null, metadata: metadataParam(form),
    address: addressParam(form.address, 'address') ?? null, shipping: customerShipping(form) ?? null,
  });
  state.customers.set(customer.id, customer);
  state.emit('customer.created', customer);
  return customer;
}

export function getCustomer(state: EmulatorState, id: string): Stripe.Customer {
  const customer = state.customers.get(id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export function updateCustomer(state: EmulatorState, id: string, form: FormObject): Stripe.Customer {
  const customer = getCustomer(state, id);
  const before = structuredClone(customer);
  const address = addressParam(form.address, 'address');
  const shipping = customerShipping(form);
  const metadata = metadataParam(form, customer.metadata);
  for (const field of EDITABLE) {
    const value = str(form[field]);
    // An empty string unsets the field, as on Stripe.
    if (value !== undefined) customer[field] = value || null;
  }
  if (address !== undefined) customer.address = address;
  if (shipping !== undefined) customer.shipping = shipping;
  customer.metadata = metadata;
  state.emit('customer.updated', customer, previousAttributes(before, customer));
  return customer;
}

/**
 * "The names of the updated attributes and their values prior to the event"
 * (https://docs.stripe.com/api/events/object#event_object-data-previous_attributes).
 */
export function previousAttributes<T extends object>(before: T, after: T): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = before[key];
  }
  return changed;
}

/**
 * Deletion is permanent, as on Stripe: the customer can no longer be used (a PaymentIntent naming
 * it is refused with resource_missing), and retrieving it answers `{ id, object, deleted: true }`.
 */
export function deleteCustomer(state: EmulatorState, id: string): Stripe.DeletedCustomer {
  const customer = getCustomer(state, id);
  state.customers.delete(id);
  state.deletedCustomers.add(id);
  // The event carries the customer as it was, as Stripe's customer.deleted does.
  state.emit('customer.deleted', customer);
  return { id, object: 'customer', deleted: true };
}

export function retrieveCustomer(state: EmulatorState, id: string): Stripe.Customer | Stripe.DeletedCustomer {
  if (state.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
  return getCustomer(state, id);
}
