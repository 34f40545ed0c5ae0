/** The real app for tests that need no network: requests go straight to `app.request()`, over the
 * same wiring `startTestServer` builds (real SQLite in a temp folder, the chosen cart store). */
import { startTestServer, type TestServer } from './server.ts';

export interface TestApp extends TestServer {
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  dispose(): Promise<void>;
}

export async function startTestApp(o: { store: 'sqlite' | 'redis'; env?: Record<string, string> }): Promise<TestApp> {
  const server = await startTestServer({ store: o.store, env: o.env });
  return {
    ...server,
    request: (path, init = {}) => {
      const { json, ...rest } = init;
      const body = json === undefined ? rest.body : JSON.stringify(json);
      const headers = json === undefined ? rest.headers : { 'content-type': 'application/json', ...rest.headers };
      return Promise.resolve(server.app.request(path, { ...rest, body, headers }));
    },
    dispose: () => server.stop(),
  };
}
