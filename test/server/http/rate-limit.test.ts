import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { readEnv } from '../../../server/config.ts';
import { clientIp, ipKey } from '../../../server/http/client-ip.ts';
import { memoryStore, rateLimit, redisStore } from '../../../server/http/rate-limit.ts';
import { defaultBudgets } from '../../../server/http/shop-limits.ts';
import type { Logger } from '../../../server/logger.ts';

describe('client address', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    assert.equal(ipKey('203.0.113.9'), '203.0.113.9');
    assert.equal(ipKey('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(ipKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(ipKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(ipKey('2001:db8::5'), '2001:db8:0:0::/64');
    assert.equal(ipKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(ipKey('::1'), '0:0:0:0::/64');
  });

  const seen = async (options: Parameters<typeof clientIp>[0], headers: Record<string, string>) => {
    const app = new Hono().get('/', (c) => c.text(clientIp(options)(c)));
    return (await app.request('/', { headers })).text();
  };

  it('believes only the configured header, and only the entries the trusted proxies wrote', async () => {
    const chain = { 'x-forwarded-for': '198.51.100.1, 203.0.113.5, 192.0.2.10', 'x-real-ip': '198.51.100.77' };
    assert.equal(await seen({}, chain), 'unknown', 'no header is believed by default (and app.request has no socket)');
    assert.equal(await seen({ trustedHeader: 'x-forwarded-for' }, chain), '192.0.2.10', 'one proxy: the right-most entry');
    assert.equal(await seen({ trustedHeader: 'x-forwarded-for', hops: 2 }, chain), '203.0.113.5', 'two proxies: second from the right');
    assert.equal(await seen({ trustedHeader: 'x-forwarded-for', hops: 5 }, chain), '198.51.100.1', 'fewer entries than proxies: the first');
    assert.equal(await seen({ trustedHeader: 'x-real-ip' }, chain), '198.51.100.77');
    assert.equal(await seen({ trustedHeader: 'x-forwarded-for' }, { 'x-forwarded-for': 'not-an-ip' }), 'unknown', 'garbage is not an address');
  });
});

describe('rateLimit middleware', () => {
  const appWith = (limit: ReturnType<typeof rateLimit>) => new Hono().use('*', limit).get('/', (c) => c.text('ok'));
  const statuses = async (app: Hono, n: number) => Promise.all(Array.from({ length: n }, async () => (await app.request('/')).status));

  it('lets a key through points times, then answers 429 rate_limited with Retry-After', async () => {
    const app = appWith(rateLimit({ name: 'unit', budget: { points: 2, duration: 60 }, key: () => 'k', store: memoryStore() }));
    assert.deepEqual(await statuses(app, 2), [200, 200]);
    const refused = await app.request('/');
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'rate_limited');
  });

  it('counts nothing for a request without a key', async () => {
    const app = appWith(rateLimit({ name: 'unit', budget: { points: 1, duration: 60 }, key: () => undefined }));
    assert.deepEqual(await statuses(app, 3), [200, 200, 200]);
  });

  it('keeps counting in memory, never a 500, and says so once in the log while Redis is unreachable', async () => {
    const warnings: string[] = [];
    const logger: Logger = { info() {}, error() {}, warn: (message) => warnings.push(message) };
    // Nothing listens on port 1: every Redis command fails at once.
    const redis = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 1000 });
    redis.on('error', () => {});
    try {
      const app = appWith(rateLimit({ name: 'outage', budget: { points: 5, duration: 60 }, key: () => 'k', store: redisStore(redis, logger) }));
      const answers = await statuses(app, 8);
      assert.deepEqual(answers.toSorted(), [200, 200, 200, 200, 200, 429, 429, 429]);
      assert.deepEqual(warnings, ['rate limits: Redis unavailable, counting in this process until it is back']);
    } finally {
      redis.disconnect();
    }
  });
});

describe('RATE_LIMITS and proxy settings (bad values: config.test.ts)', () => {
  it('overrides the named budgets and keeps the defaults of the rest, or turns limits off', () => {
    const env = readEnv({ RATE_LIMITS: 'couponPerIp=5/60, cartsPerIp=7/3600' });
    assert.deepEqual(env.RATE_LIMITS, { ...defaultBudgets, couponPerIp: { points: 5, duration: 60 }, cartsPerIp: { points: 7, duration: 3600 } });
    assert.deepEqual(readEnv({}).RATE_LIMITS, defaultBudgets);
    assert.equal(readEnv({ RATE_LIMITS: 'OFF' }).RATE_LIMITS, 'off');
    assert.equal(readEnv({}).TRUSTED_PROXY_HEADER, undefined);
    assert.equal(readEnv({ TRUSTED_PROXY_HEADER: 'X-Forwarded-For' }).TRUSTED_PROXY_HEADER, 'x-forwarded-for');
  });
});
