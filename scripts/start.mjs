// `npm start`: builds what is stale (the widget bundle, the admin console, the server bundle), then
// runs the server bundle in this same process. A fresh clone needs only `npm install && npm start`;
// a production install that was built before (`npm run build`, then `npm ci --omit=dev`) just runs.
// Every start pays for this check, so it stays cheap: the server's comes from the manifest its
// build wrote (one stat per file it was built from, no walking, no hashing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBecause } from './build-manifest.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (path) => join(ROOT, path);

/** The newest modification time under these files and folders. */
function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(readdirSync(path).map((name) => join(path, name))) : stat.mtimeMs);
  }
  return latest;
}

/** The Vite builds: stale when an input is newer than the output. */
const olderThanInputs = (output, inputs) => {
  if (!existsSync(at(output))) return `${output} is missing`;
  return statSync(at(output)).mtimeMs < newest(inputs.map(at)) ? `${output} is older than its sources` : null;
};

const steps = [
  { script: 'build:widget', output: 'dist/checkout-cart.js', stale: () => olderThanInputs('dist/checkout-cart.js', ['widget', 'shared', 'vite.config.ts']), tool: 'node_modules/vite' },
  // After the widget: its build empties dist/, the console's with it.
  { script: 'build:admin', output: 'dist/admin/index.html', stale: () => olderThanInputs('dist/admin/index.html', ['admin/console', 'admin/client.ts', 'shared', 'vite.admin.config.ts']), tool: 'node_modules/vite' },
  { script: 'build:server', output: 'build/server/main.js', stale: () => (existsSync(at('build/server/main.js')) ? staleBecause(ROOT, at('build/server/build-manifest.json')) : 'build/server/main.js is missing'), tool: 'node_modules/esbuild' },
];
// `node scripts/start.mjs --stale`: only says what a start would build (exit 1 if anything), for
// `npm run bench`, which times `npm start` on a built tree and must never build the project's own.
if (process.argv.includes('--stale')) {
  const reasons = steps.map((step) => step.stale()).filter(Boolean);
  console.log(reasons.length ? `stale: ${reasons.join('; ')}` : 'up to date');
  process.exit(reasons.length ? 1 : 0);
}

/**
 * One start at a time builds in this folder: two started together (a service manager's instances
 * after a deploy) both find the build stale, and a build empties build/ under a start that is
 * loading it. The lock is a folder (made atomically) naming its builder; a start waits while that
 * process lives, takes the lock over once it is gone, and checks staleness again once it holds it.
 */
const LOCK = at('build.lock');
const builderOf = () => Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

async function buildingAlone(work) {
  for (let told = false; ;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let builder = NaN;
    try {
      builder = builderOf();
    } catch {
      // Made, its pid not written yet; or left by a builder that died in between: the lock's age tells.
    }
    const orphaned = Number.isNaN(builder) ? Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000 : !alive(builder);
    if (orphaned) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (!told) console.log(Number.isNaN(builder) ? "waiting for another start's build" : `waiting for the build of process ${builder}`);
    told = true;
    await delay(100);
  }
  try {
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (steps.some((step) => step.stale())) {
  await buildingAlone(() => {
    for (const step of steps) {
      const reason = step.stale();
      if (!reason) continue;
      if (!existsSync(at(step.tool))) {
        console.error(`${reason}, and the build tools are not installed.\nRun \`npm install\` (with dev dependencies), then \`npm run build\`.`);
        process.exit(1);
      }
      const built = spawnSync('npm', ['run', '--silent', step.script], { cwd: ROOT, stdio: 'inherit' });
      if (built.status !== 0) process.exit(built.status ?? 1);
    }
  });
}

// build/server/main.js keeps V8's code cache for the bundle itself (scripts/server-loader.mjs).
await import('../build/server/main.js');
