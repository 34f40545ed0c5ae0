/** Builds the real app for tests: a real SQLite file in a temp folder, the real cart store of the
 * chosen kind, the demo catalog. */
import { join } from 'node:path';
import { readEnv } from '../../server/config.ts';
import { composeServices, type Services } from '../../server/compose.ts';
import { silentLogger } from '../../server/logger.ts';
import { tempDir } from './temp.ts';
import { TEST_REDIS_URL } from './redis.ts';

export interface TestApp extends Services {
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  dispose(): Promise<void>;
}

export async function startTestApp(o: { store: 'sqlite' | 'redis'; env?: Record<string, string> }): Promise<TestApp> {
  const dir = tempDir();
  const env = readEnv({
    NODE_ENV: 'test',
    DATABASE_PATH: join(dir.path, 'checkout.db'),
    MAIL_DIR: join(dir.path, 'mail'),
    PUBLIC_URL: 'http://localhost:8787',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    ...(o.store === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...o.env,
  });
  const services = await composeServices(env, { logger: silentLogger, port: 8787 });
  return {
    ...services,
    request: (path, init = {}) => {
      const { json, ...rest } = init;
      const body = json === undefined ? rest.body : JSON.stringify(json);
      const headers = json === undefined ? rest.headers : { 'content-type': 'application/json', ...rest.headers };
      return Promise.resolve(services.app.request(path, { ...rest, body, headers }));
    },
    dispose: async () => {
      await services.close();
      dir.remove();
    },
  };
}
