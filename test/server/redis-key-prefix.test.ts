/**
 * REDIS_KEY_PREFIX: every key a server writes to Redis, and its status channel, start with it, so
 * several shops (or test runs) share one Redis without reading each other's carts or budgets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { spareRedisPort, startOwnRedis, type OwnRedis } from '../helpers/redis-server.ts';
import { cartWith, startTestServer, type TestServer } from '../helpers/server.ts';

describe('REDIS_KEY_PREFIX', () => {
  let redis: OwnRedis;
  let s: TestServer;
  let client: Redis;
  before(async () => {
    redis = await startOwnRedis(await spareRedisPort());
    // RATE_LIMITS empty: the default budgets, counted in Redis.
    s = await startTestServer({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'shop-eu:', RATE_LIMITS: '' } });
    client = new Redis(redis.url);
  });
  after(async () => {
    client.disconnect();
    await s.stop();
    await redis.kill();
  });

  it('starts the cart and rate-limit keys and names the status channel', async () => {
    const cart = await cartWith(s, [['tee-black', 1]], 'WELCOME15');
    const keys = (await client.keys('*')).sort();
    assert.ok(keys.includes(`shop-eu:cart:${cart.id}`), keys.join(' '));
    assert.ok(keys.some((k) => k.startsWith('shop-eu:rate:cartsPerIp:')), keys.join(' '));
    assert.ok(keys.some((k) => k.startsWith('shop-eu:rate:couponPerCart:')), keys.join(' '));
    assert.deepEqual(keys.filter((k) => !k.startsWith('shop-eu:')), []);
    assert.deepEqual(await client.pubsub('CHANNELS'), ['shop-eu:status']);
  });
});
