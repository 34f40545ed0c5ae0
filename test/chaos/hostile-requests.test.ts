/**
 * Chaos, part 3: 10,000 generated hostile requests over every route (test/chaos/hostile-requests.ts),
 * in parallel batches, against a whole server in this process with its real SQLite and emulated
 * Stripe. No request may get a 5xx; every 4xx of an API route carries the JSON error envelope; and
 * a batch in which nothing was accepted leaves the catalog, the carts, the checkouts and the orders
 * exactly as they were.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { errorBodySchema } from '../../shared/api.ts';
import { DevMailbox } from '../../server/mail/dev-mailbox.ts';
import { chaosSeed, confirmPayment, printSummary } from '../helpers/chaos.ts';
import { ADMIN_TOKEN, cartWith, checkout, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../helpers/server.ts';
import { bodyBytes, hostileRequest, type HostileRequest, type Targets } from './hostile-requests.ts';
import { sqlColumn, sqlRows, sqlValue } from '../helpers/db.ts';

const TOTAL = 10_000;
/** Small enough that many batches are refused whole, so the unchanged-state check runs often. */
const BATCH = 25;
const HOUR_MS = 3_600_000;

interface Outcome { status?: number; contentType?: string; body: string; error?: string }

type Sign = (payload: string, kind: HostileRequest['signature']) => string | undefined;

/**
 * Sends the request exactly as generated (raw path, headers, chunked or not); an event stream is
 * cut once it answers. A kept-alive connection the server closed just as it was reused resets
 * before the request is read: that one is sent again on a fresh connection, as Node's docs advise.
 */
async function send(port: number, agent: Agent, r: HostileRequest, sign: Sign): Promise<Outcome & { resent: boolean }> {
  const first = await sendOnce(port, agent, r, sign);
  if (!first.resetOnReusedSocket) return { ...first, resent: false };
  return { ...(await sendOnce(port, false, r, sign)), resent: true };
}

function sendOnce(port: number, agent: Agent | false, r: HostileRequest, sign: Sign): Promise<Outcome & { resetOnReusedSocket?: boolean }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: Outcome & { resetOnReusedSocket?: boolean }) => {
      if (!done) resolve(o);
      done = true;
    };
    const body = bodyBytes(r.body);
    const headers: Record<string, string> = { ...r.headers };
    const signature = sign(body ? Buffer.from(body).toString('utf8') : '', r.signature);
    if (signature !== undefined) headers['stripe-signature'] = signature;
    // Named, not left to Node: its client sends a GET's or DELETE's body unframed unless told it is chunked.
    if (body) headers[r.chunked ? 'transfer-encoding' : 'content-length'] = r.chunked ? 'chunked' : String(body.length);
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
      const contentType = res.headers['content-type'];
      if (contentType?.startsWith('text/event-stream')) {
        res.destroy();
        finish({ status: res.statusCode, contentType, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish({ status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8'), error: err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish({ body: '', error: err.code ?? err.message, resetOnReusedSocket: req.reusedSocket && err.code === 'ECONNRESET' }));
    // A bound, not a timing assertion: a request the server never answers is a failure to report.
    req.setTimeout(30_000, () => req.destroy(new Error('no answer')));
    if (body && r.chunked) {
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      req.write(body.subarray(half));
    } else if (body) {
      req.write(body);
    }
    req.end();
  });
}

/** The path as the router sees it: dot segments resolved and escapes decoded where they can be. */
function routedPath(raw: string): string {
  let path = raw;
  try {
    path = new URL(raw, 'http://x').pathname;
  } catch { /* keep it raw */ }
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the generated requests may have changed: a count or a row set per part of the shop. */
async function snapshot(s: TestServer, cartIds: string[]): Promise<Record<string, string>> {
  const all = async (sql: string) => JSON.stringify((await sqlRows(s.db, sql)));
  const count = async (table: string) => String((await sqlValue(s.db, `SELECT COUNT(*) FROM ${table}`)));
  return {
    catalog: await all('SELECT id, name, price, stock, active, image FROM products ORDER BY id') + await all('SELECT code, type, value, max_uses, uses, active FROM coupons ORDER BY code'),
    stockMovements: await count('stock_movements'),
    carts: await count('carts'),
    checkouts: await all('SELECT id, status, payment_intent_id FROM checkouts ORDER BY id'),
    orders: await all('SELECT id, status FROM orders ORDER BY id'),
    ...Object.fromEntries(await Promise.all(cartIds.map(async (id) => [`cart ${id}`, JSON.stringify((await sqlValue(s.db, 'SELECT data FROM carts WHERE id = ?', id)))]))),
  };
}

describe('chaos: 10,000 hostile requests over every route', () => {
  it('never answers 5xx, gives every API 4xx the JSON error envelope, and changes nothing in a batch it refused whole', async (t) => {
    const seed = chaosSeed('hostile-requests');
    const s = await startTestServer({ env: { RATE_LIMITS: 'off' } });
    const port = Number(new URL(s.url).port);
    const agent = new Agent({ keepAlive: true, maxSockets: BATCH });
    t.after(async () => {
      agent.destroy();
      await s.stop();
    });

    // Real things to aim at: an empty cart, a full one with a coupon, one mid-checkout, one paid.
    const empty = await cartWith(s, []);
    const full = await cartWith(s, [['tee-black', 1], ['mug-stone', 2]], 'WELCOME15');
    const waiting = await cartWith(s, [['cap-navy', 1]]);
    const open = (await checkout(s, waiting.id)).body;
    const bought = await cartWith(s, [['tee-white', 1]]);
    const paid = (await checkout(s, bought.id)).body;
    assert.equal((await confirmPayment(s.sdk, paymentIntentId(paid.clientSecret))).status, 'succeeded');
    await webhooksSettled(s);
    await s.outbox.drain();
    assert.equal((await sqlValue(s.db, 'SELECT COUNT(*) FROM orders')), 1, 'the paid checkout is an order');
    const cartIds = [empty.id, full.id, waiting.id, bought.id];
    const checkoutIds = [open.checkoutId, paid.checkoutId];
    const targets: Targets = {
      cartIds, checkoutIds,
      productIds: ((await sqlColumn(s.db, 'SELECT id FROM products')) as string[]),
      paymentIntentIds: [open.clientSecret, paid.clientSecret].map(paymentIntentId),
      orderIds: (await sqlColumn(s.db, 'SELECT id FROM orders')) as string[],
      retryTokens: [...checkoutIds, 'chk_AAAAAAAAAAAAAAAAAAAAAA', 'not-a-checkout'].map((id) => s.checkout.tokens.sign(id, Date.now() + HOUR_MS))
        .concat(s.checkout.tokens.sign(open.checkoutId, Date.now() - HOUR_MS)),
      mailIds: s.mail instanceof DevMailbox ? s.mail.list().map((m) => m.id) : [],
      adminToken: ADMIN_TOKEN,
      couponCodes: ['WELCOME15', 'welcome15', 'TENOFF', 'EXPIRED20', 'USEDUP50', 'NOPE'],
    };
    const sign = (payload: string, kind: HostileRequest['signature']): string | undefined => {
      const now = Math.floor(Date.now() / 1000);
      switch (kind) {
        case 'none': return undefined;
        case 'garbage': return 't=abc,v1=zz';
        case 'valid': return s.sdk.webhooks.generateTestHeaderString({ payload, secret: s.stripe.webhookSecret, timestamp: now });
        case 'stale': return s.sdk.webhooks.generateTestHeaderString({ payload, secret: s.stripe.webhookSecret, timestamp: now - HOUR_MS / 1000 });
        case 'wrong-secret': return s.sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrong', timestamp: now });
      }
    };

    const requests = fc.sample(hostileRequest(targets), { numRuns: TOTAL, seed });
    const failures: string[] = [];
    const describeRequest = (r: HostileRequest) => `${r.method} ${r.path.slice(0, 200)} headers=${JSON.stringify(r.headers).slice(0, 300)} body=${typeof r.body === 'number' ? `${r.body} bytes of padding` : r.body ? Buffer.from(r.body).toString('utf8').slice(0, 200) : '-'} chunked=${r.chunked} signature=${r.signature}`;
    let sent = 0;
    let resent = 0;
    let serverErrors = 0;
    let refusedWholeBatches = 0;
    const statuses = new Map<number | string, number>();

    for (let from = 0; from < requests.length; from += BATCH) {
      const batch = requests.slice(from, from + BATCH);
      await webhooksSettled(s);
      const before = await snapshot(s, cartIds);
      const outcomes = await Promise.all(batch.map((r) => send(port, agent, r, sign)));
      sent += batch.length;
      await webhooksSettled(s);
      const after = await snapshot(s, cartIds);

      const accepted: string[] = [];
      let cartsCreated = 0;
      batch.forEach((r, i) => {
        const o = outcomes[i]!;
        if (o.resent) resent++;
        statuses.set(o.status ?? o.error ?? '?', (statuses.get(o.status ?? o.error ?? '?') ?? 0) + 1);
        if (o.status === undefined) {
          failures.push(`no answer (${o.error}): ${describeRequest(r)}`);
          return;
        }
        const path = routedPath(r.path);
        if (o.status >= 500) {
          serverErrors++;
          failures.push(`${o.status} ${o.body.slice(0, 200)}: ${describeRequest(r)}`);
        }
        // Raw too: `//api/x` parses as a URL on host "api", but the router sees the path as sent.
        const api = /^\/(api|webhooks)(\/|$)/i.test(path) || /^\/+(api|webhooks)/i.test(r.path);
        if (o.status >= 400 && o.status < 500 && api && r.method !== 'HEAD') {
          let envelope = false;
          try {
            envelope = errorBodySchema.safeParse(JSON.parse(o.body)).success && (o.contentType ?? '').startsWith('application/json');
          } catch { /* not JSON */ }
          if (!envelope) failures.push(`${o.status} without the error envelope (${o.contentType}: ${o.body.slice(0, 100)}): ${describeRequest(r)}`);
        }
        if (o.status < 400 && (!SAFE_METHODS.has(r.method) || path.includes('/checkouts/'))) accepted.push(path);
        if (o.status === 201 && /"cart":\{"id"/.test(o.body)) cartsCreated++;
      });

      const changed = Object.keys(before).filter((key) => before[key] !== after[key]);
      if (accepted.length === 0) {
        refusedWholeBatches++;
        if (changed.length > 0) failures.push(`batch ${from / BATCH} accepted nothing but changed ${changed.join(', ')}`);
      } else {
        const appeared = Number(after.carts) - Number(before.carts);
        if (appeared !== cartsCreated) failures.push(`batch ${from / BATCH}: ${appeared} carts appeared, ${cartsCreated} were created`);
        const touchedByFulfilment = accepted.some((p) => /^\/(webhooks|api\/checkouts)\//.test(p) || p.endsWith('/checkout'));
        for (const id of cartIds) {
          if (changed.includes(`cart ${id}`) && !touchedByFulfilment && !accepted.some((p) => p.includes(id))) failures.push(`batch ${from / BATCH}: cart ${id} changed though no accepted request named it`);
        }
      }
    }

    // Orders found are those of succeeded payments: a validly signed event the fuzzer made up may
    // make an order for an unpaid PaymentIntent, as a real one from Stripe would (only Stripe can sign).
    const succeeded = (await s.sdk.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 })).filter((pi) => pi.status === 'succeeded').map((pi) => pi.id);
    const orderFor = new Map(((await sqlRows(s.db, 'SELECT payment_intent_id, checkout_id FROM orders')) as { payment_intent_id: string; checkout_id: string }[]).map((o) => [o.payment_intent_id, o.checkout_id]));
    const refunded = new Set((await sqlColumn(s.db, 'SELECT payment_intent_id FROM automatic_refunds')) as string[]);
    const duplicates = ((await sqlValue(s.db, 'SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM orders GROUP BY checkout_id) per_checkout')) as number);
    printSummary('hostile-requests', {
      requests: sent, faults: 0, ordersExpected: succeeded.length, ordersFound: succeeded.filter((id) => orderFor.has(id)).length,
      duplicates, lost: succeeded.filter((id) => !orderFor.has(id) && !refunded.has(id)).length, serverErrors,
    });
    console.log(`chaos hostile-requests: answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${refusedWholeBatches} of ${Math.ceil(TOTAL / BATCH)} batches refused whole and checked unchanged, ${resent} sent again after a kept-alive connection reset`);

    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures, the first 20 shown`);
    assert.equal(serverErrors, 0);
    assert.equal(sent, TOTAL);
    assert.ok(refusedWholeBatches > 0, 'some batches were refused whole, so the unchanged-state check ran');
  });
});
