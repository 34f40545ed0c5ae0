/**
 * A Redis of a test's own, on a spare port (6391-6399 unless the test names its own range), so the
 * test can kill it and start it again without touching the shared one at 6379. In memory only: a
 * restart comes back empty. The PostgreSQL lane of `npm test` runs beside the SQLite lane, so its
 * ports are the same ranges 100 higher: a port a test's Redis left free during an outage must not
 * be taken by the other lane's test meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { TEST_ENGINE } from './db.ts';

const LANE_OFFSET = TEST_ENGINE === 'postgres' ? 100 : 0;

export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash would: no goodbye to clients. Resolves once the process is gone. */
  kill(): Promise<void>;
}

const portIsFree = (port: number) => new Promise<boolean>((resolve) => {
  const probe = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
});

export async function spareRedisPort(first = 6391, last = 6399): Promise<number> {
  for (let port = first + LANE_OFFSET; port <= last + LANE_OFFSET; port++) if (await portIsFree(port)) return port;
  throw new Error(`no spare port for a test Redis in ${first + LANE_OFFSET}-${last + LANE_OFFSET}`);
}

/** Whether a Redis at `url` answers PING now (no retries, no waiting). */
export async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export async function startOwnRedis(port: number): Promise<OwnRedis> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; !(await answersPing(url)); attempt++) {
    if (attempt === 100 || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
