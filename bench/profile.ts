/**
 * A CPU profile of the real server under one kind of load, to see where a row's time goes:
 *
 *   node --import tsx bench/profile.ts get|patch|post [--store=redis] [--duration=10]
 *   node --import tsx bench/profile.ts webhook [--store=redis] [--events=3000]
 *   --history=N first pays N checkouts (with WELCOME15, as the pool's carts), so the load meets a
 *   shop with orders behind it, as `npm run bench` does
 *
 * Starts the bench's server child with BENCH_PROFILE, sets up a pool of carts, starts the profiler
 * in it (SIGUSR2), loads it with
 * autocannon (50 connections) for the duration (or sends signed payment_intent.succeeded events
 * for checkouts made first, 8 in flight), stops the profiler (SIGUSR2 again: the profile holds
 * only the load) and prints the functions and files with the most self time. The .cpuprofile is kept under
 * bench/results/profiles/ for Chrome DevTools or speedscope.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from './lib/load.ts';
import { inParallel, makeCart, pick, plentyOfStock, serverEnv, WEBHOOK_SECRET } from './lib/shop.ts';
import { benchStores } from './lib/stores.ts';
import { checkoutServerChild, emulatorChild, serverRuntime } from './lib/build.ts';
import { poll, startTarget } from './lib/target.ts';
import { makeCheckouts, sendSucceeded } from './lib/webhooks.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] }

/** Where a frame belongs: a package, a file of this project, node's internals, or the engine. */
function placeOf(url: string): string {
  if (!url) return '(engine: GC, native, idle)';
  if (url.startsWith('node:')) return 'node:internal';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  return pkg ? `npm:${pkg}` : relative(ROOT, path);
}

export function summarize(profile: Profile, top = 25): string {
  const total = profile.samples.length || 1;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url);
    const fn = `${functionName || '(anonymous)'}  ${place}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  }
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}`).join('\n');
  return `self time by function (${total} samples):\n${list(byFunction)}\n\nself time by file or package:\n${list(byPlace)}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const kind = argv.find((a) => !a.startsWith('--')) ?? 'get';
  const storeKey = argv.find((a) => a.startsWith('--store='))?.slice(8) ?? 'sqlite';
  const durationS = Number(argv.find((a) => a.startsWith('--duration='))?.slice(11) ?? 10);
  const store = benchStores.find((s) => s.key === storeKey);
  const events = Number(argv.find((a) => a.startsWith('--events='))?.slice(9) ?? 3000);
  const history = Number(argv.find((a) => a.startsWith('--history='))?.slice(10) ?? 0);
  if (!store || !['get', 'patch', 'post', 'webhook'].includes(kind)) throw new Error('usage: bench/profile.ts get|patch|post|webhook [--store=sqlite|redis] [--duration=S] [--events=N]');

  if (!(await store.available())) throw new Error(`${store.label} is not reachable from here`);
  const dir = mkdtempSync(join(tmpdir(), 'checkout-profile-'));
  const profiles = join(ROOT, 'bench', 'results', 'profiles');
  mkdirSync(profiles, { recursive: true });
  const name = `${kind}-${store.key}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const kept = join(profiles, name);
  const runtime = serverRuntime(ROOT);
  console.log(`server: ${runtime.note}`);
  const emulator = emulatorChild(runtime);
  const stripe = await startTarget(emulator.script, { ...emulator.env, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, { nodeFlags: emulator.nodeFlags });
  const child = checkoutServerChild(runtime, ROOT);
  const server = await startTarget(child.script, { ...serverEnv(dir, store, stripe.url), ...child.env, BENCH_PROFILE: kept }, { nodeFlags: child.nodeFlags, stdoutFile: join(dir, 'server.log') });
  const said = (line: string) => poll(() => (server.errors().includes(line) ? true : undefined), line, 300, 100);
  const profiling = async <T>(work: () => Promise<T>): Promise<T> => {
    server.signal('SIGUSR2');
    await said('BENCH_PROFILING');
    const result = await work();
    server.signal('SIGUSR2');
    await said('BENCH_PROFILE_WRITTEN');
    return result;
  };
  try {
    await plentyOfStock(server.url);
    if (history > 0) await sendSucceeded(server.url, await makeCheckouts(server.url, history));
    if (kind === 'webhook') {
      const checkouts = await makeCheckouts(server.url, events);
      const result = await profiling(() => sendSucceeded(server.url, checkouts));
      console.log(`webhook (${store.label}): ${Math.round(result.perSecond)} orders/s, ${result.failures} failed (profiling slows it)`);
    } else {
      const pool: string[] = [];
      await inParallel(200, 8, async () => { pool.push(await makeCart(server.url, [['tee-black', 2], ['mug-stone', 1]], 'WELCOME15')); });
      const cart = pick(pool);
      const quantity = pick([1, 2, 3, 4, 5]);
      const result = await profiling(() => load({
        url: server.url, connections: 50, durationS,
        ...(kind === 'get' ? { path: () => `/api/carts/${cart()}` }
          : kind === 'patch' ? { method: 'PATCH' as const, path: () => `/api/carts/${cart()}/items/mug-stone`, body: () => `{"quantity":${quantity()}}` }
          : { method: 'POST' as const, path: '/api/carts' }),
      }));
      console.log(`${kind} (${store.label}): ${Math.round(result.rps)} req/s, p99 ${result.p99Ms} ms, ${result.failures} failed (profiling slows it)`);
    }
  } finally {
    await server.stop();
    await stripe.stop();
    await store.cleanUp().catch(() => {});
    runtime.remove();
  }
  rmSync(dir, { recursive: true, force: true });
  const text = readFileSync(kept, 'utf8');
  console.log(`${summarize(JSON.parse(text) as Profile)}\n\nprofile: ${relative(ROOT, kept)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
