/**
 * The real server for the bench, as `test/helpers/server.ts` builds it: `composeServices` with the
 * background jobs off (so the outbox worker and sweeper don't compete with the measured requests),
 * the bundled Stripe emulator on a free port, in its own process. The bench runs it as production
 * runs the server: bundled by scripts/build-server.mjs (an entry point beside the server's own);
 * when that build fails, from the sources through `--import tsx`.
 * Every setting comes from the environment the bench gives it. Prints `BENCH_READY <port>` on
 * stderr once it serves.
 */
import { serve } from '@hono/node-server';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { composeServices } from '../../server/compose.ts';
import { readEnv } from '../../server/config.ts';
import { consoleLogger } from '../../server/logger.ts';

// The production logger, access log included: the bench sends stdout to a file, as a service
// manager would, so the cost of a line per request is measured and no terminal slows it down.
const logger = consoleLogger();

let handler = () => new Response('starting', { status: 503 });
// Listen first (port 0), then compose with the port known, as the test server does.
const server = serve({ fetch: (req, bindings) => handler(req, bindings), port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
const port = server.address().port;
const env = readEnv({ ...process.env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
const services = await composeServices(env, { logger, port, jobs: false });
handler = services.app.fetch;
services.listening(port);
console.error(`BENCH_READY ${port}`);

// BENCH_PROFILE=file: SIGUSR2 starts a CPU profile, the next SIGUSR2 writes it there, so a
// profile holds only the load being measured (bench/profile.ts), not the start or the set-up.
const profileFile = process.env.BENCH_PROFILE;
if (profileFile) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start', () => console.error('BENCH_PROFILING')));
      return;
    }
    session.post('Profiler.stop', (err, result) => {
      profiling = false;
      if (!err) writeFileSync(profileFile, JSON.stringify(result.profile));
      console.error(err ? `BENCH_PROFILE_FAILED ${String(err)}` : 'BENCH_PROFILE_WRITTEN');
    });
  });
}

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections?.();
  services.close().finally(() => process.exit(0));
});
