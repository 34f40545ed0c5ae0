/**
 * The server as production runs it: bundled by the project's own build (scripts/build-server.mjs),
 * into a folder of this bench run's own (bench/results/server-build-<pid>, removed at the end), so
 * the bench measures the sources as they are now, never writes the project's build/, and two runs
 * at once don't share one. The bench's two targets are bundled beside the server's entry point,
 * with the same settings. The bundle finds demo/ and dist/ through the nearest package.json above
 * it, which is the project's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const TARGETS = { 'bench-checkout-server': 'bench/targets/checkout-server.mjs', 'bench-stripe-emulator': 'bench/targets/stripe-emulator.mjs' };

/** Builds into `out` and returns it; throws what the build said. */
export function compileServer(root: string, out: string): string {
  const entries = Object.entries(TARGETS).map(([name, path]) => `--entry=${name}=${path}`);
  try {
    execFileSync(process.execPath, [join(root, 'scripts/build-server.mjs'), `--out=${out}`, ...entries], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`the server did not build:\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
  }
  return out;
}

/** How the bench runs the server: compiled when it compiles, else from the sources through tsx. */
export interface ServerRuntime {
  /** The compiled server's folder, or null for tsx. */
  build: string | null;
  /** For the table and the JSON: which of the two, and why. */
  note: string;
}

export function serverRuntime(root: string): ServerRuntime & { remove(): void } {
  const out = join(root, 'bench', 'results', `server-build-${process.pid}`);
  const remove = () => rmSync(out, { recursive: true, force: true });
  try {
    return { build: compileServer(root, out), note: 'bundled by scripts/build-server.mjs, run on plain node', remove };
  } catch (err) {
    remove();
    return { build: null, note: `run through tsx, because ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`, remove };
  }
}

/**
 * The flags `npm start` gives node (package.json's start script: `node <flags> scripts/start.mjs`),
 * such as the heap cap, so the bench measures the server as it runs in production.
 */
export function startNodeFlags(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (scripts.start ?? '').trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  return words.slice(1).filter((w) => w.startsWith('--'));
}

/** How to start a target: the script, environment of its own (none today) and node flags. */
export interface TargetChild { script: string; env: Record<string, string>; nodeFlags: string[] }

/** A bench target (bench/targets/) as its child process runs it: bundled, or from the sources through tsx. */
function targetChild(runtime: ServerRuntime, name: keyof typeof TARGETS, nodeFlags: string[]): TargetChild {
  return runtime.build
    ? { script: join(runtime.build, 'server', `${name}.js`), env: {}, nodeFlags }
    : { script: TARGETS[name], env: {}, nodeFlags: [...nodeFlags, '--import', 'tsx'] };
}

/** The bench's server child (bench/targets/checkout-server.mjs), with the flags `npm start` gives node. */
export function checkoutServerChild(runtime: ServerRuntime, root: string): TargetChild {
  return targetChild(runtime, 'bench-checkout-server', startNodeFlags(root));
}

/** The Stripe emulator as a process of its own (bench/targets/stripe-emulator.mjs), run the same way. */
export function emulatorChild(runtime: ServerRuntime): TargetChild {
  return targetChild(runtime, 'bench-stripe-emulator', []);
}
