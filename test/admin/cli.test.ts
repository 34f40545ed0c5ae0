/** The admin CLI against a real server: as `npm run admin` runs it, and each command in-process. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../admin/cli/main.ts';
import { paidOrder } from '../helpers/admin.ts';
import { ADMIN_TOKEN, count, startTestServer, webhooksSettled, type TestServer } from '../helpers/server.ts';
import { sqlRows } from '../helpers/db.ts';

describe('admin CLI', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  /** Runs one command in-process; what it printed, line by line, and its exit status. */
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await run(argv, { ADMIN_URL: s.url, ADMIN_TOKEN }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { status, out, err };
  }

  it('runs as `npm run admin -- orders:list --json` with the URL and token from the environment', async () => {
    const order = await paidOrder(s, [['mug-stone', 1]], 'cli@example.com');
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'admin', '--', 'orders:list', '--json'], {
      env: { ...process.env, ADMIN_URL: s.url, ADMIN_TOKEN },
    });
    const listed = JSON.parse(stdout) as { orders: { number: string }[]; total: number };
    assert.deepEqual([listed.orders.map((o) => o.number), listed.total], [[order.number], 1]);
  });

  it('lists orders for people, filtered', async () => {
    const { status, out } = await cli('orders:list', '--q', 'cli@');
    assert.equal(status, 0);
    assert.match(out[0] ?? '', /^NUMBER\s+CREATED\s+STATUS\s+EMAIL\s+TOTAL\s+REFUNDED$/);
    assert.match(out[1] ?? '', /^CO-1001\s+\S+ \S+\s+paid\s+cli@example\.com\s+\$15\.12$/);
    assert.equal(out[2], '1 of 1 order');
  });

  it('refunds part of an order by its number, once for the same key, never past what is left', async () => {
    const first = await cli('orders:refund', 'CO-1001', '--amount', '500', '--reason', 'chipped', '--key', 'cli-refund-0001');
    assert.deepEqual(first, { status: 0, out: ['Refunded $5.00 of CO-1001 (issued); the order is partially_refunded, $5.00 refunded in all.'], err: [] });
    assert.equal((await cli('orders:refund', '1001', '--amount', '500', '--reason', 'chipped', '--key', 'cli-refund-0001')).status, 0);
    const tooMuch = await cli('orders:refund', 'CO-1001', '--amount', '99999', '--reason', 'all');
    assert.deepEqual([tooMuch.status, tooMuch.err], [1, ['refund_exceeds_balance: At most 1012 (minor units) is left to refund on CO-1001.']]);
    await webhooksSettled(s);
    assert.equal(await count(s, 'SELECT amount_refunded FROM orders WHERE number = ?', 'CO-1001'), 500);
    assert.deepEqual((await cli('orders:refund', 'CO-1001', '--amount', '5')).status, 2);
    assert.deepEqual((await cli('orders:refund', 'CO-9999', '--reason', 'x')).err, ['order_not_found: No order CO-9999.']);
  });

  it('finds the order by its number however many newer orders have that number in their email', async () => {
    for (let i = 0; i < 6; i++) await paidOrder(s, [['mug-stone', 1]], `fan1001-${i}@example.com`);
    const refunded = await cli('orders:refund', '1001', '--amount', '100', '--reason', 'a second chip');
    assert.deepEqual([refunded.status, refunded.err], [0, []]);
    assert.match(refunded.out[0] ?? '', /^Refunded \$1\.00 of CO-1001 /);
  });

  it('imports products from a file without touching the stock of those that exist', async () => {
    const file = join(s.dir, 'products.json');
    writeFileSync(file, JSON.stringify({ products: [
      { id: 'poster', name: 'Poster', price: 1800, stock: 12, shippable: true },
      { id: 'mug-stone', name: 'Stoneware Mug', price: 1500, stock: 0 },
    ] }));
    const before = await count(s, "SELECT stock FROM products WHERE id = 'mug-stone'");
    assert.deepEqual(await cli('products:import', file), { status: 0, out: ['Loaded 2 products (1 new).'], err: [] });
    assert.deepEqual((await sqlRows(s.db, "SELECT id, price, stock FROM products WHERE id IN ('poster', 'mug-stone') ORDER BY id")),
      [{ id: 'mug-stone', price: 1500, stock: before }, { id: 'poster', price: 1800, stock: 12 }]);
    const missing = await cli('products:import', join(s.dir, 'nope.json'));
    assert.equal(missing.status, 2);
    for (const content of ['null', '12', '"products"', '{}']) {
      writeFileSync(file, content);
      const refused = await cli('products:import', file);
      assert.deepEqual([refused.status, refused.out, refused.err[0]?.split('\n')[0]], [2, [], `${file} holds no list of products`], content);
    }
  });

  it('reads a relative file from where `npm run admin` was typed, not from the project root npm runs it in', async () => {
    const typedIn = join(s.dir, 'shop-data');
    mkdirSync(typedIn);
    writeFileSync(join(typedIn, 'more.json'), JSON.stringify([{ id: 'sticker', name: 'Sticker', price: 300, stock: 50 }]));
    const out: string[] = [];
    const err: string[] = [];
    // npm sets INIT_CWD to the directory the command was typed in, and runs the script in the project root.
    const status = await run(['products:import', 'more.json'], { ADMIN_URL: s.url, ADMIN_TOKEN, INIT_CWD: typedIn }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    assert.deepEqual({ status, out, err }, { status: 0, out: ['Loaded 1 product (1 new).'], err: [] });
    assert.equal(await count(s, "SELECT stock FROM products WHERE id = 'sticker'"), 50);
  });

  it('creates a coupon with its limits, prints it as JSON, and deactivates it', async () => {
    const created = await cli('coupons:create', 'vip', '--type', 'fixed', '--value', '1000', '--min-subtotal', '5000', '--first-order-only', '--json');
    assert.equal(created.status, 0);
    assert.deepEqual(JSON.parse(created.out.join('\n')), { coupon: {
      code: 'VIP', type: 'fixed', value: 1000, expiresAt: null, maxUses: null, uses: 0, minSubtotal: 5000, active: true, firstOrderOnly: true, oncePerCustomer: false,
    } });
    const again = await cli('coupons:create', 'VIP', '--type', 'fixed', '--value', '1000', '--json');
    assert.equal(again.status, 1);
    assert.equal((JSON.parse(again.err.join('')) as { error: { code: string } }).error.code, 'coupon_exists');
    assert.deepEqual(await cli('coupons:deactivate', 'vip'), { status: 0, out: ['VIP is deactivated.'], err: [] });
    assert.equal((await cli('coupons:create', 'X', '--type', 'half', '--value', '1')).status, 2);
  });

  it('counts in the singular when there is one: one coupon redemption in the metrics', async () => {
    const redeemed = await paidOrder(s, [['mug-stone', 1]], 'one-coupon@example.com', 'WELCOME15');
    const { status, out } = await cli('metrics');
    assert.equal(status, 0);
    assert.equal(out.find((line) => line.startsWith('coupons:')), `coupons: 1 redemption, $${(redeemed.totals.discount / 100).toFixed(2)} off`);
  });

  it('says how to use it, and refuses without a token', async () => {
    assert.equal((await cli('nonsense')).status, 2);
    assert.equal((await cli('orders:list', '--bogus')).status, 2);
    const out: string[] = [];
    assert.equal(await run(['orders:list'], { ADMIN_URL: s.url }, { out: (l) => out.push(l), err: (l) => out.push(l) }), 2);
    assert.deepEqual(out, ['No admin token: set ADMIN_TOKEN (or pass --token).']);
  });
});
