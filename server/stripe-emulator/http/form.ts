/**
 * Stripe's bodies and queries are form-encoded with nested keys (`metadata[order]=1`,
 * `expand[0]=x`, `expand[]=x`); this turns them into plain objects. Values stay strings: each
 * operation converts what it reads, so a bad value is that operation's 400, never a crash here.
 */
import { StripeApiError } from '../errors.ts';

export type FormValue = string | FormObject | FormValue[];
export interface FormObject { [key: string]: FormValue }

export function parseForm(params: URLSearchParams): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of params) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) {
      // Brackets inside a name: Stripe's metadata keys may not contain them, and no other name does.
      if (rawKey.startsWith('metadata[')) throw metadataKeyError(rawKey.slice('metadata['.length, -1));
      throw new StripeApiError(400, 'invalid_request_error', `Invalid parameter name: ${rawKey}`, { param: rawKey });
    }
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    // `__proto__` would reach Object.prototype through plain-object assignment; no Stripe param has it.
    if (path.includes('__proto__')) {
      throw new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${rawKey}`, { code: 'parameter_unknown', param: rawKey });
    }
    let node: FormObject = root;
    path.forEach((segment, i) => {
      // `a[]=x` appends, as Rack and Stripe read it.
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== 'object') node[key] = {};
      node = node[key] as FormObject;
    });
  }
  return arraysFromIndexKeys(root) as FormObject;
}

/** `{0: a, 1: b}` -> `[a, b]`, so `expand[0]=x` reads as an array. */
function arraysFromIndexKeys(value: FormValue): FormValue {
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arraysFromIndexKeys(value[k]!)] as const);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

export const str = (v: FormValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
export const obj = (v: FormValue | undefined): FormObject | undefined => (typeof v === 'object' && !Array.isArray(v) ? v : undefined);
export const strings = (v: FormValue | undefined): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** "Up to 50 keys, with key names up to 40 characters long and values up to 500 characters long" (https://docs.stripe.com/metadata). */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

const metadataKeyError = (key: string) => new StripeApiError(400, 'invalid_request_error',
  `Invalid metadata key: ${key}. Metadata keys can't contain square brackets ([ or ]).`, { code: 'parameter_invalid', param: 'metadata' });

/**
 * Stripe's metadata rules: string values; an empty value deletes the key, `metadata=` clears all;
 * Stripe's limits on the number of keys and the length of keys and values.
 */
export function metadataParam(form: FormObject, current: Record<string, string> = {}): Record<string, string> {
  const given = form.metadata;
  if (given === undefined) return current;
  // `metadata=` (empty) clears everything, as on Stripe.
  if (given === '') return {};
  const entries = obj(given);
  if (!entries) throw new StripeApiError(400, 'invalid_request_error', 'Invalid object', { code: 'parameter_invalid_empty', param: 'metadata' });
  const next = { ...current };
  for (const [k, v] of Object.entries(entries)) {
    const param = `metadata[${k}]`;
    if (typeof v !== 'string') throw new StripeApiError(400, 'invalid_request_error', `Invalid value for ${param}: must be a string.`, { param });
    if (k.length > METADATA_LIMITS.keyLength) {
      throw new StripeApiError(400, 'invalid_request_error',
        `Metadata keys can have up to ${METADATA_LIMITS.keyLength} characters, but you passed in a key that is ${k.length} characters: ${k}`, { code: 'parameter_invalid', param });
    }
    if (v.length > METADATA_LIMITS.valueLength) {
      throw new StripeApiError(400, 'invalid_request_error',
        `Metadata values can have up to ${METADATA_LIMITS.valueLength} characters, but you passed in a value that is ${v.length} characters.`, { code: 'parameter_invalid', param });
    }
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > METADATA_LIMITS.keys) {
    throw new StripeApiError(400, 'invalid_request_error',
      `Metadata can have up to ${METADATA_LIMITS.keys} keys, but this object would have ${Object.keys(next).length}.`, { code: 'parameter_invalid', param: 'metadata' });
  }
  return next;
}

/** `true`/`false` as Stripe's form bodies send booleans. */
export function booleanParam(form: FormObject, name: string): boolean | undefined {
  const raw = str(form[name]);
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new StripeApiError(400, 'invalid_request_error', `Invalid boolean: ${raw}`, { code: 'parameter_invalid_boolean', param: name });
}
