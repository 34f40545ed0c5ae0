/**
 * The merchant's text (names, descriptions, reasons, notes, search) holds no NUL nor other control
 * characters, by the same rule as the shopper's: refused with 400 validation_failed naming the
 * field, on both engines alike (PostgreSQL can't store a NUL in text, SQLite can, so the engine
 * used to decide), and nothing is written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderRecord } from '../../../server/stores/order-store.ts';
import { admin, paidOrder } from '../../helpers/admin.ts';
import { sqlRows } from '../../helpers/db.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import type { JsonRequest } from '../../helpers/fetch-json.ts';

type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] } };

describe('control characters in the merchant\'s text', () => {
  let s: TestServer;
  let order: OrderRecord;
  before(async () => {
    s = await startTestServer();
    order = await paidOrder(s, [['mug-stone', 1]], 'nul@example.com');
    await s.checkout.orders.markAttention(order.id, 'disputed', Date.now());
  });
  after(() => s.stop());

  /** Everything a refused request could have written. */
  const written = async () => Promise.all(['products', 'coupons', 'shipping_rates', 'stock_movements', 'admin_refunds', 'order_resolutions', 'orders']
    .map((table) => sqlRows(s.db, `SELECT * FROM ${table} ORDER BY 1`)));

  const refusals = (orderId: string): [what: string, path: string, init: JsonRequest, field: string][] => [
    ['a new product\'s name', '/products', { json: { id: 'nul-mug', name: 'Mug\u0000', price: 100 } }, 'name'],
    ['a new product\'s description', '/products', { json: { id: 'nul-mug', name: 'Mug', price: 100, description: 'Stone\u0000ware' } }, 'description'],
    ['a new product\'s image', '/products', { json: { id: 'nul-mug', name: 'Mug', price: 100, image: '/img/mug.png\u0000' } }, 'image'],
    ['a renamed product', '/products/mug-stone', { method: 'PATCH', json: { name: '\u0000' } }, 'name'],
    ['an edited description', '/products/mug-stone', { method: 'PATCH', json: { description: 'Bell\u0007' } }, 'description'],
    ['a product in a catalog file', '/catalog', { method: 'PUT', json: { products: [{ id: 'nul-mug', name: 'Mug\u0000', price: 100 }] } }, 'products.0.name'],
    ['a shipping rate\'s label', '/catalog', { method: 'PUT', json: { shippingRates: [{ id: 'nul-rate', label: 'Post\u0000', amount: 100, countries: ['US'] }] } }, 'shippingRates.0.label'],
    ['a coupon code', '/coupons', { json: { code: 'NUL\u0000', type: 'fixed', value: 100 } }, 'code'],
    ['a stock reason', '/products/mug-stone/stock', { json: { adjust: 1, reason: 'delivery\u0000' } }, 'reason'],
    ['a refund reason', `/orders/${orderId}/refunds`, { json: { amount: 100, reason: 'chipped\u0000' } }, 'reason'],
    ['who refunds', `/orders/${orderId}/refunds`, { json: { amount: 100, reason: 'chipped', by: 'Ada\u0000' } }, 'by'],
    ['a resolution note', `/orders/${orderId}/resolve`, { json: { note: 'Won it\u0000' } }, 'note'],
    ['an order search', '/orders?q=%00', {}, 'q'],
    ['an export\'s search', '/orders.csv?q=nul%00', {}, 'q'],
  ];

  it('refuses each with 400 validation_failed naming the field, and writes nothing', async () => {
    const before = await written();
    for (const [what, path, init, field] of refusals(order.id)) {
      const res = await admin<ErrorBody>(s, path, init);
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'validation_failed', what);
      assert.deepEqual(res.body.error.details.map((d) => d.path), [field], what);
    }
    assert.deepEqual(await written(), before);
  });

  it('answers a NUL in an order id or coupon code in the path as the not-found it is, and writes nothing', async () => {
    const before = await written();
    const order404 = await admin<ErrorBody>(s, '/orders/ord%00/resolve', { json: { note: 'x' } });
    assert.deepEqual([order404.status, order404.body.error.code], [404, 'order_not_found']);
    const coupon404 = await admin<ErrorBody>(s, '/coupons/WELCOME15%00', { method: 'PATCH', json: { active: false } });
    assert.deepEqual([coupon404.status, coupon404.body.error.code], [404, 'coupon_not_found']);
    assert.deepEqual(await written(), before);
  });

  it('keeps line breaks and tabs in a description and a note, which span lines', async () => {
    const edited = await admin<{ product: { description: string } }>(s, '/products/mug-stone', { method: 'PATCH', json: { description: 'Stoneware.\n\tDishwasher safe.' } });
    assert.deepEqual([edited.status, edited.body.product.description], [200, 'Stoneware.\n\tDishwasher safe.']);
    const resolved = await admin<{ order: OrderRecord }>(s, `/orders/${order.id}/resolve`, { json: { note: 'Won it.\nEvidence sent.' } });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
  });
});
