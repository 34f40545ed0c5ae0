/**
 * The ceiling: a bare Hono hello-world on @hono/node-server, the most one Node process on this
 * machine serves through the same HTTP stack. Plain node, as the compiled server runs. Prints
 * `BENCH_READY <port>` on stderr once it listens.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/', (c) => c.text('Hello, world'));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  console.error(`BENCH_READY ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
