/**
 * `npm run bench`: issue 17's table in one run. A bare Hono hello-world sets the ceiling for one
 * Node process on this machine; the real server (each cart store in turn) is measured against it.
 * Every server runs as a child process of its own; autocannon runs here. Each row is the median
 * of several runs; the table (value, target, gap) is printed and the whole run, raw samples and
 * the machine included, is written to bench/results/.
 *
 *   npm run bench                  3 runs x 5 s per row (about 6 minutes)
 *   npm run bench -- --quick       1 run x 2 s, fewer requests, events and payments
 *   npm run bench -- --dry-run     starts each target once, prints the empty table, measures nothing
 *   npm run bench -- --only=cold-start   only the cold-start rows (with --cold-starts=N, or BENCH_COLD_STARTS)
 *   --runs=N --duration=S --stores=sqlite,redis --no-browser --out=FILE   (or BENCH_RUNS, BENCH_DURATION)
 *
 * Loopback only; every loop is bounded by a count, and every server is stopped at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { checkoutServerChild, emulatorChild, serverRuntime, startNodeFlags, type ServerRuntime } from './lib/build.ts';
import { chromiumAvailable, payToConfirmation } from './lib/browser-pay.ts';
import { load, type LoadResult } from './lib/load.ts';
import { benchStores, type BenchStore } from './lib/stores.ts';
import { formatCount, median, renderTable, type Row, type Target as RowTarget, type Unit } from './lib/table.ts';
import { freePort, poll, rssMbOf, sleep, startTarget, stopGroup, type Target } from './lib/target.ts';
import { api, inParallel, makeCart, pick, plentyOfStock, serverEnv, WEBHOOK_SECRET } from './lib/shop.ts';
import { makeCheckouts, sendSucceeded, WEBHOOK_IN_FLIGHT } from './lib/webhooks.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 50;

// ---------------------------------------------------------------------------------------------
// Settings

interface Settings {
  quick: boolean;
  dryRun: boolean;
  runs: number;
  durationS: number;
  warmupS: number;
  cartPool: number;
  /** Requests in the memory phase; RSS is read halfway and at the end. */
  memoryRequests: number;
  /** Webhook events per run (each against a checkout of its own). */
  webhookEvents: number;
  coldStarts: number;
  /** `cold-start`: only those rows, without the ceiling or the stores (a start-up change is measured in a minute). */
  only: 'cold-start' | undefined;
  payments: number;
  browser: boolean;
  stores: string[];
  out: string | undefined;
}

export function parseSettings(argv: readonly string[], env: Record<string, string | undefined> = process.env): Settings {
  const flag = (name: string) => argv.includes(`--${name}`);
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const number = (name: string, envName: string, fallback: number) => {
    const raw = option(name) ?? env[envName];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} (${envName}) must be a positive number, not "${raw}"`);
    return n;
  };
  const quick = flag('quick') || env.BENCH_QUICK === '1';
  return {
    quick,
    dryRun: flag('dry-run'),
    runs: Math.round(number('runs', 'BENCH_RUNS', quick ? 1 : 3)),
    durationS: number('duration', 'BENCH_DURATION', quick ? 2 : 5),
    warmupS: quick ? 1 : 2,
    cartPool: 200,
    memoryRequests: Math.round(number('memory-requests', 'BENCH_MEMORY_REQUESTS', quick ? 20_000 : 100_000)),
    webhookEvents: Math.round(number('webhook-events', 'BENCH_WEBHOOK_EVENTS', quick ? 300 : 2000)),
    coldStarts: Math.round(number('cold-starts', 'BENCH_COLD_STARTS', quick ? 2 : 5)),
    only: onlyRows(option('only')),
    payments: Math.round(number('payments', 'BENCH_PAYMENTS', quick ? 2 : 7)),
    browser: !flag('no-browser'),
    stores: (option('stores') ?? env.BENCH_STORES ?? benchStores.map((s) => s.key).join(',')).split(','),
    out: option('out'),
  };
}

function onlyRows(raw: string | undefined): Settings['only'] {
  if (raw === undefined || raw === 'cold-start') return raw;
  throw new Error(`--only takes cold-start, not "${raw}"`);
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Runs { rps: number[]; p99: number[]; failures: number; requests: number }

async function measureRuns(s: Settings, run: (durationS: number) => Promise<LoadResult>): Promise<Runs> {
  await run(s.warmupS);
  const results: LoadResult[] = [];
  for (let i = 0; i < s.runs; i++) results.push(await run(s.durationS));
  return {
    rps: results.map((r) => r.rps), p99: results.map((r) => r.p99Ms),
    failures: results.reduce((n, r) => n + r.failures, 0), requests: results.reduce((n, r) => n + r.requests, 0),
  };
}

const failed = (runs: Runs) => (runs.failures > 0 ? `, ${runs.failures} of ${runs.requests} failed` : '');

function throughputRows(name: string, runs: Runs, ceiling: number, ratioTarget: number, p99Target: number | null): Row[] {
  const rps = median(runs.rps);
  return [
    {
      measure: `${name}: req/s / ceiling`, unit: 'ratio', value: rps / ceiling, samples: runs.rps.map((r) => r / ceiling),
      target: { op: '>=', value: ratioTarget }, note: `(${(rps / 1000).toFixed(1)}k req/s${failed(runs)})`,
    },
    { measure: `${name}: p99`, unit: 'ms', value: median(runs.p99), samples: runs.p99, target: p99Target === null ? null : { op: '<', value: p99Target } },
  ];
}

async function measureCeiling(s: Settings): Promise<Runs> {
  const hello = await startTarget('bench/targets/hello.mjs', {});
  try {
    return await measureRuns(s, (durationS) => load({ url: hello.url, path: '/', connections: CONNECTIONS, durationS }));
  } finally {
    await hello.stop();
  }
}

/** Measured before and after the rest, so a machine that got busier meanwhile shows. */
function ceilingRow(start: Runs, end: Runs): Row {
  const samples = [...start.rps, ...end.rps];
  return {
    measure: 'ceiling: Hono hello-world, req/s', unit: '/s', value: median(samples), samples, target: null,
    note: `(${(median(start.rps) / 1000).toFixed(1)}k before, ${(median(end.rps) / 1000).toFixed(1)}k after; p99 ${median([...start.p99, ...end.p99]).toFixed(1)} ms${failed({ ...start, failures: start.failures + end.failures, requests: start.requests + end.requests })})`,
  };
}

/** The store's rows; the throughput ones as ratios of the ceiling, known only at the end. */
async function measureStore(s: Settings, runtime: ServerRuntime, store: BenchStore, raw: Record<string, unknown>): Promise<(ceiling: number) => Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'checkout-bench-'));
  const L = store.label;
  let server: Target | undefined;
  let stripe: Target | undefined;
  const rows: Row[] = [];
  try {
    const emulator = emulatorChild(runtime);
    stripe = await startTarget(emulator.script, { ...emulator.env, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET }, { nodeFlags: emulator.nodeFlags });
    const child = checkoutServerChild(runtime, ROOT);
    server = await startTarget(child.script, { ...serverEnv(dir, store, stripe.url), ...child.env }, { nodeFlags: child.nodeFlags, stdoutFile: join(dir, 'server.log') });
    const url = server.url;
    await sleep(1000);
    const idle = server.rssMb();

    await plentyOfStock(url);
    const pool: string[] = [];
    await inParallel(s.cartPool, 8, async () => { pool.push(await makeCart(url, [['tee-black', 2], ['mug-stone', 1]], 'WELCOME15')); });
    const nextCart = pick(pool);
    const quantities = pick([1, 2, 3, 4, 5]);
    const getCart = () => `/api/carts/${nextCart()}`;
    const patchCart = () => `/api/carts/${nextCart()}/items/mug-stone`;
    const patchBody = () => `{"quantity":${quantities()}}`;

    // Memory: a shopper's mix (half reads, a quarter changes, a quarter new carts) up to
    // memoryRequests in all, RSS read at half and at the end.
    const mix = async (amount: number) => {
      await load({ url, connections: CONNECTIONS, amount: Math.round(amount / 2), path: getCart });
      await load({ url, connections: CONNECTIONS, amount: Math.round(amount / 4), method: 'PATCH', path: patchCart, body: patchBody });
      await load({ url, connections: CONNECTIONS, amount: Math.round(amount / 4), method: 'POST', path: '/api/carts' });
    };
    await mix(s.memoryRequests / 2);
    await sleep(500);
    const atHalf = server.rssMb();
    await mix(s.memoryRequests / 2);
    await sleep(500);
    const atEnd = server.rssMb();
    const growth = ((atEnd - atHalf) / atHalf) * 100;
    const k = formatCount;
    rows.push(
      { measure: `RSS idle (${L})`, unit: 'MB', value: idle, samples: [idle], target: null },
      { measure: `RSS after ${k(s.memoryRequests)} requests (${L})`, unit: 'MB', value: atEnd, samples: [atEnd], target: { op: '<', value: 150 }, note: `(${Math.round(atHalf)} MB at ${k(s.memoryRequests / 2)})` },
      { measure: `RSS growth ${k(s.memoryRequests / 2)}->${k(s.memoryRequests)} (${L})`, unit: '%', value: growth, samples: [growth], target: { op: '<', value: 10 } },
    );

    // Webhooks: checkouts made first (not timed), then one signed event each, 8 in flight. They
    // run before the cart rows, so those meet a shop with history: runs x webhookEvents orders,
    // every one with WELCOME15, the code the pool's carts carry.
    const perSecond: number[] = [];
    let webhookFailures = 0;
    let missing = 0;
    for (let run = 0; run < s.runs; run++) {
      const checkouts = await makeCheckouts(url, s.webhookEvents);
      const before = await store.orders(dir);
      const result = await sendSucceeded(url, checkouts);
      perSecond.push(result.perSecond);
      webhookFailures += result.failures;
      missing += result.processed - ((await store.orders(dir)) - before);
    }
    rows.push({
      measure: `payment_intent.succeeded -> order (${L}), ${WEBHOOK_IN_FLIGHT} in flight`, unit: '/s', value: median(perSecond), samples: perSecond,
      target: { op: '>=', value: 3000 },
      note: webhookFailures + missing > 0 ? `(${webhookFailures} not processed, ${missing} without an order)` : `(${s.webhookEvents} events x ${s.runs})`,
    });

    const history = perSecond.length * s.webhookEvents;
    const get = await measureRuns(s, (durationS) => load({ url, connections: CONNECTIONS, durationS, path: getCart }));
    const patch = await measureRuns(s, (durationS) => load({ url, connections: CONNECTIONS, durationS, method: 'PATCH', path: patchCart, body: patchBody }));
    const post = await measureRuns(s, (durationS) => load({ url, connections: CONNECTIONS, durationS, method: 'POST', path: '/api/carts' }));
    const throughput = (ceiling: number) => [
      ...throughputRows(`GET cart (${L}, ${k(history)} orders)`, get, ceiling, 0.35, 10),
      ...throughputRows(`PATCH quantity (${L}, ${k(history)} orders)`, patch, ceiling, 0.25, 10),
      ...throughputRows(`POST cart (${L})`, post, ceiling, 0.30, null),
    ];

    let pay: unknown;
    if (s.browser) {
      if (!chromiumAvailable()) {
        rows.push({ measure: `Pay -> confirmation, Chromium (${L})`, unit: 'ms', value: Number.NaN, samples: [], target: { op: '<', value: 300 }, note: '(no Chromium)' });
      } else {
        const timed = await payToConfirmation(url, s.payments).catch((err: unknown) => err as Error);
        if (timed instanceof Error) {
          // One row failing (a browser step timing out on a loaded machine) leaves the rest of the run.
          pay = { error: timed.message };
          rows.push({ measure: `Pay -> confirmation, Chromium (${L})`, unit: 'ms', value: Number.NaN, samples: [], target: { op: '<', value: 300 }, note: `(failed: ${timed.message.split('\n')[0]})` });
        } else {
          const { inPage, wall } = timed;
          pay = { inPage, wall };
          rows.push({
            measure: `Pay -> confirmation, Chromium (${L})`, unit: 'ms', value: median(inPage), samples: inPage, target: { op: '<', value: 300 },
            note: `(${Math.round(Math.min(...inPage))}-${Math.round(Math.max(...inPage))} ms over ${inPage.length}; ${Math.round(median(wall))} ms seen from Playwright)`,
          });
        }
      }
    }
    raw[store.key] = { get, patch, post, rss: { idle, atHalf, atEnd }, webhooks: perSecond, pay, serverErrors: server.errors().slice(-4000) };
    return (ceiling) => [...throughput(ceiling), ...rows];
  } finally {
    await server?.stop();
    await stripe?.stop();
    await store.cleanUp().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Cold start: the server spawned on a fresh data folder (migrations, demo catalog, the emulator),
 * timed until `GET /api/config` first answers 200. Measured compiled, with the flags `npm start`
 * gives node (the target applies to it); through `npm start` itself on the project's tree when its
 * build is up to date (npm's own start-up, the staleness check, then the same server; never a
 * build: the bench does not write the project's build/); and from the sources through tsx, for
 * comparison. BENCH_SERVER_COMMAND adds another start command.
 */
async function measureColdStarts(s: Settings, runtime: ServerRuntime): Promise<Row[]> {
  const flags = startNodeFlags(ROOT);
  const commands: { label: string; argv: string[]; target: boolean; skipped?: string }[] = [];
  if (runtime.build) commands.push({ label: `node ${flags.join(' ')} build/server/main.js`, argv: [process.execPath, ...flags, join(runtime.build, 'server', 'main.js')], target: true });
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--stale'], { cwd: ROOT, encoding: 'utf8' });
  commands.push({
    label: 'npm start, built tree', argv: ['npm', 'start', '--silent'], target: true,
    skipped: built.status === 0 ? undefined : `skipped: ${built.stdout.trim() || 'build/ not checked'}; run npm run build first`,
  });
  commands.push({ label: 'node --import tsx server/main.ts', argv: [process.execPath, '--import', 'tsx', 'server/main.ts'], target: !runtime.build });
  const extra = (process.env.BENCH_SERVER_COMMAND ?? '').trim();
  if (extra) commands.push({ label: extra, argv: extra.split(/\s+/), target: false });
  const rows: Row[] = [];
  // One start of each command per round, so a machine that gets busier or quieter meanwhile
  // weighs on every command alike rather than on whichever ran then.
  const measured = commands.filter((command) => !command.skipped);
  const timings = new Map(measured.map((command) => [command, [] as number[]]));
  for (let round = 0; round < s.coldStarts; round++) {
    for (const command of measured) timings.get(command)!.push(await coldStart(command.argv));
  }
  for (const command of commands) {
    const measure = `cold start to first 200 (${command.label})`;
    const target = command.target ? { op: '<' as const, value: 500 } : null;
    const samples = timings.get(command);
    if (!samples) {
      rows.push({ measure, unit: 'ms', value: Number.NaN, samples: [], target, note: `(${command.skipped})` });
      continue;
    }
    rows.push({
      measure, unit: 'ms', value: median(samples), samples,
      target, note: `(${Math.round(Math.min(...samples))}-${Math.round(Math.max(...samples))} ms over ${samples.length})`,
    });
  }
  return rows;
}

/** One start on a fresh data folder, timed until `GET /api/config` first answers 200. */
async function coldStart([bin, ...args]: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'checkout-bench-cold-'));
  const port = await freePort();
  const started = performance.now();
  // A group of its own: `npm start` runs the server as its child, and both are stopped together.
  const child = spawn(bin!, args, {
    cwd: ROOT, stdio: 'ignore', detached: true,
    env: { ...process.env, ...serverEnv(dir, benchStores[0]!), PORT: String(port), HOST: '127.0.0.1' },
  });
  try {
    await poll(async () => {
      if (child.exitCode !== null) throw new Error(`${[bin, ...args].join(' ')} exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/config`);
        await res.arrayBuffer();
        return res.status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    }, 'the first 200', 3000, 5);
    return performance.now() - started;
  } finally {
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Dry run: each target starts and answers once; nothing is measured.

async function dryRun(s: Settings, runtime: ServerRuntime): Promise<Row[]> {
  const hello = await startTarget('bench/targets/hello.mjs', {});
  try {
    if ((await fetch(`${hello.url}/`)).status !== 200) throw new Error('hello-world did not answer 200');
  } finally {
    await hello.stop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'checkout-bench-dry-'));
  const child = checkoutServerChild(runtime, ROOT);
  const server = await startTarget(child.script, { ...serverEnv(dir, benchStores[0]!), ...child.env }, { nodeFlags: child.nodeFlags });
  try {
    const cartId = await makeCart(server.url, [['tee-black', 1]]);
    await api(server.url, 'GET', `/api/carts/${cartId}`);
    if (!(rssMbOf(server.pid) > 0)) throw new Error('could not read the server RSS');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const none = (measure: string, unit: Unit, target: RowTarget | null): Row => ({ measure, unit, value: Number.NaN, samples: [], target });
  return [
    none('ceiling: Hono hello-world, req/s', '/s', null),
    ...benchStores.filter((st) => s.stores.includes(st.key)).flatMap((st) => [
      none(`GET cart (${st.label}): req/s / ceiling`, 'ratio', { op: '>=', value: 0.35 }),
      none(`PATCH quantity (${st.label}): req/s / ceiling`, 'ratio', { op: '>=', value: 0.25 }),
      none(`POST cart (${st.label}): req/s / ceiling`, 'ratio', { op: '>=', value: 0.30 }),
      none(`payment_intent.succeeded -> order (${st.label})`, '/s', { op: '>=', value: 3000 }),
    ]),
    none('cold start to first 200', 'ms', { op: '<', value: 500 }),
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  process.chdir(ROOT);
  const s = parseSettings(process.argv.slice(2));
  const machine = {
    date: new Date().toISOString(), nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version,
    loadavgAtStart: loadavg().map((n) => Number(n.toFixed(2))),
  };
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  log(`${s.dryRun ? 'dry run' : s.quick ? 'quick run' : 'full run'}: ${s.runs} x ${s.durationS} s per row, ${CONNECTIONS} connections; ${machine.nproc} CPUs (${machine.cpu}), load ${machine.loadavgAtStart.join(' ')}`);

  const runtime = serverRuntime(ROOT);
  log(`server: ${runtime.note}`);
  try {
    await run(s, runtime, machine, log);
  } finally {
    runtime.remove();
  }
}

type Machine = Record<string, unknown> & { date: string; nproc: number; cpu: string; node: string; loadavgAtStart: number[] };

async function run(s: Settings, runtime: ServerRuntime, machine: Machine, log: (line: string) => void): Promise<void> {
  if (s.dryRun) {
    const rows = await dryRun(s, runtime);
    console.log(renderTable(rows));
    log('dry run: every target started and answered');
    return;
  }

  const raw: Record<string, unknown> = {};
  if (s.only === 'cold-start') {
    log('cold start only');
    report(s, runtime, machine, log, await measureColdStarts(s, runtime), raw);
    return;
  }
  log('ceiling: hello-world');
  const ceilingStart = await measureCeiling(s);
  const storeRows: ((ceiling: number) => Row[])[] = [];
  for (const store of benchStores.filter((st) => s.stores.includes(st.key))) {
    if (!(await store.available())) {
      log(`${store.label}: not reachable, its rows are skipped`);
      storeRows.push(() => [{ measure: `${store.label} carts`, unit: 'ratio', value: Number.NaN, samples: [], target: null, note: '(not reachable: skipped)' }]);
      continue;
    }
    log(`${store.label} carts: memory, GET, PATCH, POST, webhooks${s.browser ? ', Chromium' : ''}`);
    storeRows.push(await measureStore(s, runtime, store, raw));
  }
  log('cold start');
  const coldStart = await measureColdStarts(s, runtime);
  log('ceiling again');
  const ceilingEnd = await measureCeiling(s);
  const ceiling = ceilingRow(ceilingStart, ceilingEnd);
  raw.ceiling = { start: ceilingStart, end: ceilingEnd };
  report(s, runtime, machine, log, [ceiling, ...storeRows.flatMap((rowsFor) => rowsFor(ceiling.value)), ...coldStart], raw);
}

/** Prints the table and writes the run, raw samples and the machine included, to bench/results/. */
function report(s: Settings, runtime: ServerRuntime, machine: Machine, log: (line: string) => void, rows: Row[], raw: Record<string, unknown>): void {
  const table = renderTable(rows);
  console.log(`\n${table}\n`);
  console.log(`${machine.date.slice(0, 10)}, ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}, load average at start ${machine.loadavgAtStart.join(' ')}; ${s.runs} x ${s.durationS} s per row, medians; server ${runtime.note}`);
  const out = s.out ?? join(ROOT, 'bench', 'results', `${machine.date.replace(/[:.]/g, '-')}${s.quick ? '-quick' : ''}${s.only ? `-${s.only}` : ''}.json`);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify({ machine: { ...machine, loadavgAtEnd: loadavg().map((n) => Number(n.toFixed(2))) }, settings: s, server: runtime.note, rows, raw, table }, null, 2) + '\n');
  log(`written to ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(() => process.exit(0), (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
