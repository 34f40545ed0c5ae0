import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../server/db/database.ts';
import type { StockMovement } from '../../../server/catalog/stock.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { tempDir } from '../../helpers/temp.ts';
import { sqlColumn, sqlRow, sqlRows, sqlRun, TEST_ENGINE, testDatabaseLocation } from '../../helpers/db.ts';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const file = {
  products: [{ id: 'drop', name: 'Limited drop', price: 5000, stock: 10 }],
  coupons: [{ code: 'FIVE', type: 'percentage', value: 20, maxUses: 5 }],
};

describe('catalog uploads and stock instructions', () => {
  let s: TestServer;
  const stock = async () => await count(s, "SELECT stock FROM products WHERE id = 'drop'");
  const uses = async () => await count(s, "SELECT uses FROM coupons WHERE code = 'FIVE'");
  const movements = async () => await count(s, 'SELECT COUNT(*) FROM stock_movements');
  const upload = (json: unknown, headers: Record<string, string> = admin) =>
    s.api<{ loaded: Record<string, number>; error: { code: string; message: string } }>('/api/admin/catalog', { method: 'PUT', headers, json });
  const instruct = (productId: string, json: unknown) =>
    s.api<{ movement: StockMovement; error: { code: string; message: string } }>(`/api/admin/products/${productId}/stock`, { headers: admin, json });
  const history = async (productId: string) =>
    (await s.api<{ movements: StockMovement[] }>(`/api/admin/products/${productId}/stock-movements`, { headers: admin })).body.movements;

  let orderIds: string[] = [];
  before(async () => {
    s = await startTestServer();
    assert.equal((await upload(file)).status, 200);
    // Three sales of 2 units, each with the coupon: stock 10 -> 4, uses 0 -> 3.
    for (let i = 0; i < 3; i++) {
      const cart = await cartWith(s, [['drop', 2]], 'FIVE');
      const started = await checkout(s, cart.id, `buyer${i}@example.com`);
      assert.equal(started.status, 200);
      await pay(s, started.body.clientSecret);
    }
    await webhooksSettled(s);
    orderIds = (await sqlColumn(s.db, 'SELECT id FROM orders ORDER BY number')) as string[];
  });
  after(() => s.stop());

  it('leaves stock and coupon uses exactly as the sales left them when the same file is uploaded twice', async () => {
    assert.equal(await stock(), 4);
    assert.equal(await uses(), 3);
    for (let i = 0; i < 2; i++) {
      const res = await upload(file);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.loaded, { products: 1, coupons: 1, shippingRates: 0, newProducts: 0, newCoupons: 0 });
    }
    assert.equal(await stock(), 4);
    assert.equal(await uses(), 3);
  });

  it('updates what the file describes of existing products and coupons: price, name, coupon value', async () => {
    const res = await upload({ products: [{ ...file.products[0], price: 4500, stock: 99 }], coupons: [{ ...file.coupons[0], value: 25, uses: 0 }] });
    assert.equal(res.status, 200);
    assert.equal(await count(s, "SELECT price FROM products WHERE id = 'drop'"), 4500);
    assert.equal(await count(s, "SELECT value FROM coupons WHERE code = 'FIVE'"), 25);
    assert.equal(await stock(), 4, 'the file stock of an existing product is not applied');
    assert.equal(await uses(), 3, 'a uses field in a file is not read');
    assert.equal((await upload(file)).status, 200);
  });

  it('gives a new product the file stock as opening stock, recorded, and a new coupon 0 uses whatever the file says', async () => {
    const res = await upload({ products: [{ id: 'fresh', name: 'Fresh', price: 100, stock: 7 }], coupons: [{ code: 'new1', type: 'fixed', value: 100, maxUses: 9, uses: 9 }] });
    assert.deepEqual(res.body.loaded, { products: 1, coupons: 1, shippingRates: 0, newProducts: 1, newCoupons: 1 });
    assert.equal(await count(s, "SELECT stock FROM products WHERE id = 'fresh'"), 7);
    assert.equal(await count(s, "SELECT uses FROM coupons WHERE code = 'NEW1'"), 0);
    const [opening] = await history('fresh');
    assert.deepEqual({ ...opening, id: 0, createdAt: 0 }, { id: 0, productId: 'fresh', delta: 7, stockAfter: 7, actor: 'catalog-upload', reason: 'opening stock', createdAt: 0 });
  });

  it('sets and adjusts stock by an explicit instruction, recording who, why and the result', async () => {
    const set = await instruct('drop', { set: 20, reason: 'stocktake' });
    assert.equal(set.status, 201);
    assert.equal(await stock(), 20);
    const adjusted = await instruct('drop', { adjust: -5, reason: 'water damage' });
    assert.equal(adjusted.status, 201);
    assert.equal(await stock(), 15);

    const ledger = (await history('drop')).map((m) => [m.delta, m.stockAfter, m.actor, m.reason]);
    assert.deepEqual(ledger, [
      [-5, 15, 'admin', 'water damage'],
      [16, 20, 'admin', 'stocktake'],
      [-2, 4, `order:${orderIds[2]}`, 'sale'],
      [-2, 6, `order:${orderIds[1]}`, 'sale'],
      [-2, 8, `order:${orderIds[0]}`, 'sale'],
      [10, 10, 'catalog-upload', 'opening stock'],
    ]);
    assert.equal(await count(s, "SELECT SUM(delta) FROM stock_movements WHERE product_id = 'drop'"), await stock());
  });

  it('refuses a bad instruction with a 4xx and changes nothing', async () => {
    const [stockBefore, movementsBefore] = [await stock(), await movements()];
    const cases: [string, unknown, number, string][] = [
      ['drop', { adjust: -(stockBefore + 1), reason: 'more than there is' }, 400, 'validation_failed'],
      ['nope', { set: 5, reason: 'unknown product' }, 404, 'product_not_found'],
      ['drop', { set: 5 }, 400, 'validation_failed'],
      ['drop', { set: 5, reason: '   ' }, 400, 'validation_failed'],
      ['drop', { set: 5, adjust: 1, reason: 'both' }, 400, 'validation_failed'],
      ['drop', { reason: 'neither' }, 400, 'validation_failed'],
      ['drop', { set: -1, reason: 'negative' }, 400, 'validation_failed'],
      ['drop', { adjust: 0, reason: 'nothing' }, 400, 'validation_failed'],
      ['drop', { adjust: 1.5, reason: 'a fraction' }, 400, 'validation_failed'],
      ['drop', { set: '5', reason: 'a string' }, 400, 'validation_failed'],
    ];
    for (const [productId, body, status, code] of cases) {
      const res = await instruct(productId, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code, JSON.stringify(body));
    }
    const anonymous = await s.api('/api/admin/products/drop/stock', { json: { set: 1, reason: 'no token' } });
    assert.equal(anonymous.status, 401);
    assert.equal(await stock(), stockBefore);
    assert.equal(await movements(), movementsBefore);
  });

  it('refuses an upload that would set maxUses below the uses already redeemed, changing nothing', async () => {
    const res = await upload({ products: [{ id: 'other', name: 'Other', price: 100, stock: 1 }], coupons: [{ ...file.coupons[0], maxUses: 2 }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
    assert.match(res.body.error.message, /FIVE/);
    assert.equal(await count(s, "SELECT COUNT(*) FROM products WHERE id = 'other'"), 0);
    assert.equal(await count(s, "SELECT max_uses FROM coupons WHERE code = 'FIVE'"), 5);
  });

  it('refuses a file that lists a product or a coupon twice', async () => {
    const twice = await upload({ products: [file.products[0], file.products[0]] });
    assert.equal(twice.status, 400);
    assert.match(twice.body.error.message, /drop is listed twice/);
    const caseInsensitive = await upload({ coupons: [file.coupons[0], { ...file.coupons[0], code: 'five' }] });
    assert.equal(caseInsensitive.status, 400);
  });

  it('puts a fully refunded order back in stock and records it against the order', async () => {
    const before = await stock();
    const order = (await sqlRow(s.db, 'SELECT id, payment_intent_id AS pi FROM orders ORDER BY number LIMIT 1')) as { id: string; pi: string };
    await s.sdk.refunds.create({ payment_intent: order.pi });
    await webhooksSettled(s);
    assert.equal(await stock(), before + 2);
    const [latest] = await history('drop');
    assert.deepEqual([latest!.delta, latest!.stockAfter, latest!.actor, latest!.reason], [2, before + 2, `order:${order.id}`, 'refund']);
    assert.equal(await uses(), 3, 'a refund gives no coupon use back');
  });

  it('counts every sale and every adjustment when they happen at once: none overwrites another', async () => {
    assert.equal((await upload({ products: [{ id: 'race', name: 'Race', price: 1000, stock: 20 }] })).status, 200);
    const started = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await checkout(s, (await cartWith(s, [['race', 1]])).id, `racer${i}@example.com`)).body));
    // Six payments (their webhooks take the units off) and six deliveries of one unit, all at once.
    const [payments, deliveries] = await Promise.all([
      Promise.all(started.map((c) => pay(s, c.clientSecret))),
      Promise.all(Array.from({ length: 6 }, (_, i) => instruct('race', { adjust: 1, reason: `delivery ${i}` }))),
    ]);
    await webhooksSettled(s);
    assert.deepEqual(payments.map((p) => (p as { status?: string }).status), Array(6).fill('succeeded'));
    assert.deepEqual(deliveries.map((d) => d.status), Array(6).fill(201));
    assert.equal(await count(s, "SELECT stock FROM products WHERE id = 'race'"), 20);
    const ledger = await history('race');
    assert.deepEqual([ledger.filter((m) => m.reason === 'sale').length, ledger.filter((m) => m.actor === 'admin').length], [6, 6]);
    assert.equal(ledger.reduce((sum, m) => sum + m.delta, 0), 20, 'the ledger adds up to the stock');
    // Each movement starts from where the one before it ended: no change was computed from a stale count.
    const oldestFirst = [...ledger].reverse();
    assert.deepEqual(oldestFirst.slice(1).map((m, i) => m.stockAfter - m.delta), oldestFirst.slice(0, -1).map((m) => m.stockAfter));
  });
});

describe(`stock ledger migration (${TEST_ENGINE})`, () => {
  it('opens the ledger with the stock products already had', async () => {
    const dir = tempDir();
    const migrations = fileURLToPath(new URL('../../../server/db/migrations/', import.meta.url));
    const location = await testDatabaseLocation(dir.path);
    try {
      const older = await openDatabase({ ...location, migrations: migrationsBefore005(migrations, join(dir.path, 'older')) });
      await sqlRun(older, "INSERT INTO products (id, name, price, currency, stock) VALUES ('a', 'A', 100, 'USD', 3), ('b', 'B', 100, 'USD', 0)");
      await older.close();
      const db = await openDatabase(location);
      assert.deepEqual(await sqlRows(db, 'SELECT product_id, delta, stock_after, actor FROM stock_movements'),
        [{ product_id: 'a', delta: 3, stock_after: 3, actor: 'migration' }]);
      await db.close();
    } finally {
      await location.drop();
      dir.remove();
    }
  });
});

/** A folder with the migrations from before the stock ledger. */
function migrationsBefore005(from: string, to: string): string {
  mkdirSync(to);
  for (const f of readdirSync(from).filter((f) => /^\d+_/.test(f) && Number.parseInt(f, 10) < 5)) copyFileSync(join(from, f), join(to, f));
  return to;
}
