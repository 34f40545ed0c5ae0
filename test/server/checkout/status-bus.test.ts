/** The Redis status bus when Redis goes away: publishing never throws, and nothing is missed for good. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RedisStatusBus } from '../../../server/checkout/status-bus.ts';
import type { Logger } from '../../../server/logger.ts';
import { spareRedisPort, startOwnRedis, type OwnRedis } from '../../helpers/redis-server.ts';

const heardOnce = (bus: RedisStatusBus, checkoutId: string) => new Promise<string>((resolve) => {
  const stop = bus.subscribe(checkoutId, () => { stop(); resolve(checkoutId); });
});

describe('Redis status bus during an outage', () => {
  let redis: OwnRedis;
  let port = 0;
  const warnings: string[] = [];
  const logger: Logger = { info() {}, warn: (message) => warnings.push(message), error() {} };
  let handler: RedisStatusBus;
  let other: RedisStatusBus;

  before(async () => {
    port = await spareRedisPort();
    redis = await startOwnRedis(port);
    handler = new RedisStatusBus(redis.url, { logger });
    other = new RedisStatusBus(redis.url, { logger });
    await Promise.all([handler.ready, other.ready]);
  });
  after(async () => {
    await Promise.all([handler.close(), other.close()]);
    await redis.kill();
  });

  it('tells its own process\'s streams directly when a publish fails, and logs it', async () => {
    await redis.kill();
    const heard = heardOnce(handler, 'chk_outage');
    handler.publish('chk_outage');
    assert.equal(await heard, 'chk_outage');
    assert.ok(warnings.includes('status publish failed; telling this process\'s streams directly'));
  });

  it('makes every stream of another process re-read its state once Redis is back', async () => {
    const heard = heardOnce(other, 'chk_missed');
    redis = await startOwnRedis(port);
    assert.equal(await heard, 'chk_missed');
  });

  it('delivers a status published the moment a bus is created, before its connection is open', async () => {
    await other.ready;
    let warned: (message: string) => void = () => {};
    const warning = new Promise<string>((resolve) => { warned = resolve; });
    const fresh = new RedisStatusBus(redis.url, { logger: { info() {}, warn: warned, error() {} } });
    try {
      const heard = heardOnce(other, 'chk_early');
      fresh.publish('chk_early');
      assert.equal(await Promise.race([heard, warning]), 'chk_early');
    } finally {
      await fresh.close();
    }
  });
});
