/**
 * The server as production runs it: compiled to JavaScript with the project's own build settings
 * (tsconfig.build.json), into a folder of this bench run's own (bench/results/server-build-<pid>,
 * removed at the end), so the bench measures the sources as they are now, never writes the
 * project's build/, and two runs at once don't share one. Runtime files
 * (migrations, the demo catalog, the Stripe.js stand-in) are copied beside it, as
 * scripts/build-server.mjs does. The compiled code finds demo/ and dist/ through the nearest
 * package.json above it, which is the project's.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSETS = /\.(sql|json|js|css)$/;

function copyAssets(root: string, dir: string, out: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(root, path, out);
    else if (ASSETS.test(name)) cpSync(path, join(out, relative(root, path)));
  }
}

/** Compiles into `out` and returns it; throws what tsc said. */
export function compileServer(root: string, out: string): string {
  rmSync(out, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`the server did not compile:\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
  }
  copyAssets(root, join(root, 'server'), out);
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
    return { build: compileServer(root, out), note: 'compiled with tsconfig.build.json, run on plain node', remove };
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

/** The bench's server child (bench/targets/checkout-server.mjs) for that runtime. */
export function checkoutServerChild(runtime: ServerRuntime, root: string): { script: string; env: Record<string, string>; nodeFlags: string[] } {
  return {
    script: 'bench/targets/checkout-server.mjs',
    env: runtime.build ? { BENCH_SERVER_BUILD: runtime.build } : {},
    nodeFlags: [...startNodeFlags(root), ...(runtime.build ? [] : ['--import', 'tsx'])],
  };
}

/** The Stripe emulator as a process of its own (bench/targets/stripe-emulator.mjs), run the same way. */
export function emulatorChild(runtime: ServerRuntime): { script: string; env: Record<string, string>; nodeFlags: string[] } {
  return {
    script: 'bench/targets/stripe-emulator.mjs',
    env: runtime.build ? { BENCH_SERVER_BUILD: runtime.build } : {},
    nodeFlags: runtime.build ? [] : ['--import', 'tsx'],
  };
}
