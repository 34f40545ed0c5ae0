/** Stripe's list envelope with `limit` and `starting_after`, the cursor the SDK's auto-pagination uses. */
import type Stripe from 'stripe';
import { invalid } from '../errors.ts';
import { str, type FormObject } from './form.ts';

export function listOf<T extends { id: string }>(newestFirst: T[], form: FormObject, url: string): Stripe.ApiList<T> {
  const rawLimit = str(form.limit) ?? '10';
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100) throw invalid('limit', 'Invalid limit: must be an integer from 1 to 100.', 'parameter_invalid_integer');
  const after = str(form.starting_after);
  let start = 0;
  if (after !== undefined) {
    const index = newestFirst.findIndex((item) => item.id === after);
    if (index < 0) throw invalid('starting_after', `No such object: '${after}'`, 'resource_missing');
    start = index + 1;
  }
  return { object: 'list', data: newestFirst.slice(start, start + limit), has_more: start + limit < newestFirst.length, url };
}
