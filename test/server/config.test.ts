import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readEnv } from '../../server/config.ts';

describe('configuration', () => {
  it('starts with the documented defaults on an empty environment', () => {
    const env = readEnv({});
    assert.equal(env.PORT, 8787);
    assert.equal(env.DATABASE_PATH, 'data/checkout.db');
    assert.equal(env.REDIS_URL, undefined);
    assert.equal(env.REDIS_KEY_PREFIX, 'checkout:');
    assert.equal(env.TAX_RATE_BPS, 800);
    assert.equal(env.CURRENCY, 'USD');
    assert.deepEqual(env.ALLOWED_ORIGINS, []);
    assert.equal(env.SHOP_URL, undefined);
    assert.equal(readEnv({ SHOP_URL: 'https://merchant.example/shop?from=email' }).SHOP_URL, 'https://merchant.example/shop?from=email');
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
      [{ RATE_LIMITS: 'couponPerIp=5/100000000000000000' }, /RATE_LIMITS: .*at most 2592000 seconds/],
      [{ RATE_LIMITS: 'couponPerIp=10000000/60' }, /RATE_LIMITS: .*at most 1000000 points/],
      [{ TRUSTED_PROXY_HEADER: 'x forwarded for' }, /TRUSTED_PROXY_HEADER/],
      [{ TRUSTED_PROXY_HOPS: '0' }, /TRUSTED_PROXY_HOPS/],
      [{ REDIS_KEY_PREFIX: 'shop eu' }, /REDIS_KEY_PREFIX/],
      [{ STRIPE_API_URL: 'localhost:12111' }, /STRIPE_API_URL/],
      [{ STRIPE_API_URL: 'http://127.0.0.1:12111', PORT: '0' }, /STRIPE_API_URL: needs PUBLIC_URL or a fixed PORT/],
      [{ SHOP_URL: 'shop.example.com' }, /SHOP_URL/],
      [{ SHOP_URL: 'javascript:alert(1)' }, /SHOP_URL: must be an http:\/\/ or https:\/\/ URL/],
    ];
    for (const [env, name] of cases) assert.throws(() => readEnv(env), (e: Error) => e instanceof ConfigError && name.test(e.message), JSON.stringify(env));
  });

  describe('ALLOWED_ORIGINS', () => {
    const refusal = (value: string) => {
      try {
        readEnv({ ALLOWED_ORIGINS: value });
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
      return assert.fail(`accepted ${value}`);
    };

    it('takes origins with their scheme, as a browser sends them in Origin', () => {
      assert.deepEqual(readEnv({ ALLOWED_ORIGINS: 'http://shop.test:8852, https://Shop.Example.com/' }).ALLOWED_ORIGINS,
        ['http://shop.test:8852', 'https://shop.example.com']);
    });

    it('refuses an origin without a scheme, saying what to write instead', () => {
      assert.equal(refusal('shop.test:8852'), 'Invalid configuration:\n  ALLOWED_ORIGINS: "shop.test:8852" has no http:// or https:// scheme, '
        + "so no browser's Origin would ever match it: write http://shop.test:8852 (or https://...)");
      assert.match(refusal('https://ok.example,localhost:3000'), /"localhost:3000" has no http:\/\/ or https:\/\/ scheme.*write http:\/\/localhost:3000/);
    });

    it('refuses a path, another scheme or something that is no URL', () => {
      assert.match(refusal('https://shop.example.com/store'), /ALLOWED_ORIGINS: "https:\/\/shop.example.com\/store" is not a bare origin .*write https:\/\/shop.example.com$/);
      assert.match(refusal('ftp://shop.example.com'), /ALLOWED_ORIGINS: "ftp:\/\/shop.example.com" has no http:\/\/ or https:\/\/ scheme/);
      assert.match(refusal('not a url'), /ALLOWED_ORIGINS: "not a url" is not an origin/);
    });
  });

  describe('going live', () => {
    const live = { STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
    const refusal = (env: Record<string, string>) => {
      try {
        readEnv(env);
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
      return assert.fail(`accepted ${JSON.stringify(env)}`);
    };

    it('takes matching live keys with a signing secret and an https PUBLIC_URL in production', () => {
      const env = readEnv({ ...live, NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example.com' });
      assert.equal(env.STRIPE_SECRET_KEY, 'sk_live_abc');
    });

    it('refuses keys of two modes, each way, saying which is which', () => {
      assert.match(refusal({ ...live, STRIPE_SECRET_KEY: 'sk_test_abc' }), /STRIPE_PUBLISHABLE_KEY: is a live key but STRIPE_SECRET_KEY is a test key/);
      assert.match(refusal({ ...live, STRIPE_PUBLISHABLE_KEY: 'pk_test_abc' }), /STRIPE_PUBLISHABLE_KEY: is a test key but STRIPE_SECRET_KEY is a live key/);
    });

    it('refuses a key in the wrong variable', () => {
      assert.match(refusal({ ...live, STRIPE_SECRET_KEY: 'pk_live_abc' }), /STRIPE_SECRET_KEY: must be a secret key/);
      assert.match(refusal({ ...live, STRIPE_PUBLISHABLE_KEY: 'sk_live_abc' }), /STRIPE_PUBLISHABLE_KEY: must be a publishable key/);
      assert.match(refusal({ ...live, STRIPE_WEBHOOK_SECRET: 'sk_live_abc' }), /STRIPE_WEBHOOK_SECRET: must be a webhook signing secret/);
    });

    it('refuses a live key without STRIPE_WEBHOOK_SECRET, pointing at npm run stripe:setup', () => {
      assert.match(refusal({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_PUBLISHABLE_KEY: 'pk_live_abc' }), /STRIPE_WEBHOOK_SECRET: is required with a live STRIPE_SECRET_KEY: run `npm run stripe:setup`/);
    });

    it('refuses a non-https PUBLIC_URL in production, but not a loopback one or in development', () => {
      assert.match(refusal({ NODE_ENV: 'production', PUBLIC_URL: 'http://shop.example.com' }), /PUBLIC_URL: must be an https:\/\/ URL in production/);
      assert.equal(readEnv({ NODE_ENV: 'production', PUBLIC_URL: 'http://127.0.0.1:8787' }).PUBLIC_URL, 'http://127.0.0.1:8787');
      assert.equal(readEnv({ PUBLIC_URL: 'http://shop.example.com' }).PUBLIC_URL, 'http://shop.example.com');
    });
  });

  it('reads a comma list of origins and lower-case currency', () => {
    const env = readEnv({ ALLOWED_ORIGINS: 'https://a.example, https://b.example', CURRENCY: 'eur' });
    assert.deepEqual(env.ALLOWED_ORIGINS, ['https://a.example', 'https://b.example']);
    assert.equal(env.CURRENCY, 'EUR');
  });
});
