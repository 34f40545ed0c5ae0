/**
 * A TCP relay between a server and a dependency it connects to (PostgreSQL), so a test can take the
 * dependency away as a network failure or a stopped database would look, without stopping the one
 * every test shares: `cut()` drops every open connection and refuses new ones, `refuse()` refuses
 * new ones but keeps those open, `restore()` takes them again on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  cut(): Promise<void>;
  refuse(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const open = new Set<Socket>();
  const listen = (port: number) => new Promise<Server>((resolve, reject) => {
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        open.add(socket);
        socket.on('close', () => open.delete(socket));
        socket.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
  });
  let server: Server | undefined = await listen(0);
  const port = (server.address() as { port: number }).port;
  /** Stops listening; resolves once the connections still open have ended too. */
  const stopListening = () => {
    const closing = server;
    server = undefined;
    return new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  };
  const cut = async () => {
    for (const socket of open) socket.destroy();
    await stopListening();
  };
  // The port is free at once; the open connections carry on (their end is not waited for).
  const refuse = async () => { void stopListening(); };
  return {
    port, cut, refuse,
    restore: async () => { server ??= await listen(port); },
    close: cut,
  };
}
