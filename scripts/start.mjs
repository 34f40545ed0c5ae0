// `npm start`: builds what is stale (the widget bundle, the compiled server), then runs the
// compiled server. A fresh clone needs only `npm install && npm start`; a production install
// that was built before (`npm run build`, then `npm ci --omit=dev`) just runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

const stale = (output, inputs) => !existsSync(output) || statSync(output).mtimeMs < newest(inputs);

const steps = [
  { script: 'build:widget', output: 'dist/checkout-cart.js', inputs: ['widget', 'shared', 'vite.config.ts'], tool: 'node_modules/vite' },
  // After the widget: its build empties dist/, the console's with it.
  { script: 'build:admin', output: 'dist/admin/index.html', inputs: ['admin/console', 'admin/client.ts', 'shared', 'vite.admin.config.ts'], tool: 'node_modules/vite' },
  { script: 'build:server', output: 'build/server/main.js', inputs: ['server', 'shared', 'tsconfig.json', 'tsconfig.build.json'], tool: 'node_modules/typescript' },
];
// `node scripts/start.mjs --stale`: only says what a start would build (exit 1 if anything), for
// `npm run bench`, which times `npm start` on a built tree and must never build the project's own.
if (process.argv.includes('--stale')) {
  const outputs = steps.filter((step) => stale(step.output, step.inputs)).map((step) => step.output);
  console.log(outputs.length ? `stale: ${outputs.join(', ')}` : 'up to date');
  process.exit(outputs.length ? 1 : 0);
}

for (const step of steps) {
  if (!stale(step.output, step.inputs)) continue;
  if (!existsSync(step.tool)) {
    console.error(`${step.output} is missing or older than its sources, and the build tools are not installed.\nRun \`npm install\` (with dev dependencies), then \`npm run build\`.`);
    process.exit(1);
  }
  const built = spawnSync('npm', ['run', '--silent', step.script], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

await import('../build/server/main.js');
