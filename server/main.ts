/** Starts the server: reads and validates the environment, composes the services, listens. */
import { serve } from '@hono/node-server';
import { ConfigError, readEnv } from './config.ts';
import { composeServices } from './compose.ts';
import { consoleLogger } from './logger.ts';

async function main(): Promise<void> {
  const env = readEnv();
  const logger = consoleLogger();
  const services = await composeServices(env, { logger, port: env.PORT });
  const server = serve({ fetch: services.app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    services.listening(info.port);
    const lines = [
      `Checkout server on ${services.publicUrl}`,
      ...Object.entries(services.describe()).map(([k, v]) => `  ${k.padEnd(15)} ${v}`),
      '',
      `Open ${services.publicUrl}/ for the demo shop, ${services.publicUrl}/strict.html for the strict-CSP page.`,
    ];
    console.log(lines.join('\n'));
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => void services.close().then(() => process.exit(0)));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
