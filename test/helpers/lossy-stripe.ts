/** Stripe out of reach, or its answers lost on the way back: real network faults for tests of what a request left behind. */
import { createServer, connect, type AddressInfo, type Server } from 'node:net';

/** A port nothing listens on: Stripe out of reach (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Passes requests to `target` and drops every answer: Stripe acts, and the answer is lost on the way back (a timeout). */
export async function answerLosingProxy(target: URL): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream);
    upstream.once('data', () => { upstream.destroy(); client.destroy(); });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); }),
  };
}
