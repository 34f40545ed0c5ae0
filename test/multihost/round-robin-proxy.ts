/**
 * The load balancer in front of the multi-host test's servers: an HTTP proxy that sends each request
 * to the next host in turn. A request may name its host (`x-proxy-upstream: b`), as a test needs to
 * open a status stream on the host a shopper did not pay on; every answer says who served it.
 *
 * Stripe's webhooks come through it too, and each is sent three times, to hosts in turn, in a
 * shuffled order among every copy still waiting, several at once: duplicates that race each other
 * on two hosts, and late ones that arrive after later events, as Stripe's at-least-once delivery
 * allows. The emulator is answered as soon as one copy is acknowledged (or 502 if none is, so it
 * retries); the other copies go on regardless, and `idle()` waits for them.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const UPSTREAM_HEADER = 'x-proxy-upstream';
const WEBHOOK_PATH = '/webhooks/stripe';
const COPIES = 3;
/** Webhook copies in flight at once: enough for copies of one event to race on both hosts. */
const WEBHOOK_WIDTH = 6;

export interface Upstream { name: string; port: number }

/** One webhook copy and the answer of the host it went to (its outcome, or its error's code). */
export interface WebhookCopy { eventId: string; type: string; objectId: string; host: string; status: number; outcome: string | undefined; code: string | undefined }

export interface RoundRobinProxy {
  url: string;
  /** Every webhook copy answered so far. */
  webhookCopies: WebhookCopy[];
  /** Shopper requests answered, by host. */
  served: Map<string, number>;
  /** Resolves once no webhook copy is waiting or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Pending { body: Buffer; headers: IncomingHttpHeaders; host: Upstream; event: { id: string; type: string; data: { object: { id: string } } }; answered(status: number, body: Buffer): void }

export async function startRoundRobinProxy(upstreams: Upstream[]): Promise<RoundRobinProxy> {
  // A fresh connection per request: a reused one the host has just timed out would fail a request
  // that never reached it, which a real balancer retries and this one would count as the host's fault.
  const agent = new Agent({ keepAlive: false });
  const webhookCopies: WebhookCopy[] = [];
  const served = new Map<string, number>();
  let nextShopperHost = 0;
  let nextWebhookHost = 0;
  const waiting: Pending[] = [];
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const forward = (host: Upstream, req: { method: string; url: string; headers: IncomingHttpHeaders }) => request({
    host: '127.0.0.1', port: host.port, method: req.method, path: req.url, agent,
    headers: { ...withoutHopHeaders(req.headers), host: `127.0.0.1:${host.port}` },
  });

  const deliver = (copy: Pending) => new Promise<void>((resolve) => {
    const record = (status: number, body: Buffer) => {
      let answer: { outcome?: string; error?: { code?: string } } = {};
      try { answer = JSON.parse(body.toString()) as typeof answer; } catch { /* not JSON: no outcome */ }
      webhookCopies.push({ eventId: copy.event.id, type: copy.event.type, objectId: copy.event.data.object.id, host: copy.host.name, status, outcome: answer.outcome, code: answer.error?.code });
      copy.answered(status, body);
      resolve();
    };
    const upstream = forward(copy.host, { method: 'POST', url: WEBHOOK_PATH, headers: copy.headers });
    upstream.on('response', (res) => readAll(res).then((body) => record(res.statusCode ?? 0, body), () => record(0, Buffer.alloc(0))));
    upstream.on('error', () => record(0, Buffer.alloc(0)));
    upstream.end(copy.body);
  });

  const pump = () => {
    while (inFlight < WEBHOOK_WIDTH && waiting.length > 0) {
      const [copy] = waiting.splice(Math.floor(Math.random() * waiting.length), 1);
      inFlight++;
      void deliver(copy!).then(() => {
        inFlight--;
        pump();
        if (inFlight === 0 && waiting.length === 0) for (const wake of idleWaiters.splice(0)) wake();
      });
    }
  };

  const onWebhook = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const event = JSON.parse(body.toString()) as Pending['event'];
    let answers = 0;
    let replied = false;
    const answered = (status: number, reply: Buffer) => {
      answers++;
      if (replied || (status >= 300 && answers < COPIES)) return;
      replied = true;
      if (status >= 200 && status < 300) res.writeHead(status, { 'content-type': 'application/json' }).end(reply);
      else res.writeHead(502).end();
    };
    for (let copy = 0; copy < COPIES; copy++) {
      const host = upstreams[nextWebhookHost++ % upstreams.length]!;
      waiting.push({ body, headers: req.headers, host, event, answered });
    }
    pump();
  };

  const onShopper = (req: IncomingMessage, res: ServerResponse) => {
    const named = req.headers[UPSTREAM_HEADER];
    const host = upstreams.find((u) => u.name === named) ?? upstreams[nextShopperHost++ % upstreams.length]!;
    served.set(host.name, (served.get(host.name) ?? 0) + 1);
    const upstream = forward(host, { method: req.method!, url: req.url!, headers: req.headers });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...withoutHopHeaders(answer.headers), [UPSTREAM_HEADER]: host.name });
      answer.pipe(res);
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
    // A shopper who hangs up (a status stream closed) hangs up on the host too.
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === WEBHOOK_PATH) void onWebhook(req, res).catch(() => res.writeHead(400).end());
    else onShopper(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`, webhookCopies, served,
    idle: () => (inFlight === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      idleWaiters = [];
    },
  };
}

/** Headers about one connection, not the request: the proxy's own connections set their own. */
function withoutHopHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, host: _h, [UPSTREAM_HEADER]: _u, ...rest } = headers;
  return rest;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
