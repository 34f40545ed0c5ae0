/** The webhook route's edge: what it refuses before, while and after reading a body. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import Stripe from 'stripe';
import { count, startTestServer, type TestServer } from '../../helpers/server.ts';

const KB = 1024;

/** The response and its parsed JSON body. */
async function readJson(res: IncomingMessage): Promise<{ status: number; connection: string | undefined; body: { error?: { code: string } } }> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) as never };
}

describe('POST /webhooks/stripe at the edge', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  const request = (headers: http.OutgoingHttpHeaders) => {
    const { port } = new URL(s.url);
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/stripe', headers: { 'content-type': 'application/json', ...headers } });
    // The server closes the connection after refusing an unread body; later writes may fail.
    req.on('error', () => {});
    return { req, response: new Promise<IncomingMessage>((resolve) => req.once('response', resolve)) };
  };

  it('refuses a POST without a Stripe-Signature header with 400 before reading its body', async () => {
    const declared = 100 * 1024 * KB;
    const { req, response } = request({ 'content-length': declared });
    let answered: IncomingMessage | undefined;
    void response.then((res) => { answered = res; });
    // Keep uploading until the answer comes. A server that read the body first could only answer
    // after all 100 MB; this one must answer long before 16 MB are sent.
    const chunk = Buffer.alloc(64 * KB, 'x');
    let sent = 0;
    while (!answered && sent < 16 * 1024 * KB) {
      if (!req.write(chunk)) await Promise.race([new Promise((r) => req.once('drain', r)), response]);
      sent += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(answered, `no answer after ${sent} bytes of the upload`);
    const res = await readJson(answered);
    req.destroy();
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'signature_invalid');
    assert.equal(res.connection, 'close');
  });

  it('refuses a body over 256 KB with 413, whether it declares its length or is sent in chunks', async () => {
    const body = Buffer.alloc(300 * KB, ' ');
    const declared = request({ 'stripe-signature': 't=1,v1=00', 'content-length': body.length });
    declared.req.end(body);
    const chunked = request({ 'stripe-signature': 't=1,v1=00' });
    for (let at = 0; at < body.length; at += 16 * KB) chunked.req.write(body.subarray(at, at + 16 * KB));
    chunked.req.end();
    for (const { response } of [declared, chunked]) {
      const res = await readJson(await response);
      assert.deepEqual([res.status, res.body.error?.code, res.connection], [413, 'payload_too_large', 'close']);
    }
  });

  it('answers a well-signed event without a well-formed data.object with 400 and records nothing', async () => {
    const post = async (event: unknown) => {
      const payload = JSON.stringify(event);
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: s.stripe.webhookSecret });
      const res = await fetch(`${s.url}/webhooks/stripe`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
      return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
    };
    const charge = { id: 'ch_1', object: 'charge', amount: 1000, amount_refunded: 1000, payment_intent: 'pi_1' };
    const intent = { id: 'pi_1', object: 'payment_intent', status: 'succeeded', amount: 1000, currency: 'usd', metadata: {} };
    const malformed = [
      { id: 'evt_malformed_1', object: 'event', type: 'payment_intent.succeeded', data: {} },
      { id: 'evt_malformed_2', object: 'event', type: 'payment_intent.succeeded' },
      { id: 'evt_malformed_3', object: 'event', type: 'payment_intent.succeeded', data: { object: charge } },
      { id: 'evt_malformed_4', object: 'event', type: 'charge.refunded', data: { object: intent } },
      { id: 'evt_malformed_5', object: 'event', type: 'payment_intent.payment_failed', data: { object: { ...intent, amount: '1000' } } },
      { object: 'event', type: 'payment_intent.succeeded', data: { object: intent } },
      null,
    ];
    for (const [i, event] of malformed.entries()) assert.deepEqual(await post(event), { status: 400, code: 'bad_request' }, `event ${i}`);
    assert.equal(await count(s, "SELECT COUNT(*) FROM webhook_events WHERE id LIKE 'evt_malformed_%'"), 0);
  });
});
