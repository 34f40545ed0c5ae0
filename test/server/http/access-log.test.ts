/**
 * Request ids and the access log: every answer names its request, and each request leaves one
 * structured log line that never holds a recovery link's token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { accessLog } from '../../../server/http/access-log.ts';
import type { Logger } from '../../../server/logger.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';

describe('request ids', () => {
  let app: TestApp;
  before(async () => { app = await startTestApp({ store: 'sqlite' }); });
  after(() => app.dispose());

  it('are on every answer: API, error, page and file', async () => {
    const ids = new Set<string>();
    for (const path of ['/api/config', '/api/carts/not-a-cart', '/', '/checkout-cart.js', '/api/admin/products']) {
      const id = (await app.request(path)).headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, path);
      ids.add(id!);
    }
    assert.equal(ids.size, 5, 'one id per request');
  });

  it('keep the caller\'s own id, unless it is not a plain token', async () => {
    assert.equal((await app.request('/api/config', { headers: { 'x-request-id': 'lb-7f3a' } })).headers.get('x-request-id'), 'lb-7f3a');
    assert.notEqual((await app.request('/api/config', { headers: { 'x-request-id': '<script>' } })).headers.get('x-request-id'), '<script>');
  });
});

describe('the access log', () => {
  const lines: Record<string, unknown>[] = [];
  const logger: Logger = { info: (message, fields) => lines.push({ message, ...fields }), warn() {}, error() {} };
  const app = new Hono().use('*', accessLog(logger))
    .get('/checkout/retry/:token', (c) => c.text('page'))
    .get('/api/checkouts/retry/:token', (c) => c.json({ status: 'pending' }))
    .get('/api/carts/:id', (c) => c.json({ error: { code: 'cart_not_found' } }, 404));

  it('writes one line per request: id, method, path, status and time', async () => {
    lines.length = 0;
    const res = await app.request('/api/carts/abc?x=1');
    assert.equal(lines.length, 1);
    const { ms, ...line } = lines[0]!;
    assert.deepEqual(line, { message: 'request', requestId: res.headers.get('x-request-id'), method: 'GET', path: '/api/carts/[id]', status: 404 });
    assert.equal(typeof ms, 'number');
  });

  it('leaves out cart and checkout ids, which are as good as the cart and its payment', async () => {
    lines.length = 0;
    await app.request('/api/carts/Zq3kLm9PqRsTuVwXyZ01ab/items/tee-black');
    await app.request('/api/checkouts/chk_Zq3kLm9PqRsTuVwXyZ01ab/events');
    assert.deepEqual(lines.map((l) => l.path), ['/api/carts/[id]/items/tee-black', '/api/checkouts/[id]/events']);
  });

  it('leaves out the token of a recovery link, on the page and in the API', async () => {
    lines.length = 0;
    const token = 'eyJjIjoiY2hrXzEyMyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2ln';
    await app.request(`/checkout/retry/${token}`);
    await app.request(`/api/checkouts/retry/${token}`);
    await app.request(`/api/checkouts/retry/${token.split('.')[0]}/extra`);
    assert.deepEqual(lines.map((l) => l.path), ['/checkout/retry/[redacted]', '/api/checkouts/retry/[redacted]', '/api/checkouts/retry/[redacted]']);
    assert.equal(JSON.stringify(lines).includes(token.split('.')[0]!), false);
  });

  it("leaves out the token of a reminder's links, which hands over the cart or names the address", async () => {
    lines.length = 0;
    // What the tokens carry: {"c":"<cart id or email>","e":<expiry>}, in base64url.
    const token = `${Buffer.from(JSON.stringify({ c: 'ann@example.com', e: 1 })).toString('base64url')}.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2ln`;
    await app.request(`/cart/restore/${token}`);
    await app.request(`/api/carts/restore/${token}`);
    await app.request(`/unsubscribe/${token}`);
    await app.request(`/unsubscribe/${token}`, { method: 'POST' });
    assert.deepEqual(lines.map((l) => l.path), ['/cart/restore/[redacted]', '/api/carts/restore/[redacted]', '/unsubscribe/[redacted]', '/unsubscribe/[redacted]']);
    assert.equal(JSON.stringify(lines).includes(token.split('.')[0]!), false);
  });
});
