/**
 * Several hosts share one database (issue 16). A merchant's change made through one host is what
 * every other host prices with, at once: no host keeps a copy of a price, a coupon or a product's
 * availability that another could have changed. (If a cache ever comes, this is the test it must pass.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cart } from '../../../shared/api.ts';
import { ADMIN_TOKEN, cartWith, startTestServer, type TestServer } from '../../helpers/server.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('one catalog, two hosts', () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startTestServer();
    // The second host runs on the first one's database (SQLite file or PostgreSQL schema).
    b = await startTestServer({ env: { DATABASE_PATH: a.database.path, ...(a.database.url ? { DATABASE_URL: a.database.url } : {}) } });
  });
  after(async () => {
    await b.stop();
    await a.stop();
  });

  const cartOn = async (s: TestServer, id: string) => (await s.api<{ cart: Cart }>(`/api/carts/${id}`)).body.cart;

  it('prices a cart on one host with the price, coupon and product state another host just changed', async () => {
    const cart = await cartWith(b, [['tee-black', 2], ['mug-stone', 1]], 'WELCOME15');
    const before = await cartOn(b, cart.id);
    assert.deepEqual(before.items.map((l) => [l.productId, l.unitPrice]), [['tee-black', 2500], ['mug-stone', 1400]]);
    assert.equal(before.totals.discount, Math.round((2 * 2500 + 1400) * 0.15));

    assert.equal((await a.api('/api/admin/products/tee-black', { method: 'PATCH', headers: admin, json: { price: 2700 } })).status, 200);
    const repriced = await cartOn(b, cart.id);
    assert.deepEqual(repriced.items.map((l) => [l.productId, l.unitPrice]), [['tee-black', 2700], ['mug-stone', 1400]]);
    assert.equal(repriced.totals.subtotal, 2 * 2700 + 1400);

    assert.equal((await a.api('/api/admin/coupons/WELCOME15', { method: 'PATCH', headers: admin, json: { active: false } })).status, 200);
    const uncouponed = await cartOn(b, cart.id);
    assert.equal(uncouponed.totals.discount, 0);
    assert.notEqual(uncouponed.couponProblem, null);

    assert.equal((await a.api('/api/admin/products/mug-stone', { method: 'PATCH', headers: admin, json: { active: false } })).status, 200);
    assert.deepEqual((await cartOn(b, cart.id)).items.map((l) => l.productId), ['tee-black']);
  });

  it('counts stock a checkout on one host holds when another host adds to a cart', async () => {
    assert.equal((await a.api('/api/admin/products/tee-white/stock', { method: 'POST', headers: admin, json: { set: 2, reason: 'test' } })).status, 201);
    const first = await cartWith(a, [['tee-white', 2]]);
    assert.equal((await a.api(`/api/carts/${first.id}/checkout`, { json: { email: 'a@example.com' } })).status, 200);
    const second = await cartWith(b, []);
    const refused = await b.api<{ error: { code: string } }>(`/api/carts/${second.id}/items`, { json: { productId: 'tee-white', quantity: 1 } });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'out_of_stock');
  });
});
