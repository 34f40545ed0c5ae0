/**
 * `npm run stripe:setup` against the emulator's /v1/webhook_endpoints, through the SDK as against
 * Stripe: it creates the endpoint with exactly the events the server handles and prints its secret,
 * finds it the next time (and puts its events right), and makes a new one with --recreate.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setUpLiveEndpoint } from '../../server/payments/live-endpoint.ts';
import { WEBHOOK_EVENTS } from '../../server/payments/webhook-endpoint.ts';
import { startStripeEmulator, stripeClientFor, type StripeEmulator } from '../../server/stripe-emulator/index.ts';

function runSetup(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stripe-setup.ts', ...args], {
    env: { ...process.env, STRIPE_SECRET_KEY: '', STRIPE_API_URL: '', PUBLIC_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('npm run stripe:setup', () => {
  let emulator: StripeEmulator;
  before(async () => {
    emulator = await startStripeEmulator({ port: 0 });
  });
  after(() => emulator.close());

  it('creates the endpoint for PUBLIC_URL with exactly the handled events and prints its signing secret', async () => {
    const { code, out } = await runSetup({ STRIPE_API_URL: emulator.url, PUBLIC_URL: 'https://shop.example.com' });
    assert.equal(code, 0, out);
    const secret = /STRIPE_WEBHOOK_SECRET=(whsec_\S+)/.exec(out)?.[1];
    assert.ok(secret, out);
    const [endpoint] = (await stripeClientFor(emulator.url).webhookEndpoints.list()).data.filter((e) => e.url === 'https://shop.example.com/webhooks/stripe');
    assert.deepEqual([...endpoint!.enabled_events].sort(), [...WEBHOOK_EVENTS].sort());

    const again = await runSetup({ STRIPE_API_URL: emulator.url, PUBLIC_URL: 'https://shop.example.com/' });
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`${endpoint!.id} unchanged`));
    assert.doesNotMatch(again.out, /whsec_/, 'a found endpoint\'s secret can\'t be read back');
  });

  it('refuses to run without a key or with an http PUBLIC_URL, saying why', async () => {
    assert.match((await runSetup({ PUBLIC_URL: 'https://shop.example.com' })).out, /STRIPE_SECRET_KEY: is required/);
    const http = await runSetup({ STRIPE_SECRET_KEY: 'sk_live_abc', PUBLIC_URL: 'http://shop.example.com' });
    assert.deepEqual([http.code, /PUBLIC_URL: must be https/.test(http.out)], [1, true]);
  });

  it('puts a found endpoint\'s events right and enables it; --recreate replaces it with a new secret', async () => {
    const stripe = stripeClientFor(emulator.url);
    const url = 'https://other.example.com/webhooks/stripe';
    const old = await stripe.webhookEndpoints.create({ url, enabled_events: ['payment_intent.succeeded', 'customer.created'] });
    await stripe.webhookEndpoints.update(old.id, { disabled: true });
    const fixed = await setUpLiveEndpoint(stripe, url);
    assert.deepEqual([fixed.action, fixed.endpoint.id, fixed.endpoint.status, fixed.secret], ['updated', old.id, 'enabled', null]);
    assert.deepEqual([...fixed.endpoint.enabled_events].sort(), [...WEBHOOK_EVENTS].sort());

    const recreated = await setUpLiveEndpoint(stripe, url, { recreate: true });
    assert.equal(recreated.action, 'recreated');
    assert.match(recreated.secret ?? '', /^whsec_/);
    const left = (await stripe.webhookEndpoints.list({ limit: 100 })).data.filter((e) => e.url === url).map((e) => e.id);
    assert.deepEqual(left, [recreated.endpoint.id]);
  });
});
