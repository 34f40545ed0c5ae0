/**
 * Every HTML page of the shop carries the one Content-Security-Policy that server/http/csp.ts
 * builds: scripts only from the server and Stripe, no inline script, forms only back to the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../../helpers/app.ts';

describe('the shop\'s HTML pages', () => {
  let app: TestApp;
  let policy = '';
  before(async () => {
    app = await startTestApp({ store: 'sqlite' });
    // The emulator's three origins stand for js.stripe.com, api.stripe.com and hooks.stripe.com.
    const { js, api, hooks } = app.stripe.emulator!.origins;
    policy = `default-src 'self'; script-src 'self' ${js}; connect-src 'self' ${api}; frame-src ${hooks}; img-src 'self' data:; `
      + "style-src 'self' 'unsafe-inline'; base-uri 'none'; object-src 'none'; form-action 'self'";
  });
  after(() => app.dispose());

  const pages = (): [string, string, number][] => [
    ['the demo shop', '/', 200],
    ['the strict-CSP demo', '/strict.html', 200],
    ['a genuine recovery link\'s page, its checkout gone', `/checkout/retry/${app.checkout.tokens.sign('chk_pages_test_0000000000', Date.now() + 3_600_000)}`, 404],
    ['a forged recovery link\'s page', '/checkout/retry/forged.token', 400],
  ];

  it('each carry the same policy, form-action included', async () => {
    for (const [name, path, status] of pages()) {
      const res = await app.request(path);
      assert.equal(res.status, status, name);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, name);
      const header = res.headers.get('content-security-policy');
      assert.equal(header, policy, name);
      assert.match(header ?? '', /; form-action 'self'$/, `${name}: forms post only to the shop`);
    }
  });

  it('send no Referer, so a recovery link\'s token never leaves in one', async () => {
    for (const [name, path] of pages()) assert.equal((await app.request(path)).headers.get('referrer-policy'), 'no-referrer', name);
  });

  it('are revalidated, by their ETag', async () => {
    for (const path of ['/', '/strict.html']) {
      const first = await app.request(path);
      const tag = first.headers.get('etag');
      assert.equal(first.headers.get('cache-control'), 'no-cache', path);
      assert.ok(tag, path);
      const again = await app.request(path, { headers: { 'if-none-match': tag } });
      assert.equal(again.status, 304, path);
      assert.equal(again.headers.get('etag'), tag, path);
      assert.equal(again.headers.get('cache-control'), 'no-cache', path);
    }
  });
});
