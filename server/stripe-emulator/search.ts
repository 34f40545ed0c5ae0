/**
 * `GET /v1/payment_intents/search` with Stripe's search query language
 * (https://docs.stripe.com/search#search-query-language) over the PaymentIntent query fields
 * Stripe lists: `amount`, `created`, `currency`, `customer`, `metadata["key"]`, `status`. Clauses
 * are `field:value` (exact), `field~"text"` (substring, 3+ characters), `field>value` and the like
 * for numbers, `-` negates, `null` matches an unset field; joined by AND or by OR, never both, as
 * Stripe requires. Pages through `next_page`, the cursor the SDK's `autoPagingEach` sends back as `page`.
 */
import type Stripe from 'stripe';
import { invalid, missing } from './errors.ts';
import { str, type FormObject } from './http/form.ts';
import type { EmulatorState } from './state.ts';

type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';
interface Clause { negated: boolean; field: string; key?: string; operator: Operator; value: string | number | null }

const FIELDS = new Set(['amount', 'created', 'currency', 'customer', 'metadata', 'status']);
const NUMERIC = new Set(['amount', 'created']);
const CLAUSE = /^(-?)(metadata\[(?:"([^"]*)"|'([^']*)')\]|[a-z_]+)(:|~|>=|<=|>|<)("([^"]*)"|'([^']*)'|[^\s"']+)$/;

const badQuery = (detail: string) => invalid('query', `Invalid search query: ${detail} See https://docs.stripe.com/search#search-query-language.`);

function tokens(query: string): string[] {
  // Split on whitespace outside quotes.
  return query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

export function parseQuery(query: string): { join: 'AND' | 'OR'; clauses: Clause[] } {
  const parts = tokens(query.trim());
  if (parts.length === 0) throw badQuery('the query is empty.');
  const clauses: Clause[] = [];
  let join: 'AND' | 'OR' | null = null;
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      if (part !== 'AND' && part !== 'OR') throw badQuery(`expected AND or OR, found ${part}.`);
      if (join && join !== part) throw badQuery('AND and OR can\'t be combined in one query.');
      join = part;
      return;
    }
    const m = CLAUSE.exec(part);
    if (!m) throw badQuery(`can't read ${part}.`);
    const field = m[2]!.startsWith('metadata[') ? 'metadata' : m[2]!;
    if (!FIELDS.has(field)) throw badQuery(`${field} is not a query field for payment intents.`);
    const operator = m[5] as Operator;
    const quoted = m[7] ?? m[8];
    const raw = quoted ?? m[6]!;
    let value: string | number | null = quoted === undefined && raw === 'null' ? null : raw;
    if (NUMERIC.has(field) && value !== null) {
      if (!/^\d+$/.test(String(value))) throw badQuery(`${field} takes a number.`);
      value = Number(value);
    } else if (operator !== ':' && operator !== '~') throw badQuery(`${operator} compares numbers only.`);
    if (operator === '~' && (typeof value !== 'string' || value.length < 3)) throw badQuery('~ needs at least 3 characters.');
    clauses.push({ negated: m[1] === '-', field, key: m[3] ?? m[4], operator, value });
  });
  if (parts.length % 2 === 0) throw badQuery('it ends with AND or OR.');
  return { join: join ?? 'AND', clauses };
}

function fieldOf(intent: Stripe.PaymentIntent, clause: Clause): unknown {
  if (clause.field === 'metadata') return intent.metadata[clause.key ?? ''] ?? null;
  return intent[clause.field as 'amount' | 'created' | 'currency' | 'customer' | 'status'];
}

function matches(intent: Stripe.PaymentIntent, clause: Clause): boolean {
  const actual = fieldOf(intent, clause);
  const { operator, value } = clause;
  let hit: boolean;
  if (value === null) hit = actual === null || actual === undefined;
  else if (operator === ':') hit = String(actual ?? '').toLowerCase() === String(value).toLowerCase();
  else if (operator === '~') hit = String(actual ?? '').toLowerCase().includes(String(value).toLowerCase());
  else {
    const n = Number(actual);
    hit = operator === '>' ? n > Number(value) : operator === '<' ? n < Number(value) : operator === '>=' ? n >= Number(value) : n <= Number(value);
  }
  return clause.negated ? !hit : hit;
}

export function searchIntents(state: EmulatorState, form: FormObject): Stripe.ApiSearchResult<Stripe.PaymentIntent> {
  const query = str(form.query);
  if (!query) throw missing('query');
  const { join, clauses } = parseQuery(query);
  const rawLimit = str(form.limit) ?? '10';
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100) throw invalid('limit', 'Invalid limit: must be an integer from 1 to 100.', 'parameter_invalid_integer');
  const page = str(form.page);
  const start = page === undefined ? 0 : Number(Buffer.from(page, 'base64url').toString('utf8').replace(/^offset:/, ''));
  if (!Number.isInteger(start) || start < 0) throw invalid('page', `Invalid page: ${page}`);
  const hits = [...state.paymentIntents.values()].reverse()
    .filter((pi) => (join === 'AND' ? clauses.every((c) => matches(pi, c)) : clauses.some((c) => matches(pi, c))));
  const has_more = start + limit < hits.length;
  return {
    object: 'search_result', url: '/v1/payment_intents/search', data: hits.slice(start, start + limit), has_more,
    next_page: has_more ? Buffer.from(`offset:${start + limit}`).toString('base64url') : null,
  };
}
