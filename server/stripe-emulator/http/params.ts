/**
 * Which parameters a route takes. Stripe refuses a parameter it doesn't know with 400
 * `parameter_unknown` ("Received unknown parameter: X"), nested ones by their bracketed name, so
 * the emulator does too. A parameter Stripe knows but the emulator does not model is refused in
 * Stripe's error shape, naming it, never silently dropped: code that passes offline can't be relying
 * on something the emulator ignored.
 *
 * Each route's spec is typed against the installed SDK's own request type (`Stripe.*Params`), key by
 * key: a spec that misses a key the SDK can send, or names one it can't, fails the type check, so an
 * SDK upgrade shows every new parameter until it is modelled or refused. Nested objects are
 * checked where the spec descends into them, with the SDK's nested type.
 */
import type { MiddlewareHandler } from 'hono';
import { StripeApiError } from '../errors.ts';
import type { Caller, EmulatorEnv } from './env.ts';
import type { FormObject, FormValue } from './form.ts';

/** The operation reads this parameter (and validates its value itself). */
export const MODELLED = 'modelled';

/** Who is asking, at which API version: what a check may depend on. */
export interface Asker { caller: Caller; apiVersion: string }

/** A parameter refused (an error) or let through (null). */
export type Check = (name: string, value: FormValue, asker: Asker) => StripeApiError | null;

type Leaf = typeof MODELLED | Check;
type ObjectPart<V> = Extract<Exclude<V, '' | null | undefined>, object>;
type AllKeys<T> = T extends unknown ? keyof T : never;
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
type Nested<V> = [ObjectPart<V>] extends [never] ? never : ObjectPart<V> extends readonly unknown[] ? never : ParamSpec<ObjectPart<V>>;

/** Every key of the SDK's request type T (of every member, for a union), each modelled, refused or checked deeper. */
export type ParamSpec<T> = { readonly [K in AllKeys<T> & string]-?: Leaf | Nested<ValueAt<T, K>> };

/** A spec after typing: what the middleware walks. */
export interface RuntimeSpec { readonly [key: string]: Leaf | RuntimeSpec }

/** Typed against the SDK's `*Params` type T; `extra` adds what Stripe.js sends beyond the SDK's types. */
export function paramSpec<T>(spec: ParamSpec<T>, extra: RuntimeSpec = {}): ParamSpec<T> & RuntimeSpec {
  return merge(spec as RuntimeSpec, extra) as ParamSpec<T> & RuntimeSpec;
}

function merge(a: RuntimeSpec, b: RuntimeSpec): RuntimeSpec {
  const out: Record<string, Leaf | RuntimeSpec> = { ...a };
  for (const [key, rule] of Object.entries(b)) {
    const mine = out[key];
    out[key] = typeof mine === 'object' && typeof rule === 'object' ? merge(mine, rule) : rule;
  }
  return out;
}

export const unknownParameter = (name: string) =>
  new StripeApiError(400, 'invalid_request_error', `Received unknown parameter: ${name}`, { code: 'parameter_unknown', param: name });

/**
 * A parameter Stripe accepts that the emulator does not model: refused, so nothing passes offline by
 * being ignored. Not Stripe's wording (Stripe would act on it); Stripe's shape, so the SDK raises
 * StripeInvalidRequestError as for any refusal.
 */
export const notModelled: Check = (name, value) => (isUnset(value) ? null : new StripeApiError(400, 'invalid_request_error',
  `The Stripe emulator does not model the parameter ${name}; leave it out, or model it (docs/stripe-emulator.md, "Not emulated").`,
  { param: name }));

/** An id of an object the emulator can never have (a mandate, a Connect account, ...): Stripe's "No such ..." answer. */
export const noSuch = (kind: string): Check => (name, value) => (isUnset(value) || typeof value !== 'string'
  ? null
  : new StripeApiError(400, 'invalid_request_error', `No such ${kind}: '${value}'`, { code: 'resource_missing', param: name }));

/** Only Stripe.js (a publishable key) may send this: a secret key gets `refusal`. */
export const publishableOnly = (refusal: Check): Check => (name, value, asker) => (asker.caller.kind === 'publishable' ? null : refusal(name, value, asker));

/** `''` unsets a parameter on Stripe, and an absent one is no request for anything. */
const isUnset = (value: FormValue) => value === '' || (Array.isArray(value) && value.length === 0);

/** The first parameter of `form` the spec refuses, as Stripe's error; null when all are allowed. */
export function refusedParameter(form: FormObject, spec: RuntimeSpec, asker: Asker, prefix = ''): StripeApiError | null {
  for (const [key, value] of Object.entries(form)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const rule = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (rule === undefined) return unknownParameter(name);
    if (rule === MODELLED) continue;
    const refusal = typeof rule === 'function' ? rule(name, value, asker) : nestedRefusal(value, rule, asker, name);
    if (refusal) return refusal;
  }
  return null;
}

function nestedRefusal(value: FormValue, spec: RuntimeSpec, asker: Asker, name: string): StripeApiError | null {
  // A string where an object goes is either '' (unset) or the operation's own 400.
  if (typeof value === 'string') return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const refusal = nestedRefusal(item, spec, asker, `${name}[${i}]`);
      if (refusal) return refusal;
    }
    return null;
  }
  return refusedParameter(value, spec, asker, name);
}

/** The route's parameters, checked before anything runs (and before an idempotent request is saved). */
export function params(spec: RuntimeSpec): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const refusal = refusedParameter(c.var.form, spec, { caller: c.var.caller, apiVersion: c.var.apiVersion });
    if (refusal) throw refusal;
    await next();
  };
}
