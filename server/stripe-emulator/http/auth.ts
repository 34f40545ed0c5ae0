/**
 * API keys as Stripe reads them: `Authorization: Bearer sk_test_...` from servers, or the `key`
 * param that Stripe.js sends with a publishable key (a form field, so the browser's request stays
 * "simple" and needs no CORS preflight). Any test key works; live keys never do, offline.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { StripeApiError } from '../errors.ts';
import type { Caller, EmulatorEnv } from './env.ts';
import { str } from './form.ts';

function keyOf(c: Context<EmulatorEnv>): string | undefined {
  const header = c.req.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  // The SDKs of other languages send Basic auth with the key as the user name.
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  const fromHeader = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
  if (fromHeader) return fromHeader;
  // Stripe.js's `key` is the credential, not a parameter of the operation.
  const param = str(c.var.form.key);
  delete c.var.form.key;
  return param;
}

/** Who is calling, or 401 as Stripe answers a missing or unusable key. */
export const authenticate: MiddlewareHandler<EmulatorEnv> = async (c, next) => {
  const key = keyOf(c);
  if (!key) {
    throw new StripeApiError(401, 'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
  }
  const kind: Caller['kind'] | null = key.startsWith('sk_test_') || key.startsWith('rk_test_') ? 'secret' : key.startsWith('pk_test_') ? 'publishable' : null;
  if (!kind) {
    const shown = key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '********';
    throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${shown}. The Stripe emulator accepts test keys only (sk_test_..., pk_test_...).`);
  }
  c.set('caller', { kind, key });
  await next();
};

/** For routes only a server may call. */
export const secretKey: MiddlewareHandler<EmulatorEnv> = async (c, next) => {
  if (c.var.caller.kind !== 'secret') {
    throw new StripeApiError(401, 'invalid_request_error', 'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.');
  }
  await next();
};

/** For routes Stripe.js calls: a publishable key must come with the object's client secret. */
export function clientSecretOr(secretOf: (c: Context<EmulatorEnv>) => string | null): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    if (c.var.caller.kind === 'publishable') {
      const given = str(c.var.form.client_secret);
      if (!given) throw new StripeApiError(400, 'invalid_request_error', 'Missing required param: client_secret.', { code: 'parameter_missing', param: 'client_secret' });
      if (given !== secretOf(c)) {
        throw new StripeApiError(400, 'invalid_request_error', 'The client_secret provided does not match the client_secret associated with the PaymentIntent.', { param: 'client_secret' });
      }
    }
    await next();
  };
}
