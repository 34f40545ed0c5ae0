/** Customers: create, retrieve, update, delete. Only the fields a checkout sets are understood. */
import type Stripe from 'stripe';
import { notFound } from './errors.ts';
import { metadataParam, str, type FormObject } from './http/form.ts';
import { customerObject } from './objects.ts';
import type { EmulatorState } from './state.ts';

const EDITABLE = ['email', 'name', 'description', 'phone'] as const;

export function createCustomer(state: EmulatorState, form: FormObject): Stripe.Customer {
  const customer = customerObject({
    created: state.now(), email: str(form.email) || null, name: str(form.name) || null,
    description: str(form.description) || null, phone: str(form.phone) || null, metadata: metadataParam(form),
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
  for (const field of EDITABLE) {
    const value = str(form[field]);
    // An empty string unsets the field, as on Stripe.
    if (value !== undefined) customer[field] = value || null;
  }
  customer.metadata = metadataParam(form, customer.metadata);
  state.emit('customer.updated', customer);
  return customer;
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
