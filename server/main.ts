/** Starts the server: reads and validates the environment, composes the services, listens. */
import { ConfigError, readEnv } from './config.ts';
import { composeServices } from './compose.ts';
import { serveApp } from './http/node-server.ts';
import { consoleLogger, type Logger } from './logger.ts';

/** How long a shutdown waits for open requests (an event stream can stay open for minutes). */
const SHUTDOWN_GRACE_MS = 10_000;

const errorText = (err: unknown) => (err instanceof Error ? err.stack ?? err.message : String(err));

/**
 * Every request's failure is answered by the app's error handler; what reaches these is a
 * background task's failure (a publish, a timer). Such a failure is logged and the process goes
 * on serving, rather than taking every shopper's request down with it.
 */
function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { error: errorText(reason) }));
  process.on('uncaughtException', (err) => logger.error('uncaught exception', { error: errorText(err) }));
}

async function main(): Promise<void> {
  const env = readEnv();
  const logger = consoleLogger();
  guardProcess(logger);
  const services = await composeServices(env, { logger, port: env.PORT });
  const server = serveApp({ fetch: services.app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    services.listening(info.port);
    const lines = [
      `Checkout server on ${services.publicUrl}`,
      ...Object.entries(services.describe()).map(([k, v]) => `  ${k.padEnd(15)} ${v}`),
      '',
      `Open ${services.publicUrl}/ for the demo shop, ${services.publicUrl}/strict.html for the strict-CSP page.`,
    ];
    console.log(lines.join('\n'));
  });

  // Stop taking connections and let the requests in flight finish: a keep-alive connection is
  // closed as soon as it is idle, and whatever is still open after the grace period is cut. Then
  // stop the jobs, which waits for an email being sent, and close the stores.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down: finishing requests in flight', { signal });
    const http1 = 'closeIdleConnections' in server ? server : undefined;
    const closeIdle = setInterval(() => http1?.closeIdleConnections(), 100);
    const cutOff = setTimeout(() => http1?.closeAllConnections(), SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearInterval(closeIdle);
      clearTimeout(cutOff);
      services.close().then(
        () => { logger.info('shut down'); process.exit(0); },
        (err: unknown) => { logger.error('shutdown failed', { error: errorText(err) }); process.exit(1); },
      );
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
