/**
 * The real server for the bench, as `test/helpers/server.ts` builds it: `composeServices` with the
 * background jobs off (so the outbox worker and sweeper don't compete with the measured requests),
 * the bundled Stripe emulator on a free port, in its own process. Every setting comes from the
 * environment the bench gives it (DATABASE_PATH, REDIS_URL, STRIPE_WEBHOOK_SECRET, ...).
 * Prints `BENCH_READY <port>` once it serves.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { readEnv } from '../../server/config.ts';
import { composeServices } from '../../server/compose.ts';
import type { Logger } from '../../server/logger.ts';

// Warnings and errors only: a line per request would measure the terminal, not the server.
const logger: Logger = {
  info() {},
  warn: (message, fields) => console.error(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

let handler: (req: Request, bindings?: unknown) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
// Listen first (port 0), then compose with the port known, as the test server does.
const server: ServerType = serve({ fetch: (req, bindings) => handler(req, bindings), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
const port = (server.address() as AddressInfo).port;
const env = readEnv({ ...process.env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
const services = await composeServices(env, { logger, port, jobs: false });
handler = services.app.fetch;
services.listening(port);
console.log(`BENCH_READY ${port}`);

process.on('SIGTERM', () => {
  server.close();
  (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  services.close().finally(() => process.exit(0));
});
