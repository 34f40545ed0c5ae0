/** A server under test as a child process of its own: its own event loop, its own memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Target {
  url: string;
  pid: number;
  /** Resident memory of the process now, in MB (Linux /proc). */
  rssMb(): number;
  /** What it printed on stderr, last lines first to read when something fails. */
  errors(): string;
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** Bounded: gives up after `attempts` polls of `intervalMs`. */
export async function poll<T>(check: () => Promise<T | undefined> | T | undefined, what: string, attempts: number, intervalMs: number): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function rssMbOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const freePort = () => new Promise<number>((resolve, reject) => {
  const probe = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

/** Waits for SIGTERM to end it, then SIGKILL: a bench never leaves a server behind. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** stopChild for a child spawned `detached` (a group of its own): the signals go to the whole
 * group, so a server that `npm start` runs as its child stops with it. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (name: NodeJS.Signals) => { try { process.kill(-child.pid!, name); } catch { /* already gone */ } };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // npm may exit before the server it started; make sure none of the group is left.
  await sleep(100);
  signal('SIGKILL');
}

/**
 * Starts `script`, which prints `BENCH_READY <port>` on stderr once it serves, and waits for it, at
 * most 60 s. Its stdout (a production server's access log) goes to `stdoutFile`, or nowhere:
 * written as in production, never read back by the bench. `nodeFlags` go to node (`--import tsx`, say).
 */
export async function startTarget(script: string, env: Record<string, string>, o: { nodeFlags?: string[]; stdoutFile?: string } = {}): Promise<Target> {
  const out = openSync(o.stdoutFile ?? '/dev/null', 'w');
  const child = spawn(process.execPath, [...(o.nodeFlags ?? []), script], { env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-20_000); });
  const port = await poll(() => {
    if (child.exitCode !== null) throw new Error(`${script} exited on start:\n${stderr}`);
    return /BENCH_READY (\d+)/.exec(stderr)?.[1];
  }, `${script} to start:\n${stderr}`, 600, 100).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    rssMb: () => rssMbOf(child.pid!),
    errors: () => stderr.replace(/BENCH_READY \d+\n/, ''),
    signal: (name) => { child.kill(name); },
    stop: () => stopChild(child),
  };
}
