/** `server/main.ts` on SIGTERM: it stops taking connections, finishes what is in flight, exits 0. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import Stripe from 'stripe';
import { processDatabase, type ProcessDatabase } from '../helpers/db.ts';
import { eventually, freePort, startMain, type MainProcess } from '../helpers/main-process.ts';
import { tempDir } from '../helpers/temp.ts';

const WEBHOOK_SECRET = 'whsec_shutdown_test_0123456789abcdef';

describe('server/main.ts on SIGTERM', () => {
  const dir = tempDir();
  let main: MainProcess;
  let database: ProcessDatabase;
  let port = 0;

  before(async () => {
    database = await processDatabase(dir.path);
    port = await freePort();
    main = startMain({
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, STRIPE_EMULATOR_PORT: '0', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...database.env, MAIL_DIR: join(dir.path, 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '',
    });
    await eventually(() => (main.output().includes('Checkout server on') ? true : undefined), `the start-up banner:\n${main.output()}`);
  });
  after(async () => {
    if (main.child.exitCode === null) main.child.kill('SIGKILL');
    await main.exited;
    await database.remove();
    dir.remove();
  });

  it('answers the request in flight, refuses new connections, and exits 0', async () => {
    // A webhook whose body is half sent when the signal comes: the server is in the middle of it.
    const payload = Buffer.from(JSON.stringify({ id: 'evt_during_shutdown', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } }));
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/webhooks/stripe', agent: new http.Agent({ keepAlive: true }),
      headers: { 'content-type': 'application/json', 'content-length': payload.length, 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: payload.toString(), secret: WEBHOOK_SECRET }) },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
    const half = payload.length >> 1;
    await new Promise<void>((resolve) => req.write(payload.subarray(0, half), () => resolve()));

    main.child.kill('SIGTERM');
    await eventually(() => (main.output().includes('shutting down') ? true : undefined), 'the shutdown to begin');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/api/products`), 'a new connection is refused');

    req.end(payload.subarray(half));
    const res = await response;
    let text = '';
    for await (const chunk of res) text += String(chunk);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(JSON.parse(text), { received: true, outcome: 'ignored' });
    assert.equal(await main.exited, 0);
    assert.match(main.output(), /"message":"shut down"/);
  });
});
