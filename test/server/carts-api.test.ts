import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LINES, cartSchema, configSchema, productSchema, type Cart } from '../../shared/api.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { redisAvailable } from '../helpers/redis.ts';
import { sqlRun } from '../helpers/db.ts';

for (const store of ['sqlite', 'redis'] as const) {
  describe(`cart API on ${store}`, () => {
    let app: TestApp | undefined;
    before(async () => {
      if (store === 'redis' && !(await redisAvailable())) return;
      app = await startTestApp({ store });
    });
    after(() => app?.dispose());

    const newCart = async (): Promise<Cart> => {
      const res = await app!.request('/api/carts', { method: 'POST' });
      assert.equal(res.status, 201);
      return cartSchema.parse(((await res.json()) as { cart: unknown }).cart);
    };
    const call = async (path: string, method: string, json?: unknown) => {
      const res = await app!.request(path, { method, json });
      return { status: res.status, body: (await res.json()) as { cart: Cart; error: { code: string } } };
    };

    it('serves the config and the active catalog', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const config = configSchema.parse(await (await app.request('/api/config')).json());
      assert.equal(config.currency, 'USD');
      assert.equal(config.taxRateBps, 800);
      const { products } = (await (await app.request('/api/products')).json()) as { products: unknown[] };
      assert.equal(products.length, 6);
      products.forEach((p) => productSchema.parse(p));
    });

    it('builds a cart: two products, WELCOME15, a quantity change, totals by the rules', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      assert.match(cart.id, /^[A-Za-z0-9_-]{22}$/);
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'tee-black', quantity: 2 });
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'mug-stone', quantity: 1 });
      let { body } = await call(`/api/carts/${cart.id}/coupon`, 'POST', { code: 'welcome15' });
      // 2 x 2500 + 1400 = 6400; 15 % = 960; tax 8 % of 5440 = 435.2 -> 435; total 5875.
      assert.deepEqual(body.cart.totals, { subtotal: 6400, discount: 960, tax: 435, total: 5875 });
      ({ body } = await call(`/api/carts/${cart.id}/items/mug-stone`, 'PATCH', { quantity: 3 }));
      // 5000 + 4200 = 9200; 15 % = 1380; tax 8 % of 7820 = 625.6 -> 626; total 8446.
      assert.deepEqual(body.cart.totals, { subtotal: 9200, discount: 1380, tax: 626, total: 8446 });
      assert.equal(body.cart.itemCount, 5);
      assert.equal(body.cart.couponCode, 'WELCOME15');
      cartSchema.parse(body.cart);
    });

    it('uses the catalog price when the client sends a price', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      const { status, body } = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'hoodie-grey', quantity: 1, price: 1, unitPrice: 1, totals: { total: 1 } });
      assert.equal(status, 200);
      assert.equal(body.cart.items[0]?.unitPrice, 6000);
      assert.equal(body.cart.totals.subtotal, 6000);
      const patched = await call(`/api/carts/${cart.id}/items/hoodie-grey`, 'PATCH', { quantity: 2, price: 1 });
      assert.equal(patched.body.cart.totals.subtotal, 12000);
    });

    it('recomputes a percentage coupon as the cart shrinks, and drops a fixed one below its minimum', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'tee-black', quantity: 4 });
      let { body } = await call(`/api/carts/${cart.id}/coupon`, 'POST', { code: 'WELCOME15' });
      assert.equal(body.cart.totals.discount, 1500);
      ({ body } = await call(`/api/carts/${cart.id}/items/tee-black`, 'PATCH', { quantity: 1 }));
      assert.equal(body.cart.totals.discount, 375);
      ({ body } = await call(`/api/carts/${cart.id}/coupon`, 'POST', { code: 'TENOFF' }));
      assert.equal(body.cart.totals.discount, 1000);
      ({ body } = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'mug-stone', quantity: 1 }));
      ({ body } = await call(`/api/carts/${cart.id}/items/tee-black`, 'DELETE'));
      assert.equal(body.cart.couponProblem, 'coupon_min_subtotal');
      assert.equal(body.cart.totals.discount, 0);
      ({ body } = await call(`/api/carts/${cart.id}/coupon`, 'DELETE'));
      assert.equal(body.cart.couponCode, null);
    });

    it('refuses quantities over the stock with out_of_stock, and a 100th unit with quantity_limit', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      const over = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'print-limited', quantity: 4 });
      assert.equal(over.status, 409);
      assert.equal(over.body.error.code, 'out_of_stock');
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'print-limited', quantity: 3 });
      const more = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'print-limited', quantity: 1 });
      assert.equal(more.body.error.code, 'out_of_stock');
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'mug-stone', quantity: 50 });
      const limit = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'mug-stone', quantity: 50 });
      assert.equal(limit.body.error.code, 'quantity_limit');
      const { body } = await call(`/api/carts/${cart.id}`, 'GET');
      assert.deepEqual(body.cart.items.map((l) => [l.productId, l.quantity]), [['print-limited', 3], ['mug-stone', 50]]);
    });

    it('names each reason a coupon is refused', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'mug-stone', quantity: 1 });
      const codes: Record<string, string> = { NOPE: 'coupon_invalid', EXPIRED20: 'coupon_expired', USEDUP50: 'coupon_exhausted', TENOFF: 'coupon_min_subtotal' };
      for (const [code, error] of Object.entries(codes)) {
        const res = await call(`/api/carts/${cart.id}/coupon`, 'POST', { code });
        assert.equal(res.body.error.code, error, code);
        assert.ok(res.status >= 400 && res.status < 500);
      }
      // A code no merchant can create (a NUL, a line break, half an emoji) is a typing error, told as such.
      for (const code of ['WELCOME15\u0000', 'WELCOME\n15', 'WELCOME15\uD800']) {
        const res = await call(`/api/carts/${cart.id}/coupon`, 'POST', { code });
        assert.equal(res.status, 400, JSON.stringify(code));
        assert.equal(res.body.error.code, 'validation_failed', JSON.stringify(code));
      }
      assert.equal((await call(`/api/carts/${cart.id}`, 'GET')).body.cart.couponCode, null);
    });

    it('closes a cart whose products are now sold in another currency: 404 cart_not_found, never a 500', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const cart = await newCart();
      assert.equal((await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'cap-navy', quantity: 1 })).status, 200);
      (await sqlRun(app.db, "UPDATE products SET currency = 'EUR' WHERE id = 'cap-navy'"));
      try {
        const res = await call(`/api/carts/${cart.id}`, 'GET');
        assert.deepEqual([res.status, res.body.error.code], [404, 'cart_not_found']);
      } finally {
        (await sqlRun(app.db, "UPDATE products SET currency = 'USD' WHERE id = 'cap-navy'"));
      }
    });

    it('holds at most MAX_LINES different products: the next one is a 400 that changes nothing, more of one already there is fine', async (t) => {
      if (!app) return t.skip('Redis is not running');
      for (let i = 0; i <= MAX_LINES; i++) {
        await sqlRun(app.db, `INSERT INTO products (id, name, price, currency, stock, active, sort) VALUES ('line-${i}', 'Line ${i}', 100, 'USD', 5, 1, ${1000 + i})`);
      }
      const cart = await newCart();
      for (let i = 0; i < MAX_LINES; i++) assert.equal((await call(`/api/carts/${cart.id}/items`, 'POST', { productId: `line-${i}`, quantity: 1 })).status, 200);
      const full = (await call(`/api/carts/${cart.id}`, 'GET')).body.cart;
      const refused = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: `line-${MAX_LINES}`, quantity: 1 });
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'cart_line_limit']);
      const after = (await call(`/api/carts/${cart.id}`, 'GET')).body.cart;
      assert.deepEqual([after.items.length, after.version, after.totals.subtotal], [MAX_LINES, full.version, MAX_LINES * 100]);
      const more = await call(`/api/carts/${cart.id}/items`, 'POST', { productId: 'line-0', quantity: 1 });
      assert.deepEqual([more.status, more.body.cart.items.length, more.body.cart.itemCount], [200, MAX_LINES, MAX_LINES + 1]);
    });

    it('allows CORS only for configured origins and localhost in development', async (t) => {
      if (!app) return t.skip('Redis is not running');
      const fromEvil = await app.request('/api/products', { headers: { origin: 'https://evil.example' } });
      assert.equal(fromEvil.headers.get('access-control-allow-origin'), null);
      const fromLocal = await app.request('/api/products', { headers: { origin: 'http://localhost:5173' } });
      assert.equal(fromLocal.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    });
  });
}

describe('CORS in production', () => {
  it('allows the listed merchant origin and refuses localhost', async () => {
    const app = await startTestApp({ store: 'sqlite', env: { NODE_ENV: 'production', ALLOWED_ORIGINS: 'https://shop.example,https://other.example' } });
    try {
      const ok = await app.request('/api/products', { headers: { origin: 'https://shop.example' } });
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
      const local = await app.request('/api/products', { headers: { origin: 'http://localhost:3000' } });
      assert.equal(local.headers.get('access-control-allow-origin'), null);
    } finally {
      await app.dispose();
    }
  });
});
