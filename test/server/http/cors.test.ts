/**
 * CORS on /api: the answers a browser reads on a merchant's page. server/http/cors.ts writes the
 * headers hono/cors wrote with the same options, without its second Response per request; these
 * are the exact headers, preflight and actual request, from allowed and refused origins.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

const corsHeaders = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('access-control-') || k === 'vary'));

describe('CORS on the API', () => {
  let s: TestServer;
  let cartId: string;
  before(async () => {
    s = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://shop.example' } });
    cartId = ((await (await fetch(`${s.url}/api/carts`, { method: 'POST' })).json()) as { cart: { id: string } }).cart.id;
  });
  after(() => s.stop());

  const preflight = (origin: string) => fetch(`${s.url}/api/carts/${cartId}/items/tee-black`, {
    method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
  });

  it('answers a merchant origin\'s preflight with 204, the methods, Content-Type and ten minutes of caching', async () => {
    const res = await preflight('https://shop.example');
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.deepEqual(corsHeaders(res), {
      'access-control-allow-headers': 'Content-Type', 'access-control-allow-methods': 'GET,POST,PATCH,DELETE',
      'access-control-allow-origin': 'https://shop.example', 'access-control-expose-headers': 'Retry-After',
      'access-control-max-age': '600', vary: 'Origin, Access-Control-Request-Headers',
    });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'the security headers too');
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('gives another origin\'s preflight no Allow-Origin, so its browser refuses', async () => {
    const res = await preflight('https://evil.example');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('vary'), 'Origin, Access-Control-Request-Headers');
  });

  it('lets the merchant origin read answers, errors included, and tells caches they vary by Origin', async () => {
    for (const [path, status] of [[`/api/carts/${cartId}`, 200], ['/api/carts/AAAAAAAAAAAAAAAAAAAAAA', 404], ['/api/nothing', 404]] as const) {
      const res = await fetch(s.url + path, { headers: { origin: 'https://shop.example' } });
      assert.equal(res.status, status, path);
      assert.deepEqual(corsHeaders(res), {
        'access-control-allow-origin': 'https://shop.example', 'access-control-expose-headers': 'Retry-After', vary: 'Origin',
      }, path);
      await res.arrayBuffer();
    }
  });

  it('lets no other origin read them, and answers a request without Origin the same way', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, {}] as Record<string, string>[]) {
      const res = await fetch(`${s.url}/api/carts/${cartId}`, { headers });
      assert.equal(res.status, 200);
      assert.deepEqual(corsHeaders(res), { 'access-control-expose-headers': 'Retry-After', vary: 'Origin' }, JSON.stringify(headers));
      await res.arrayBuffer();
    }
  });
});
