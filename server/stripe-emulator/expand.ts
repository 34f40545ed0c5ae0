/**
 * `expand[]`, as Stripe documents it (https://docs.stripe.com/expand): an id field named in
 * `expand` is replaced by its object, recursively after a dot (`latest_charge.payment_intent`), in
 * lists through `data.` (`data.customer`), at most four levels deep; a field that can't be expanded
 * is a 400 before the request does anything. Some fields are included only on request: a charge's
 * `refunds` (no longer embedded since API version 2022-11-15).
 */
import type { MiddlewareHandler } from 'hono';
import { StripeApiError, invalid } from './errors.ts';
import type { EmulatorEnv } from './http/env.ts';
import { strings } from './http/form.ts';
import { rewriteJson } from './http/rewrite.ts';
import type { EmulatorState } from './state.ts';

export type ObjectKind = 'payment_intent' | 'charge' | 'customer' | 'payment_method' | 'refund' | 'event' | 'webhook_endpoint';
/** What a route answers with: one object, or a list (or search result) of them. */
export type Answer = ObjectKind | { list: ObjectKind };

type Json = Record<string, unknown>;
interface Link {
  /** What the field becomes. */
  to: ObjectKind | { list: ObjectKind };
  resolve(state: EmulatorState, holder: Json, field: string): unknown;
}

const byId = (kind: ObjectKind) => (state: EmulatorState, holder: Json, field: string) => {
  const id = holder[field];
  return typeof id === 'string' ? structuredClone(lookup(state, kind, id) ?? id) : id;
};

function lookup(state: EmulatorState, kind: ObjectKind, id: string): unknown {
  switch (kind) {
    case 'payment_intent': return state.paymentIntents.get(id);
    case 'charge': return state.charges.get(id);
    case 'customer': return state.customers.get(id) ?? (state.deletedCustomers.has(id) ? { id, object: 'customer', deleted: true } : undefined);
    case 'payment_method': return state.paymentMethods.get(id);
    case 'refund': return state.refunds.get(id);
    default: return undefined;
  }
}

const link = (to: ObjectKind): Link => ({ to, resolve: byId(to) });

/** The expandable fields the emulator models, per object. */
const LINKS: Record<ObjectKind, Record<string, Link>> = {
  payment_intent: { customer: link('customer'), latest_charge: link('charge'), payment_method: link('payment_method') },
  charge: {
    customer: link('customer'), payment_intent: link('payment_intent'),
    refunds: {
      to: { list: 'refund' },
      resolve: (state, holder) => ({
        object: 'list', has_more: false, url: `/v1/charges/${String(holder.id)}/refunds`,
        data: [...state.refunds.values()].filter((r) => r.charge === holder.id).reverse().map((r) => structuredClone(r)),
      }),
    },
  },
  refund: { charge: link('charge'), payment_intent: link('payment_intent') },
  payment_method: { customer: link('customer') },
  customer: {},
  event: {},
  webhook_endpoint: {},
};

/** Expandable on Stripe, but about objects the emulator doesn't keep (balance transactions, reviews, Connect, ...). */
const UNMODELLED: Partial<Record<ObjectKind, string[]>> = {
  payment_intent: ['application', 'invoice', 'on_behalf_of', 'review'],
  charge: ['application', 'application_fee', 'balance_transaction', 'failure_balance_transaction', 'on_behalf_of', 'review', 'source_transfer', 'transfer'],
  refund: ['balance_transaction', 'failure_balance_transaction', 'source_transfer_reversal', 'transfer_reversal'],
  customer: ['default_source', 'test_clock', 'invoice_settings.default_payment_method', 'sources', 'subscriptions', 'tax_ids', 'cash_balance', 'tax'],
};

const MAX_DEPTH = 4;

const cannotExpand = (path: string) => invalid('expand', `This property cannot be expanded (${path}).`);

/** Throws Stripe's 400 for a path the answer can't expand; run before the request does anything. */
export function checkExpand(answer: Answer, path: string): void {
  const segments = path.split('.');
  if (segments.length > MAX_DEPTH + (typeof answer === 'object' ? 1 : 0)) {
    throw invalid('expand', `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`);
  }
  let at: Answer = answer;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (typeof at === 'object') {
      if (segment !== 'data') throw cannotExpand(path);
      at = at.list;
      continue;
    }
    const next: Link | undefined = Object.hasOwn(LINKS[at], segment) ? LINKS[at][segment] : undefined;
    if (!next) {
      const rest = segments.slice(i).join('.');
      if (UNMODELLED[at]?.some((f) => rest === f || rest.startsWith(`${f}.`))) {
        throw new StripeApiError(400, 'invalid_request_error',
          `The Stripe emulator does not model expanding ${path}; see docs/stripe-emulator.md ("Not emulated").`, { param: 'expand' });
      }
      throw cannotExpand(path);
    }
    at = next.to;
  }
}

/** Applies one checked path to a JSON answer, in place. */
function applyPath(state: EmulatorState, value: unknown, at: Answer, segments: string[]): void {
  if (segments.length === 0 || value === null || typeof value !== 'object') return;
  const [segment, ...rest] = segments as [string, ...string[]];
  if (typeof at === 'object') {
    for (const item of (value as { data?: unknown[] }).data ?? []) applyPath(state, item, at.list, rest);
    return;
  }
  const holder = value as Json;
  const next = LINKS[at][segment]!;
  holder[segment] = next.resolve(state, holder, segment);
  applyPath(state, holder[segment], next.to, rest);
}

export function expandAnswer(state: EmulatorState, body: unknown, answer: Answer, paths: string[]): unknown {
  // Shorter paths first, so `latest_charge.customer` finds `latest_charge` already an object.
  for (const path of [...paths].sort((a, b) => a.split('.').length - b.split('.').length)) applyPath(state, body, answer, path.split('.'));
  return body;
}

/**
 * For a route answering with `answer`: checks `expand[]` before the route runs, then expands its
 * successful JSON answer. Inside the idempotency middleware, so a replay answers the same expansion.
 */
export function expandable(state: EmulatorState, answer: Answer): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const raw = c.var.form.expand;
    const paths = raw === undefined ? [] : strings(raw);
    if (!paths || paths.some((p) => p === '')) throw invalid('expand', 'Invalid array', 'parameter_invalid');
    for (const path of paths) checkExpand(answer, path);
    await next();
    if (paths.length > 0 && c.res.status === 200) await rewriteJson(c, (body) => expandAnswer(state, body, answer, paths));
  };
}
