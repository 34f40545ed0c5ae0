/**
 * Hostile requests for every route, as fast-check arbitraries: the real route table with real and
 * forged ids, odd percent-escapes, random methods, queries, headers (huge and odd ones included),
 * JSON shaped for the route with wrong values, random JSON, text, bytes, oversized bodies, wrong
 * content types, and Stripe signatures that are missing, garbage, stale, made with the wrong
 * secret, or valid for a random event.
 */
import fc from 'fast-check';

/** What exists in the shop the requests are aimed at, so many of them get past the first check. */
export interface Targets {
  cartIds: string[];
  productIds: string[];
  checkoutIds: string[];
  paymentIntentIds: string[];
  orderIds: string[];
  retryTokens: string[];
  mailIds: string[];
  adminToken: string;
  couponCodes: string[];
}

export type SignatureKind = 'none' | 'garbage' | 'valid' | 'stale' | 'wrong-secret';

export interface HostileRequest {
  method: string;
  /** Raw request target, sent as is (only characters an HTTP client may put on the request line). */
  path: string;
  headers: Record<string, string>;
  /** The bytes, or the size of an oversized JSON body to make when sending (not kept for 10,000 requests). */
  body?: Uint8Array | number;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked: boolean;
  /** For /webhooks/stripe: the Stripe-Signature header is computed over the body when sent. */
  signature: SignatureKind;
}

/** Methods Node's HTTP parser knows (others never reach the app); CONNECT is a tunnel, not a request. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PURGE', 'PROPFIND', 'LOCK', 'SEARCH'];

const ODD_ESCAPES = [
  '%', '%Z', '%ZZ', '%E0%A4%A', '%00', '%2F', '%2f', '%2e%2e', '..', '.', '%C0%AF', '%FF', '%FE%FF', '%u0041', '%%', '%25', '%252F',
  '%0A', '%0D%0A', '%20', '+', ';', '@', '~', "'", '(', ')', '*', '!', '$', '&', '=', ',', ':', '%3F', '%23', '%5C', '%F0%9F%92%A9',
  '%ED%A0%80', '%EF%BF%BF', '%C3%28', '%80', '//', '/./', '/../',
];

/** Any string, made sendable: characters outside visible ASCII (and ? and #) are percent-encoded as UTF-8 (a lone surrogate as U+FFFD). */
const rawSafe = (s: string) => s.replace(/[^\x21-\x7e]|[?#]/gu, (ch) => [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));

const oddText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** A path segment: usually a real id, else a look-alike, an odd escape, garbage or something long. */
function segment(real: string[]): fc.Arbitrary<string> {
  const realOrEmpty = real.length > 0 ? fc.constantFrom(...real) : fc.constant('');
  return fc.oneof(
    { weight: 5, arbitrary: realOrEmpty },
    { weight: 2, arbitrary: fc.webSegment() },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', ...real), fc.constantFrom(...ODD_ESCAPES), fc.constantFrom('', ...real)).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: oddText.map(rawSafe) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^chk_[A-Za-z0-9_-]{22}$/) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => 'A'.repeat(n)) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

type Part = string | ((t: Targets) => fc.Arbitrary<string>);
interface Route { method: string; parts: Part[]; body: (t: Targets) => fc.Arbitrary<unknown>; admin?: boolean; webhook?: boolean }

const cart = (t: Targets) => segment(t.cartIds);
const product = (t: Targets) => segment(t.productIds);
const checkoutId = (t: Targets) => segment(t.checkoutIds);
const token = (t: Targets) => segment([...t.retryTokens, ...t.retryTokens.map((x) => x.slice(0, -1) + (x.endsWith('A') ? 'B' : 'A')), ...t.retryTokens.map((x) => x.split('.')[0]!)]);
const orderId = (t: Targets) => segment(t.orderIds);
const mailId = (t: Targets) => segment([...t.mailIds, ...t.mailIds.map((id) => `${id}.json`), '1700000000000-deadbeef.json']);

/** A value where the route expects something specific: the right kind now and then, mostly not. */
const hostileValue = (real: string[] = []) => fc.oneof(
  { weight: 3, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.string() },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 99, 100, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '1', '', ' ', null, true, false) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: oddText },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

const loose = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) => fc.record(shape, { requiredKeys: [] });

const productShape = (t: Targets) => loose({
  id: hostileValue([...t.productIds, 'chaos-new']), name: hostileValue(['A name']), price: hostileValue(), stock: hostileValue(),
  image: hostileValue(['/images/x.svg']), active: hostileValue(), description: hostileValue(),
});
const couponShape = (t: Targets) => loose({
  code: hostileValue([...t.couponCodes, 'CHAOS']), type: hostileValue(['percentage', 'fixed']), value: hostileValue(), maxUses: hostileValue(),
  expiresAt: hostileValue(['2030-01-01T00:00:00Z', 'not a date']), minSubtotal: hostileValue(), uses: hostileValue(),
});

/** A Stripe event: a handled type with an object close to what it needs, or anything at all. */
const eventShape = (t: Targets) => {
  const intent = loose({
    object: fc.constantFrom('payment_intent', 'charge', 'customer', 'x'), id: hostileValue([...t.paymentIntentIds, 'pi_unknown']),
    status: hostileValue(['succeeded', 'requires_payment_method', 'canceled', 'processing']), amount: hostileValue(), amount_received: hostileValue(),
    amount_refunded: hostileValue(), currency: hostileValue(['usd', 'eur']), metadata: loose({ checkout_id: hostileValue(t.checkoutIds) }),
    last_payment_error: fc.option(loose({ code: hostileValue(['card_declined']), decline_code: hostileValue(), message: hostileValue() })),
    payment_intent: hostileValue(t.paymentIntentIds),
  });
  return loose({
    id: hostileValue(['evt_1', 'evt_2']), object: fc.constant('event'),
    type: hostileValue(['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'charge.refunded', 'customer.created']),
    data: fc.oneof(loose({ object: fc.oneof(intent, fc.jsonValue({ maxDepth: 2 })) }), fc.jsonValue({ maxDepth: 2 })),
    created: hostileValue(), livemode: hostileValue(),
  });
};

const noBody = () => fc.constant(undefined);

export const ROUTES: Route[] = [
  { method: 'GET', parts: ['/api/config'], body: noBody },
  { method: 'GET', parts: ['/api/products'], body: noBody },
  { method: 'POST', parts: ['/api/carts'], body: noBody },
  { method: 'GET', parts: ['/api/carts/', cart], body: noBody },
  { method: 'POST', parts: ['/api/carts/', cart, '/items'], body: (t) => loose({ productId: hostileValue(t.productIds), quantity: hostileValue(), price: hostileValue() }) },
  { method: 'PATCH', parts: ['/api/carts/', cart, '/items/', product], body: () => loose({ quantity: hostileValue() }) },
  { method: 'DELETE', parts: ['/api/carts/', cart, '/items/', product], body: noBody },
  { method: 'POST', parts: ['/api/carts/', cart, '/coupon'], body: (t) => loose({ code: hostileValue(t.couponCodes) }) },
  { method: 'DELETE', parts: ['/api/carts/', cart, '/coupon'], body: noBody },
  { method: 'POST', parts: ['/api/carts/', cart, '/checkout'], body: () => loose({ email: hostileValue(['a@example.com', 'not-an-email']), name: hostileValue(['Ann']) }) },
  { method: 'GET', parts: ['/api/checkouts/', checkoutId], body: noBody },
  { method: 'GET', parts: ['/api/checkouts/', checkoutId, '/events'], body: noBody },
  { method: 'GET', parts: ['/api/checkouts/retry/', token], body: noBody },
  { method: 'GET', parts: ['/checkout/retry/', token], body: noBody },
  { method: 'POST', parts: ['/webhooks/stripe'], body: eventShape, webhook: true },
  { method: 'GET', parts: ['/api/admin/products'], body: noBody, admin: true },
  { method: 'PUT', parts: ['/api/admin/catalog'], body: (t) => loose({ products: fc.oneof(fc.array(productShape(t), { maxLength: 4 }), hostileValue()), coupons: fc.oneof(fc.array(couponShape(t), { maxLength: 3 }), hostileValue()) }), admin: true },
  { method: 'POST', parts: ['/api/admin/products/', product, '/stock'], body: () => loose({ set: hostileValue(), adjust: hostileValue(), reason: hostileValue(['stocktake']) }), admin: true },
  { method: 'GET', parts: ['/api/admin/products/', product, '/stock-movements'], body: noBody, admin: true },
  { method: 'GET', parts: ['/api/admin/orders'], body: noBody, admin: true },
  { method: 'GET', parts: ['/api/admin/orders/', orderId], body: noBody, admin: true },
  { method: 'GET', parts: ['/api/admin/checkouts'], body: noBody, admin: true },
  { method: 'GET', parts: ['/checkout-cart.js'], body: noBody },
  { method: 'GET', parts: [() => fc.constantFrom('/', '/index.html', '/strict.html', '/demo.css', '/rerender.js', '/images/tee-black.svg', '/images/', '/nope.html', '/.env', '/../package.json', '/%2e%2e/package.json', '/images/..%2F..%2Fpackage.json')], body: noBody },
  { method: 'GET', parts: ['/dev/mail'], body: noBody },
  { method: 'GET', parts: ['/dev/mail/', mailId], body: noBody },
];

const queryValue = fc.oneof(
  fc.constantFrom('-1', '0', '1', '100', '500', '501', '1000', '1001', 'abc', '1e3', '0x10', '1.5', '', 'paid', 'refunded', 'needs_attention', 'pending', 'bogus', '%ZZ', '%', '%E0%A4%A', '%00', 'a%26b'),
  oddText.map(rawSafe),
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.array(fc.tuple(fc.constantFrom('limit', 'offset', 'status', 'x', 'limit[]', '__proto__', 'constructor'), queryValue), { minLength: 1, maxLength: 4 }).map((kv) => `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}`) },
  { weight: 1, arbitrary: fc.constantFrom('?', '??', '?&', '?=', '?a', '?%ZZ=%ZZ', '?limit=1&limit=2') },
);

/** Tweaks that keep the route recognisable to a human but not necessarily to a router. */
const pathTweak = fc.constantFrom<(p: string) => string>(
  (p) => p, (p) => p, (p) => p, (p) => p, (p) => p, (p) => p,
  (p) => `${p}/`, (p) => p.replace('/', '//'), (p) => p.toUpperCase(), (p) => p.replace(/\/api\//, '/api/./'),
  (p) => p.replace(/\/api\//, '/api/../api/'), (p) => p.replace(/a/, '%61'), (p) => `${p}%00`, (p) => `${p};x=1`,
);

const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom('', ' ', '\t', 'null', 'undefined', '{}', '*', '../../etc/passwd', '\xff\xfe', 'é'),
);

/** Headers that change how the bytes are framed: sending them wrong leaves the socket, not the app, to cope. */
const BANNED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'upgrade', 'expect', 'host', 'keep-alive', 'te', 'trailer']);
const extraHeaders = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((k) => !BANNED_HEADERS.has(k)), headerValue, { maxKeys: 3 });

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/xml',
  'application/octet-stream', 'text/html', 'application/json;;;', '', 'garbage', 'application/merge-patch+json',
];

function headersFor(route: Route, t: Targets): fc.Arbitrary<Record<string, string>> {
  const known = fc.record({
    'content-type': fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
    authorization: fc.option(fc.oneof(
      { weight: route.admin ? 4 : 1, arbitrary: fc.constant(`Bearer ${t.adminToken}`) },
      { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Bearer ', `Bearer ${t.adminToken}x`, `bearer ${t.adminToken}`, `Basic ${Buffer.from(`${t.adminToken}:`).toString('base64')}`, `Bearer ${'a'.repeat(2000)}`) },
      { weight: 1, arbitrary: headerValue },
    ), { nil: undefined }),
    origin: fc.option(fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null', 'http://127.0.0.1:1', 'not a url'), { nil: undefined }),
    accept: fc.option(fc.constantFrom('*/*', 'text/event-stream', 'application/json', 'text/html', 'garbage'), { nil: undefined }),
    'accept-encoding': fc.option(fc.constantFrom('gzip', 'br', 'identity;q=0', '*', 'x'), { nil: undefined }),
    'if-none-match': fc.option(fc.constantFrom('*', '"x"', 'W/"x"', ''), { nil: undefined }),
    'x-forwarded-for': fc.option(fc.constantFrom('1.2.3.4', '::1', 'garbage', '1.2.3.4, 5.6.7.8', ''), { nil: undefined }),
    host: fc.option(fc.constantFrom('localhost', 'evil.example', 'a b', 'localhost:99999', '[::1]', '127.0.0.1:1', '', 'x'.repeat(300), 'exa_mple.com', 'Ünïcode'), { nil: undefined }),
    cookie: fc.option(headerValue, { nil: undefined }),
    range: fc.option(fc.constantFrom('bytes=0-10', 'bytes=-1', 'bytes=x', 'items=1-2'), { nil: undefined }),
    'x-odd': fc.option(headerValue, { nil: undefined }),
    // Huge, but with the path below Node's 16 KB header limit, so the app (not Node's 431) answers.
    'x-huge': fc.option(fc.integer({ min: 1000, max: 6000 }).map((n) => 'v'.repeat(n)), { nil: undefined }),
  }, { requiredKeys: [] });
  return fc.tuple(known, extraHeaders)
    .map(([named, extra]) => Object.fromEntries(Object.entries({ ...extra, ...named }).filter(([, v]) => v !== undefined)) as Record<string, string>);
}


const BAD_JSON = ['{', '{"productId":', 'null', '[]', '"str"', '12', 'true', '{"a":1}}', '\u0000', 'undefined', "{'a':1}", '{"quantity":}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'];

function bodyFor(route: Route, t: Targets): fc.Arbitrary<Uint8Array | number | undefined> {
  const text = (s: string) => new TextEncoder().encode(s);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Uint8Array | number | undefined>(undefined) },
    { weight: 5, arbitrary: route.body(t).map((v) => (v === undefined ? undefined : text(JSON.stringify(v) ?? ''))) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }).map(text) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_JSON).map(text) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }).map(text) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }) },
    // Over the 16 KB shopper limit, and now and then over the 256 KB webhook and 2 MB admin limits.
    { weight: 1, arbitrary: fc.constantFrom(17 * 1024, 64 * 1024, 300 * 1024, route.admin ? 2100 * 1024 : 20 * 1024) },
  );
}

/** One arbitrary per route, each built once (building them is far dearer than drawing from them). */
export function hostileRequest(t: Targets): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...ROUTES.map((route) => fc.record({
    method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method) }, { weight: 3, arbitrary: fc.constantFrom(...METHODS) }),
    path: fc.tuple(...route.parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p(t))), pathTweak, query)
      .map((parts) => {
        const q = parts.pop() as string;
        const tweak = parts.pop() as (p: string) => string;
        return tweak((parts as string[]).join('')) + q;
      }),
    headers: headersFor(route, t),
    body: bodyFor(route, t),
    chunked: fc.boolean(),
    signature: route.webhook
      ? fc.constantFrom<SignatureKind>('none', 'garbage', 'valid', 'valid', 'valid', 'stale', 'wrong-secret')
      : fc.constantFrom<SignatureKind>('none', 'none', 'none', 'none', 'garbage'),
  })));
}

/** The bytes of a request's body. */
export function bodyBytes(body: HostileRequest['body']): Uint8Array | undefined {
  return typeof body === 'number' ? new TextEncoder().encode(`{"pad":"${'x'.repeat(body)}"}`) : body;
}
