import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CartStore, StoredCart } from '../../../server/carts/cart-store.ts';
import { RedisCartStore } from '../../../server/carts/redis-cart-store.ts';
import { DatabaseCartStore } from '../../../server/stores/database-cart-store.ts';
import { newCartId } from '../../../server/carts/cart-service.ts';
import { openDatabase, type Db } from '../../../server/db/database.ts';
import { redisAvailable, TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';
import { tempDir } from '../../helpers/temp.ts';
import { TEST_ENGINE, testDatabase, testDatabaseLocation } from '../../helpers/db.ts';

const emptyCart = (): StoredCart => ({
  id: newCartId(), currency: 'USD', items: [], couponCode: null, version: 0,
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
});

/** One suite, run against each real store. */
function cartStoreSuite(kind: string, open: () => Promise<{ stores: CartStore[]; close: () => Promise<void> } | null>) {
  describe(`${kind} cart store`, () => {
    let stores: CartStore[] = [];
    let close = async () => {};
    let skip = false;
    before(async () => {
      const opened = await open();
      if (!opened) { skip = true; return; }
      ({ stores, close } = opened);
    });
    after(() => close());
    const store = () => stores[0]!;

    it('creates, reads and deletes a cart', async (t) => {
      if (skip) return t.skip('Redis is not running');
      const cart = emptyCart();
      await store().create(cart);
      assert.deepEqual(await store().get(cart.id), cart);
      await store().delete(cart.id);
      assert.equal(await store().get(cart.id), null);
    });

    it('answers null for a cart that does not exist, for reads and updates', async (t) => {
      if (skip) return t.skip('Redis is not running');
      assert.equal(await store().get(newCartId()), null);
      assert.equal(await store().update(newCartId(), (c) => c), null);
    });

    it('bumps the version on every update', async (t) => {
      if (skip) return t.skip('Redis is not running');
      const cart = emptyCart();
      await store().create(cart);
      const next = await store().update(cart.id, (c) => ({ ...c, couponCode: 'X' }));
      assert.equal(next?.version, 1);
      assert.equal((await store().get(cart.id))?.couponCode, 'X');
    });

    it('writes nothing when the change throws', async (t) => {
      if (skip) return t.skip('Redis is not running');
      const cart = emptyCart();
      await store().create(cart);
      await assert.rejects(store().update(cart.id, () => { throw new Error('no'); }), /no/);
      assert.deepEqual(await store().get(cart.id), cart);
    });

    it('keeps all 20 items when 20 adds of different products race on one cart', async (t) => {
      if (skip) return t.skip('Redis is not running');
      const cart = emptyCart();
      await store().create(cart);
      const productIds = Array.from({ length: 20 }, (_, i) => `product-${i}`);
      // Spread the writers over every connection the suite opened, so they really interleave.
      await Promise.all(productIds.map((productId, i) =>
        stores[i % stores.length]!.update(cart.id, (c) => ({ ...c, items: [...c.items, { productId, quantity: 1 }] }))));
      const final = await store().get(cart.id);
      assert.deepEqual(final?.items.map((l) => l.productId).sort(), [...productIds].sort());
      assert.equal(final?.version, 20);
    });
  });
}

cartStoreSuite('Redis', async () => {
  if (!(await redisAvailable())) return null;
  const prefix = uniquePrefix('carts');
  const stores = [new RedisCartStore(TEST_REDIS_URL, { prefix }), new RedisCartStore(TEST_REDIS_URL, { prefix }), new RedisCartStore(TEST_REDIS_URL, { prefix })];
  return { stores, close: async () => { await Promise.all(stores.map((s) => s.close())); } };
});

cartStoreSuite(`database (${TEST_ENGINE})`, async () => {
  const dir = tempDir();
  const location = await testDatabaseLocation(dir.path);
  // PostgreSQL: two connection pools, like two hosts sharing it. SQLite: one connection, as one
  // process has (two in one process would block each other's event loop on the file lock; the
  // multi-process tests cover processes sharing the file).
  const first = await openDatabase(location);
  const dbs: Db[] = TEST_ENGINE === 'postgres' ? [first, await openDatabase(location)] : [first];
  return {
    stores: [new DatabaseCartStore(first), new DatabaseCartStore(dbs.at(-1)!)],
    close: async () => { await Promise.all(dbs.map((db) => db.close())); await location.drop(); dir.remove(); },
  };
});

describe(`database cart store expiry (${TEST_ENGINE})`, () => {
  it('hides a cart after seven days and purges it', async () => {
    const dir = tempDir();
    const { db, close } = await testDatabase(dir.path);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new DatabaseCartStore(db, () => now);
    const cart = emptyCart();
    await store.create(cart);
    now += 7 * 24 * 3600 * 1000 - 1;
    assert.notEqual(await store.get(cart.id), null);
    now += 1;
    assert.equal(await store.get(cart.id), null);
    assert.equal(await store.purgeExpired(), 1);
    await close();
    dir.remove();
  });
});
