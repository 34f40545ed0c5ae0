/** What the HTTP edge does with requests no route should see: oversized bodies and paths that
 * can't be decoded. Over real sockets, since connection handling is the point. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

interface Answer { status: number; connection: string | undefined; code: string | undefined }

describe('HTTP edge', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  const send = (agent: http.Agent, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) => new Promise<Answer>((resolve, reject) => {
    const { port } = new URL(s.url);
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}), ...headers } }, async (res) => {
      let text = '';
      for await (const chunk of res) text += String(chunk);
      resolve({ status: res.statusCode!, connection: res.headers.connection, code: (JSON.parse(text) as { error?: { code: string } }).error?.code });
    });
    req.on('error', reject);
    req.end(body);
  });

  it('answers an oversized /api body with 413, closes that connection, and the next request on the same agent works', async () => {
    // One socket at most: a second request would reuse the first one's connection if it were left open.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const size of [256 * 1024, 4 * 1024 * 1024]) {
        const refused = await send(agent, 'POST', '/api/carts', Buffer.alloc(size, ' '));
        assert.deepEqual(refused, { status: 413, connection: 'close', code: 'payload_too_large' }, `${size} bytes`);
        const next = await send(agent, 'GET', '/api/products');
        assert.equal(next.status, 200, `the request after ${size} bytes`);
      }
    } finally {
      agent.destroy();
    }
  });

  it('counts a chunked body (no Content-Length) and refuses it past the limit, and takes a POST with no body at all', async () => {
    const { port } = new URL(s.url);
    const chunked = await new Promise<{ status: number; code?: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/carts', headers: { 'content-type': 'application/json' } }, async (res) => {
        let text = '';
        for await (const chunk of res) text += String(chunk);
        resolve({ status: res.statusCode!, code: (JSON.parse(text) as { error?: { code: string } }).error?.code });
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(1024, ' '));
      req.end();
    });
    assert.deepEqual(chunked, { status: 413, code: 'payload_too_large' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const created = await send(agent, 'POST', '/api/carts');
      assert.deepEqual(created, { status: 201, connection: 'keep-alive', code: undefined });
    } finally {
      agent.destroy();
    }
  });

  it('answers malformed percent-escapes in the path with 400, on every route', async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      for (const [method, path] of [['GET', '/%E0%A4%A'], ['GET', '/api/carts/%ZZ/items'], ['POST', '/api/carts/%ZZ/items'], ['GET', '/api/products%ZZ'], ['GET', '/%ZZ.html'], ['POST', '/webhooks/stripe%E0']] as const) {
        assert.deepEqual(await send(agent, method, path), { status: 400, connection: 'keep-alive', code: 'bad_request' }, `${method} ${path}`);
      }
    } finally {
      agent.destroy();
    }
  });

  it('answers a Host header that names no host with 400 bad_request, closes that connection, and the next request on the same agent works', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const host of ['localhost:99999', 'a b']) {
        // With a body left unread, so a connection kept open would misread the next request.
        const refused = await send(agent, 'POST', '/api/carts', Buffer.from('{"productId":"tee-black"}'), { host });
        assert.deepEqual(refused, { status: 400, connection: 'close', code: 'bad_request' }, `Host: ${host}`);
        assert.equal((await send(agent, 'GET', '/api/products')).status, 200, `the request after Host: ${host}`);
      }
    } finally {
      agent.destroy();
    }
  });
});
