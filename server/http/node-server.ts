/**
 * The app on Node's HTTP server: `serve()` from @hono/node-server with one difference. A request
 * Node can parse but that can't be made into a URL (a Host header such as `localhost:99999` or
 * `a b`, a backslash in the path) gets an empty 400 there, on a connection kept open with its body
 * unread, so the client's next request on that connection is misread as well. Here it gets the JSON
 * error envelope every other refusal has, and its connection is closed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, RequestError } from '@hono/node-server';
import { DomainError } from '../../shared/errors.ts';

type Fetch = Parameters<typeof getRequestListener>[0];

const malformed = new DomainError('bad_request', 'The request has a malformed Host header or request target.');

export function serveApp(o: { fetch: Fetch; port: number; hostname?: string }, onListening?: (info: AddressInfo) => void): Server {
  const listener = getRequestListener(o.fetch, {
    hostname: o.hostname,
    // Also reached if the app's own error handler threw: a response must go out either way.
    errorHandler: (err) => err instanceof RequestError
      ? Response.json(malformed.toBody(), { status: 400, headers: { Connection: 'close' } })
      : Response.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, { status: 500 }),
  });
  const server = createServer(listener);
  server.listen(o.port, o.hostname, () => onListening?.(server.address() as AddressInfo));
  return server;
}
