// Part of the Stripe.js stand-in (joined by ../stripe-js.ts). Talks to the emulator's API origin
// (API_ORIGIN, set by ../stripe-js.ts) as Stripe.js talks to api.stripe.com: form-encoded with the
// publishable key as a `key` param, which keeps every request "simple" in CORS terms (no preflight).

class IntegrationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'IntegrationError';
  }
}

function encodeForm(params, prefix, out) {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? prefix + '[' + key + ']' : key;
    if (typeof value === 'object') encodeForm(value, name, out);
    else out.append(name, String(value));
  }
  return out;
}

/** `{ data }` or `{ error }` in Stripe's error shape; never throws, as Stripe.js's methods resolve. */
async function callApi(publishableKey, method, path, params) {
  const form = encodeForm(Object.assign({ key: publishableKey }, params), '', new URLSearchParams());
  const url = API_ORIGIN + path + (method === 'GET' ? '?' + form : '');
  let response;
  try {
    response = await fetch(url, method === 'GET' ? { method: method } : { method: method, body: form });
  } catch (cause) {
    return { error: { type: 'api_connection_error', message: 'Could not reach the Stripe emulator at ' + API_ORIGIN + '.' } };
  }
  const body = await response.json().catch(() => null);
  if (!body) return { error: { type: 'api_error', message: 'The Stripe emulator sent an unreadable answer.' } };
  return response.ok ? { data: body } : { error: body.error };
}

function intentIdFrom(clientSecret) {
  const match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(typeof clientSecret === 'string' ? clientSecret : '');
  if (!match) throw new IntegrationError('Invalid value for clientSecret: it should be a PaymentIntent client secret of the form ${id}_secret_${secret}.');
  return match[1];
}

/** Stripe.js's error for an intent whose last attempt failed: the reason plus the intent itself. */
function errorFromIntent(intent) {
  const last = intent.last_payment_error || {};
  const error = { type: last.type, code: last.code, message: last.message, doc_url: last.doc_url, payment_intent: intent };
  if (last.decline_code) error.decline_code = last.decline_code;
  if (last.payment_method) error.payment_method = last.payment_method;
  return error;
}
