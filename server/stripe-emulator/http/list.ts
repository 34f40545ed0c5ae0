/**
 * Stripe's list envelope and pagination (https://docs.stripe.com/api/pagination): newest first,
 * `limit` 1-100 (default 10), `starting_after` for the page after an object and `ending_before` for
 * the page before it (the objects just newer than it, still newest first; `has_more` then says
 * whether even newer ones exist), which is how the SDK's auto-pagination walks backwards; and the
 * `created` filter, exact or with `gt`, `gte`, `lt`, `lte`.
 */
import type Stripe from 'stripe';
import { StripeApiError, invalid } from '../errors.ts';
import { obj, str, type FormObject, type FormValue } from './form.ts';

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

function timestamp(name: string, raw: FormValue | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = str(raw);
  if (value === undefined || !/^\d+$/.test(value)) throw invalid(name, `Invalid integer: ${typeof raw === 'string' ? raw : 'an object'}`, 'parameter_invalid_integer');
  return Number(value);
}

/** The `created` filter as a predicate; everything passes without one. */
export function createdFilter(form: FormObject): (created: number) => boolean {
  const raw = form.created;
  if (raw === undefined) return () => true;
  const exact = typeof raw === 'string' ? timestamp('created', raw) : undefined;
  if (exact !== undefined) return (created) => created === exact;
  const range = obj(raw);
  if (!range) throw invalid('created', 'Invalid timestamp: must be an integer Unix timestamp or a hash of gt, gte, lt, lte.');
  for (const key of Object.keys(range)) {
    if (!(RANGE_KEYS as readonly string[]).includes(key)) throw invalid(`created[${key}]`, `Received unknown parameter: created[${key}]`, 'parameter_unknown');
  }
  const [gt, gte, lt, lte] = RANGE_KEYS.map((k) => timestamp(`created[${k}]`, range[k]));
  return (created) => (gt === undefined || created > gt) && (gte === undefined || created >= gte)
    && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}

export function listOf<T extends { id: string; created?: number }>(newestFirst: T[], form: FormObject, url: string): Stripe.ApiList<T> {
  const rawLimit = str(form.limit) ?? '10';
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100) throw invalid('limit', 'Invalid limit: must be an integer from 1 to 100.', 'parameter_invalid_integer');
  const after = str(form.starting_after);
  const before = str(form.ending_before);
  if (after !== undefined && before !== undefined) {
    throw new StripeApiError(400, 'invalid_request_error', 'You may only specify one of these parameters: ending_before, starting_after.');
  }
  const inRange = createdFilter(form);
  const items = newestFirst.filter((item) => item.created === undefined || inRange(item.created));
  const cursor = (id: string, param: string) => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) throw invalid(param, `No such object: '${id}'`, 'resource_missing');
    return index;
  };
  if (before !== undefined) {
    const end = cursor(before, 'ending_before');
    const start = Math.max(0, end - limit);
    return { object: 'list', data: items.slice(start, end), has_more: start > 0, url };
  }
  const start = after === undefined ? 0 : cursor(after, 'starting_after') + 1;
  return { object: 'list', data: items.slice(start, start + limit), has_more: start + limit < items.length, url };
}
