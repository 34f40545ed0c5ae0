import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readEnv } from '../../server/config.ts';

describe('configuration', () => {
  it('starts with the documented defaults on an empty environment', () => {
    const env = readEnv({});
    assert.equal(env.PORT, 8787);
    assert.equal(env.DATABASE_PATH, 'data/checkout.db');
    assert.equal(env.REDIS_URL, undefined);
    assert.equal(env.TAX_RATE_BPS, 800);
    assert.equal(env.CURRENCY, 'USD');
    assert.deepEqual(env.ALLOWED_ORIGINS, []);
  });

  it('stops on a bad value, naming the variable', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ TAX_RATE_BPS: '-5' }, /TAX_RATE_BPS/],
      [{ CURRENCY: 'DOLLARS' }, /CURRENCY/],
      [{ ALLOWED_ORIGINS: 'not a url' }, /ALLOWED_ORIGINS/],
      [{ REDIS_URL: 'nope' }, /REDIS_URL/],
      [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN/],
      [{ ADMIN_TOKEN: 'sixteen chars with spaces' }, /ADMIN_TOKEN/],
      [{ STRIPE_SECRET_KEY: 'sk_live_x' }, /STRIPE_PUBLISHABLE_KEY/],
      [{ RATE_LIMITS: 'couponGuesses=5/60' }, /RATE_LIMITS/],
      [{ RATE_LIMITS: 'couponPerIp=0/60' }, /RATE_LIMITS/],
      [{ RATE_LIMITS: 'couponPerIp=5' }, /RATE_LIMITS/],
      [{ TRUSTED_PROXY_HEADER: 'x forwarded for' }, /TRUSTED_PROXY_HEADER/],
      [{ TRUSTED_PROXY_HOPS: '0' }, /TRUSTED_PROXY_HOPS/],
      [{ STRIPE_API_URL: 'localhost:12111' }, /STRIPE_API_URL/],
      [{ STRIPE_API_URL: 'http://127.0.0.1:12111', PORT: '0' }, /STRIPE_API_URL: needs PUBLIC_URL or a fixed PORT/],
    ];
    for (const [env, name] of cases) assert.throws(() => readEnv(env), (e: Error) => e instanceof ConfigError && name.test(e.message), JSON.stringify(env));
  });

  it('reads a comma list of origins and lower-case currency', () => {
    const env = readEnv({ ALLOWED_ORIGINS: 'https://a.example, https://b.example', CURRENCY: 'eur' });
    assert.deepEqual(env.ALLOWED_ORIGINS, ['https://a.example', 'https://b.example']);
    assert.equal(env.CURRENCY, 'EUR');
  });
});
