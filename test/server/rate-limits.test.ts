import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fetchJson } from '../helpers/fetch-json.ts';
import { cartWith, startSecondHost, startTestServer, type TestServer } from '../helpers/server.ts';
import { redisAvailable } from '../helpers/redis.ts';

interface Answer { status: number; retryAfter: string | null; code: string | undefined }

async function post(s: TestServer, path: string, json: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetchJson<{ error?: { code: string } }>(s.url + path, { json, headers });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: res.body.error?.code };
}

const guess = (s: TestServer, cartId: string, headers?: Record<string, string>) => post(s, `/api/carts/${cartId}/coupon`, { code: 'NOPE' }, headers);

/** Splits answers into those let through and those refused, checking every refusal's shape. */
function tally(answers: Answer[]): { through: number; limited: number } {
  const limited = answers.filter((a) => a.status === 429);
  for (const a of limited) {
    assert.equal(a.code, 'rate_limited');
    assert.match(a.retryAfter ?? '', /^[1-9]\d*$/, 'Retry-After is a whole number of seconds');
  }
  return { through: answers.length - limited.length, limited: limited.length };
}

/** An address from the documentation range no other run uses, so Redis counters start at 0. */
const freshIp = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::7`;

/** A server of its own for each test, so every budget starts untouched. */
async function withServer(env: Record<string, string>, work: (s: TestServer) => Promise<void>): Promise<void> {
  const s = await startTestServer({ env });
  try {
    await work(s);
  } finally {
    await s.stop();
  }
}

describe('rate limits', () => {
  it('lets 5 of 8 coupon guesses through and answers the other 3 with 429 and Retry-After', () =>
    withServer({ RATE_LIMITS: 'couponPerIp=5/600' }, async (s) => {
      const cart = await cartWith(s, [['tee-black', 1]]);
      const answers = await Promise.all(Array.from({ length: 8 }, () => guess(s, cart.id)));
      assert.deepEqual(tally(answers), { through: 5, limited: 3 });
      assert.deepEqual(answers.filter((a) => a.status !== 429).map((a) => a.code), Array(5).fill('coupon_invalid'));
    }));

  it('gives each cart its own coupon budget', () =>
    withServer({ RATE_LIMITS: 'couponPerIp=100/600,couponPerCart=3/600' }, async (s) => {
      const [a, b] = [await cartWith(s, [['tee-black', 1]]), await cartWith(s, [['tee-black', 1]])];
      assert.deepEqual(tally(await Promise.all(Array.from({ length: 5 }, () => guess(s, a.id)))), { through: 3, limited: 2 });
      assert.deepEqual(tally(await Promise.all(Array.from({ length: 5 }, () => guess(s, b.id)))), { through: 3, limited: 2 });
    }));

  it('lets an address create 4 carts, then refuses', () =>
    withServer({ RATE_LIMITS: 'cartsPerIp=4/600' }, async (s) => {
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(s, '/api/carts', {})));
      assert.deepEqual(tally(answers), { through: 4, limited: 2 });
      assert.deepEqual(answers.filter((a) => a.status !== 429).map((a) => a.status), [201, 201, 201, 201]);
    }));

  it('lets the widget on a merchant page read Retry-After across origins', () =>
    withServer({ RATE_LIMITS: 'cartsPerIp=1/600', ALLOWED_ORIGINS: 'https://shop.example' }, async (s) => {
      const create = () => fetch(`${s.url}/api/carts`, { method: 'POST', headers: { origin: 'https://shop.example' } });
      assert.equal((await create()).status, 201);
      const refused = await create();
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(refused.headers.get('access-control-expose-headers') ?? '', /retry-after/i);
    }));

  it('limits checkouts per cart and per address', () =>
    withServer({ RATE_LIMITS: 'checkoutsPerIp=4/600,checkoutsPerCart=2/600' }, async (s) => {
      const [a, b] = [await cartWith(s, [['mug-stone', 1]]), await cartWith(s, [['mug-stone', 1]])];
      const start = (cartId: string) => post(s, `/api/carts/${cartId}/checkout`, { email: 'shopper@example.com' });
      const onA = [await start(a.id), await start(a.id), await start(a.id)];
      assert.deepEqual(onA.map((r) => r.status), [200, 200, 429], 'two per cart');
      const onB = [await start(b.id), await start(b.id)];
      // A's refused third attempt still counted against the address: 3 of its 4 are spent.
      assert.deepEqual(onB.map((r) => r.status), [200, 429], 'the address had one attempt left');
      tally([...onA, ...onB]);
    }));

  it('gives no fresh budget to a client that writes its own X-Forwarded-For', () =>
    withServer({ RATE_LIMITS: 'couponPerIp=5/600' }, async (s) => {
      const cart = await cartWith(s, [['tee-black', 1]]);
      const answers = await Promise.all(Array.from({ length: 8 }, () => guess(s, cart.id, { 'x-forwarded-for': freshIp() })));
      assert.deepEqual(tally(answers), { through: 5, limited: 3 });
    }));

  it('behind a trusted proxy, counts each client by the entry the proxy wrote', () =>
    withServer({ RATE_LIMITS: 'couponPerIp=5/600', TRUSTED_PROXY_HEADER: 'x-forwarded-for' }, async (s) => {
      const cart = await cartWith(s, [['tee-black', 1]]);
      const [alice, bob] = [freshIp(), freshIp()];
      // The proxy appends the address it saw; whatever the client wrote to the left is ignored.
      const fromAlice = Array.from({ length: 8 }, () => guess(s, cart.id, { 'x-forwarded-for': `${freshIp()}, ${alice}` }));
      const fromBob = Array.from({ length: 6 }, () => guess(s, cart.id, { 'x-forwarded-for': bob }));
      assert.deepEqual(tally(await Promise.all(fromAlice)), { through: 5, limited: 3 });
      assert.deepEqual(tally(await Promise.all(fromBob)), { through: 5, limited: 1 });
    }));
});

describe('rate limits shared through Redis', () => {
  let servers: TestServer[] = [];
  before(async () => {
    if (!(await redisAvailable())) return;
    const env = { RATE_LIMITS: 'couponPerIp=5/600', TRUSTED_PROXY_HEADER: 'x-forwarded-for' };
    servers = [await startTestServer({ store: 'redis', env }), await startTestServer({ store: 'redis', env })];
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  it('spends one budget across two server processes: exactly 5 of 8 guesses get through', async (t) => {
    if (servers.length === 0) return t.skip('Redis is not running');
    const [one, two] = servers as [TestServer, TestServer];
    const cart = await cartWith(one, [['tee-black', 1]]);
    const ip = { 'x-forwarded-for': freshIp() };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => guess(i % 2 === 0 ? one : two, cart.id, ip)));
    // Counted apart, each server would let all 4 of its own through.
    assert.deepEqual(tally(answers), { through: 5, limited: 3 });
  });
});

describe('rate limits shared through the database (no Redis)', () => {
  let one: TestServer;
  let two: TestServer;
  before(async () => {
    const env = { RATE_LIMITS: 'couponPerIp=5/600,cartsPerIp=5/600', TRUSTED_PROXY_HEADER: 'x-forwarded-for' };
    one = await startTestServer({ env });
    two = await startSecondHost(one, { env });
  });
  after(async () => {
    await two?.stop();
    await one?.stop();
  });

  it('spends one budget across two servers on one database: exactly 5 of 8 guesses at once get through', async () => {
    const cart = await cartWith(one, [['tee-black', 1]]);
    const ip = { 'x-forwarded-for': freshIp() };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => guess(i % 2 === 0 ? one : two, cart.id, ip)));
    // Counted apart, each server would let all 4 of its own through.
    assert.deepEqual(tally(answers), { through: 5, limited: 3 });
  });

  it('lets an address create 5 carts, taking turns between the servers, and refuses the rest on both', async () => {
    const ip = { 'x-forwarded-for': freshIp() };
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) answers.push(await post(i % 2 === 0 ? one : two, '/api/carts', {}, ip));
    assert.deepEqual(answers.map((a) => a.status), [201, 201, 201, 201, 201, 429, 429, 429]);
    tally(answers);
  });
});
