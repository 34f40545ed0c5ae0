/** Products and coupons one at a time through the admin API. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Product } from '../../../shared/api.ts';
import type { ProductRecord } from '../../../server/catalog/catalog.ts';
import type { AdminCoupon } from '../../../server/catalog/coupon-admin.ts';
import type { StockMovement } from '../../../server/catalog/stock.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

type ErrorBody = { error: { code: string; message: string } };

describe('admin products', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  const shop = async () => (await s.api<{ products: Product[] }>('/api/products')).body.products.map((p) => p.id);

  it('creates a product with its opening stock in the ledger, and refuses the same id twice', async () => {
    const res = await admin<{ product: ProductRecord }>(s, '/products', { json: { id: 'gift-card', name: 'Gift card', price: 5000, stock: 100, shippable: false } });
    assert.equal(res.status, 201);
    assert.deepEqual({ ...res.body.product, sort: undefined }, {
      id: 'gift-card', name: 'Gift card', description: '', price: 5000, currency: 'USD', image: '', stock: 100, active: true, shippable: false, sort: undefined,
    });
    assert.ok((await shop()).includes('gift-card'));
    const history = await admin<{ movements: StockMovement[] }>(s, '/products/gift-card/stock-movements');
    assert.deepEqual(history.body.movements.map((m) => [m.delta, m.stockAfter, m.actor, m.reason]), [[100, 100, 'admin', 'opening stock']]);
    const again = await admin<ErrorBody>(s, '/products', { json: { id: 'gift-card', name: 'Other', price: 1 } });
    assert.deepEqual([again.status, again.body.error.code], [409, 'product_exists']);
  });

  it('edits only the fields sent, never the stock, and deactivating takes it off sale', async () => {
    const edited = await admin<{ product: ProductRecord }>(s, '/products/mug-stone', { method: 'PATCH', json: { name: 'Stoneware Mug, large', price: 1600, image: '/images/mug-large.svg', shippable: false } });
    assert.equal(edited.status, 200);
    const p = edited.body.product;
    assert.deepEqual([p.name, p.price, p.image, p.shippable, p.description, p.stock], ['Stoneware Mug, large', 1600, '/images/mug-large.svg', false, '12 oz, dishwasher safe.', 60]);
    const { body } = await s.api<{ cart: { id: string } }>('/api/carts', { method: 'POST' });
    const cart = await s.api<{ cart: { items: { unitPrice: number }[]; requiresShipping: boolean } }>(`/api/carts/${body.cart.id}/items`, { json: { productId: 'mug-stone', quantity: 1 } });
    assert.deepEqual([cart.body.cart.items[0]?.unitPrice, cart.body.cart.requiresShipping], [1600, false], 'the shop sells it so');
    const stock = await admin<ErrorBody>(s, '/products/mug-stone', { method: 'PATCH', json: { stock: 0 } });
    assert.equal(stock.status, 400);
    assert.match(stock.body.error.message, /^stock: stock changes only by a stock instruction/);
    for (const json of [{}, { price: -1 }, { price: 1.5 }, { name: '' }]) {
      assert.equal((await admin(s, '/products/mug-stone', { method: 'PATCH', json })).status, 400, JSON.stringify(json));
    }
    assert.equal((await admin<ErrorBody>(s, '/products/nope', { method: 'PATCH', json: { name: 'x' } })).status, 404);
    assert.equal((await admin(s, '/products/mug-stone', { method: 'PATCH', json: { active: false } })).status, 200);
    assert.ok(!(await shop()).includes('mug-stone'));
    const products = (await admin<{ products: ProductRecord[] }>(s, '/products')).body.products;
    assert.deepEqual(products.find((p) => p.id === 'mug-stone')?.stock, 60);
  });
});

describe('admin coupons', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  const create = (json: Record<string, unknown>) => admin<{ coupon: AdminCoupon } & ErrorBody>(s, '/coupons', { json });
  const edit = (code: string, json: Record<string, unknown>) => admin<{ coupon: AdminCoupon } & ErrorBody>(s, `/coupons/${code}`, { method: 'PATCH', json });

  it('creates a coupon with every rule, upper-cased, with no uses; the same code twice is refused', async () => {
    const res = await create({ code: 'spring10', type: 'percentage', value: 10, expiresAt: '2030-04-30T23:59:59Z', maxUses: 100, minSubtotal: 2000, firstOrderOnly: true, oncePerCustomer: true });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.coupon, {
      code: 'SPRING10', type: 'percentage', value: 10, expiresAt: '2030-04-30T23:59:59.000Z', maxUses: 100, uses: 0, minSubtotal: 2000,
      active: true, firstOrderOnly: true, oncePerCustomer: true,
    });
    assert.deepEqual([(await create({ code: 'SPRING10', type: 'fixed', value: 5 })).body.error.code], ['coupon_exists']);
    for (const json of [{ code: 'BAD', type: 'percentage', value: 101 }, { code: 'BAD', type: 'fixed', value: 0 }, { code: 'B D', type: 'fixed', value: 1 }]) {
      assert.equal((await create(json)).status, 400, JSON.stringify(json));
    }
  });

  it('edits what is sent; uses are shown and never set, and no limit goes below them', async () => {
    await paidOrder(s, [['tee-black', 1]], 'one@example.com', 'WELCOME15');
    const listed = (await admin<{ coupons: AdminCoupon[] }>(s, '/coupons')).body.coupons.find((c) => c.code === 'WELCOME15');
    assert.equal(listed?.uses, 1);
    const edited = await edit('welcome15', { value: 20, maxUses: 50 });
    assert.deepEqual([edited.status, edited.body.coupon.value, edited.body.coupon.maxUses, edited.body.coupon.uses], [200, 20, 50, 1]);
    const uses = await edit('WELCOME15', { uses: 0 });
    assert.equal(uses.status, 400);
    assert.match(uses.body.error.message, /^uses: /);
    const below = await edit('WELCOME15', { maxUses: 0 });
    assert.deepEqual([below.status, below.body.error.code], [400, 'validation_failed']);
    const percentTooHigh = await edit('TENOFF', { type: 'percentage' }); // TENOFF's value is 1000
    assert.equal(percentTooHigh.status, 400);
    assert.equal((await edit('NOPE', { value: 1 })).body.error.code, 'coupon_not_found');
    assert.equal((await admin<{ coupons: AdminCoupon[] }>(s, '/coupons')).body.coupons.find((c) => c.code === 'WELCOME15')?.value, 20);
  });

  it('a deactivated coupon is refused in carts', async () => {
    assert.equal((await edit('TENOFF', { active: false })).status, 200);
    const { body } = await s.api<{ cart: { id: string } }>('/api/carts', { method: 'POST' });
    await s.api(`/api/carts/${body.cart.id}/items`, { json: { productId: 'hoodie-grey', quantity: 1 } });
    const applied = await s.api<ErrorBody>(`/api/carts/${body.cart.id}/coupon`, { json: { code: 'TENOFF' } });
    assert.deepEqual([applied.status, applied.body.error.code], [400, 'coupon_invalid']);
  });
});
