/** `server/main.ts` as a real process, for tests of what only a whole process shows: its start-up
 * banner, its logs, surviving faults, and shutting down on a signal. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const freePort = () => new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

export interface MainProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  exited: Promise<number | null>;
}

/** By default the TypeScript sources through tsx; `args`/`cwd` run something else, e.g. the compiled build. */
export function startMain(env: Record<string, string>, o: { args?: string[]; cwd?: string } = {}): MainProcess {
  const args = o.args ?? ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `check` until it returns a value; bounded by attempts, not by a deadline assertion. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}
