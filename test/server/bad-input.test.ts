import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorBodySchema, type Cart } from '../../shared/api.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { redisAvailable } from '../helpers/redis.ts';

const hostileValues: unknown[] = [
  null, true, false, 0, -1, 1.5, 100, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '1', '', ' ', 'TEE-BLACK',
  [], [1], {}, { $gt: '' }, '<script>alert(1)</script>', "' OR 1=1 --", 'a'.repeat(5000), '\u0000', '../../etc/passwd',
];

const badJsonTexts = ['{', '{"productId":', 'null', '[]', '"str"', '12', 'true', '{"a":1}}', '\u0000', 'undefined', "{'productId':'tee-black'}", '{"productId":"tee-black","quantity":}'];

interface Attempt { method: string; path: string; body?: string; headers?: Record<string, string> }

function attemptsFor(cartId: string): Attempt[] {
  const attempts: Attempt[] = [];
  const json = (method: string, path: string, value: unknown): Attempt => ({ method, path, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
  const base = `/api/carts/${cartId}`;
  for (const v of hostileValues) {
    attempts.push(json('POST', `${base}/items`, { productId: v, quantity: 1 }));
    attempts.push(json('POST', `${base}/items`, { productId: 'tee-black', quantity: v === 1 || v === '1' ? 0 : v }));
    // 0 removes the line and 1 is a real quantity: both are valid here, so send -v instead.
    attempts.push(json('PATCH', `${base}/items/tee-black`, { quantity: v === 0 || v === 1 ? -1 - v : v }));
    attempts.push(json('POST', `${base}/coupon`, { code: v }));
    attempts.push(json('POST', `${base}/items`, v));
  }
  for (const text of badJsonTexts) {
    for (const [method, path] of [['POST', `${base}/items`], ['PATCH', `${base}/items/tee-black`], ['POST', `${base}/coupon`]] as const) {
      attempts.push({ method, path, body: text, headers: { 'content-type': 'application/json' } });
    }
  }
  const oversized = JSON.stringify({ productId: 'tee-black', quantity: 1, pad: 'x'.repeat(64 * 1024) });
  attempts.push({ method: 'POST', path: `${base}/items`, body: oversized, headers: { 'content-type': 'application/json' } });
  attempts.push({ method: 'POST', path: `${base}/coupon`, body: oversized, headers: { 'content-type': 'application/json' } });
  const badIds = ['x', 'A'.repeat(21), 'A'.repeat(23), '%00', '..%2F..', 'AAAAAAAAAAAAAAAAAAAAAA', '<b>hi</b>', ' '.repeat(22)];
  for (const id of badIds) {
    attempts.push({ method: 'GET', path: `/api/carts/${id}` });
    attempts.push(json('POST', `/api/carts/${id}/items`, { productId: 'tee-black', quantity: 1 }));
    attempts.push(json('POST', `/api/carts/${id}/coupon`, { code: 'WELCOME15' }));
    attempts.push({ method: 'DELETE', path: `/api/carts/${id}/coupon` });
  }
  for (const p of ['nope', 'x'.repeat(65), 'bad%20id', 'tee-white']) {
    attempts.push(json('PATCH', `${base}/items/${p}`, { quantity: 1 }));
    attempts.push({ method: 'DELETE', path: `${base}/items/${p}` });
  }
  for (const code of ['NOPE', 'EXPIRED20', 'USEDUP50', 'welcome15 extra', 'x'.repeat(65)]) attempts.push(json('POST', `${base}/coupon`, { code }));
  attempts.push(json('POST', `${base}/items`, { productId: 'tee-black', quantity: 99 }));
  attempts.push(json('POST', `${base}/items`, { productId: 'print-limited', quantity: 4 }));
  attempts.push({ method: 'PUT', path: `${base}/items` }, { method: 'POST', path: '/api/nothing' }, { method: 'GET', path: '/api/admin/products' });
  attempts.push({ method: 'GET', path: '/api/admin/products', headers: { authorization: 'Bearer wrong-token-wrong-token' } });
  attempts.push({ method: 'PUT', path: '/api/admin/catalog', headers: { authorization: 'Bearer test-admin-token-0123456789' }, body: '{"products":[{"id":"x","price":-1}]}' });
  return attempts;
}

for (const store of ['sqlite', 'redis'] as const) {
  describe(`bad input on ${store}`, () => {
    let app: TestApp | undefined;
    before(async () => {
      if (store === 'redis' && !(await redisAvailable())) return;
      app = await startTestApp({ store });
    });
    after(() => app?.dispose());

    it('answers over 200 malformed or hostile requests with 4xx JSON errors and changes nothing', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const created = (await (await app.request('/api/carts', { method: 'POST' })).json()) as { cart: Cart };
      const id = created.cart.id;
      await app.request(`/api/carts/${id}/items`, { method: 'POST', json: { productId: 'tee-black', quantity: 2 } });
      await app.request(`/api/carts/${id}/coupon`, { method: 'POST', json: { code: 'WELCOME15' } });
      const before = await (await app.request(`/api/carts/${id}`)).json();
      const catalogBefore = await (await app.request('/api/products')).json();

      const attempts = attemptsFor(id);
      assert.ok(attempts.length >= 200, `only ${attempts.length} attempts`);
      for (const a of attempts) {
        const res = await app.request(a.path, { method: a.method, body: a.body, headers: a.headers });
        const label = `${a.method} ${a.path.slice(0, 60)} ${String(a.body).slice(0, 60)}`;
        assert.ok(res.status >= 400 && res.status < 500, `${label} -> ${res.status}`);
        errorBodySchema.parse(await res.json());
      }
      assert.deepEqual(await (await app.request(`/api/carts/${id}`)).json(), before);
      assert.deepEqual(await (await app.request('/api/products')).json(), catalogBefore);
    });
  });
}
